"""Walk W13: 路线规划's 走访情况 column stayed blank for a stop 行程 calls 已完成 (only 部分完成 was carried over), so
the leader could not tell a stop done from one still to visit. It now says what 行程 says (plan_marks)."""

from __future__ import annotations

from planner.field import build_itinerary
from planner.field.day import officer_day, save_stop_outcome
from planner.field.recorded import plan_marks
from planner.followup.put_off import stop_table
from planner.routing.report import route_rows
from planner.store.plans import load_plan
from tests.export.test_day import MONDAY, OFFICER_T1, issued, plan_id, raw  # noqa: F401 (fixtures)


def test_a_stop_done_reads_done_in_the_plans_stop_table(engine, session, plan_id, issued) -> None:  # noqa: F811
    day = officer_day(session, OFFICER_T1, MONDAY)
    it = build_itinerary(load_plan(session, plan_id), "T1", MONDAY)
    stop = it.stops[0]
    for c in stop.cases:
        save_stop_outcome(session, day, c.case_no, result="visited", households=1, leads=0, findings="已入户核实",
                          who="li", actor=OFFICER_T1)
    session.commit()
    marks = plan_marks(session, plan_id, today=MONDAY)
    vid = stop.visit.visit_id
    assert marks[vid] == "已完成"
    doc = load_plan(session, plan_id)
    rows, _box = stop_table(session, doc, route_rows(doc), recorded=marks)
    said = {r["编号"]: r["走访情况"] for r in rows}
    assert said[vid] == marks[vid]
    assert all(not said[s.visit.visit_id] for s in it.stops[1:])  # the others still wait
