"""Planning for pages and scripts in one call, plan KPIs, and the comparison of a plan with the previous one."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from planner.domain import Team, Visit
from planner.routing.planio import PlanDocument
from planner.routing.problem import PlanOptions, build_problem
from planner.routing.solve import Callbacks, solve
from planner.routing.travel import OfflineTravelModel, TravelProvider


def plan_document(
    visits: Sequence[Visit],
    teams: Sequence[Team],
    *,
    start_date: dt.date,
    days: int,
    time_limit_s: float = 10.0,
    seed: int = 0,
    callbacks: Callbacks | None = None,
    previous: PlanDocument | None = None,
    locked: Iterable[str] = (),
    travel: TravelProvider | None = None,
    options: PlanOptions | None = None,
    cases: Mapping[str, Mapping] | None = None,
) -> PlanDocument:
    """Build the problem, solve it and wrap the result with its visits, teams and cases.

    ``locked`` names visits of ``previous`` that keep their team, day and order (already done or fixed);
    the rest is re-optimised starting from ``previous``.

    Raises
    ------
    InputError
        From :func:`build_problem` / :func:`solve` (bad ids, pins, time limit).
    """
    locked = set(locked)
    where = {}
    if previous is not None:
        where = {s.visit_id: (r.team_id, r.date) for r in previous.plan.routes for s in r.stops}
    prepared = []
    for v in visits:
        if v.visit_id in locked and v.visit_id in where:
            team_id, date = where[v.visit_id]
            v = dataclasses.replace(v, locked=True, team_id=team_id, date=date)
        elif v.locked and v.visit_id not in locked:
            v = dataclasses.replace(v, locked=False)
        prepared.append(v)
    problem = build_problem(prepared, teams, start_date=start_date, days=days,
                            travel=travel or OfflineTravelModel(), options=options)
    plan = solve(problem, time_limit_s=time_limit_s, seed=seed, callbacks=callbacks,
                 previous=previous.plan if previous is not None else None)
    return PlanDocument(plan, {v.visit_id: v for v in prepared}, {t.team_id: t for t in teams},
                        {k: dict(c) for k, c in (cases or {}).items()})


def kpis(doc: PlanDocument) -> dict[str, object]:
    """Visits planned, km, driving and working hours, routes, unassigned, and dropped visits by priority."""
    plan = doc.plan
    dropped = Counter()
    for u in plan.unassigned:
        v = doc.visits.get(u.visit_id)
        dropped["必访" if v is not None and v.must else f"P{v.priority if v else '?'}"] += 1
    return {
        "visits": sum(len(r.stops) for r in plan.routes),
        "total": len(doc.visits) or sum(len(r.stops) for r in plan.routes) + len(plan.unassigned),
        "km": round(sum(r.distance_m for r in plan.routes) / 1000, 1),
        "drive_h": round(sum(r.travel_s for r in plan.routes) / 3600, 1),
        "work_h": round(sum(r.duration_min() for r in plan.routes) / 60, 1),
        "routes": len(plan.routes),
        "unassigned": len(plan.unassigned),
        "dropped_by_priority": dict(sorted(dropped.items())),
    }


def compare(old: PlanDocument, new: PlanDocument) -> dict[str, object]:
    """What changed from ``old`` to ``new``: KPI deltas, visits that moved team-day, newly planned or dropped."""
    where_old = {s.visit_id: (r.team_id, r.date) for r in old.plan.routes for s in r.stops}
    where_new = {s.visit_id: (r.team_id, r.date) for r in new.plan.routes for s in r.stops}
    k_old, k_new = kpis(old), kpis(new)
    return {
        "delta": {k: round(k_new[k] - k_old[k], 1) for k in ("visits", "km", "drive_h", "work_h", "unassigned")},
        "moved": sorted(v for v in where_new if v in where_old and where_new[v] != where_old[v]),
        "added": sorted(set(where_new) - set(where_old)),
        "removed": sorted(set(where_old) - set(where_new)),
    }


def route_rows(doc: PlanDocument) -> list[dict[str, object]]:
    """One row per stop (for tables): team, date, order, place, arrive/start/end, travel minutes, break note."""
    from planner.domain import hhmm

    rows = []
    for r in sorted(doc.plan.routes, key=lambda r: (r.date, r.team_id)):
        team = doc.teams.get(r.team_id)
        for k, s in enumerate(r.stops, start=1):
            v = doc.visits.get(s.visit_id)
            brk = ""
            if r.break_start_min is not None:
                prev_end = r.stops[k - 2].end_min if k > 1 else r.depart_min
                if prev_end <= r.break_start_min and r.break_end_min <= s.arrive_min:
                    brk = f"午休 {hhmm(r.break_start_min)}-{hhmm(r.break_end_min)}"
            rows.append({
                "检查组": team.name if team else r.team_id, "日期": r.date.isoformat(), "序号": k,
                "走访点": (v.label or s.visit_id) if v else s.visit_id, "编号": s.visit_id,
                "到达": hhmm(s.arrive_min), "开始": hhmm(s.start_min), "结束": hhmm(s.end_min),
                "车程(分)": round(s.travel_s / 60), "途中": brk,
            })
    return rows
