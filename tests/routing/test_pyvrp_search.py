"""PyVRP's iterated local search as the plans' first search: its model, and plans that start from it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from planner.domain import TeamMember
from planner.routing import build_problem, pyvrp_adapter, solve
from planner.routing.ortools_adapter import RoutingSpec
from planner.routing.schedule import DayShape
from tests.routing.conftest import MONDAY, PLAIN, check_plan, team, visit


def _line_spec(**kw) -> RoutingSpec:
    """Two vehicles at nodes 0 and 1; visits at nodes 2..7 on a line, 10 minutes apart."""
    pos = np.array([0, 50, 5, 15, 25, 35, 45, 55])
    t = np.abs(pos[:, None] - pos[None, :])
    base = dict(
        time=t, cost=t * 3, depot=[0, 1], shapes=[DayShape(480, 1020)] * 2, visit_node=list(range(2, 8)),
        service=[30] * 6, window=[(480, 1020)] * 6, penalty=[None] * 6, allowed=[None] * 6,
    )
    base.update(kw)
    return RoutingSpec(**base)


def _check(spec: RoutingSpec, routes: list[list[int]]) -> None:
    """Allowed vehicles, windows and shifts of ``routes`` recomputed from the spec."""
    seen = [i for r in routes for i in r]
    assert len(seen) == len(set(seen)), "each visit at most once"
    for k, r in enumerate(routes):
        at, t = spec.depot[k], spec.shapes[k].shift_start
        for i in r:
            assert spec.allowed[i] is None or k in spec.allowed[i], f"visit {i} on vehicle {k}"
            t = max(t + int(spec.time[at, spec.visit_node[i]]), spec.window[i][0])
            assert t <= spec.window[i][1], f"visit {i} starts {t} after its window"
            t += spec.service[i]
            at = spec.visit_node[i]
        assert t + int(spec.time[at, spec.depot[k]]) <= spec.shapes[k].shift_end


def test_allowed_vehicles_windows_and_required_visits_hold():
    # Visit 5 (node 7, next to vehicle 1's base) may only go with vehicle 0; visit 0 must start by 08:10.
    spec = _line_spec(allowed=[None, None, None, None, None, [0]], window=[(480, 490)] + [(480, 1020)] * 5)
    res = pyvrp_adapter.solve_pyvrp(spec, 0.5, seed=1)
    assert res is not None and res.feasible
    _check(spec, res.routes)
    assert sorted(i for r in res.routes for i in r) == list(range(6)), "every required visit is routed"
    assert 5 in res.routes[0]


def test_unreachable_optional_visit_is_left_out_and_cost_counts_its_prize():
    # Visit 2's window closes before anyone can get there; the other visits fit easily.
    spec = _line_spec(window=[(480, 1020), (480, 1020), (480, 481)] + [(480, 1020)] * 3, penalty=[10_000] * 6)
    res = pyvrp_adapter.solve_pyvrp(spec, 0.5, seed=1)
    assert res is not None
    _check(spec, res.routes)
    routed = {i for r in res.routes for i in r}
    assert routed == {0, 1, 3, 4, 5}
    travel = sum(int(spec.cost[a, b]) for k, r in enumerate(res.routes) if r
                 for a, b in zip([spec.depot[k]] + [spec.visit_node[i] for i in r],
                                 [spec.visit_node[i] for i in r] + [spec.depot[k]], strict=True))
    assert res.cost == travel + 10_000


def test_fixed_cost_fills_one_vehicle_before_opening_another():
    spec = _line_spec(depot=[0, 0], fixed_cost=[100_000, 100_000])
    res = pyvrp_adapter.solve_pyvrp(spec, 0.5, seed=1)
    assert res is not None
    _check(spec, res.routes)
    assert sum(1 for r in res.routes if r) == 1, "six 30-minute visits fit one day: one vehicle"
    without = pyvrp_adapter.solve_pyvrp(_line_spec(depot=[0, 0], service=[100] * 6), 0.5, seed=1)
    assert without is not None and sum(1 for r in without.routes if r) == 2, "10 hours of visits need two days"


@pytest.mark.parametrize(("change", "word"), [
    ({"shapes": [DayShape(480, 1020, 690, 750, 60)] * 2}, "午休"),
    ({"groups": [[0, 1]]}, "同日走访组"),
    ({"order_pairs": [(0, 1)]}, "锁定顺序"),
    ({"shapes": [DayShape(480, 1020, max_drive_min=120)] * 2}, "每日驾驶上限"),
    ({"balance_end": [700, 700], "balance_coeff": 5}, "均衡"),
])
def test_what_pyvrp_cannot_model_is_named_and_refused(change, word):
    spec = _line_spec(**change)
    assert pyvrp_adapter.supported(spec) == word
    with pytest.raises(ValueError, match=word):
        pyvrp_adapter.solve_pyvrp(spec, 0.1)
    assert pyvrp_adapter.supported(_line_spec()) is None


def _week():
    teams = [
        team("A", members=(TeamMember("a1", "甲", skills=("林业",)),), max_drive_min=300),
        team("B", base=(117.40, 24.30), max_visits_per_day=4),
    ]
    pts = [(117.43, 24.37), (117.375, 24.325), (117.27, 24.45), (117.25, 24.28), (117.33, 24.40),
           (117.40, 24.30), (117.29, 24.33), (117.45, 24.42), (117.35, 24.46), (117.31, 24.25),
           (117.38, 24.39), (117.26, 24.36)]
    visits = [visit(f"V{i}", lon, lat, 60, priority=1 + i % 5) for i, (lon, lat) in enumerate(pts)]
    visits[0] = dataclasses.replace(visits[0], skills=("林业",))
    visits[1] = dataclasses.replace(visits[1], group="g1")
    visits[2] = dataclasses.replace(visits[2], group="g1")
    visits[3] = dataclasses.replace(visits[3], window_start_min=14 * 60, window_end_min=15 * 60)
    visits[4] = dataclasses.replace(visits[4], date=MONDAY + dt.timedelta(days=1), team_id="B")
    return build_problem(visits, teams, start_date=MONDAY, days=3, travel=PLAIN)


def test_plan_starts_from_pyvrp_and_keeps_every_office_rule(monkeypatch):
    calls = []
    real = pyvrp_adapter.solve_pyvrp

    def spy(spec, limit, **kw):
        calls.append(len(spec.visit_node))
        return real(spec, limit, **kw)

    monkeypatch.setattr(pyvrp_adapter, "solve_pyvrp", spy)
    problem = _week()
    plan = solve(problem, time_limit_s=2, seed=0)
    check_plan(problem, plan)
    assert calls == [10], "PyVRP searched the visits outside the same-day group"
    assert not plan.unassigned
    days = {(r.team_id, r.date) for r in plan.routes for s in r.stops if s.visit_id in ("V1", "V2")}
    assert len(days) == 1, "the same-day group, set aside for PyVRP, is inserted as one block"
    forestry = next(r for r in plan.routes if "V0" in r.visit_ids)
    assert forestry.team_id == "A"
    pinned = next(r for r in plan.routes if "V4" in r.visit_ids)
    assert (pinned.team_id, pinned.date) == ("B", MONDAY + dt.timedelta(days=1))


def test_balance_policy_and_ortools_option_do_not_use_pyvrp(monkeypatch):
    calls = []
    monkeypatch.setattr(pyvrp_adapter, "solve_pyvrp", lambda *a, **k: calls.append(1))
    problem = _week()
    plan = solve(problem, time_limit_s=1, seed=0, search="ortools")
    check_plan(problem, plan)
    balanced = build_problem(problem.visits, problem.teams, start_date=MONDAY, days=3, travel=PLAIN,
                             options=dataclasses.replace(problem.options, policy="balanced"))
    assert balanced.options.balance_coeff > 0, "均衡 sets a balance target"
    check_plan(balanced, solve(balanced, time_limit_s=1, seed=0))
    assert calls == []


def test_repair_drops_what_loses_least_never_a_must_visit_first():
    """An over-full day repaired by the exact scheduler: the far 必访 visit saves the most travel when removed,
    yet it stays; the cheaper optional visits go (320 visits x 8 teams lost must visits this way)."""
    import importlib

    from planner.routing.schedule import INF, quick_check

    solve_mod = importlib.import_module("planner.routing.solve")
    visits = [visit(f"C{i}", 117.30 + 0.01 * i, 24.30, 60) for i in range(10)]
    visits.append(visit("M远", 117.52, 24.40, 60, must=True))
    problem = build_problem(visits, [team("A")], start_date=MONDAY, days=1, travel=PLAIN)
    vehicles = problem.vehicles()
    route = list(range(len(visits)))
    penalties = [10**9 if v.must else 1_000 for v in problem.visits]
    (kept,) = solve_mod._repair(problem, vehicles, [list(route)], penalties)
    shape = solve_mod.day_shape(vehicles[0])
    specs = [solve_mod.stop_spec(problem, i) for i in kept]
    assert quick_check(specs, vehicles[0].depot, problem.travel_min(), shape) < INF
    assert 10 in kept, "the must visit is kept"
    assert len(kept) >= 5
    (blind,) = solve_mod._repair(problem, vehicles, [list(route)])
    assert 10 not in blind, "without penalties the far visit is the first to go (the case this guards)"


def test_progress_moves_while_pyvrp_searches():
    """The progress bar must not stand still for the seconds PyVRP searches (it did before its callbacks)."""
    from planner.routing.solve import Callbacks

    class Seen(Callbacks):
        def __init__(self) -> None:
            self.fractions: list[float] = []

        def on_progress(self, fraction: float, message: str) -> None:
            self.fractions.append(fraction)

    problem = _week()
    seen = Seen()
    solve(problem, time_limit_s=2, seed=0, callbacks=seen)
    during = [f for f in seen.fractions if 0.1 < f < 0.65]  # PyVRP has the first 70 % of the time
    assert len(during) >= 3, seen.fractions
    assert seen.fractions == sorted(seen.fractions) and seen.fractions[-1] == 1.0


def test_replan_with_locked_visits_in_order_is_left_to_ortools(monkeypatch):
    """Locked visits keep their order; inserted one by one after PyVRP they could lose it, so OR-Tools plans."""
    from tests.routing.conftest import make_pinghe_week

    week = make_pinghe_week()
    first = solve(week, time_limit_s=1, seed=0)
    route = max(first.routes, key=lambda r: len(r.stops))
    keep = route.visit_ids[:2]
    visits = [dataclasses.replace(v, locked=True, team_id=route.team_id, date=route.date)
              if v.visit_id in keep else v for v in week.visits]
    problem = build_problem(visits, week.teams, start_date=MONDAY, days=3, travel=PLAIN)
    calls = []
    real = pyvrp_adapter.solve_pyvrp
    monkeypatch.setattr(pyvrp_adapter, "solve_pyvrp", lambda *a, **k: calls.append(1) or real(*a, **k))
    again = solve(problem, time_limit_s=1, seed=0, previous=first)
    check_plan(problem, again)
    assert calls == []
    same = next(r for r in again.routes if (r.team_id, r.date) == (route.team_id, route.date))
    assert [v for v in same.visit_ids if v in keep] == list(keep)
    # Without locks the same week does go through PyVRP.
    solve(week, time_limit_s=1, seed=0)
    assert calls == [1]


def test_repair_reorders_a_day_whose_long_visit_straddles_the_lunch_break():
    """PyVRP plans without the lunch break: a 150-minute visit second in the day runs past the break's latest
    start and the day is infeasible as ordered, yet feasible with that visit first. The repair reorders instead
    of dropping a stop (on 80 visits x 5 teams it had dropped two, and the plan needed a 20th team-day)."""
    import importlib

    from planner.routing.schedule import INF, quick_check
    from tests.routing.conftest import PINGHE_BASE

    solve_mod = importlib.import_module("planner.routing.solve")
    lon, lat = PINGHE_BASE
    visits = [visit("A", lon + 0.02, lat, 90), visit("B", lon + 0.04, lat, 150),
              visit("C", lon + 0.02, lat + 0.02, 120)]
    problem = build_problem(visits, [team("T")], start_date=MONDAY, days=1, travel=PLAIN)
    vehicles = problem.vehicles()
    shape = solve_mod.day_shape(vehicles[0])
    depot, travel = vehicles[0].depot, problem.travel_min()

    def ret(seq):
        return quick_check([solve_mod.stop_spec(problem, i) for i in seq], depot, travel, shape)

    assert shape.has_break
    assert ret([0, 1, 2]) >= INF, "the order as PyVRP gave it breaks the lunch rule"
    (kept,) = solve_mod._repair(problem, vehicles, [[0, 1, 2]], [1_000] * 3)
    assert sorted(kept) == [0, 1, 2], "no stop dropped"
    assert ret(kept) < INF


def test_refit_puts_a_dropped_stop_into_a_used_day_by_moving_one_of_its_stops():
    """A stop the repair dropped fits a used day at no position of its current order, but does once a stop of
    that day moves: the refit places it there rather than leave it to open a new day."""
    import importlib
    import itertools

    from planner.routing.schedule import INF, quick_check
    from tests.routing.conftest import PINGHE_BASE

    solve_mod = importlib.import_module("planner.routing.solve")
    lon, lat = PINGHE_BASE
    spots = [(-0.05, 0.0, 120), (0.07, -0.03, 60), (-0.03, -0.03, 90), (0.05, 0.02, 120)]
    visits = [visit(f"V{j}", lon + dx, lat + dy, service) for j, (dx, dy, service) in enumerate(spots)]
    problem = build_problem(visits, [team("T")], start_date=MONDAY, days=1, travel=PLAIN)
    vehicles = problem.vehicles()
    shape = solve_mod.day_shape(vehicles[0])
    depot, travel = vehicles[0].depot, problem.travel_min()

    def ok(seq):
        return quick_check([solve_mod.stop_spec(problem, i) for i in seq], depot, travel, shape) < INF

    day = [0, 1, 2]
    assert ok(day)
    assert not any(ok([*day[:p], 3, *day[p:]]) for p in range(4)), "no plain insertion fits"
    (refit,) = solve_mod._refit(problem, vehicles, [list(day)], {3}, [[0]] * 4, [1_000] * 4)
    assert sorted(refit) == [0, 1, 2, 3]
    assert ok(refit)
    cost = problem.arc_cost()

    def length(seq):
        nodes = [depot] + [problem.visit_node(i) for i in seq] + [depot]
        return sum(int(cost[a, b]) for a, b in itertools.pairwise(nodes))

    feasible = [list(p) for p in itertools.permutations(range(4)) if ok(list(p))]
    assert length(refit) <= max(length(p) for p in feasible)
    (unused,) = solve_mod._refit(problem, vehicles, [[]], {3}, [[0]] * 4, [1_000] * 4)
    assert unused == [], "an unused day is not opened by the refit"
