"""VRPTW reading under the DIMACS convention and the independent route evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import InputError
from planner.routing.vrptw import evaluate, read_vrptw, solve_vrptw

SOLOMON = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "solomon"
pytestmark = pytest.mark.skipif(not (SOLOMON / "C101.vrp").exists(), reason="Solomon instances not present")


def test_dimacs_scaling_and_formats_agree():
    a = read_vrptw(SOLOMON / "C101.vrp")
    b = read_vrptw(SOLOMON / "solomon_txt" / "C101.txt")
    assert (a.dist == b.dist).all() and (a.due == b.due).all() and a.capacity == b.capacity == 200
    # Depot (40,50) to customer 1 (45,68): sqrt(349) = 18.68... -> 186 tenths (floored).
    assert a.dist[0, 1] == 186 and a.service[1] == 900 and a.service[0] == 0 and a.vehicles == 25


def test_best_known_routes_evaluate_to_bks():
    inst = read_vrptw(SOLOMON / "C101.vrp")
    text = (SOLOMON / "solutions_dimacs" / "C101.sol").read_text()
    routes = [[int(x) for x in line.split(":")[1].split()] for line in text.splitlines() if line.startswith("Route")]
    dist, ok = evaluate(inst, routes)
    assert ok and dist == 8273  # 827.3 in bks_dimacs.csv
    broken = [list(reversed(routes[0])), *routes[1:]]
    assert not evaluate(inst, broken)[1]
    assert not evaluate(inst, routes[1:])[1]  # customers missing


def test_solve_and_errors(tmp_path):
    inst = read_vrptw(SOLOMON / "R101.vrp")
    res = solve_vrptw(inst, time_limit_s=1)
    assert res.feasible and evaluate(inst, res.routes) == (round(res.distance * 10), True)
    with pytest.raises(InputError, match="并行数"):
        solve_vrptw(inst, time_limit_s=1, workers=9)
    with pytest.raises(InputError, match="不存在"):
        read_vrptw(tmp_path / "none.vrp")


def test_every_variant_and_combined_ruins_give_feasible_plans():
    from planner.routing.ortools_adapter import SearchSettings, solve_spec
    from planner.routing.vrptw import LEAN_ILS, VARIANTS, _spec

    inst = read_vrptw(SOLOMON / "C101.vrp")
    spec, _drop = _spec(inst)
    # Two ruins taking turns (the adapter's "sisr+walk" form) on top of the lean operator set.
    res = solve_spec(spec, SearchSettings(time_limit_s=1, ils="sisr+walk", ils_removed=10, extra=LEAN_ILS))
    routes = [[c + 1 for c in r] for r in res.routes if r]
    assert res.found and evaluate(inst, routes)[1]
    res2 = solve_vrptw(inst, time_limit_s=1.5, workers=2)
    assert res2.feasible and evaluate(inst, res2.routes) == (round(res2.distance * 10), True)
    assert all("polish" not in v or 0 <= v["polish"] < 1 for v in VARIANTS)
