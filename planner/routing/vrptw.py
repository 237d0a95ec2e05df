"""VRPTW instances (Solomon/VRPLIB via ``vrplib``) solved with the planner's OR-Tools machinery, DIMACS convention."""

from __future__ import annotations

import math
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planner.errors import InputError
from planner.routing.schedule import DayShape

#: Operators switched off for VRPTW: pickup-and-delivery, sub-trip, visit-type and the insertion LNS operators do
#: nothing useful on a pure VRPTW but cost most of each local-search pass. Switching them off let the iterated
#: search do several times more ruin-and-recreate rounds: subset gap 5.05 % -> 2.80 % at 10 s (loaded machine).
LEAN_OPERATORS = {
    f"local_search_operators.use_{name}": False
    for name in (
        "global_cheapest_insertion_path_lns", "local_cheapest_insertion_path_lns",
        "relocate_path_global_cheapest_insertion_insert_unperformed", "global_cheapest_insertion_visit_types_lns",
        "local_cheapest_insertion_visit_types_lns", "relocate_pair", "light_relocate_pair", "exchange_pair",
        "relocate_subtrip", "exchange_subtrip", "make_chain_inactive", "swap_active_chain",
        "shortest_path_swap_active", "shortest_path_two_opt",
        # Lin-Kernighan and expensive-chain relocation are slow on long R2/RC2 routes: 2.46 % -> 2.20 % on the subset.
        "lin_kernighan", "relocate_expensive_chain",
    )
}

#: The iterated search checks moves with OR-Tools' filters only (``use_cp`` off): on a pure VRPTW the time-window
#: and capacity filters are exact, and skipping the CP propagation per move gave 2.80 % -> 2.46 % on the subset.
LEAN_ILS = {**LEAN_OPERATORS, "use_cp": 2}  # BOOL_FALSE

#: Search variants run side by side when ``workers`` > 1 (the best plan wins). Iterated local search with
#: SISR ruin-and-recreate beat guided local search by about 3 points of gap on Solomon at 10 s on this machine.
#: SISR strings of up to 20 visits (OR-Tools' default 10) let the ruin empty most of a long R2/RC2 route, so that
#: a route can be opened or closed: subset gap 2.20 % -> 1.68 %, worst 4.49 % -> 3.55 %.
#: Full 56-instance run at 10 s, one worker, shared 2-core machine (benchmarks/solomon.py, 2026-11-26): mean gap
#: 0.95 % (C1 0.00, C2 0.26, R1 0.94, R2 1.04, RC1 2.03, RC2 1.53), worst 4.05 % (RC206), 56/56 feasible, first
#: feasible plan 0.012 s mean / 0.024 s max (before this tuning: 1.88 %, worst 12.67 %).
#: ``polish`` is the share of the time left to guided local search from the iterated search's best plan.
#: The second variant starts from savings routes: OR-Tools' iterated search cannot start from given routes and
#: rarely opens a route, so the first plan's route count sticks. Savings opens more routes than cheapest insertion:
#: R2_4_1 (400 customers, long horizon) at 60 s, one worker: 14 routes, gap 10.5 % from insertion; 21 routes, 2.5 %
#: from savings (R1_4_1 4.3 % -> 2.7 %, RC2_4_1 3.8 %); on 16 hard Solomon instances at 10 s better on R2/RC1, worse
#: on RC2, so the two run side by side and the better plan wins. ``polish_upto``: no guided-local-search polish
#: above this many customers (on 400 it cost 0.8-1.4 points of gap on R1_4_1, R2_4_1 and RC1_4_1).
#: 2026-12-03: the first variant is PyVRP's iterated local search (``planner.routing.pyvrp_adapter``), the search
#: plans now start with; OR-Tools' iterated search from savings routes runs beside it on the second core.
VARIANTS = (
    {"engine": "pyvrp", "seed": 1},
    {"first_solution": "SAVINGS", "metaheuristic": "GREEDY_DESCENT", "ils": "sisr",
     "ils_removed": 20, "ils_seq": 20, "polish": 0.3, "polish_upto": 200, "extra": LEAN_ILS},
    {"first_solution": "PARALLEL_CHEAPEST_INSERTION", "metaheuristic": "GREEDY_DESCENT", "ils": "sisr",
     "ils_removed": 20, "ils_seq": 20, "polish": 0.3, "polish_upto": 200, "extra": LEAN_ILS},
    {"first_solution": "PARALLEL_CHEAPEST_INSERTION", "metaheuristic": "GREEDY_DESCENT", "ils": "sisr",
     "ils_removed": 30, "ils_seq": 20, "polish": 0.3, "extra": LEAN_ILS},
    {"first_solution": "PARALLEL_CHEAPEST_INSERTION", "gls_lambda": 0.2},
    {"first_solution": "SAVINGS", "gls_lambda": 0.1},
)


