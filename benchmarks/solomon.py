"""Solomon VRPTW benchmark: our OR-Tools solver against PyVRP and VROOM, gaps to the DIMACS best-known distances.

Usage: ``python benchmarks/solomon.py --time-limit 10 [--only R2,RC2 | --instances R101,C201]
[--solvers ours,pyvrp,vroom] [--workers 2] [--data DIR]``. Ours and PyVRP get the same ``--workers`` cores per
instance (ours: that many differently-set searches; PyVRP: that many seeds in parallel, the best wins); VROOM one
thread. Instances run one after another. Prints one line per instance and solver, then per-class and overall
means. ``--data`` is a directory of ``.vrp`` files with ``bks_dimacs.csv`` or, as in the Gehring–Homberger set
(``../shared/benchmarks/gh400``, read in place, never copied into the repository), a ``.sol`` per instance whose
``Cost`` line is the best-known distance. Not a test: figures only.
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.routing.vrptw import evaluate, gap_percent, read_vrptw, solve_vrptw  # noqa: E402

DATA = ROOT.parent / "shared" / "benchmarks" / "solomon"


def class_of(name: str) -> str:
    """C1, C2, R1, R2, RC1 or RC2 (also for Gehring–Homberger names such as ``RC2_4_1``)."""
    return name[:3] if name.startswith("RC") else name[:2]


def best_known(data: Path) -> dict[str, float]:
    """Best-known distances: ``bks_dimacs.csv`` when present, else the ``Cost`` line of each ``.sol`` file."""
    table = data / "bks_dimacs.csv"
    if table.is_file():
        return {r["instance"]: float(r["distance"]) for r in csv.DictReader(open(table))}
    out = {}
    for sol in sorted(data.glob("*.sol")):
        for line in sol.read_text().splitlines():
            if line.lower().startswith("cost"):
                out[sol.stem] = float(line.split()[-1])
    return out


def run_ours(path: Path, limit: float, workers: int) -> dict:
    inst = read_vrptw(path)
    r = solve_vrptw(inst, time_limit_s=limit, workers=workers)
    return {"distance": r.distance, "feasible": r.feasible, "first_s": r.first_feasible_s, "vehicles": r.vehicles}


def _pyvrp_once(path: Path, limit: float, seed: int) -> tuple[int, bool, int]:
    import pyvrp
    from pyvrp.stop import MaxRuntime

    data = pyvrp.read(str(path), round_func="dimacs")
    res = pyvrp.solve(data, stop=MaxRuntime(limit), seed=seed, display=False)
    inst = read_vrptw(path)
    routes = [[int(a.idx) + 1 for a in r if a.is_client()] for r in res.best.routes()]  # idx counts clients from 0
    dist, ok = evaluate(inst, routes)
    return dist, ok, len(routes)


def run_pyvrp(path: Path, limit: float, workers: int = 1) -> dict:
    # PyVRP 0.14 does not report when it first became feasible; with several cores, one seed per core.
    if workers <= 1:
        runs = [_pyvrp_once(path, limit, 1)]
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            runs = list(pool.map(_pyvrp_once, [path] * workers, [limit] * workers, range(1, workers + 1)))
    dist, ok, veh = min(runs, key=lambda r: (not r[1], r[0]))
    return {"distance": dist / 10, "feasible": ok, "first_s": None, "vehicles": veh}


def run_vroom(path: Path, limit: float) -> dict:
    import numpy as np
    import vroom

    inst = read_vrptw(path)
    n = len(inst.demand)
    problem = vroom.Input()
    problem.set_durations_matrix("car", np.asarray(inst.dist, dtype=np.uint32))
    problem.set_costs_matrix("car", np.asarray(inst.dist, dtype=np.uint32))
    for v in range(inst.vehicles):
        problem.add_vehicle(vroom.Vehicle(v + 1, start=0, end=0, capacity=[inst.capacity], profile="car",
                                          time_window=vroom.TimeWindow(int(inst.ready[0]), int(inst.due[0]))))
    for c in range(1, n):
        problem.add_job(vroom.Job(c, location=c, delivery=[int(inst.demand[c])], default_service=int(inst.service[c]),
                                  time_windows=[vroom.TimeWindow(int(inst.ready[c]), int(inst.due[c]))]))
    t0 = time.perf_counter()
    sol = problem.solve(exploration_level=5, nb_threads=1, timeout=timedelta(seconds=limit))
    elapsed = time.perf_counter() - t0
    routes: dict[int, list[int]] = {}
    for row in sol.routes.itertuples():
        if row.type == "job":
            routes.setdefault(int(row.vehicle_id), []).append(int(row.id))
    rr = list(routes.values())
    dist, ok = evaluate(inst, rr)
    return {"distance": dist / 10, "feasible": ok, "first_s": elapsed if ok else None, "vehicles": len(rr)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--only", default="", help="classes, e.g. R2,RC2")
    ap.add_argument("--instances", default="", help="instance names, e.g. R101,C201")
    ap.add_argument("--solvers", default="ours,pyvrp,vroom")
    ap.add_argument("--workers", type=int, default=2, help="parallel searches for our solver (default 2: both cores)")
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    bks = best_known(args.data)
    names = sorted(bks)
    if args.only:
        classes = set(args.only.split(","))
        names = [n for n in names if class_of(n) in classes]
    if args.instances:
        names = [n for n in args.instances.split(",") if n]
    solvers = [s for s in args.solvers.split(",") if s]
    runners = {"ours": lambda p: run_ours(p, args.time_limit, args.workers),
               "pyvrp": lambda p: run_pyvrp(p, args.time_limit, args.workers),
               "vroom": lambda p: run_vroom(p, args.time_limit)}
    rows = []
    head = ("instance", "solver", "feasible", "veh", "distance", "bks", "gap%", "first_s")
    print("{:9} {:6} {:8} {:>3} {:>9} {:>9} {:>6} {:>7}".format(*head))
    for name in names:
        for s in solvers:
            try:
                r = runners[s](args.data / f"{name}.vrp")
            except Exception as exc:
                print(f"{name:9} {s:6} error {exc}", flush=True)
                r = {"distance": math.nan, "feasible": False, "first_s": None, "vehicles": 0}
            gap = gap_percent(r["distance"], bks[name]) if r["feasible"] else math.nan
            rows.append((name, s, r, gap))
            first = "-" if r["first_s"] is None else f"{r['first_s']:.3f}"
            print(f"{name:9} {s:6} {r['feasible']!s:8} {r['vehicles']:3d} {r['distance']:9.1f} {bks[name]:9.1f} "
                  f"{gap:6.2f} {first:>7}", flush=True)
    print("\nper class: mean gap % (feasible/total)")
    for s in solvers:
        parts = []
        for cls in ("C1", "C2", "R1", "R2", "RC1", "RC2"):
            g = [gap for n, so, r, gap in rows if so == s and class_of(n) == cls]
            if g:
                ok = [x for x in g if not math.isnan(x)]
                parts.append(f"{cls} {statistics.mean(ok) if ok else math.nan:.2f} ({len(ok)}/{len(g)})")
        print(f"{s:6} " + "  ".join(parts))
    print("\noverall")
    for s in solvers:
        mine = [(r, gap) for n, so, r, gap in rows if so == s]
        ok = [gap for r, gap in mine if r["feasible"]]
        firsts = [r["first_s"] for r, _ in mine if r["first_s"] is not None]
        print(f"{s:6} feasible {len(ok)}/{len(mine)}  mean gap {statistics.mean(ok) if ok else math.nan:.2f}%  "
              f"worst {max(ok) if ok else math.nan:.2f}%  "
              f"first feasible mean {statistics.mean(firsts) if firsts else math.nan:.3f}s "
              f"max {max(firsts) if firsts else math.nan:.3f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
