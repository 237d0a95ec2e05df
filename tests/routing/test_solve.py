"""Invariants of planned routes on small named instances (times rechecked independently from the matrix)."""

from __future__ import annotations

import dataclasses

import pytest

from planner.errors import InputError
from planner.routing import build_problem, solve
from planner.routing.solve import Callbacks
from tests.routing.conftest import MONDAY, PLAIN, check_plan, team, visit


def test_three_visits_one_team_with_break(pinghe_three):
    plan = solve(pinghe_three, time_limit_s=1, seed=0)
    check_plan(pinghe_three, plan)
    assert plan.planned_visit_ids() == {"山格", "文峰", "坂仔"}
    (route,) = plan.routes
    assert route.break_start_min is not None
    assert plan.status == "feasible"


def test_week_respects_every_constraint_and_gives_reasons(pinghe_week):
    plan = solve(pinghe_week, time_limit_s=2, seed=0)
    check_plan(pinghe_week, plan)
    codes = {u.visit_id: u.reason_code for u in plan.unassigned}
    assert codes["N无专长"] == "no_skill"
    assert codes["E全回避"] == "excluded"
    assert codes["O日期外"] == "deadline_before_start"
    assert codes["U时窗"] == "window_unreachable"
    assert codes["F必访无专长"] == "infeasible_must"
    # Everything else fits in three days for two teams, the must-visit included.
    assert set(codes) == {"N无专长", "E全回避", "O日期外", "U时窗", "F必访无专长"}
    assert "M必访" in plan.planned_visit_ids()


def test_overload_drops_low_priority_first(overloaded_day):
    plan = solve(overloaded_day, time_limit_s=1, seed=0)
    check_plan(overloaded_day, plan)
    assert plan.unassigned, "14 hours of visits cannot fit one day"
    assert {u.reason_code for u in plan.unassigned} == {"capacity"}
    assert {"C0", "C1", "C2"} <= plan.planned_visit_ids(), "priority-5 visits are kept"


def test_must_visit_kept_over_high_priority(overloaded_day):
    visits = [dataclasses.replace(v, must=(v.visit_id == "C13")) for v in overloaded_day.visits]
    problem = build_problem(visits, overloaded_day.teams, start_date=MONDAY, days=1, travel=PLAIN)
    plan = solve(problem, time_limit_s=1, seed=0)
    check_plan(problem, plan)
    assert "C13" in plan.planned_visit_ids()


def test_infeasible_must_is_reported_not_dropped():
    # Three 150-minute must-visits, one team, one 9-hour day with a 90-minute break: only two fit.
    visits = [visit(f"M{i}", 117.33 + 0.01 * i, 24.37, 150, must=True) for i in range(3)]
    problem = build_problem(visits, [team("A")], start_date=MONDAY, days=1, travel=PLAIN)
    plan = solve(problem, time_limit_s=1, seed=0)
    check_plan(problem, plan)
    assert [u.reason_code for u in plan.unassigned] == ["infeasible_must"]


def test_same_seed_same_plan(pinghe_week):
    a = solve(pinghe_week, time_limit_s=30, seed=3, max_solutions=15)
    b = solve(pinghe_week, time_limit_s=30, seed=3, max_solutions=15)
    assert a.runtime_s < 30 and b.runtime_s < 30, "the solution limit, not the clock, ended both searches"
    assert [(r.team_id, r.date, r.visit_ids) for r in a.routes] == [(r.team_id, r.date, r.visit_ids) for r in b.routes]
    assert a.unassigned == b.unassigned


def test_locked_visits_keep_team_day_and_order(pinghe_week):
    first = solve(pinghe_week, time_limit_s=1, seed=0)
    route = max(first.routes, key=lambda r: len(r.stops))
    keep = route.visit_ids[:2]
    visits = [
        dataclasses.replace(v, locked=True, team_id=route.team_id, date=route.date) if v.visit_id in keep else v
        for v in pinghe_week.visits
    ]
    problem = build_problem(visits, pinghe_week.teams, start_date=MONDAY, days=3, travel=PLAIN)
    again = solve(problem, time_limit_s=1, seed=1, previous=first)
    check_plan(problem, again)
    same = again.route_for(route.team_id, route.date)
    assert same is not None
    order = [v for v in same.visit_ids if v in keep]
    assert order == list(keep)


