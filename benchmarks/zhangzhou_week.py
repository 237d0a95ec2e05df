"""Realistic Zhangzhou weeks (visits at real town seats, 3-8 teams at commission offices, 5 days, lunch breaks,
windows, priorities): plan time, travel, dropped priority, and the gap to a long reference run.

Usage: ``python benchmarks/zhangzhou_week.py [--sizes 40x3,80x5,160x6,320x8] [--time-limit 10]
[--reference 300] [--seed 1] [--relaxed gls,ils]``. ``--reference 0`` (the default) skips the long run.
Figures only, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import geodata  # noqa: E402
from planner.domain import Team, Visit  # noqa: E402
from planner.routing import build_problem, solve  # noqa: E402
from planner.routing.solve import Callbacks  # noqa: E402

MONDAY = dt.date(2026, 12, 7)


def week(n_visits: int, n_teams: int, seed: int) -> tuple[list[Visit], list[Team]]:
    """A reproducible week: visits near real town seats, teams at the city and county offices."""
    rng = random.Random(seed)
    towns = geodata.towns()
    bases = sorted(geodata.bases(), key=lambda b: (b.level != "city", b.base_id))
    teams = []
    for i in range(n_teams):
        b = bases[i % len(bases)]
        teams.append(Team(f"T{i + 1}", f"第{i + 1}组", b.lon, b.lat, base_name=b.name))
    visits = []
    for i in range(n_visits):
        t = rng.choice(towns)
        r = rng.random()
        window = (14 * 60, 16 * 60 + 30) if r < 0.1 else (8 * 60 + 30, 11 * 60 + 30) if r < 0.2 else (None, None)
        latest = MONDAY + dt.timedelta(days=rng.randint(1, 4)) if rng.random() < 0.15 else None
        visits.append(Visit(
            f"V{i + 1:03d}", round(t.lon + rng.uniform(-0.02, 0.02), 5), round(t.lat + rng.uniform(-0.02, 0.02), 5),
            rng.choice((30, 45, 60, 60, 90, 120)), priority=rng.randint(1, 5), must=rng.random() < 0.08,
            window_start_min=window[0], window_end_min=window[1], latest_date=latest, label=t.name,
        ))
    return visits, teams


class _First(Callbacks):
    """Records when the first complete plan (the insertion start) exists."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.first: float | None = None

    def on_progress(self, fraction: float, message: str) -> None:
        if self.first is None and fraction > 0:
            self.first = time.perf_counter() - self.t0


def run(problem, limit: float, seed: int, relaxed: str | None = None,
        search: str | None = None) -> tuple[object, float, float | None]:
    cb = _First()
    t0 = time.perf_counter()
    kw = {} if relaxed is None else {"relaxed_search": relaxed}
    if search is not None:
        kw["search"] = search
    plan = solve(problem, time_limit_s=limit, seed=seed, callbacks=cb, **kw)
    return plan, time.perf_counter() - t0, cb.first


def describe(problem, plan) -> str:
    prio = {v.visit_id: (5 if v.must else v.priority) for v in problem.visits}
    dropped = [u.visit_id for u in plan.unassigned]
    return (f"planned {sum(len(r.stops) for r in plan.routes):3d}/{len(problem.visits):3d}  "
            f"team-days {len(plan.routes):3d}  travel {sum(r.travel_s for r in plan.routes) / 3600:6.1f} h  "
            f"km {plan.totals()['km']:7.1f}  "
            f"dropped {len(dropped):3d} (priority sum {sum(prio[v] for v in dropped):3d})  objective {plan.objective}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="40x3,80x5,160x6,320x8")
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--reference", type=float, default=0.0, help="seconds of the reference run (0: skip)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--relaxed", default="", help="relaxed searches to compare, e.g. gls,ils (default: solve's)")
    ap.add_argument("--search", default="",
                    help="searches to compare, e.g. pyvrp,ortools (default: solve's, PyVRP then OR-Tools)")
    args = ap.parse_args()
    relaxed = args.relaxed.split(",") if args.relaxed else [None]
    searches = args.search.split(",") if args.search else [None]
    for size in args.sizes.split(","):
        n, k = (int(x) for x in size.split("x"))
        visits, teams = week(n, k, args.seed)
        t0 = time.perf_counter()
        problem = build_problem(visits, teams, start_date=MONDAY, days=5)
        build_s = time.perf_counter() - t0
        for rs, se in itertools.product(relaxed, searches):
            plan, secs, first = run(problem, args.time_limit, 0, rs, se)
            label = " ".join(x for x in (rs, se) if x)
            print(f"{n:3d} visits x {k} teams{' ' + label if label else ''}: build {build_s:.2f}s, plan {secs:.1f}s "
                  f"(first solution {first if first is None else round(first, 2)}s)  {describe(problem, plan)}  "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
            if args.reference > 0:
                ref, rsecs, _ = run(problem, args.reference, 0, rs, se)
                gap = 100.0 * (plan.objective - ref.objective) / max(1, ref.objective)
                print(f"    reference {rsecs:.0f}s: {describe(problem, ref)}  "
                      f"gap of the {args.time_limit:g}s plan: {gap:.2f}%",
                      flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
