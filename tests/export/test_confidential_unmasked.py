"""Walk B H2: a 组长 with the unmask right exported 完整姓名和电话 and the Excel, zip, PDF, calendar and offline map
printed "沈丽娟 13599635170" beside 【信访人要求保密…】. A letter whose petitioner asked for confidentiality carries no
contact on any field sheet, masked or unmasked; the sheet says why, and the audit row names only the cases whose
contacts were written."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.cli import main
from planner.field import export_plan, load_document
from planner.field.model import CONTACT_WITHHELD
from planner.office import security
from planner.store.database import session_scope
from planner.store.models import AuditRow, CaseRow, PetitionerRow
from tests.export.conftest import PLAN_PATH
from tests.export.test_privacy import _texts

TEAM, DAY = "T1", "2026-12-07"  # the fixture plan's T1 day: V01 holds ZZ2026-0101, V02 holds ZZ2026-0102 and -0103
ORDINARY = ("张三丰", "13812341234")
SECRET = ("沈丽娟", "13599635170", "沈*", "135****5170", "卢金发", "13788880000", "卢*", "137****0000")
REASON = "核实信访人身份以便当面反馈"


def _store(engine) -> None:
    rows = (
        ("ZZ2026-0101", {}, "反映村集体收取桉树砍伐保证金后拒不退还", "张三丰", "13812341234"),
        ("ZZ2026-0102", {"备注": "保密"}, "反映村干部克扣低保金", "沈丽娟", "13599635170"),
        ("ZZ2026-0103", {}, "反映村里挪用修路款，请为我保密。", "卢金发", "13788880000"),
    )
    with session_scope(engine) as s:
        for no, extra, content, name, phone in rows:
            row = CaseRow(case_no=no, received_date=dt.date(2026, 10, 20), deadline=dt.date(2026, 12, 19),
                          content=content, title=content[:10], category="三资管理", county="平和县",
                          county_code="350628", town="山格镇", village="隆庆村", lon=117.43, lat=24.37,
                          extra_fields=extra)
            row.petitioner = PetitionerRow(name=name, phone=phone, id_number="350628199001011234")
            s.add(row)


def _flat(text: str) -> str:
    return text.replace("\n", "").replace("\r", "").replace(" ", "")


def _leader():
    return security.Actor(username="lead1", role="leader", team_ids=(TEAM,), can_unmask=True)


@pytest.mark.parametrize("fmt", ["xlsx", "zip", "pdf", "ics", "html"])
def test_unmasked_export_leaves_out_the_confidential_petitioners(engine, session, fmt):
    _store(engine)
    data = export_plan(load_document(PLAN_PATH), fmt, team_id=TEAM, date=DAY, session=session, contacts=True,
                       actor=_leader(), unmask=True, reason=REASON)
    text = _flat(_texts(f"x.{fmt}", data))
    assert all(v in text for v in ORDINARY), fmt  # the ordinary letter: full name and phone, as asked
    assert not [v for v in SECRET if v in text], fmt  # the 保密 letters: neither full nor masked
    assert CONTACT_WITHHELD in text, fmt  # where the contact would be, the sheet says why there is none
    rows = session.execute(select(AuditRow).where(AuditRow.action == "export_unmasked")).scalars().all()
    assert len(rows) == 1
    assert "ZZ2026-0101" in rows[0].case_nos
    assert not {"ZZ2026-0102", "ZZ2026-0103"} & set(rows[0].case_nos)


@pytest.mark.parametrize("fmt", ["gpx", "kml", "geojson"])
def test_track_formats_carry_no_contacts(engine, session, fmt):
    _store(engine)
    data = export_plan(load_document(PLAN_PATH), fmt, team_id=TEAM, date=DAY, session=session, contacts=True,
                       actor=_leader(), unmask=True, reason=REASON)
    text = data.decode("utf-8")
    assert not [v for v in (*ORDINARY, *SECRET) if v in text], fmt


def test_masked_export_says_why_the_confidential_contact_is_missing(engine, session):
    _store(engine)
    data = export_plan(load_document(PLAN_PATH), "xlsx", team_id=TEAM, date=DAY, session=session, contacts=True,
                       actor=_leader())
    text = _texts("x.xlsx", data)
    assert "张** 138****1234" in text
    assert not [v for v in SECRET if v in text]
    assert CONTACT_WITHHELD in text
    assert not session.execute(select(AuditRow).where(AuditRow.action == "export_unmasked")).scalars().all()


def test_export_without_contacts_says_nothing_about_them(engine, session):
    _store(engine)
    text = _texts("x.xlsx", export_plan(load_document(PLAN_PATH), "xlsx", team_id=TEAM, date=DAY, session=session))
    assert CONTACT_WITHHELD not in text
    assert "信访人要求保密" in text  # the warning itself stays


def test_only_confidential_letters_unmasked_writes_no_audit_row(engine, session):
    """Nothing revealed, nothing to log; the right and the reason are still checked."""
    _store(engine)
    with session_scope(engine) as s:
        s.execute(CaseRow.__table__.update().where(CaseRow.case_no == "ZZ2026-0101")
                  .values(extra_fields={"是否保密": "是"}))
    doc = load_document(PLAN_PATH)
    text = _flat(_texts("x.pdf", export_plan(doc, "pdf", team_id=TEAM, date=DAY, session=session, contacts=True,
                                             actor=_leader(), unmask=True, reason=REASON)))
    assert not [v for v in (*ORDINARY, *SECRET) if v in text]
    assert not session.execute(select(AuditRow).where(AuditRow.action == "export_unmasked")).scalars().all()
    officer = security.Actor(username="off1", role="officer", team_ids=(TEAM,))
    with pytest.raises(Exception, match="权"):
        export_plan(doc, "pdf", team_id=TEAM, date=DAY, session=session, contacts=True, actor=officer, unmask=True,
                    reason=REASON)


def test_cli_export_unmask_leaves_out_the_confidential_petitioners(engine, tmp_path, monkeypatch):
    _store(engine)
    with session_scope(engine) as s:
        security.create_user(s, "lead1", "Leader-pass-2026", role="leader", team_ids=[TEAM], can_unmask=True)
    monkeypatch.setenv("XIAFANG_PASSWORD", "Leader-pass-2026")
    out = tmp_path / "lead1.xlsx"
    url = engine.url.render_as_string(hide_password=False)
    assert main(["export", str(PLAN_PATH), "--format", "xlsx", "--db", url, "--team", TEAM, "--date", DAY,
                 "--contacts", "--unmask", "--user", "lead1", "--reason", REASON, "--out", str(out)]) == 0
    text = _texts("lead1.xlsx", out.read_bytes())
    assert "张三丰 13812341234" in text
    assert not [v for v in SECRET if v in text]
    assert CONTACT_WITHHELD in text
    with session_scope(engine) as s:
        rows = s.execute(select(AuditRow).where(AuditRow.action == "export_unmasked")).scalars().all()
        assert len(rows) == 1 and "ZZ2026-0101" in rows[0].case_nos
        assert not {"ZZ2026-0102", "ZZ2026-0103"} & set(rows[0].case_nos)


def test_the_files_inside_an_unmasked_zip_say_so_in_their_names(engine, session):
    """Walk L: the zip itself was named …_含信访人身份, but once unzipped its T1_2026-12-07.html and .pdf were named
    like a masked packet's files."""
    import io
    import zipfile

    _store(engine)
    full = export_plan(load_document(PLAN_PATH), "zip", team_id=TEAM, date=DAY, session=session, contacts=True,
                       actor=_leader(), unmask=True, reason=REASON)
    masked = export_plan(load_document(PLAN_PATH), "zip", team_id=TEAM, date=DAY, session=session, contacts=True,
                         actor=_leader())
    full_names = zipfile.ZipFile(io.BytesIO(full)).namelist()
    masked_names = zipfile.ZipFile(io.BytesIO(masked)).namelist()
    sheets = [n for n in full_names if n != "manifest.json"]
    assert sheets and all("_含信访人身份" in n for n in sheets), full_names
    assert f"{TEAM}_{DAY}_含信访人身份.pdf" in full_names and "行程汇总_含信访人身份.xlsx" in full_names
    assert not any("身份" in n for n in masked_names) and f"{TEAM}_{DAY}.pdf" in masked_names
