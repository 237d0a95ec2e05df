"""Which of a team's days each of its routes goes on: the most urgent route first, at no cost.

A team's routes can trade dates freely where every visit's dates allow it and each route still fits its new day
(today's shift may start late): travel is the same (same base), and the set of days used is the same, so the
day costs of 集中出行 are too. The search is indifferent to the order, so an overdue letter could wait for day 3
of a week whose days 1 and 2 went to routine letters (walk I). Here the routes with 必访 visits, then the earliest
deadlines, then the highest priorities take the earliest days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from planner.domain import Visit
from planner.routing.problem import Vehicle


def _date_ok(v: Visit, d: dt.date) -> bool:
    if v.date is not None and d != v.date:
        return False
    if v.earliest_date is not None and d < v.earliest_date:
        return False
    return not (v.latest_date is not None and d > v.latest_date)


def _urgency(visits: Sequence[Visit]) -> tuple:
    """Sort key of a route: 必访 first — one without a deadline ahead first of all (选件 makes an overdue letter
    必访 and drops its passed deadline; walk J saw it wait behind a 必访 due tomorrow) —, then the earliest
    deadline, then the larger priority sum. Deadlines themselves are kept by the dates check, not by this order."""
    must = [v.latest_date or dt.date.min for v in visits if v.must]
    latest = min((v.latest_date for v in visits if v.latest_date is not None), default=dt.date.max)
    return (not must, min(must, default=dt.date.max), latest, -sum(v.priority for v in visits))


def urgent_first(vehicles: Sequence[Vehicle], routes: list[list[int]], visits: Sequence[Visit],
                 fits: Callable[[int, list[int]], bool]) -> list[list[int]]:
    """``routes`` (visit numbers per vehicle) with each team's routes moved among the days it uses so that the
    most urgent come first; a team keeps its days as they are when a visit is locked, a date does not allow the
    move, or a route does not fit its new day (``fits(vehicle, route)``)."""
    out = [list(r) for r in routes]
    by_team: dict[str, list[int]] = {}
    for k, veh in enumerate(vehicles):
        by_team.setdefault(veh.team.team_id, []).append(k)
    for ks in by_team.values():
        used = sorted((k for k in ks if out[k]), key=lambda k: vehicles[k].date)
        if len(used) < 2 or any(visits[i].locked for k in used for i in out[k]):
            continue

        def ok(k: int, r: list[int]) -> bool:
            return all(_date_ok(visits[i], vehicles[k].date) for i in r) and fits(k, r)

        # Swap two days' routes while a later one is more urgent and both fit the other's day (a few days a
        # team: the passes end quickly).
        changed = True
        while changed:
            changed = False
            for a, b in ((a, b) for p, a in enumerate(used) for b in used[p + 1:]):
                if _urgency([visits[i] for i in out[b]]) < _urgency([visits[i] for i in out[a]]) \
                        and ok(a, out[b]) and ok(b, out[a]):
                    out[a], out[b] = out[b], out[a]
                    changed = True
    return out
