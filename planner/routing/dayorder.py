"""Which of a team's days each of its routes goes on: the most urgent route first, at no cost.

A team's routes can trade dates freely where every visit's dates allow it and each route still fits its new day
(today's shift may start late): travel is the same (same base), and the set of days used is the same, so the
day costs of 集中出行 are too. The search is indifferent to the order, so an overdue letter could wait for day 3
of a week whose days 1 and 2 went to routine letters (walk I). Here the most urgent routes take the earliest days
(:func:`urgency`); a day holding a locked visit keeps its route, the team's other days are still ordered (walk W26).
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


def _visit_key(v: Visit) -> tuple[dt.date, bool] | None:
    """How urgent one visit is (smaller: more urgent), None for a routine one (no deadline, not 必访).

    A 必访 visit without a deadline comes first of all: 选件 makes an overdue letter 必访 and drops its passed
    deadline (walk J saw it wait behind a 必访 due tomorrow). Then the earliest deadline, 必访 before the others.
    """
    if v.must and v.latest_date is None:
        return (dt.date.min, False)
    if v.latest_date is None:
        return None
    return (v.latest_date, not v.must)


def urgency(visits: Sequence[Visit]) -> tuple:
    """Sort key of a route (smaller: more urgent, goes on an earlier day).

    Its visits' keys (:func:`_visit_key`) from the most urgent, compared in turn: the route whose most urgent
    visit is more urgent comes first, on a tie the one whose second is, and so on — a route holding one more of
    the same (four overdue letters against one) comes first. Routes alike in that go by the larger priority sum.
    Walk W26: any route holding a 必访 tied with any other and the earliest deadline still ahead settled it, so a
    day of letters due 12-19 and later went before a day of four overdue ones. Deadlines themselves are kept by
    the dates check, not by this order.
    """
    keys = sorted(k for v in visits if (k := _visit_key(v)) is not None)
    # A route whose keys run out is less urgent than one that holds a further urgent visit.
    return (*((0, *k) for k in keys), (1,), -sum(v.priority for v in visits))


def urgent_first(vehicles: Sequence[Vehicle], routes: list[list[int]], visits: Sequence[Visit],
                 fits: Callable[[int, list[int]], bool]) -> list[list[int]]:
    """``routes`` (visit numbers per vehicle) with each team's routes moved among the days it uses so that the
    most urgent come first (:func:`urgency`). A day holding a locked visit keeps its route (the team's other days
    are still ordered among themselves); two routes trade days only where every visit's dates allow it and each
    fits its new day (``fits(vehicle, route)``: the schedule check for that day). On return no two movable days of
    a team could trade routes and put the more urgent one earlier."""
    out = [list(r) for r in routes]
    by_team: dict[str, list[int]] = {}
    for k, veh in enumerate(vehicles):
        by_team.setdefault(veh.team.team_id, []).append(k)
    for ks in by_team.values():
        movable = sorted((k for k in ks if out[k] and not any(visits[i].locked for i in out[k])),
                         key=lambda k: (vehicles[k].date, k))
        if len(movable) < 2:
            continue

        def ok(k: int, r: list[int]) -> bool:
            return all(_date_ok(visits[i], vehicles[k].date) for i in r) and fits(k, r)

        # Swap two days' routes while a later one is more urgent and both fit the other's day. Each swap puts a
        # more urgent route on an earlier day and leaves the days before it alone, so the passes end.
        key = {k: urgency([visits[i] for i in out[k]]) for k in movable}
        changed = True
        while changed:
            changed = False
            for p, a in enumerate(movable):
                for b in movable[p + 1:]:
                    if vehicles[b].date > vehicles[a].date and key[b] < key[a] \
                            and ok(a, out[b]) and ok(b, out[a]):
                        out[a], out[b] = out[b], out[a]
                        key[a], key[b] = key[b], key[a]
                        changed = True
    return out
