"""AppTest of 回访跟踪: a 回访 dated before the letter's first visit is said before the save, naming the first visit's
date, and no save is offered; dated on or after it, it is saved as before. Run on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.domain import VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamRow, UserRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
FIRST = dt.date(2026, 12, 3)
NO = "ZT2026-1207"
LEADER = Actor(username="zhou", role="leader", team_ids=("T1",), display_name="周组长")


@pytest.fixture()
def seeded(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.6, base_lat=24.5))
        s.add(UserRow(username="wu1", role="officer", password_hash="x", display_name="吴干部", team_ids=["T1"]))
        s.add(CaseRow(case_no=NO, received_date=dt.date(2026, 11, 2), deadline=dt.date(2027, 1, 1),
                      content="石美村征地补偿款分配不公开", category="三资管理", county="龙海区",
                      county_code="350604", town="角美镇", village="石美村", lon=117.9, lat=24.5, status="planned"))
    with session_scope(engine) as s:
        record_outcome(s, VisitOutcome(case_no=NO, visit_date=FIRST, result="visited", team_id="T1",
                                       findings="补偿款未公示"), who="wu1", today=TODAY)
    return engine


def _new_return_visit() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = LEADER
    at.session_state["followup_case"] = NO
    at.run()
    at.selectbox(key="fu_case").set_value(NO).run()
    at.selectbox(key=f"fu_{NO}_outcome_pick").set_value("new").run()
    at.toggle(key=f"fu_{NO}_new_return").set_value(True)
    at.radio(key=f"fu_{NO}_new_result").set_value("visited").run()  # nothing is picked until the user picks (W13)
    assert not at.exception, at.exception
    return at


def test_a_return_visit_before_the_first_visit_is_said_before_the_save(seeded) -> None:
    app = _new_return_visit()
    app.date_input(key=f"fu_{NO}_new_date").set_value(FIRST - dt.timedelta(days=1)).run()
    said = [w.value for w in app.warning if "回访不能早于首次走访" in w.value]
    assert said and FIRST.isoformat() in said[0] and "第一检查组" in said[0]
    assert app.button(key=f"fu_{NO}_new_save").disabled
    assert not app.error


def test_on_or_after_the_first_visit_it_is_offered_and_saved(seeded) -> None:
    app = _new_return_visit()
    app.date_input(key=f"fu_{NO}_new_date").set_value(FIRST - dt.timedelta(days=1)).run()
    app.date_input(key=f"fu_{NO}_new_date").set_value(FIRST + dt.timedelta(days=1)).run()
    assert not [w for w in app.warning if "首次走访" in w.value]
    assert not app.button(key=f"fu_{NO}_new_save").disabled
    app.button(key=f"fu_{NO}_new_save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    with session_scope(seeded) as s:
        assert s.scalars(select(VisitOutcomeRow.visit_type).order_by(VisitOutcomeRow.visit_date)).all() == [
            "investigation", "return"]
