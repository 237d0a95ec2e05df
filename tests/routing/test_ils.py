"""The iterated local search (SISR ruin-and-recreate) ends within its time limit on tiny and degenerate plans.

OR-Tools' ruin procedures draw their seed visit from the model indices 0..Size()-vehicles() until it is a
performed visit; with the depots numbered before the visits, a plan with more team bases than visits (two teams
at different bases, one visit) never returned. Each case runs in a child process so that a hang fails the test
instead of stalling the suite; the bound is generous (limit 1 s, at most 10 s of wall clock) so that a loaded
machine does not make the test flaky.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import time
import traceback

import numpy as np
import pytest

from planner.domain import TeamMember
from planner.routing import build_problem, solve
from planner.routing.ortools_adapter import RoutingSpec, SearchSettings, solve_spec
from planner.routing.schedule import DayShape
from tests.routing.conftest import CITY_BASE, MONDAY, PINGHE_BASE, PLAIN, check_plan, team, visit

WALL_S = 10.0

PLACES = [(117.33, 24.37), (117.40, 24.30), (117.27, 24.45)]
BASES = [PINGHE_BASE, CITY_BASE, (117.36, 24.34)]


def _in_child(fn, *args) -> tuple[str, object]:
    """Run ``fn(*args)`` in a forked process; ("ok", result), ("error", traceback) or ("hang", seconds)."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()

    def target():
        try:
            queue.put(("ok", fn(*args)))
        except BaseException:  # reported to the parent as text
            queue.put(("error", traceback.format_exc()))

    t0 = time.perf_counter()
    proc = ctx.Process(target=target)
    proc.start()
    proc.join(WALL_S)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return "hang", time.perf_counter() - t0
    return queue.get(timeout=5)


def _plan_case(n_visits: int, n_teams: int, days: int, mode: str) -> dict:
    teams = [team(chr(ord("A") + k), base=BASES[k]) for k in range(n_teams)]
    visits = [visit(f"V{i}", *PLACES[i], 60) for i in range(n_visits)]
    if mode == "skill":  # only the last team may take the visits
        teams[-1] = dataclasses.replace(teams[-1], members=(TeamMember("x1", "林一", skills=("林业",)),))
        visits = [dataclasses.replace(v, skills=("林业",)) for v in visits]
    problem = build_problem(visits, teams, start_date=MONDAY, days=days, travel=PLAIN)
    previous = None
    if mode == "locked":  # every visit locked to the team-day an earlier plan gave it
        previous = solve(problem, time_limit_s=1.0, relaxed_search="gls")
        where = {s.visit_id: (r.team_id, r.date) for r in previous.routes for s in r.stops}
        assert set(where) == {v.visit_id for v in visits}
        visits = [dataclasses.replace(v, locked=True, team_id=where[v.visit_id][0], date=where[v.visit_id][1])
                  for v in visits]
        problem = build_problem(visits, teams, start_date=MONDAY, days=days, travel=PLAIN)
    t0 = time.perf_counter()
    plan = solve(problem, time_limit_s=1.0, relaxed_search="ils", previous=previous)
    wall = time.perf_counter() - t0
    check_plan(problem, plan)
    return {"wall": wall, "planned": sorted(plan.planned_visit_ids()),
            "left": [(u.visit_id, u.reason_code, u.reason) for u in plan.unassigned]}


@pytest.mark.parametrize(
    ("n_visits", "n_teams", "days", "mode"),
    [
        (0, 2, 3, "plain"),
        (1, 1, 1, "plain"),   # one team, one day: a single vehicle
        (1, 2, 1, "plain"),   # more team bases than visits: the case that never returned
        (1, 3, 2, "skill"),   # only one team may take it (the test_advice case that hung)
        (2, 3, 2, "plain"),
        (2, 2, 1, "locked"),  # nothing the search may move
    ],
)
def test_iterated_search_returns_within_its_limit_on_tiny_plans(n_visits, n_teams, days, mode):
    status, out = _in_child(_plan_case, n_visits, n_teams, days, mode)
    assert status != "hang", f"no answer after {out:.1f} s with a 1 s limit"
    assert status == "ok", out
    assert out["wall"] < WALL_S
    # Every visit is planned (they all fit easily) or, if not, given a reason.
    assert out["planned"] == [f"V{i}" for i in range(n_visits)], out["left"]
    assert not out["left"]


def _spec_case(n_visits: int, n_depots: int, ruin: str) -> dict:
    rng = np.random.default_rng(n_visits * 10 + n_depots)
    pts = rng.uniform(0, 600, size=(n_depots + n_visits, 2))
    d = np.rint(np.hypot(*(pts[:, None] - pts[None]).transpose(2, 0, 1))).astype(np.int64)
    shape = DayShape(510, 1050, None, None, 0, None, None)
    spec = RoutingSpec(time=d // 10, cost=d, depot=list(range(n_depots)), shapes=[shape] * n_depots,
                       visit_node=list(range(n_depots, n_depots + n_visits)), service=[60] * n_visits,
                       window=[(0, 24 * 60)] * n_visits, penalty=[100_000] * n_visits,
                       allowed=[None] * n_visits)
    t0 = time.perf_counter()
    res = solve_spec(spec, SearchSettings(time_limit_s=1.0, metaheuristic="GREEDY_DESCENT", ils=ruin))
    return {"wall": time.perf_counter() - t0, "found": res.found, "routes": res.routes}


@pytest.mark.parametrize("ruin", ["sisr", "walk", "close"])
@pytest.mark.parametrize(("n_visits", "n_depots"), [(0, 2), (1, 2), (1, 3), (2, 3)])
def test_every_ruin_returns_with_more_bases_than_visits(ruin, n_visits, n_depots):
    status, out = _in_child(_spec_case, n_visits, n_depots, ruin)
    assert status != "hang", f"{ruin}: no answer after {out:.1f} s with a 1 s limit"
    assert status == "ok", out
    assert out["found"] and out["wall"] < WALL_S
    assert sorted(i for r in out["routes"] for i in r) == list(range(n_visits)), "every visit on a route"
