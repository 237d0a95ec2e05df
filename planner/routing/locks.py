"""Stops locked by hand (锁定): read off the plan on the page and carried into the next plan, whichever button plans.

Walk W32: a leader opened a saved plan, locked V006 and V044, planned and saved; opened again, 开始规划 planned
from scratch, the stops lost their lock, and the version saved had none, while the lock box still showed both.
A lock lives on the plan's visits (``Visit.locked`` with its team and day, saved with every version): each plan
made from a plan on the page keeps its locks, unless a suggestion adopted from it let the stop go (取消锁定,
取消指定检查组, …).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from planner.domain import Visit
from planner.routing.planio import PlanDocument


def plan_locks(doc: PlanDocument | None) -> tuple[str, ...]:
    """The stops ``doc`` plans and holds locked, in the order of its visits (none without a plan)."""
    if doc is None:
        return ()
    planned = doc.plan.planned_visit_ids()
    return tuple(vid for vid, v in doc.visits.items() if v.locked and vid in planned)


def kept_locks(doc: PlanDocument | None, visits: Iterable[Visit], adopted: bool = False) -> tuple[str, ...]:
    """The locks of ``doc`` (:func:`plan_locks`) the next plan of ``visits`` keeps: all of them, or with ``adopted``
    (``visits`` are a suggestion applied to them, :func:`locked_base`) those it did not unlock or unpin."""
    locks = plan_locks(doc)
    if not adopted:
        return locks
    by_id = {v.visit_id: v for v in visits}
    return tuple(vid for vid in locks if (v := by_id.get(vid)) is not None and v.locked and v.team_id and v.date)


def with_locks(visits: Sequence[Visit], doc: PlanDocument | None, locks: Iterable[str]) -> list[Visit]:
    """``visits`` with each of ``locks`` locked on its team and day in ``doc`` (the same stop there: the same
    letters), the other stops unlocked (their team and day as they are: a suggestion's change, or the stop's own
    pin)."""
    locks = set(locks)
    where = {s.visit_id: (r.team_id, r.date) for r in doc.plan.routes for s in r.stops} if doc is not None else {}
    out = []
    for v in visits:
        was = doc.visits.get(v.visit_id) if doc is not None else None
        if v.visit_id in locks and v.visit_id in where and was is not None and set(was.case_nos) == set(v.case_nos):
            team_id, date = where[v.visit_id]
            v = dataclasses.replace(v, locked=True, team_id=team_id, date=date)
        elif v.locked:
            v = dataclasses.replace(v, locked=False)
        out.append(v)
    return out


def locked_base(visits: Sequence[Visit], doc: PlanDocument | None) -> list[Visit]:
    """``visits`` with ``doc``'s locks on them: the visits a suggestion is applied to, so that the plan it asks for
    keeps the other locks (:func:`kept_locks` with ``adopted``)."""
    return with_locks(visits, doc, plan_locks(doc))
