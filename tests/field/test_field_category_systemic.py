"""Browser walks: a letter the register files under 三资管理 read 村务财务 on 行程 and on every field sheet (the
office's own word replaced by the product's), an inferred category was not said to be one, and a field officer was
not told that a letter of their day belongs to a systemic matter (the same issue in 3+ counties, 关联分析). The
sheets now keep the register's word, say 按内容推断 with how sure, and say 同类问题另见 N 个县区，共 M 件 — in counts
only: no other team's letter, petitioner or itinerary."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select, update

from planner.field import export_plan
from planner.field.day import day_view
from planner.field.model import build_itinerary, enrich_cases
from planner.store.database import session_scope
from planner.store.matters import systemic_notes
from planner.store.models import CaseRow, ClusterMember, ClusterRow, PlanRow
from tests.office import _seed

SANZI, INFERRED, PLAIN = "ZZ2026-0101", "ZZ2026-0104", "ZZ2026-0105"  # T1's stops 1, 3 and 4 on the day
#: The systemic matter's other letters: T2's (南靖县), the pool's (漳浦县) and an unassigned one (华安县).
OTHERS = {"ZZ2026-0202": ("南靖县", "350627"), _seed.POOL_CASE: ("漳浦县", "350623"),
          "ZZ2026-0109": ("华安县", "350629")}
NOTE = "同类问题另见 3 个县区，共 4 件（跨县系统性问题）"


def seed_matter(engine: Engine) -> None:
    """The test week with ZZ2026-0101 imported from a register that wrote 三资管理 (stored as 村务财务, the word
    kept as the basis, as the import keeps it), ZZ2026-0104's category inferred, and a systemic matter of four
    letters in four counties (ZZ2026-0101 with three letters of other teams or none); ZZ2026-0105 in a matter of
    one county only. The saved plan carries the categories as a plan made from the database does (村务财务)."""
    _seed.seed(engine)
    with session_scope(engine) as s:
        s.execute(update(CaseRow).where(CaseRow.case_no == SANZI).values(
            category="村务财务", category_source="", category_reason="原文：三资管理"))
        s.execute(update(CaseRow).where(CaseRow.case_no == INFERRED).values(
            category="征地拆迁", category_source="inferred", category_confidence=0.9,
            category_reason="按反映内容推断：含“征地”（把握较大）"))
        for no, (county, code) in OTHERS.items():
            s.execute(update(CaseRow).where(CaseRow.case_no == no).values(county=county, county_code=code))
        ids = dict(s.execute(CaseRow.__table__.select().with_only_columns(CaseRow.case_no, CaseRow.id)).all())
        s.add(ClusterRow(id="I0001", kind="issue", label="收取保证金", systemic=True, key_terms=[], info={}))
        s.add(ClusterRow(id="I0002", kind="issue", label="土地纠纷", systemic=False, key_terms=[], info={}))
        s.flush()
        s.add_all(ClusterMember(cluster_id="I0001", case_id=ids[no]) for no in (SANZI, *OTHERS))
        s.add_all(ClusterMember(cluster_id="I0002", case_id=ids[no]) for no in (PLAIN, "ZZ2026-0106"))
        for plan in s.scalars(select(PlanRow)):  # saved as 路线规划 saves a plan made from these letters
            cases = dict(plan.result["cases"])
            cases[SANZI] = {**cases[SANZI], "category": "村务财务"}
            cases[INFERRED] = {**cases[INFERRED], "category": "征地拆迁"}
            plan.result = {**plan.result, "cases": cases}


def _doc(engine: Engine):
    doc = _seed.plan_doc()
    cases = {**doc.cases, SANZI: {**doc.cases[SANZI], "category": "村务财务"},
             INFERRED: {**doc.cases[INFERRED], "category": "征地拆迁"}}
    with session_scope(engine) as s:
        return enrich_cases(replace(doc, cases=cases), s)


def test_systemic_notes_give_counts_of_the_matter_only(engine) -> None:
    seed_matter(engine)
    with session_scope(engine) as s:
        notes = systemic_notes(s, [SANZI, PLAIN, INFERRED, "ZZ2026-0202"])
    assert notes == {SANZI: NOTE, "ZZ2026-0202": NOTE}  # 0105's matter is of one county: not systemic


def test_the_day_reads_the_registers_word_an_inference_and_the_systemic_matter(engine) -> None:
    seed_matter(engine)
    cards = {c.case_no: c for stop in day_view(build_itinerary(_doc(engine), "T1", _seed.DAY)).stops
             for c in stop.cases}
    # The register's word with the category 统计, 选件 and 案件地图 count it under (walk W25: 工程 here, 工程建设
    # there).
    assert cards[SANZI].category == "三资管理（按村务财务统计）"
    assert cards[SANZI].systemic == NOTE
    assert cards[INFERRED].category == "征地拆迁（按内容推断，把握较大）"
    assert cards[PLAIN].category == "土地纠纷" and cards[PLAIN].systemic == ""


def _text(fmt: str, data: bytes) -> str:
    if fmt == "xlsx":
        return "\n".join(str(c.value) for ws in load_workbook(io.BytesIO(data)).worksheets
                         for r in ws.iter_rows() for c in r if c.value is not None)
    return _seed.texts(data).replace("\n", "")


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "html", "ics"])
def test_field_sheets_say_so_and_name_nobody_of_the_matters_other_letters(engine, fmt) -> None:
    seed_matter(engine)
    with session_scope(engine) as s:
        data = export_plan(_doc(engine), fmt, team_id="T1", date=_seed.DAY, session=s, actor=_seed.ACCOUNTS["officer"])
    text = _text(fmt, data)
    if fmt in ("pdf", "xlsx"):  # the sheets that print a letter's category
        assert "三资管理（按村务财务统计）" in text
        assert "征地拆迁（按内容推断，把握较大）" in text
    assert "同类问题另见 3 个县区" in text and "共 4 件" in text and "跨县系统性问题" in text
    for no in OTHERS:
        assert no not in text
    order = [*_seed.plan_doc().cases, _seed.POOL_CASE]  # the seed's petitioners, in its order
    for no in OTHERS:
        who = _seed.petitioner(order.index(no))
        assert who.name not in text and who.phone not in text and who.id_number not in text
    if fmt != "html":  # the offline map's basemap names every county
        for county, _code in OTHERS.values():
            assert county not in text


def test_a_plan_from_elsewhere_keeps_its_category_without_a_database() -> None:
    """A plan.json opened without the database (no ``category_label``) shows the category it carries."""
    it = build_itinerary(_seed.plan_doc(), "T1", dt.date(2026, 12, 7))
    cards = {c.case_no: c for stop in day_view(it).stops for c in stop.cases}
    assert cards[SANZI].category == "三资管理" and cards[SANZI].systemic == ""
