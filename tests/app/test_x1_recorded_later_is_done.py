"""A stop whose letters' outcome was recorded in 回访跟踪 — dated the day the visit was really made (a later day), or
by another team — is done on 行程 too, as 首页's and 行程's 待登记 notices and 回访跟踪's 今日与回访 already took it:
before, 行程 kept it 待登记 with an open form while the notices no longer named it. One rule for all of them
(planner.field.day_state.day_state)."""

from __future__ import annotations

import datetime as dt

from planner.domain import VisitOutcome, VisitResult
from planner.field import build_itinerary
from planner.field.day_state import day_state
from planner.field.late_days import late_days
from planner.field.recorded import with_outcomes
from planner.followup.outcomes import record_outcome
from planner.store.database import session_scope
from planner.store.plans import load_plan
from tests.app.test_fh_w26_yesterday_unrecorded import (
    DAY1,
    DAY2,
    LEADER_T1,
    OFFICER_T1,
    _page,
    _saved,
    _stops,
    _warnings,
)


def _in_followup(engine, case_nos, *, day: dt.date, team: str, result=VisitResult.VISITED) -> None:
    """Recorded as 回访跟踪 records it: the day and the team the officer chose there."""
    with session_scope(engine) as s:
        for no in case_nos:
            record_outcome(
                s,
                VisitOutcome(
                    case_no=no,
                    visit_date=day,
                    result=result,
                    team_id=team,
                    findings="补走访，已入户核实",
                    reason="" if result is VisitResult.VISITED else "信访人外出",
                ),
                who="li",
                today=DAY2,
            )


def _itinerary_day1(actor, plan_id: int):
    at = _page("itinerary.py", actor)
    at.query_params.update({"plan": str(plan_id), "team": "T1", "day": DAY1.isoformat()})
    at.run()
    assert not at.exception
    assert at.session_state["itinerary_date"] == DAY1
    return at


def test_a_stop_recorded_later_in_followup_is_done_on_the_itinerary_too(engine, monkeypatch) -> None:
    plan_id = _saved(engine, monkeypatch)
    stops = _stops(plan_id, engine, "T1", DAY1)
    _in_followup(engine, stops[0], day=DAY2, team="T1")  # stop 1 of 12-07, entered with the day it was made
    at = _itinerary_day1(LEADER_T1, plan_id)
    heads = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert any(h.startswith("### 待登记：2. ") for h in heads), heads  # the first stop still waiting is stop 2
    assert not any(h.startswith("### 待登记：1. ") for h in heads), heads
    said = [s.value for s in at.success]
    assert any("已登记 12-08 的走访结果（已走访），本站无需再走访此件" in s for s in said), said
    notice = [w for w in _warnings(at) if "未登记结果" in w]
    assert notice and "还有 5 个走访点未登记结果：2. " in notice[0], notice  # 行程 and its notice agree
    with session_scope(engine) as s:
        (late,) = late_days(s, OFFICER_T1, DAY2)
        assert [st.seq for st in late.stops] == [2, 3, 4, 5, 6]
        doc = load_plan(s, plan_id)
        it = build_itinerary(doc, "T1", DAY1)
        view = day_state(s, it, plan_id=plan_id, actor=OFFICER_T1).view()
        assert [c.seq for c in view.stops if c.done] == [1]
        assert view.progress_text().startswith("已完成 1 · 待走访 5")
        (sheet,) = with_outcomes([it], s, plan_id)  # the day's Excel, PDF and map say the same
        assert [st.outcome for st in sheet.stops][:2] == ["已完成", ""]
        assert sheet.stops[0].recorded is not None and sheet.stops[1].recorded is None
    home = _page("home.py", LEADER_T1)
    home.run()
    assert not home.exception
    assert any("还有 5 个走访点未登记结果：2. " in w for w in _warnings(home)), _warnings(home)


def test_a_stop_another_team_recorded_that_day_is_done_and_a_put_off_reads_so(engine, monkeypatch) -> None:
    plan_id = _saved(engine, monkeypatch)
    stops = _stops(plan_id, engine, "T1", DAY1)
    _in_followup(engine, stops[0], day=DAY1, team="T2")  # the other team called there the same day
    _in_followup(engine, stops[1], day=DAY2, team="T1", result=VisitResult.POSTPONED)
    with session_scope(engine) as s:
        doc = load_plan(s, plan_id)
        it = build_itinerary(doc, "T1", DAY1)
        state = day_state(s, it, plan_id=plan_id, team_names={"T2": "第二检查组"})
        view = state.view()
        assert [c.seq for c in view.stops if c.done] == [1, 2]
        assert state.records == {}  # the forms of 12-07 still edit 12-07's records only
        assert "已登记 第二检查组 的走访结果" in view.stops[0].cases[0].closed
        assert "改期 1" in view.progress_text()
        (sheet,) = with_outcomes([it], s, plan_id)
        assert [st.outcome for st in sheet.stops][:3] == ["已完成", "已改期", ""]
        (late,) = late_days(s, OFFICER_T1, DAY2)
        assert [st.seq for st in late.stops] == [3, 4, 5, 6]
