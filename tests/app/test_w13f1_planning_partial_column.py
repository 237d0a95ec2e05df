"""AppTest of 路线规划 on an issued plan whose first stop's letters were recorded differently (walk W13): 行程 said
部分完成：已走访 1 · 未找到 1 · 改期 1，约定 12-10, the leader's stop table named only the letter put off
(ZZ6 已改期（约定 12-10）). Its 走访情况 column now says what 行程 says."""

from __future__ import annotations

import datetime as dt

import pytest
from _ui_data import TODAY
from app_steps import open_plan, save_issued_plan

from planner.domain import Visit, VisitOutcome
from planner.field import build_itinerary
from planner.field.recorded import with_outcomes
from planner.followup.outcomes import record_outcome
from planner.store.database import session_scope
from planner.store.plans import load_plan

VISITS = (
    Visit("V1", 117.33, 24.37, 45, label="隆庆村", case_nos=("ZZ1", "ZZ5", "ZZ6")),
    Visit("V2", 117.36, 24.38, 45, label="山格镇", case_nos=("ZZ2",)),
    Visit("V3", 117.39, 24.35, 45, label="文峰镇", case_nos=("ZZ3",)),
)
AGREED = TODAY + dt.timedelta(days=3)
RESULTS = {"ZZ1": ("visited", ""), "ZZ5": ("not_found", "信访人外出务工"), "ZZ6": ("postponed", "村里办丧事")}


@pytest.fixture()
def mixed(engine, monkeypatch) -> int:
    """A plan saved on the page on Monday 07:00 and issued; at 隆庆村 that day ZZ1 was 已走访, ZZ5 未找到 and ZZ6 改期
    to Thursday: the plan's id."""
    pid = save_issued_plan(engine, monkeypatch, VISITS, days=3)
    with session_scope(engine) as s:
        assert "V1" in load_plan(s, pid).plan.route_for("A", TODAY).visit_ids
        for no, (result, why) in RESULTS.items():
            record_outcome(s, VisitOutcome(no, TODAY, result, team_id="A", reason=why,
                                           put_off_to=AGREED if result == "postponed" else None),
                           who="offA", plan_id=pid, today=TODAY)
    return pid


def test_the_stop_table_says_partly_done_with_the_counts_as_the_day_does(engine, mixed) -> None:
    app = open_plan(mixed, dt.datetime.combine(TODAY, dt.time(15, 0)))
    assert not app.exception and not app.error, [e.value for e in app.error]
    (stops,) = [d.value for d in app.dataframe if "走访情况" in d.value.columns]
    marked = stops[stops["走访情况"] != ""]
    with session_scope(engine) as s:  # what 行程 and the day's files say of the stop
        doc = load_plan(s, mixed)
        (day,) = with_outcomes([build_itinerary(doc, "A", TODAY)], s, mixed)
        said = next(st.outcome for st in day.stops if st.visit.visit_id == "V1")
    assert said == f"部分完成：已走访 1 · 未找到 1 · 改期 1，约定 {AGREED:%m-%d}"
    assert list(zip(marked["编号"], marked["走访情况"], strict=True)) == [("V1", said)], stops
    # The letters not met stay listed to be seen again (待再访), each by its number.
    (again,) = [d.value for d in app.dataframe if "记录" in d.value.columns]
    assert sorted(again["信访件"]) == ["ZZ5", "ZZ6"], again
