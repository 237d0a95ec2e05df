"""Case details missing from plan.json come from the database; petitioner contacts stay masked."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest

from planner.cli import main
from planner.field import build_itinerary, load_document, load_petitioners
from planner.field.model import enrich_cases
from planner.store.database import session_scope
from planner.store.models import CaseRow, PetitionerRow
from tests.export.conftest import PLAN_PATH


def _store_case(engine) -> None:
    with session_scope(engine) as s:
        row = CaseRow(case_no="ZZ2026-0101", received_date=dt.date(2026, 10, 20), deadline=dt.date(2026, 12, 19),
                      content="反映村集体收取桉树砍伐保证金后拒不退还", title="桉树砍伐保证金未退", category="三资管理",
                      county="平和县", county_code="350628", town="山格镇", village="隆庆村", lon=117.43, lat=24.37)
        row.petitioner = PetitionerRow(name="张三丰", phone="13812341234", id_number="350628199001011234")
        s.add(row)


def _plan_without_case(tmp_path):
    d = json.loads(PLAN_PATH.read_text(encoding="utf-8"))
    del d["cases"]["ZZ2026-0101"]
    p = tmp_path / "plan.json"
    p.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    return p


def test_enrich_fills_missing_case_from_database(engine, session, tmp_path):
    _store_case(engine)
    doc = load_document(_plan_without_case(tmp_path))
    assert build_itinerary(doc, "T1", "2026-12-07").stops[0].cases[0].summary == ""
    rich = enrich_cases(doc, session)
    case = build_itinerary(rich, "T1", "2026-12-07").stops[0].cases[0]
    assert case.summary == "桉树砍伐保证金未退"
    assert case.deadline == dt.date(2026, 12, 19)
    assert (case.county, case.town, case.village) == ("平和县", "山格镇", "隆庆村")
    assert "张三丰" not in json.dumps(rich.cases, ensure_ascii=False)


def test_load_petitioners_reads_only_requested_cases(engine, session):
    _store_case(engine)
    assert load_petitioners(session, ["ZZ2026-0101", "NOPE"])["ZZ2026-0101"].phone == "13812341234"
    assert load_petitioners(session, ["NOPE"]) == {}


def test_cli_with_db_and_contacts_masks_identity(engine, tmp_path):
    _store_case(engine)
    out = tmp_path / "plan.xlsx"
    url = engine.url.render_as_string(hide_password=False)
    rc = main(["export", str(_plan_without_case(tmp_path)), "--format", "xlsx", "--db", url, "--contacts",
               "--out", str(out)])
    assert rc == 0
    wb = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    values = {str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None}
    assert "张** 138****1234" in values
    assert "桉树砍伐保证金未退" in values
    assert not [v for v in values if "张三丰" in v or "13812341234" in v]


def test_export_plan_unmasked_logs_once_for_the_whole_plan(engine, session):
    security = pytest.importorskip("planner.office.security")
    from sqlalchemy import select

    from planner.field import export_plan
    from planner.store.models import AuditRow

    _store_case(engine)
    admin = security.Actor(username="boss", role="admin", can_unmask=True)
    doc = load_document(PLAN_PATH)
    opts = {"session": session, "contacts": True, "actor": admin, "unmask": True, "reason": "联系信访人核实"}
    assert "张三丰" not in export_plan(doc, "geojson", **opts).decode()  # GeoJSON carries no contacts at all
    xlsx = export_plan(doc, "xlsx", **opts)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    values = {str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None}
    assert "张三丰 13812341234" in values
    assert not [v for v in values if "350628199001011234" in v]
    rows = session.execute(select(AuditRow).order_by(AuditRow.id)).scalars().all()
    assert [r.action for r in rows] == ["export_unmasked", "export_unmasked"]  # one per export, not per day
    assert "ZZ2026-0101" in rows[0].case_nos
    # Walk H: the rows said nothing of what was exported.
    assert rows[1].detail == {"what": "itinerary", "team": "", "day": "", "format": "xlsx"}


def test_export_plan_unmask_refused_for_officer(engine, session):
    security = pytest.importorskip("planner.office.security")
    from planner.errors import PermissionDenied
    from planner.field import export_plan

    _store_case(engine)
    officer = security.Actor(username="li", role="officer")
    with pytest.raises(PermissionDenied):
        export_plan(load_document(PLAN_PATH), "pdf", session=session, contacts=True, actor=officer, unmask=True,
                    reason="想看看")


def test_every_itinerary_download_is_in_the_audit_log(engine, session):
    """Carried from walk review: only unmasked exports were logged; a team's sheets leaving the office (masked or
    without contacts) left no trace in 审计日志."""
    security = pytest.importorskip("planner.office.security")
    from sqlalchemy import select

    from planner.field import export_plan
    from planner.office.audit import describe, recent
    from planner.store.models import AuditRow

    _store_case(engine)
    doc = load_document(PLAN_PATH)
    leader = security.Actor(username="lead1", role="leader", team_ids=("T1",))
    officer = security.Actor(username="off1", role="officer", team_ids=("T1",))
    export_plan(doc, "pdf", team_id="T1", date="2026-12-07", session=session, actor=officer)
    export_plan(doc, "xlsx", session=session, contacts=True, actor=leader)
    rows = session.execute(select(AuditRow).order_by(AuditRow.id)).scalars().all()
    assert [(r.username, r.action) for r in rows] == [("off1", "export"), ("lead1", "export")]
    assert "ZZ2026-0101" in rows[0].case_nos
    texts = [describe(e) for e in reversed(recent(session))]
    assert "下载行程资料（PDF 行程单，T1，2026-12-07，不附信访人联系方式）" in texts[0]
    # a whole-plan file names the teams it holds: the leader's only (walk W14b: an officer's read 整个计划)
    assert "下载行程资料（Excel，整个计划（T1），附脱敏的信访人联系方式）" in texts[1]
    assert not any("张三丰" in t or "1381234" in t for t in texts)
    export_plan(doc, "gpx", team_id="T1", actor=officer)  # a batch without a database writes nothing and fails not
    assert len(session.execute(select(AuditRow)).scalars().all()) == 2


def test_a_days_file_is_audited_with_that_days_letters_only(engine, session):
    """Walk H: single-day downloads were audited with every letter of the plan (8 where the day file held 4)."""
    security = pytest.importorskip("planner.office.security")
    from sqlalchemy import select

    from planner.field import export_plan
    from planner.store.models import AuditRow

    leader = security.Actor(username="lin", role="leader", team_ids=("T1",))
    doc = load_document(PLAN_PATH)
    export_plan(doc, "pdf", session=session, actor=leader, team_id="T1", date="2026-12-07")
    export_plan(doc, "gpx", session=session, actor=leader, team_id="T1")
    rows = session.execute(select(AuditRow).where(AuditRow.action == "export").order_by(AuditRow.id)).scalars().all()
    day = [c for r in doc.plan.routes if r.team_id == "T1" and r.date == dt.date(2026, 12, 7)
           for s in r.stops for c in doc.visits[s.visit_id].case_nos]
    team = [c for r in doc.plan.routes if r.team_id == "T1" for s in r.stops for c in doc.visits[s.visit_id].case_nos]
    assert list(rows[0].case_nos) == day and set(day) < set(team)
    assert sorted(rows[1].case_nos) == sorted(team)
    assert rows[0].detail["day"] == "2026-12-07" and rows[0].detail["format"] == "pdf"


def test_an_unmasked_exports_audit_line_names_the_file() -> None:
    from planner.office.audit import describe

    line = describe({"action": "export_unmasked", "username": "lin", "case_nos": ["A1"], "reason": "联系核实",
                     "detail": {"what": "itinerary", "team": "T1", "day": "2026-12-07", "format": "pdf"}},
                    team_names={"T1": "第一检查组"})
    assert "导出含信访人身份的行程资料（PDF 行程单，第一检查组，2026-12-07）" in line and "理由：联系核实" in line
