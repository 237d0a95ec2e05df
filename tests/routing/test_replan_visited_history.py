"""A running plan's visited stops are history: a new version keeps their team, day, order and times (browser walk:
stop 1, visited at 08:47, became stop 4 at 14:53 and was saved)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from planner.domain import Team, Visit
from planner.errors import InputError
from planner.routing.history import done_parts, moved_visited
from planner.routing.problem import PlanOptions, build_problem
from planner.routing.reorder import retime
from planner.routing.report import plan_document
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import kept_history, open_plan, resave_plan, save_plan
from planner.store.teams import save_team

MONDAY = dt.date(2026, 12, 7)
TEAM = Team("T1", "第一检查组", 117.313, 24.363)
#: Four stops around 平和 for one team on one day.
VISITS = (
    Visit("V1", 117.33, 24.37, 45, case_nos=("ZZ1",), label="小溪镇"),
    Visit("V2", 117.36, 24.38, 45, case_nos=("ZZ2",), label="山格镇"),
    Visit("V3", 117.39, 24.35, 45, case_nos=("ZZ3",), label="文峰镇"),
    Visit("V4", 117.42, 24.33, 45, case_nos=("ZZ4",), label="南胜镇"),
)


@pytest.fixture()
def running(session) -> tuple[int, str]:
    """A saved, issued plan of VISITS on one day, with a result recorded for its first stop; (plan id, that stop)."""
    save_team(session, TEAM)
    for v in VISITS:
        session.add(CaseRow(case_no=v.case_nos[0], received_date=dt.date(2026, 11, 1),
                            deadline=dt.date(2026, 12, 31), status="registered"))
    session.flush()
    doc = plan_document(list(VISITS), [TEAM], start_date=MONDAY, days=1, time_limit_s=1.0)
    (route,) = doc.plan.routes
    assert len(route.stops) == 4
    pid = save_plan(session, doc, name="平和", who="lead")
    set_plan_status(session, pid, PlanStatus.ISSUED, who="lead")
    first = route.stops[0].visit_id
    case = session.query(CaseRow).filter_by(case_no=doc.visits[first].case_nos[0]).one()
    session.add(VisitOutcomeRow(case_id=case.id, plan_id=pid, team_id="T1", visit_date=MONDAY, result="visited",
                                recorded_by="officer"))
    session.flush()
    return pid, first


def _moved_to_last(doc, vid: str):
    """``doc`` with stop ``vid`` moved to the end of its route and the day timed again (same team and date)."""
    (route,) = doc.plan.routes
    order = [v for v in route.visit_ids if v != vid] + [vid]
    problem = build_problem([dataclasses.replace(v, locked=False) for v in doc.visits.values()],
                            list(doc.teams.values()), start_date=MONDAY, days=1)
    new_route, _ = retime(problem, route.team_id, route.date, order)
    return dataclasses.replace(doc, plan=dataclasses.replace(doc.plan, routes=(new_route,)))


def test_a_visited_stop_moved_to_position_4_on_the_same_day_is_refused(session, running) -> None:
    pid, first = running
    opened = open_plan(session, pid)
    moved = _moved_to_last(opened.doc, first)
    (route,) = moved.plan.routes
    assert route.visit_ids[3] == first and (route.team_id, route.date) == ("T1", MONDAY)  # same team and day
    said = rf"已记录结果的走访点.*{first}（ZZ\d，12-07 已记录结果：时间 .* 改为 .*）"
    with pytest.raises(InputError, match=said) as no:
        resave_plan(session, pid, moved, who="lead", expected_version=opened.version)
    assert "「重新规划其余走访点」" in str(no.value)


def test_a_visited_stop_at_other_times_is_refused(session, running) -> None:
    pid, _ = running
    opened = open_plan(session, pid)
    (route,) = opened.doc.plan.routes
    later = tuple(dataclasses.replace(s, arrive_min=s.arrive_min + 30, start_min=s.start_min + 30,
                                      end_min=s.end_min + 30) for s in route.stops)
    shifted = dataclasses.replace(opened.doc, plan=dataclasses.replace(
        opened.doc.plan, routes=(dataclasses.replace(route, stops=later),)))
    with pytest.raises(InputError, match="重新规划其余走访点"):
        resave_plan(session, pid, shifted, who="lead", expected_version=opened.version)


def test_the_same_team_day_and_times_save(session, running) -> None:
    pid, _ = running
    opened = open_plan(session, pid)
    resave_plan(session, pid, opened.doc, who="lead", expected_version=opened.version)


def test_a_replan_from_the_afternoon_keeps_the_visited_morning(session, running) -> None:
    """Re-planned at 15:00 on the day itself (nobody leaves before 15:00): stop 1 stays stop 1 at its time; the
    rest is planned after it, and the new version saves."""
    pid, first = running
    opened = open_plan(session, pid)
    (old,) = opened.doc.plan.routes
    kept = kept_history(session, pid)
    assert [p.stops for p in kept] == [old.stops[:1]]
    new = plan_document(list(opened.doc.visits.values()), [TEAM], start_date=MONDAY, days=2, time_limit_s=1.0,
                        previous=opened.doc, kept=kept,
                        options=PlanOptions(not_before=((MONDAY, 15 * 60),), today=MONDAY))
    assert moved_visited(old_plan := opened.doc.plan, new.plan, {first}) == {}, new.plan.routes
    monday = new.plan.route_for("T1", MONDAY)
    assert monday.stops[0] == old.stops[0]
    assert all(s.arrive_min >= old.stops[0].end_min for s in monday.stops[1:])
    # every visit once: on a route or left out
    routed = [v for r in new.plan.routes for v in r.visit_ids]
    assert sorted(routed + [u.visit_id for u in new.plan.unassigned]) == sorted(v.visit_id for v in VISITS)
    assert new.plan.start_date == MONDAY and old_plan.start_date == MONDAY
    resave_plan(session, pid, new, who="lead", expected_version=opened.version)


def test_a_replan_from_a_later_day_keeps_the_visited_day(session, running) -> None:
    """开始规划 from Tuesday on a plan visited on Monday: Monday's visited part stays, the plan's dates take it in."""
    pid, first = running
    opened = open_plan(session, pid)
    kept = kept_history(session, pid)
    tuesday = MONDAY + dt.timedelta(days=1)
    new = plan_document(list(opened.doc.visits.values()), [TEAM], start_date=tuesday, days=1, time_limit_s=1.0,
                        kept=kept)
    assert moved_visited(opened.doc.plan, new.plan, {first}) == {}
    assert (new.plan.start_date, new.plan.days) == (MONDAY, 2)
    assert [r.visit_ids for r in new.plan.routes if r.date == MONDAY] == [(first,)]
    resave_plan(session, pid, new, who="lead", expected_version=opened.version)


def test_done_parts_keep_the_visited_stops_and_those_locked_before_the_last_of_them() -> None:
    doc = plan_document(list(VISITS), [TEAM], start_date=MONDAY, days=1, time_limit_s=1.0)
    (route,) = doc.plan.routes
    _, b, c, d = route.visit_ids
    (part,) = done_parts(doc, {c})
    assert part.stops == (route.stops[2],) and [v.visit_id for v in part.visits] == [c]
    (part,) = done_parts(doc, {c}, locked={b, d})  # d comes after the last visited stop: the solver keeps its lock
    assert part.stops == route.stops[1:3] and all(v.locked for v in part.visits)


def test_a_stop_passed_by_before_the_visited_one_is_planned_again(session, running) -> None:
    """Stop 2 visited, stop 1 passed by (no result, not locked): stop 1 goes elsewhere or after stop 2; stop 2
    keeps its times, its leg now from the base."""
    pid, first = running
    opened = open_plan(session, pid)
    (old,) = opened.doc.plan.routes
    second = old.visit_ids[1]
    case = session.query(CaseRow).filter_by(case_no=opened.doc.visits[second].case_nos[0]).one()
    session.add(VisitOutcomeRow(case_id=case.id, plan_id=pid, team_id="T1", visit_date=MONDAY, result="visited",
                                recorded_by="officer"))
    session.query(VisitOutcomeRow).filter(VisitOutcomeRow.case_id != case.id).delete()
    session.flush()
    new = plan_document(list(opened.doc.visits.values()), [TEAM], start_date=MONDAY, days=2, time_limit_s=1.0,
                        previous=opened.doc, kept=kept_history(session, pid),
                        options=PlanOptions(not_before=((MONDAY, 13 * 60),), today=MONDAY))
    monday = new.plan.route_for("T1", MONDAY)
    assert monday.visit_ids[0] == second and first not in monday.visit_ids[:1]
    kept = monday.stops[0]
    assert (kept.arrive_min, kept.start_min, kept.end_min) == (old.stops[1].arrive_min, old.stops[1].start_min,
                                                              old.stops[1].end_min)
    assert kept.travel_s != old.stops[1].travel_s  # from the base now, not from stop 1
    assert first in new.plan.planned_visit_ids() | {u.visit_id for u in new.plan.unassigned}
    assert moved_visited(opened.doc.plan, new.plan, {second}) == {}
    resave_plan(session, pid, new, who="lead", expected_version=opened.version)


def test_stops_after_the_visited_ones_go_on_from_the_last_of_them_not_before_now(session, running) -> None:
    """Re-planned at 10:00 on the day: the rest of the day leaves the last visited stop, at 10:00 at the earliest
    (the solver timed it from the base, later)."""
    pid, first = running
    opened = open_plan(session, pid)
    (old,) = opened.doc.plan.routes
    new = plan_document(list(opened.doc.visits.values()), [TEAM], start_date=MONDAY, days=1, time_limit_s=1.0,
                        previous=opened.doc, kept=kept_history(session, pid),
                        options=PlanOptions(not_before=((MONDAY, 10 * 60),), today=MONDAY))
    (route,) = new.plan.routes
    assert route.stops[0] == old.stops[0] and len(route.stops) == 4
    nxt = route.stops[1]
    assert nxt.arrive_min >= 10 * 60
    problem = build_problem([dataclasses.replace(v, locked=False) for v in new.visits.values()], [TEAM],
                            start_date=MONDAY, days=1)
    leg_min = -(-nxt.travel_s // 60)
    assert nxt.arrive_min == max(old.stops[0].end_min, 10 * 60) + leg_min, (nxt, leg_min)
    ix = problem.matrix.index()
    assert nxt.travel_s == int(problem.matrix.travel_s[ix[first], ix[nxt.visit_id]])
