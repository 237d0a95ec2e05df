"""AppTest of 回访跟踪 (walk T): a leader switched 本次为回访 on over an officer's record of today; the form moved to a
new 回访 dated today and only 保存 said that the team already has a record of this letter today. Said before the
save now, and no save is offered that must fail; another day's 回访 is saved as before."""

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
from planner.store.models import CaseRow, PlanCase, PlanRow, TeamRow, UserRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
NO = "ZT2026-1109"
LEADER = Actor(username="zhou", role="leader", team_ids=("T1",), display_name="周组长")


@pytest.fixture()
def seeded(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.6, base_lat=24.5))
        s.add(UserRow(username="wu1", role="officer", password_hash="x", display_name="吴干部", team_ids=["T1"]))
        s.add(CaseRow(case_no=NO, received_date=dt.date(2026, 11, 2), deadline=dt.date(2027, 1, 1),
                      content="角美镇石美村征地补偿款分配不公开，有的户多领有的户少领", category="三资管理",
                      county="龙海区", county_code="350604", town="角美镇", village="石美村", lon=117.9, lat=24.5,
                      status="planned"))
        s.flush()
        plan = PlanRow(name="第一组 12月7-8日 下访", start_date=TODAY, days=2, status="issued")
        s.add(plan)
        s.flush()
        case_id = s.scalar(select(CaseRow.id))
        s.add(PlanCase(plan_id=plan.id, case_id=case_id, visit_id="V1", team_id="T1", visit_date=TODAY, seq=1))
    with session_scope(engine) as s:
        record_outcome(s, VisitOutcome(case_no=NO, visit_date=TODAY, result="visited", team_id="T1",
                                       problem_resolved=True, findings="补偿款分配已公示"), who="wu1", today=TODAY)
    return engine


def _page(day: dt.date) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = day
    at.session_state["actor"] = LEADER
    at.session_state["followup_case"] = NO
    at.run()
    at.selectbox(key="fu_case").set_value(NO).run()
    return at


def _to_return(app: AppTest, engine) -> None:
    with session_scope(engine) as s:
        oid = s.scalar(select(VisitOutcomeRow.id))
    assert app.selectbox(key=f"fu_{NO}_outcome_pick").value == oid
    app.toggle(key=f"fu_{NO}_{oid}_return").set_value(True).run()
    assert not app.exception, app.exception
    assert app.selectbox(key=f"fu_{NO}_outcome_pick").value == "new"


def test_a_same_day_return_visit_is_said_before_the_save_and_not_offered(seeded) -> None:
    app = _page(TODAY)
    _to_return(app, seeded)
    said = [w.value for w in app.warning if "同一组同一天只能有一条记录" in w.value]
    assert said and "第一检查组今天已登记过这件的走访（吴干部（wu1））" in said[0]
    assert app.button(key=f"fu_{NO}_new_save").disabled
    assert not app.error


def test_another_day_is_offered_and_saved(seeded) -> None:
    # The next day: the 回访 first dated on the officer's day (said, not offered), then on its own day. (It was
    # dated the day before the first visit, which a 回访 may not be: tests/office/test_return_visit_before_first_visit.)
    app = _page(TODAY + dt.timedelta(days=1))
    with session_scope(seeded) as s:
        oid = s.scalar(select(VisitOutcomeRow.id))
    app.selectbox(key=f"fu_{NO}_outcome_pick").set_value(oid).run()
    _to_return(app, seeded)
    app.date_input(key=f"fu_{NO}_new_date").set_value(TODAY).run()
    assert app.button(key=f"fu_{NO}_new_save").disabled
    app.date_input(key=f"fu_{NO}_new_date").set_value(TODAY + dt.timedelta(days=1)).run()
    assert not [w for w in app.warning if "同一组同一天" in w.value]
    assert not app.button(key=f"fu_{NO}_new_save").disabled
    app.text_area(key=f"fu_{NO}_new_findings").input("回访：补发款项已到账").run()
    app.radio(key=f"fu_{NO}_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key=f"fu_{NO}_new_save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    with session_scope(seeded) as s:
        assert s.scalar(select(VisitOutcomeRow.id).where(VisitOutcomeRow.findings == "回访：补发款项已到账"))
