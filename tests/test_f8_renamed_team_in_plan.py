"""A team renamed after its plan was saved (walk W6): 第六检查组 became 第六检查组（东山线） on 检查组, and the
officer's 行程 header and downloaded file names still read the old name, even after a reload. A saved plan is
read, shown and exported under the team's name now; the stored plan keeps what was saved."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from planner import field as export
from planner.field import load_document
from planner.office.security import Actor
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, PlanRow, TeamRow
from planner.store.plans import load_plan, save_plan
from planner.store.teams import load_teams, save_team

PLAN = Path(__file__).resolve().parent / "data" / "plan_zhangzhou.json"
OFFICER = Actor("li", "officer", ("T1",), display_name="李干部")
NEW = "第一检查组（东山线）"


def _saved(session) -> int:
    doc = load_document(PLAN)
    for t in doc.teams.values():
        save_team(session, t)
    for no, c in doc.cases.items():
        session.add(CaseRow(case_no=no, received_date=dt.date.fromisoformat(c["received_date"]),
                            deadline=dt.date.fromisoformat(c["deadline"]), title=c["summary"], content=c["summary"],
                            category=c["category"], county=c["county"], town=c["town"], village=c["village"],
                            status="planned"))
    session.flush()
    plan_id = save_plan(session, doc, name="平和 12 月第一周", who="boss")
    set_plan_status(session, plan_id, PlanStatus.ISSUED, who="boss")  # officers go by issued plans only
    t1 = load_teams(session, team_ids=("T1",))[0]
    save_team(session, dataclasses.replace(t1, name=NEW), expected_version=session.get(TeamRow, "T1").version)
    session.flush()
    return plan_id


def test_a_saved_plan_is_read_and_exported_under_the_teams_name_now(session) -> None:
    plan_id = _saved(session)
    for actor in (None, OFFICER):
        doc = load_plan(session, plan_id, actor=actor)
        assert doc.teams["T1"].name == NEW
    doc = export.enrich_cases(load_plan(session, plan_id, actor=OFFICER), session)
    it = export.build_itinerary(doc, "T1", dt.date(2026, 12, 7))
    assert it.team.name == NEW
    assert export.file_name("pdf", it) == f"{NEW}_2026-12-07.pdf"
    assert NEW in export.export_plan(doc, "html", team_id="T1", date="2026-12-07", session=session).decode()
    # The stored plan keeps the name it was saved with.
    stored = session.get(PlanRow, plan_id).result["teams"]
    assert "第一检查组" in str(stored) and NEW not in str(stored)


def test_a_document_from_elsewhere_gets_the_name_now_when_enriched(session) -> None:
    _saved(session)
    doc = export.enrich_cases(load_document(PLAN), session)  # e.g. kept in the session just after 下发
    assert doc.teams["T1"].name == NEW and doc.teams["T2"].name == "第二检查组"
