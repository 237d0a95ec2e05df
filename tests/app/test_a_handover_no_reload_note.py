"""AppTest of 路线规划 after a coordinator's hand-over: the leader's page said 页面刷新后，未保存的规划结果不会
保留 under 协调员…选定：本组 N 个走访点 — a sentence for a reload that lost a plan, while nobody had planned the
hand-over yet. It is said where it applies only: the account's own selection read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.domain import Team, Visit
from planner.office.security import Actor
from planner.routing.advice import PlanRequest
from planner.selection.handover import hand_over
from planner.selection.memory import save_selection
from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamRow, UserRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 5)
COORD = Actor("tongchou", "coordinator", display_name="陈统筹")
LEAD = Actor("zuzhang1", "leader", team_ids=("T1",), display_name="林组长")
TEAM = Team("T1", "第一检查组", 117.65, 24.51)
VISITS = tuple(Visit(f"V{i}", 117.62 + i / 100, 24.4, 45, label=f"{i}村", case_nos=(f"HA-{i:02d}",))
               for i in range(1, 4))
TRIP = PlanRequest(dt.date(2026, 12, 7), 2, ("T1",), "compact")


@pytest.fixture()
def db(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        for i in range(1, 4):
            s.add(CaseRow(case_no=f"HA-{i:02d}", received_date=dt.date(2026, 11, i), deadline=dt.date(2027, 1, 1),
                          county="平和县", county_code="350628", lon=117.62 + i / 100, lat=24.4, precision="village"))
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51))
        for a in (COORD, LEAD):
            s.add(UserRow(username=a.username, display_name=a.display_name, role=a.role, password_hash="x",
                          team_ids=list(a.team_ids)))
    return engine


def _leaders_page() -> list[str]:
    app = AppTest.from_file(str(ROOT / "pages" / "planning.py"), default_timeout=90)
    app.session_state["today"] = TODAY
    app.session_state["actor"] = LEAD
    app.run()
    assert not app.exception
    return [i.value for i in app.info]


def test_a_hand_over_is_not_told_a_reload_lost_its_plan(db) -> None:
    with session_scope(db) as s:
        hand_over(s, COORD, VISITS, TRIP, [TEAM])
    (note,) = [i for i in _leaders_page() if i.startswith("协调员陈统筹于 ")]
    assert "选定：本组 3 个走访点" in note and "页面刷新后" not in note, note


def test_the_leaders_own_selection_read_back_is_still_told(db) -> None:
    with session_scope(db) as s:
        save_selection(s, LEAD.username, VISITS, TRIP)
    (note,) = [i for i in _leaders_page() if i.startswith("已恢复上次选定的")]
    assert "页面刷新后，未保存的规划结果不会保留" in note, note
