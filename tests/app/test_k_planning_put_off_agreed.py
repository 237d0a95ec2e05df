"""AppTest of 路线规划 on a plan with a stop recorded 改期 for an agreed day (walk 1: the leader's opened plan showed
V008 at 12-07 10:16 like any other stop): the stop table marks it 已改期（约定 12-10）, the box above it says a re-plan
moves it, and 重新规划其余走访点 plans it from the agreed day, not the day after the 改期."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from _ui_data import TODAY
from app_steps import open_plan, save_issued_plan
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Visit, VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.store.database import session_scope
from planner.store.plans import load_plan

VISITS = (
    Visit("V1", 117.33, 24.37, 45, label="小溪镇", case_nos=("ZZ1",)),
    Visit("V2", 117.36, 24.38, 45, label="山格镇", case_nos=("ZZ2",)),
    Visit("V3", 117.39, 24.35, 45, label="文峰镇", case_nos=("ZZ3",)),
    Visit("V4", 117.42, 24.33, 45, label="南胜镇", case_nos=("ZZ4",)),
)
AGREED = TODAY + dt.timedelta(days=3)  # Thursday 12-10; the day after the 改期 is Tuesday 12-08


@pytest.fixture()
def put_off(engine, monkeypatch) -> tuple[int, str]:
    """A five-day plan saved on the page on Monday 07:00 (all four stops on Monday, 集中出行), issued; its first stop
    recorded 改期 on Monday, agreed for Thursday: (plan id, that stop)."""
    pid = save_issued_plan(engine, monkeypatch, VISITS, days=5)
    with session_scope(engine) as s:
        route = load_plan(s, pid).plan.route_for("A", TODAY)
        assert route is not None and len(route.stops) == 4, load_plan(s, pid).plan.routes
        first = route.visit_ids[0]
        no = next(v.case_nos[0] for v in VISITS if v.visit_id == first)
        record_outcome(s, VisitOutcome(no, TODAY, "postponed", team_id="A", reason="村里办丧事", put_off_to=AGREED),
                       who="offA", plan_id=pid, today=TODAY)
    return pid, first


def _stops(app: AppTest) -> pd.DataFrame:
    (table,) = [d.value for d in app.dataframe if "走访情况" in d.value.columns]
    return table


def test_the_opened_plan_marks_the_stop_put_off_and_a_replan_plans_it_from_the_day_agreed(put_off) -> None:
    pid, vid = put_off
    app = open_plan(pid, dt.datetime.combine(TODAY, dt.time(15, 0)))
    assert not app.exception and not app.error, [e.value for e in app.error]
    stops = _stops(app)
    marked = stops[stops["走访情况"] != ""]
    assert list(zip(marked["编号"], marked["日期"], marked["走访情况"], strict=True)) == [
        (vid, TODAY.isoformat(), "已改期（约定 12-10）")], stops
    said = " ".join(w.value for w in app.warning)
    assert f"{vid} " in said and "已记录为改期，约定 12-10 再访" in said and "从 12-10 起重新安排" in said, said

    next(b for b in app.button if b.label == "重新规划其余走访点").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    new = app.session_state[Key.PLAN_DOC]
    where = {v: r.date for r in new.plan.routes for v in r.visit_ids}
    assert where[vid] >= AGREED, new.plan.routes  # not Tuesday, the day after the 改期
    said = " ".join(w.value for w in app.warning)
    assert "约定 12-10 再访，重新安排在 12-10 及以后" in said, said
    stops = _stops(app)
    (mark,) = stops.loc[stops["编号"] == vid, "走访情况"]
    assert mark == "改期后重排（约定 12-10）", stops