@dataclass(frozen=True, slots=True, eq=False)
class VrptwInstance:
    """A VRPTW instance scaled to integers: distances and times ×10 and floored (DIMACS), depot = node 0."""

    name: str
    dist: np.ndarray  # (n+1)x(n+1), tenths
    demand: np.ndarray
    ready: np.ndarray  # tenths
    due: np.ndarray  # tenths
    service: np.ndarray  # tenths
    capacity: int
    vehicles: int


@dataclass(frozen=True, slots=True)
class VrptwResult:
    """Routes as client numbers (1..n) in visiting order, distance in instance units, feasibility."""

    routes: tuple[tuple[int, ...], ...]
    distance: float
    vehicles: int
    feasible: bool
    runtime_s: float
    first_feasible_s: float | None

    def to_json(self) -> dict:
        """The ``solve-vrptw`` output contract."""
        return {
            "routes": [list(r) for r in self.routes],
            "distance": round(self.distance, 1),
            "vehicles": self.vehicles,
            "feasible": self.feasible,
            "runtime_s": round(self.runtime_s, 3),
            "first_feasible_s": None if self.first_feasible_s is None else round(self.first_feasible_s, 3),
        }


def read_vrptw(path: str | Path, *, vehicles: int | None = None) -> VrptwInstance:
    """Read a VRPLIB (``.vrp``) or Solomon text instance.

    Raises
    ------
    InputError
        When the file is missing or lacks coordinates, demands or time windows.
    """
    import vrplib

    path = Path(path)
    if not path.is_file():
        raise InputError(f"算例文件 {str(path)!r} 不存在")
    fmt = "vrplib" if path.suffix.lower() == ".vrp" else "solomon"
    try:
        data = vrplib.read_instance(str(path), instance_format=fmt, compute_edge_weights=False)
    except Exception as exc:
        raise InputError(f"算例文件 {str(path)!r} 无法按 {fmt} 格式读取（{exc}）") from None
    for key in ("node_coord", "demand", "time_window"):
        if key not in data:
            raise InputError(f"算例文件 {str(path)!r} 缺少 {key!r}")
    xy = np.asarray(data["node_coord"], dtype=float)
    n = len(xy)
    euclid = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    dist = np.floor(10 * euclid + 1e-9).astype(np.int64)
    tw = np.asarray(data["time_window"], dtype=float)
    service = np.asarray(data.get("service_time", 0), dtype=float)
    if service.ndim == 0:
        service = np.full(n, float(service))
        service[0] = 0.0
    fleet = vehicles or int(data.get("vehicles") or 0) or 25
    return VrptwInstance(
        name=str(data.get("name") or path.stem),
        dist=dist,
        demand=np.asarray(data["demand"], dtype=np.int64),
        ready=np.floor(10 * tw[:, 0] + 1e-9).astype(np.int64),
        due=np.floor(10 * tw[:, 1] + 1e-9).astype(np.int64),
        service=np.floor(10 * service + 1e-9).astype(np.int64),
        capacity=int(data["capacity"]),
        vehicles=fleet,
    )


def _spec(inst: VrptwInstance):
    from planner.routing.ortools_adapter import RoutingSpec

    n = len(inst.demand) - 1
    horizon = int(inst.due[0])
    drop = int(inst.dist.max()) * (n + 2) * 10  # far above any route length: feasible plans always win
    return RoutingSpec(
        time=inst.dist,
        cost=inst.dist,
        depot=[0] * inst.vehicles,
        shapes=[DayShape(int(inst.ready[0]), horizon)] * inst.vehicles,
        visit_node=list(range(1, n + 1)),
        service=[int(s) for s in inst.service[1:]],
        window=[(int(a), int(b)) for a, b in zip(inst.ready[1:], inst.due[1:], strict=False)],
        penalty=[drop] * n,
        demand=[int(d) for d in inst.demand[1:]],
        capacity=[inst.capacity] * inst.vehicles,
        horizon=horizon,
    ), drop


