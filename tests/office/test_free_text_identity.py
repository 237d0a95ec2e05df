"""Walk finding H3: ID and phone numbers written inside the letter's own text (反映内容, 备注 ...) are masked wherever
the identity columns are — the case detail on 案件地图, the register export (“已隐去”), the import preview, lists,
field sheets — and the log filter masks with the very same patterns."""

from __future__ import annotations

import dataclasses
import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from planner.intake import register as ingest
from planner.intake.register_export import register_rows, register_xlsx
from planner.office import logs, privacy
from planner.store.cases import get_case
from planner.store.database import session_scope
from planner.store.models import CaseRow
from tests.office import _seed

ID = "350627196505121234"
MOBILE = "13959612345"
LANDLINE = "0596-2345678"
LETTER = f"本人林水生，身份证号{ID}，电话{MOBILE}，反映村委会截留征地补偿款 12000 元，座机{LANDLINE}。"
NOTE = f"经办人回电 {MOBILE}，信访人林水生要求尽快答复"
SECRETS = (ID, "196505121234", MOBILE, "5961 2345", "2345678", "林水生")


def _leaks(text: str) -> list[str]:
    digits = re.sub(r"[\s\-]", "", text)
    return [s for s in SECRETS if s in text or re.sub(r"\s", "", s) in digits]


def _letter_with_identity(engine, case_no: str | None = None) -> str:
    """Seed the test week and write the identity into one case's text and register column; its number."""
    _seed.seed(engine)
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == (case_no or "ZZ2026-0199"))).one()
        row.content, row.title = LETTER, ""
        row.address_text = f"平和县小溪镇旧楼村 联系电话{MOBILE}"
        row.extra_fields = {"备注": NOTE, "承办人": "李四"}
        row.petitioner.name = "林水生"
        return row.case_no


def test_case_detail_masks_ids_phones_and_the_petitioner_in_the_letter(engine) -> None:
    from planner.store.cases import letter_text  # what 案件地图 shows of the letter

    no = _letter_with_identity(engine)
    with session_scope(engine) as s:
        words = letter_text(s, no)
    shown = " ".join([words["content"], words["title"], words["address"], *(v for _k, v in words["extra"])])
    assert _leaks(shown) == []
    # Withheld whole (walk F): not even 139****2345 or a surname with stars is left.
    assert privacy.ID_PLACEHOLDER in words["content"] and privacy.PHONE_IN_TEXT_WITHHELD in words["content"]
    assert "2345" not in shown and "*" not in shown
    assert "截留征地补偿款 12000 元" in words["content"]  # what the visit needs survives
    assert dict(words["extra"])["承办人"] == "李四"


def test_register_export_withholds_identities_written_in_the_text(engine) -> None:
    no = _letter_with_identity(engine)
    with session_scope(engine) as s:
        headers, rows = register_rows(s)
        data = register_xlsx(s)
    row = dict(zip(headers, next(r for r in rows if r[0] == no), strict=True))
    assert row["身份证号"] == "已隐去"
    assert _leaks(" ".join(str(v) for v in row.values())) == []
    assert "截留征地补偿款" in row["反映内容"] and row["承办人"] == "李四"
    # Withheld whole, as on field sheets (walk H found 林** and 139****2345 in this file): no fragment is left.
    assert "*" not in row["反映内容"] + row["地址"] + row["备注"] and "2345" not in row["反映内容"]
    assert privacy.NAME_IN_TEXT_WITHHELD in row["反映内容"] and privacy.PHONE_IN_TEXT_WITHHELD in row["反映内容"]
    ws = load_workbook(io.BytesIO(data)).active
    assert _leaks(" ".join(str(c.value) for r in ws.iter_rows() for c in r if c.value is not None)) == []


def test_lists_and_map_popups_show_no_number_from_the_letter(engine) -> None:
    no = _letter_with_identity(engine)
    with session_scope(engine) as s:
        case = get_case(s, no)
    assert _leaks(case.summary(200).replace("林水生", "")) == []


def test_field_sheet_carries_no_number_from_the_letter(engine) -> None:
    from planner.field import export_plan

    no = _letter_with_identity(engine, "ZZ2026-0101")
    doc = _seed.plan_doc()
    doc = dataclasses.replace(doc, cases={})  # details come from the database, as for a plan saved long ago
    with session_scope(engine) as s:
        data = export_plan(doc, "xlsx", session=s)
        html = export_plan(doc, "html", team_id="T1", date=_seed.DAY, session=s).decode("utf-8")
    ws_text = " ".join(str(c.value) for ws in load_workbook(io.BytesIO(data)).worksheets
                       for r in ws.iter_rows() for c in r if c.value is not None)
    assert "截留征地补偿款" in ws_text, no
    assert _leaks(ws_text) == [] and _leaks(html) == []


def test_import_preview_masks_numbers_inside_the_content() -> None:
    csv = ("编号,收件日期,信访人,联系电话,身份证号,反映内容,备注\n"
           f"ZZ-1,2026-10-20,林水生,{MOBILE},{ID},{LETTER},{NOTE}\n").encode()
    preview = ingest.read_register(csv, filename="r.csv")
    shown = " ".join(str(v) for r in preview.sample(5) for v in r.values())
    assert _leaks(shown.replace("林水生", "")) == []


def test_the_log_filter_uses_the_same_patterns() -> None:
    patterns = {p for _kind, p in privacy.IDENTITY_PATTERNS}
    assert {p for p, _repl in logs._PATTERNS} == patterns
    masked = logs.mask_personal_text(LETTER)
    assert ID not in masked and MOBILE not in masked and "2345678" not in masked


def test_follow_up_pickers_and_case_map_tooltips_withhold_the_writer_named_in_the_letter(engine) -> None:
    """Re-walk E: 回访跟踪's 信访件 picker read “我是寨里村村民赖水生，电话139****123…” to an officer and to a leader
    without the identity right; the case map's tooltips took the same unmasked summary."""
    import datetime as dt

    from planner.field.map_layers import case_map
    from planner.followup.deadlines import deadline_watch
    from planner.followup.worklist import visit_choices
    from planner.store.cases import load_cases, masked_summaries

    no = _letter_with_identity(engine)
    with session_scope(engine) as s:
        s.scalars(select(CaseRow).where(CaseRow.case_no == no)).one().status = "registered"
    with session_scope(engine) as s:
        watch = [d.summary for d in deadline_watch(s, dt.date(2026, 12, 7), states=("overdue", "at_risk", "ok"))
                 if d.case_no == no]
        choices = [c.label for c in visit_choices(s, dt.date(2026, 12, 7), include_open=True, limit=5000)
                   if c.case_no == no]
        cases = load_cases(s)
        summaries = masked_summaries(s, cases, 40)
    assert watch and all(_leaks(t) == [] and "林*" not in t for t in watch), watch
    assert choices and all(_leaks(t) == [] and "[姓名已隐去]" in t for t in choices), choices
    html = case_map(cases, today=dt.date(2026, 12, 7), summaries=summaries).map.get_root().render()
    assert no in html and "林水生" not in html and MOBILE not in html
