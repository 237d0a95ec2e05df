"""Planning budget: what shorter or stall-ended searches cost, on Solomon instances and on app-shaped plans.

Usage: ``python benchmarks/plan_budget.py [--configs cur,half,1.5,stall1] [--reps 3] [--solomon C101,R101,RC101,R201]
[--plans demo17x2,demo35x3,demo59x3,zz20x2,zz40x3,zz60x3]``. ``--solomon ''`` or ``--plans ''`` skips a part.

Configurations: ``cur`` the page's budget (:func:`planner.routing.solve.plan_time_limit` of the stops, 10 s cap;
10 s on Solomon), ``half`` half of it, a number that many seconds, ``stallN`` the page's budget ended by the stall
rule with ``stall_s=N`` (:func:`planner.routing.ortools_adapter.stalled`). Solomon runs the app's search: PyVRP for
90 % of the budget, then OR-Tools' guided local search from its routes (as :func:`planner.routing.solve.solve`), and
prints the gap to the DIMACS best-known distance and the vehicles. App-shaped plans: the demo register's top-ranked
letters as 选件 builds their stops (all 必访 on 2026-12-07; demo59x3 holds more than 3 days can) for 2-3 demo teams,
3 days; ``zzNxK`` generated Zhangzhou weeks (``benchmarks/zhangzhou_week.week``, seed 1) of 3 days; printed: stops
served, 必访 served, priority served, travel hours, team-days. Every figure is the median of ``--reps`` runs (the
machine is shared, and PyVRP's result depends on how far it got in the time). Figures only, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from planner.routing import build_problem, solve  # noqa: E402
from planner.routing.solve import plan_time_limit  # noqa: E402

SOLOMON = ROOT.parent / "shared" / "benchmarks" / "solomon"
MONDAY = dt.date(2026, 12, 7)


def budget(cfg: str, n_stops: int, cap: float = 10.0) -> tuple[float, float | None]:
    """(time limit, stall_s) of a configuration."""
    cur = plan_time_limit(n_stops, cap)
    if cfg == "cur":
        return cur, None
    if cfg == "half":
        return cur / 2, None
    if cfg.startswith("stall"):
        return cur, float(cfg[5:])
    return float(cfg), None


def solomon_once(name: str, cfg: str) -> dict:
    from planner.routing.ortools_adapter import SearchSettings, solve_spec
    from planner.routing.pyvrp_adapter import solve_pyvrp
    from planner.routing.vrptw import _spec, evaluate, read_vrptw

    inst = read_vrptw(SOLOMON / f"{name}.vrp")
    spec, _ = _spec(inst)
    limit, stall = budget(cfg, 100)
    t0 = time.perf_counter()
    routes = solve_pyvrp(spec, limit * 0.9, stall_s=stall).routes
    more = solve_spec(spec, SearchSettings(time_limit_s=max(0.05, limit - (time.perf_counter() - t0)), stall_s=stall),
                      initial_routes=routes)

    def clients(rr):
        return [[c + 1 for c in r] for r in rr if r]

    if more.found:
        d1, _ = evaluate(inst, clients(routes))
        d2, ok2 = evaluate(inst, clients(more.routes))
        routes = more.routes if ok2 and d2 <= d1 else routes
    dist, ok = evaluate(inst, clients(routes))
    return {"secs": time.perf_counter() - t0, "dist": dist / 10, "ok": ok, "veh": len(clients(routes))}


def demo_plans() -> dict:
    """The demo register's top letters as stops (选件's build), with the demo teams."""
    from planner.intake.demo_seed import load_demo_if_empty
    from planner.selection.ranking import VisitOptions, build_visits, rank_cases, signals_from_db
    from planner.store.cases import load_cases
    from planner.store.database import make_engine, session_scope, upgrade
    from planner.store.teams import load_teams, with_people

    with tempfile.TemporaryDirectory() as d:
        eng = make_engine(f"sqlite:///{d}/demo.db")
        upgrade(eng)
        load_demo_if_empty(eng, with_meaning=False)
        with session_scope(eng) as s:
            cases, signals, teams = load_cases(s), signals_from_db(s), with_people(s, load_teams(s))
        eng.dispose()
    ranked = rank_cases(cases, today=MONDAY, signals=signals)
    t = {x.team_id: x for x in teams}
    out = {}
    for name, top, team_ids in (("demo17x2", 25, ("T1", "T3")), ("demo35x3", 45, ("T1", "T2", "T3")),
                                ("demo59x3", 70, ("T1", "T2", "T3"))):
        visits = build_visits(ranked[:top], today=MONDAY, teams=teams, options=VisitOptions()).visits
        out[name] = build_problem(visits, [t[i] for i in team_ids], start_date=MONDAY, days=3)
    return out


def app_plans(names: list[str]) -> dict:
    from zhangzhou_week import week

    out = demo_plans() if any(n.startswith("demo") for n in names) else {}
    for name in names:
        if name.startswith("zz"):
            n, k = (int(x) for x in name[2:].split("x"))
            visits, teams = week(n, k, 1)
            out[name] = build_problem(visits, teams, start_date=MONDAY, days=3)
    return {n: out[n] for n in names}


def plan_once(problem, cfg: str) -> dict:
    limit, stall = budget(cfg, len(problem.visits))
    t0 = time.perf_counter()
    plan = solve(problem, time_limit_s=limit, stall_s=stall)
    secs = time.perf_counter() - t0
    by_id = {v.visit_id: v for v in problem.visits}
    served = [by_id[x] for x in plan.planned_visit_ids()]
    return {"secs": secs, "served": len(served), "must": sum(v.must for v in served),
            "prio": sum(v.priority for v in served), "travel_h": sum(r.travel_s for r in plan.routes) / 3600,
            "days": len(plan.routes)}


def median_row(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "ok"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--configs", default="cur,half,1.5,stall1")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--solomon", default="C101,R101,R105,RC101,RC105,R201")
    ap.add_argument("--plans", default="demo17x2,demo35x3,demo59x3,zz20x2,zz40x3,zz60x3")
    args = ap.parse_args()
    configs = [c for c in args.configs.split(",") if c]
    names = [n for n in args.solomon.split(",") if n]
    if names:
        import csv

        from planner.routing.vrptw import gap_percent

        bks = {r["instance"]: float(r["distance"]) for r in csv.DictReader(open(SOLOMON / "bks_dimacs.csv"))}
        print(f"Solomon, median of {args.reps}: instance config seconds gap% vehicles (all feasible?)")
        for name in names:
            for cfg in configs:
                runs = [solomon_once(name, cfg) for _ in range(args.reps)]
                m = median_row(runs)
                gap = statistics.median(gap_percent(r["dist"], bks[name]) for r in runs)
                print(f"{name:6} {cfg:8} {m['secs']:5.2f}s gap {gap:6.3f}% veh {m['veh']:g} "
                      f"feasible {sum(r['ok'] for r in runs)}/{len(runs)}", flush=True)
    plans = app_plans([n for n in args.plans.split(",") if n])
    if plans:
        print(f"App-shaped plans (3 days), median of {args.reps}: served / 必访 served / priority served / travel / "
              "team-days")
        for name, problem in plans.items():
            n_must = sum(v.must for v in problem.visits)
            for cfg in configs:
                m = median_row([plan_once(problem, cfg) for _ in range(args.reps)])
                print(f"{name:9} {cfg:8} {m['secs']:5.2f}s served {m['served']:g}/{len(problem.visits)} "
                      f"必访 {m['must']:g}/{n_must} priority {m['prio']:g} travel {m['travel_h']:.2f} h "
                      f"team-days {m['days']:g}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