def test_progress_callbacks_reach_one(pinghe_three):
    seen = []

    class Record(Callbacks):
        def on_progress(self, fraction, message):
            seen.append(fraction)

    solve(pinghe_three, time_limit_s=1, callbacks=Record())
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)


def test_time_limit_must_be_positive(pinghe_three):
    with pytest.raises(InputError, match="time_limit_s"):
        solve(pinghe_three, time_limit_s=0)


def test_team_availability_and_pins():
    a = team("A", available_dates=(MONDAY,))
    visits = [visit("P", 117.33, 24.37, 30, date=MONDAY + __import__("datetime").timedelta(days=1), team_id="A")]
    problem = build_problem(visits, [a], start_date=MONDAY, days=2, travel=PLAIN)
    plan = solve(problem, time_limit_s=1)
    (u,) = plan.unassigned
    assert u.reason_code == "team_unavailable"
    assert u.reason.startswith("指定的第A组在指定日期 2026-12-08 不出行（第A组只在 12-07 出行）")
    assert {s.kind for s in u.suggestions} == {"unpin_date", "unpin_team"}


def test_a_visit_no_team_goes_out_for_names_each_team_and_its_days():
    """Walk G: 参加规划的检查组在可走访日期 … 内都不出行 named neither the teams nor the days they do go out."""
    import datetime as dt

    a = team("A", available_dates=(MONDAY,))
    b = team("B", available_dates=(MONDAY + dt.timedelta(days=3),))
    visits = [visit("Q", 117.33, 24.37, 30, earliest_date=MONDAY + dt.timedelta(days=1),
                    latest_date=MONDAY + dt.timedelta(days=2))]
    problem = build_problem(visits, [a, b], start_date=MONDAY, days=4, travel=PLAIN)
    (u,) = solve(problem, time_limit_s=1).unassigned
    assert u.reason_code == "team_unavailable"
    assert "2026-12-08 至 2026-12-09 内都不出行（第A组只在 12-07 出行；第B组只在 12-10 出行）" in u.reason


@pytest.mark.parametrize("seed", [1, 2])
def test_random_week_invariants(seed):
    import datetime as dt
    import random

    from planner.domain import TeamMember

    rng = random.Random(seed)
    teams = [
        team("A", members=(TeamMember("a1", "甲", skills=("林业",)),), max_drive_min=240),
        team("B", base=(117.40, 24.30), members=(TeamMember("b1", "乙"),), max_visits_per_day=3),
        team("C", base=(117.25, 24.45), break_earliest_min=None, break_latest_min=None,
             available_dates=(MONDAY, MONDAY + dt.timedelta(days=2))),
    ]
    visits = []
    for i in range(30):
        kw = {}
        r = rng.random()
        if r < 0.15:
            a = rng.choice((9 * 60, 13 * 60, 14 * 60 + 30))
            kw.update(window_start_min=a, window_end_min=a + 90)
        elif r < 0.25:
            kw.update(skills=("林业",))
        elif r < 0.32:
            kw.update(excluded_members=("a1",))
        elif r < 0.38:
            kw.update(team_id="B")
        elif r < 0.44:
            kw.update(date=MONDAY + dt.timedelta(days=rng.randint(0, 2)))
        elif r < 0.52:
            kw.update(group=f"g{i % 2}")
        elif r < 0.6:
            kw.update(earliest_date=MONDAY + dt.timedelta(days=1))
        visits.append(visit(f"R{i}", 117.22 + rng.random() * 0.3, 24.25 + rng.random() * 0.25,
                            rng.choice((30, 45, 60, 90)), priority=rng.randint(1, 5), must=rng.random() < 0.1, **kw))
    problem = build_problem(visits, teams, start_date=MONDAY, days=3, travel=PLAIN)
    plan = solve(problem, time_limit_s=1, seed=seed)
    check_plan(problem, plan)
    assert plan.status in ("feasible", "optimal")
