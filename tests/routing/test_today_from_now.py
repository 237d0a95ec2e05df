"""M4: a plan whose first day is today starts today's routes from now (rounded up to 5 minutes), not 08:30."""

from __future__ import annotations

import datetime as dt

from planner.routing import build_problem, solve
from planner.routing.problem import PlanOptions, not_before_now
from tests.routing.conftest import MONDAY, PLAIN, check_plan, team, visit

VISITS = [visit("山格", 117.43, 24.37, 30), visit("文峰", 117.375, 24.325, 30), visit("坂仔", 117.27, 24.45, 30)]


def test_now_is_rounded_up_to_five_minutes_and_only_for_today() -> None:
    now = dt.datetime(2026, 12, 7, 14, 31, 10)
    assert not_before_now(MONDAY, now) == ((MONDAY, 14 * 60 + 35),)
    assert not_before_now(MONDAY, dt.datetime(2026, 12, 7, 14, 30)) == ((MONDAY, 14 * 60 + 30),)
    assert not_before_now(MONDAY + dt.timedelta(days=1), now) == ()


def test_todays_routes_leave_after_now_and_later_days_keep_the_shift() -> None:
    options = PlanOptions(not_before=not_before_now(MONDAY, dt.datetime(2026, 12, 7, 14, 31)))
    problem = build_problem(VISITS, [team("A")], start_date=MONDAY, days=2, travel=PLAIN, options=options)
    plan = solve(problem, time_limit_s=2)
    check_plan(problem, plan)
    today = [r for r in plan.routes if r.date == MONDAY and r.stops]
    assert today, "three short visits still fit this afternoon"
    for r in today:
        assert r.depart_min >= 14 * 60 + 35
        assert all(s.arrive_min >= 14 * 60 + 35 for s in r.stops)
        assert r.break_start_min is None  # lunch is long past
    assert problem.days_over() == ()


def test_a_shift_already_over_gets_no_visits_today() -> None:
    options = PlanOptions(not_before=not_before_now(MONDAY, dt.datetime(2026, 12, 7, 17, 40)))
    problem = build_problem(VISITS, [team("A")], start_date=MONDAY, days=2, travel=PLAIN, options=options)
    assert problem.days_over() == (MONDAY,)
    plan = solve(problem, time_limit_s=2)
    assert not [r for r in plan.routes if r.date == MONDAY and r.stops]
    assert {s.visit_id for r in plan.routes for s in r.stops} == {"山格", "文峰", "坂仔"}  # all on Tuesday
