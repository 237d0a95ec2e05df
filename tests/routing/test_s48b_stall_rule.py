"""Planning speed (s48b): a search that finds no better plan stops early (the stall rule), and what it stops with
still holds every 必访 stop that fits; a plan that leaves stops out searches to its time limit."""

from __future__ import annotations

from planner.routing import solve
from planner.routing.ortools_adapter import SearchSettings, solve_spec, stalled
from planner.routing.vrptw import _spec, read_vrptw
from tests.routing.conftest import check_plan, make_pinghe_week


def _square(tmp_path, *, vehicles: int, capacity: int):
    """Three visits of demand 1 at the corners of a unit square, the depot at the fourth, as a routing spec."""
    path = tmp_path / "square.vrp"
    path.write_text(f"NAME : square\nTYPE : VRPTW\nDIMENSION : 4\nVEHICLES : {vehicles}\nCAPACITY : {capacity}\n"
                    "EDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 0\n3 0 1\n4 1 1\n"
                    "DEMAND_SECTION\n1 0\n2 1\n3 1\n4 1\nTIME_WINDOW_SECTION\n1 0 100\n2 0 100\n3 0 100\n4 0 100\n"
                    "SERVICE_TIME_SECTION\n1 0\n2 1\n3 1\n4 1\nDEPOT_SECTION\n1\n-1\nEOF\n")
    return _spec(read_vrptw(path))[0]


def test_a_search_stalls_after_the_pause_and_after_as_long_again_as_its_best_took() -> None:
    assert not stalled(10.0, 1.0, None)  # no rule: the time limit ends it
    assert stalled(2.0, 0.5, 1.0)  # best at 0.5 s, nothing better for 1.5 s
    assert not stalled(1.2, 0.5, 1.0)  # only 0.7 s without a better plan
    assert not stalled(7.0, 4.0, 1.0)  # best at 4 s: it goes on to 8 s
    assert stalled(8.0, 4.0, 1.0)


def test_the_search_stops_by_the_stall_rule_and_keeps_every_must_visit_that_fits() -> None:
    problem = make_pinghe_week()  # 2 teams, 3 days, lunch, windows, skills, a 必访 that fits and one that cannot
    full = solve(problem, time_limit_s=3, seed=0)
    plan = solve(problem, time_limit_s=60, seed=0, stall_s=0.3)  # a minute without the rule
    check_plan(problem, plan)
    assert plan.runtime_s < 60
    served = plan.planned_visit_ids()
    assert "M必访" in served
    assert {u.visit_id for u in plan.unassigned if u.reason_code == "infeasible_must"} == {"F必访无专长"}
    assert set(full.planned_visit_ids()) == set(served)


def test_or_tools_says_it_ended_by_the_stall(tmp_path) -> None:
    res = solve_spec(_square(tmp_path, vehicles=2, capacity=10), SearchSettings(time_limit_s=60, stall_s=0.2))
    assert res.found and res.ended == "stall"
    assert sorted(c for r in res.routes for c in r) == [0, 1, 2]


def test_a_plan_that_leaves_a_visit_out_is_not_ended_by_the_stall(tmp_path) -> None:
    # Swapping left-out visits in and out still improves such a plan late (a 60-stop week: 143 priority points
    # served at 10 s, 141-142 when a search without progress for 1 s stopped): it searches to its time limit.
    spec = _square(tmp_path, vehicles=1, capacity=2)  # three visits, room for two: one stays out
    res = solve_spec(spec, SearchSettings(time_limit_s=1.0, stall_s=0.1))
    assert res.found and res.ended == "time"
    assert len([c for r in res.routes for c in r]) == 2


def test_plan_document_the_pages_call_stops_by_the_stall_rule_by_default() -> None:
    from planner.routing.report import PLAN_STALL_S, plan_document
    from tests.routing.conftest import MONDAY, PLAIN

    week = make_pinghe_week()
    doc = plan_document(week.visits, week.teams, start_date=MONDAY, days=3, time_limit_s=60, travel=PLAIN)
    assert PLAN_STALL_S == 1.0 and doc.plan.runtime_s < 60  # a minute without the rule
    assert "M必访" in doc.plan.planned_visit_ids()