def _run(inst: VrptwInstance, time_limit_s: float, variant: dict) -> tuple[list[list[int]], int, float | None]:
    from planner.routing.ortools_adapter import SearchSettings, solve_spec

    variant = dict(variant)
    if variant.get("engine") == "pyvrp":
        from planner.routing.pyvrp_adapter import solve_pyvrp

        spec, _drop = _spec(inst)
        found = solve_pyvrp(spec, time_limit_s, seed=int(variant.get("seed", 1)))
        if found is None:
            return [], 0, None
        # PyVRP does not report when it first found a feasible plan: the first-plan time comes from OR-Tools.
        return found.routes, found.cost, None
    polish = float(variant.pop("polish", 0.0))
    polish_lambda = float(variant.pop("polish_lambda", 0.2))
    polish_extra = dict(variant.pop("polish_extra", {}))
    if len(inst.demand) - 1 > variant.pop("polish_upto", math.inf):
        polish = 0.0
    spec, drop = _spec(inst)
    t0 = time.perf_counter()
    res = solve_spec(spec, SearchSettings(time_limit_s=time_limit_s * (1 - polish), **variant))
    first = next((t for t, obj in res.history if obj < drop), None)
    if polish > 0 and res.found:
        # Guided local search from the iterated search's best plan for the rest of the time.
        left = time_limit_s - (time.perf_counter() - t0)
        if left > 0.05:
            more = solve_spec(spec, SearchSettings(time_limit_s=left, gls_lambda=polish_lambda, extra=polish_extra),
                initial_routes=res.routes)
            if more.found and more.objective <= res.objective:
                res = more
    return res.routes, res.objective, first


def evaluate(inst: VrptwInstance, routes) -> tuple[int, bool]:
    """Distance in tenths and feasibility of client routes (capacity, windows, every client once)."""
    total, ok = 0, True
    seen: list[int] = []
    for r in routes:
        t, load, prev = int(inst.ready[0]), 0, 0
        for c in r:
            t = max(t + int(inst.service[prev]) + int(inst.dist[prev, c]), int(inst.ready[c]))
            ok &= t <= inst.due[c]
            load += int(inst.demand[c])
            total += int(inst.dist[prev, c])
            prev = c
            seen.append(c)
        total += int(inst.dist[prev, 0])
        ok &= (t + int(inst.service[prev]) + int(inst.dist[prev, 0]) <= inst.due[0]) if r else True
        ok &= load <= inst.capacity
    ok &= sorted(seen) == list(range(1, len(inst.demand)))
    return total, bool(ok)


def solve_vrptw(inst: VrptwInstance, *, time_limit_s: float = 10.0, workers: int = 1) -> VrptwResult:
    """Solve with a fixed fleet and a distance objective; ``workers`` differently-set searches in parallel.

    Raises
    ------
    InputError
        If ``time_limit_s`` is not positive or ``workers`` is not 1..4.
    """
    if not time_limit_s > 0:
        raise InputError(f"求解时限（time_limit_s）须为正数，收到 {time_limit_s!r}")
    if not 1 <= workers <= len(VARIANTS):
        raise InputError(f"并行数应为 1 到 {len(VARIANTS)}，收到 {workers!r}")
    t0 = time.perf_counter()
    if workers == 1:
        runs = [_run(inst, time_limit_s, VARIANTS[0])]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futs = [pool.submit(_run, inst, time_limit_s, VARIANTS[k]) for k in range(workers)]
            runs = [f.result() for f in futs]
    runtime = time.perf_counter() - t0
    best = None
    for routes, _obj, _first in runs:
        client_routes = [[c + 1 for c in r] for r in routes if r]
        dist, ok = evaluate(inst, client_routes)
        key = (not ok, dist)
        if best is None or key < best[0]:
            best = (key, client_routes, dist, ok)
    firsts = [f for _r, _o, f in runs if f is not None]
    _, routes, dist, ok = best
    return VrptwResult(
        tuple(tuple(r) for r in routes), dist / 10, len(routes), ok, runtime, min(firsts) if firsts else None
    )


def gap_percent(distance: float, bks: float) -> float:
    """Relative gap to a best-known distance, in percent."""
    return math.inf if bks <= 0 else 100.0 * (distance - bks) / bks
