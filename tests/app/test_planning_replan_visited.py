"""AppTest of 路线规划 on a running plan: 开始规划 and 重新规划其余走访点 keep a visited stop where and when it was,
and the new version saves (browser walk: stop 1, visited at 08:47, became stop 4 at 14:53 and was saved)."""

from __future__ import annotations

import datetime as dt

import pytest
from app_steps import open_plan, save_issued_plan
from streamlit.testing.v1 import AppTest

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


@pytest.fixture()
def running(engine, monkeypatch) -> tuple[int, str, object]:
    """A plan saved on the page (one team, one day), issued, with a result recorded for its first stop:
    (plan id, that stop, its route)."""
    pid = save_issued_plan(engine, monkeypatch, VISITS, days=1, now=None)
    with session_scope(engine) as s:
        (route,) = load_plan(s, pid).plan.routes
        first = route.visit_ids[0]
        case = s.query(CaseRow).filter_by(case_no=dict((v.visit_id, v.case_nos[0]) for v in VISITS)[first]).one()
        s.add(VisitOutcomeRow(case_id=case.id, plan_id=pid, team_id="A", visit_date=route.date, result="visited",
                              recorded_by="offA"))
    return pid, first, route


def _open(pid: int, day: dt.date) -> AppTest:
    """The page on ``day`` at 15:00 with plan ``pid`` opened."""
    app = open_plan(pid, dt.datetime.combine(day, dt.time(15, 0)))
    assert not app.exception and not app.error
    return app


@pytest.mark.parametrize("button", ["开始规划", "重新规划其余走访点"])
def test_a_replan_at_15_00_keeps_the_visited_stop_1_at_its_time_and_saves(running, engine, button) -> None:
    pid, first, route = running
    app = _open(pid, route.date)
    next(b for b in app.button if b.label == button).click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    new = app.session_state[Key.PLAN_DOC]
    day = new.plan.route_for(route.team_id, route.date)
    assert day is not None and day.stops[0] == route.stops[0], (day, route)
    with session_scope(engine) as s:
        assert moved_visited(load_plan(s, pid).plan, new.plan, {first}) == {}
    assert all(s.arrive_min >= 15 * 60 for s in day.stops[1:])  # the rest of the day from now
    next(b for b in app.button if b.label == f"保存为计划 #{pid} 的新版本").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    with session_scope(engine) as s:
        saved = load_plan(s, pid).plan.route_for(route.team_id, route.date)
    assert saved.stops[0] == route.stops[0]


def test_a_refused_save_names_the_button_that_keeps_visited_stops(running, engine) -> None:
    """A version that moved the visited stop (here: the saved plan changed by hand before saving) is refused, and
    the refusal says which button keeps visited stops in place."""
    import dataclasses

    pid, first, route = running
    app = _open(pid, route.date)
    doc = app.session_state[Key.PLAN_DOC]
    (r,) = doc.plan.routes
    later = tuple(dataclasses.replace(s, arrive_min=s.arrive_min + 60, start_min=s.start_min + 60,
                                      end_min=s.end_min + 60) for s in r.stops)
    app.session_state[Key.PLAN_DOC] = dataclasses.replace(doc, plan=dataclasses.replace(
        doc.plan, routes=(dataclasses.replace(r, stops=later),)))
    app.run()
    next(b for b in app.button if b.label == f"保存为计划 #{pid} 的新版本").click().run()
    said = " ".join(e.value for e in app.error)
    assert "「重新规划其余走访点」" in said and f"{first}（" in said, said
