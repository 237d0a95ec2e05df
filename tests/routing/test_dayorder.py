"""Walk I: an overdue letter (必访) was planned on day 3 of a week whose days 1 and 2 went to routine letters; the
search is indifferent to which of a team's days gets which route. The urgent route now takes the earliest day,
at no cost, and dates and today's late start still hold."""

from __future__ import annotations

import datetime as dt

from planner.routing import build_problem, solve
from planner.routing.dayorder import urgent_first
from planner.routing.problem import Vehicle
from tests.routing.conftest import MONDAY, PLAIN, check_plan, team, visit

DAYS = [MONDAY + dt.timedelta(days=d) for d in range(3)]


def _week(**overdue):
    # Three clusters a full day each around 平和; the 必访 visit sits with the third.
    visits = []
    for c, (lon, lat) in enumerate([(117.20, 24.25), (117.45, 24.45), (117.60, 24.20)]):
        for j in range(5):
            visits.append(visit(f"C{c}{j}", lon + 0.01 * j, lat, 75, priority=2))
    visits.append(visit("超期", 117.605, 24.205, 60, must=True, **overdue))
    return visits


def test_the_route_with_the_must_visit_goes_on_the_first_day_the_team_uses():
    problem = build_problem(_week(), [team("A")], start_date=MONDAY, days=3, travel=PLAIN)
    plan = solve(problem, time_limit_s=2, seed=0)
    check_plan(problem, plan)
    used = sorted(r.date for r in plan.routes)
    day = next(r.date for r in plan.routes if "超期" in r.visit_ids)
    assert day == used[0]


def test_a_date_the_swap_would_break_keeps_the_order():
    visits = [visit("R", 117.3, 24.3, 60, latest_date=DAYS[0]), visit("M", 117.4, 24.4, 60, must=True)]
    vehicles = [Vehicle(k, team("A"), d, 0) for k, d in enumerate(DAYS[:2])]
    # R is due on day 1 and may not move to day 2, so the must visit M stays on day 2.
    assert urgent_first(vehicles, [[0], [1]], visits, lambda k, r: True) == [[0], [1]]
    assert urgent_first(vehicles, [[], [1]], visits, lambda k, r: True) == [[], [1]], "one day used: nothing to do"
    # Without that date the must visit comes first.
    free = [visit("R", 117.3, 24.3, 60), visits[1]]
    assert urgent_first(vehicles, [[0], [1]], free, lambda k, r: True) == [[1], [0]]
    # A route that does not fit the earlier day (today, started late) stays where it is.
    assert urgent_first(vehicles, [[0], [1]], free, lambda k, r: not (k == 0 and r == [1])) == [[0], [1]]


def test_earliest_deadline_then_priority_then_the_date():
    soon = visit("S", 117.3, 24.3, 60, latest_date=DAYS[2])
    late = visit("L", 117.3, 24.3, 60, latest_date=DAYS[2] + dt.timedelta(days=5), priority=5)
    plain = visit("P", 117.3, 24.3, 60, priority=5)
    vehicles = [Vehicle(k, team("A"), d, 0) for k, d in enumerate(DAYS)]
    out = urgent_first(vehicles, [[2], [1], [0]], [soon, late, plain], lambda k, r: True)
    assert out == [[0], [1], [2]]
    locked = [soon, late, visit("P", 117.3, 24.3, 60, locked=True, team_id="A", date=DAYS[0])]
    # The locked visit's day keeps its route; the team's other two days are still ordered (walk W26).
    assert urgent_first(vehicles, [[2], [1], [0]], locked, lambda k, r: True) == [[2], [0], [1]]


def test_an_overdue_must_visit_goes_before_a_must_visit_due_tomorrow():
    """Walk J: after 设为必访 for a visit due on day 2, the overdue letter (必访, its passed deadline dropped by 选件)
    moved to day 2 behind it. The overdue one goes first; the other still meets its deadline on day 2."""
    due = visit("D", 117.3, 24.3, 60, must=True, latest_date=DAYS[1])
    overdue = visit("O", 117.4, 24.4, 60, must=True)
    vehicles = [Vehicle(k, team("A"), d, 0) for k, d in enumerate(DAYS[:2])]
    assert urgent_first(vehicles, [[0], [1]], [due, overdue], lambda k, r: True) == [[1], [0]]
    # Due on day 1 itself, it may not move: the overdue letter waits (the deadline is a constraint).
    today_due = visit("D", 117.3, 24.3, 60, must=True, latest_date=DAYS[0])
    assert urgent_first(vehicles, [[0], [1]], [today_due, overdue], lambda k, r: True) == [[0], [1]]
