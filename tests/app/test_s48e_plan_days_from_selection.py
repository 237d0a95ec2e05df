"""AppTest of 路线规划 for a team leader after the coordinator's 选件 hand-over (walk W14, shot 15): the
coordinator chose 3 下访工作日数, and the leader's 路线规划 started with 工作日数 1. The plan form starts from the
selection's trip: its start date, its days and the leader's teams."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.domain import Team, Visit
from planner.office.security import Actor
from planner.routing.advice import PlanRequest
from planner.selection.handover import hand_over
from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamRow, UserRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
COORD = Actor("xietiao", "coordinator", display_name="郑协调")
LEAD = Actor("zuzhang", "leader", team_ids=("T1", "T2"), display_name="蔡组长")
TEAMS = (Team("T1", "第一检查组", 117.65, 24.51), Team("T2", "第二检查组", 117.60, 24.45))
VISITS = tuple(Visit(f"V{i}", 117.62 + i / 100, 24.4, 45, label=f"{i}村", case_nos=(f"SD-{i:02d}",))
               for i in range(1, 5))
TRIP = PlanRequest(TODAY, 3, ("T1", "T2"), "compact")


@pytest.fixture()
def db(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        for i in range(1, 5):
            s.add(CaseRow(case_no=f"SD-{i:02d}", received_date=dt.date(2026, 11, i), deadline=dt.date(2027, 1, 1),
                          county="平和县", county_code="350628", lon=117.62 + i / 100, lat=24.4, precision="village"))
        for t in TEAMS:
            s.add(TeamRow(id=t.team_id, name=t.name, base_lon=t.base_lon, base_lat=t.base_lat))
        for a in (COORD, LEAD):
            s.add(UserRow(username=a.username, display_name=a.display_name, role=a.role, password_hash="x",
                          team_ids=list(a.team_ids)))
    return engine


def test_the_leaders_plan_form_starts_from_the_days_the_coordinator_chose(db) -> None:
    with session_scope(db) as s:
        hand_over(s, COORD, VISITS, TRIP, list(TEAMS))
    app = AppTest.from_file(str(ROOT / "pages" / "planning.py"), default_timeout=90)
    app.session_state["today"] = TODAY
    app.session_state["planning_now"] = dt.datetime.combine(TODAY, dt.time(8, 0))
    app.session_state["actor"] = LEAD
    app.run()
    assert not app.exception, app.exception
    assert app.number_input(key="pl_days").value == 3
    assert app.date_input(key="pl_start").value == TODAY
    assert sorted(app.multiselect(key="pl_teams").value) == ["T1", "T2"]
