"""AppTest of 路线规划: 重新规划其余走访点 on a plan begun yesterday plans the stops not visited from now on (none on
yesterday, none today before now), puts a stop recorded as 改期 on a later day, and says so naming the stop."""

from __future__ import annotations

import datetime as dt

import pytest
from _ui_data import TODAY
from app_steps import open_plan, save_issued_plan

from pages.common import Key
from planner.domain import Visit
from planner.routing.history import moved_visited
from planner.store.database import session_scope
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import load_plan

VISITS = (
    Visit("V1", 117.33, 24.37, 45, label="小溪镇", case_nos=("ZZ1",)),
    Visit("V2", 117.36, 24.38, 45, label="山格镇", case_nos=("ZZ2",)),
    Visit("V3", 117.39, 24.35, 45, label="文峰镇", case_nos=("ZZ3",)),
    Visit("V4", 117.42, 24.33, 45, label="南胜镇", case_nos=("ZZ4",)),
)
TUESDAY = TODAY + dt.timedelta(days=1)


@pytest.fixture()
def running(engine, monkeypatch):
    """A three-day plan saved on the page on Monday, all four stops on Monday, issued; stop 1 recorded 已走访 and
    stop 2 改期 on Monday: (plan id, Monday's route)."""
    pid = save_issued_plan(engine, monkeypatch, VISITS, days=3)
    with session_scope(engine) as s:
        route = load_plan(s, pid).plan.route_for("A", TODAY)
        assert route is not None and len(route.stops) == 4, load_plan(s, pid).plan.routes
        for vid, result in zip(route.visit_ids[:2], ("visited", "postponed"), strict=True):
            no = next(v.case_nos[0] for v in VISITS if v.visit_id == vid)
            case = s.query(CaseRow).filter_by(case_no=no).one()
            s.add(VisitOutcomeRow(case_id=case.id, plan_id=pid, team_id="A", visit_date=TODAY, result=result,
                                  reason="" if result == "visited" else "信访人外出", recorded_by="offA"))
    return pid, route


def test_a_replan_on_tuesday_at_10_plans_the_rest_from_now_and_names_the_gaiqi_stop(running, engine) -> None:
    pid, route = running
    app = open_plan(pid, dt.datetime.combine(TUESDAY, dt.time(10, 0)))
    next(b for b in app.button if b.label == "重新规划其余走访点").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    new = app.session_state[Key.PLAN_DOC]
    visited, put_off = route.visit_ids[:2]
    with session_scope(engine) as s:
        assert moved_visited(load_plan(s, pid).plan, new.plan, {visited}) == {}
    for r in new.plan.routes:
        for stop in r.stops:
            if stop.visit_id != visited:
                assert r.date > TODAY, (stop, r.date)
                assert r.date > TUESDAY or stop.arrive_min >= 10 * 60, (stop, r.date)
    assert new.plan.route_for("A", TODAY).visit_ids == (visited,)
    where = {v: r.date for r in new.plan.routes for v in r.visit_ids}
    assert where[put_off] > TODAY
    said = " ".join(w.value for w in app.warning)
    label = next(v.label for v in VISITS if v.visit_id == put_off)
    assert f"{put_off} {label}（" in said and "记录为改期" in said, said
    next(b for b in app.button if b.label == f"保存为计划 #{pid} 的新版本").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]


def test_start_planning_an_opened_plan_from_tuesday_plans_the_gaiqi_stop_again(running, engine) -> None:
    """开始规划 on the opened plan from Tuesday: Monday's visited stop stays, the 改期 one is planned again."""
    pid, route = running
    app = open_plan(pid, dt.datetime.combine(TUESDAY, dt.time(10, 0)))
    app.date_input(key="pl_start").set_value(TUESDAY)
    next(b for b in app.button if b.label == "开始规划").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    new = app.session_state[Key.PLAN_DOC]
    visited, put_off = route.visit_ids[:2]
    assert new.plan.route_for("A", TODAY).visit_ids == (visited,)
    where = {v: r.date for r in new.plan.routes for v in r.visit_ids}
    assert where[put_off] > TODAY
    assert any("记录为改期" in w.value and f"{put_off} " in w.value for w in app.warning)
