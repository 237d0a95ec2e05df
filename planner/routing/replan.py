"""Planning the stops of a saved plan again, as 开始规划 and 重新规划其余走访点 do on an opened plan: one way for both.

Either button on a plan that runs keeps what happened (visited stops, :mod:`planner.routing.history`), plans again
what was put off (改期), and keeps today's unvisited stops on the team that set out for them; the notes say what
it changed of that and what it assumed (a team with no record today leaves its base at now).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from planner.domain import Team, Visit
from planner.routing import report
from planner.routing.history import DonePart, replan_notes
from planner.routing.planio import PlanDocument
from planner.routing.problem import PlanOptions, working_dates


def replan_document(visits: Sequence[Visit], teams: Sequence[Team], *, start_date: dt.date, days: int,
           options: PlanOptions, previous: PlanDocument | None = None, locked: Iterable[str] = (),
           kept: Sequence[DonePart] = (), put_off: Mapping[str, dt.date] | None = None,
           team_names: Mapping[str, str] | None = None, **solver) -> tuple[PlanDocument, list[str]]:
    """:func:`planner.routing.report.plan_document` of ``visits`` (``solver``: its other arguments) and
    :func:`planner.routing.history.replan_notes` of the result.

    ``previous``: the saved plan as its teams have it (None for a new plan): today's stops not yet visited stay
    on their teams today (:func:`planner.routing.history.today_pins`) whichever button planned, and its routes are
    the warm start. ``kept``, ``put_off``: what happened of it (:func:`planner.store.plans.kept_history`,
    :func:`~planner.store.plans.put_off_history`).
    """
    put_off = dict(put_off or {})
    locked = tuple(locked)
    visits = _with_split_off(visits, kept, put_off)
    new = report.plan_document(visits, teams, start_date=start_date, days=days, previous=previous, locked=locked,
                        kept=kept, put_off=put_off, options=options, team_names=team_names, **solver)
    notes = replan_notes(new, put_off, team_names, previous=previous, locked=locked, options=options, kept=kept,
                         start_date=start_date)
    return new, notes


def _with_split_off(visits: Sequence[Visit], kept: Sequence[DonePart], put_off: Mapping[str, dt.date]) -> list[Visit]:
    """``visits`` with each stop of ``put_off`` split off a kept stop (:func:`planner.routing.history.split_put_off`:
    ``V003-改期``) that they lack, made of the letters ``visits`` still has on the kept stop: a page that opened the
    plan before the 改期 was recorded plans those letters again instead of losing them with the kept stop."""
    out = list(visits)
    have = {v.visit_id: v for v in visits}
    for kv in (v for p in kept for v in p.visits):
        v = have.get(kv.visit_id)
        extra = tuple(c for c in v.case_nos if c not in kv.case_nos) if v is not None else ()
        apart = [n for n in put_off if n not in have and n.startswith(f"{kv.visit_id}-改期")]
        if extra and apart and not any(set(extra) & set(w.case_nos) for w in visits if w is not v):
            out.append(dataclasses.replace(v, visit_id=apart[0], case_nos=extra, locked=False, date=None))
    return out


def reopened_start(start_date: dt.date, days: int, today: dt.date) -> tuple[dt.date, int, str]:
    """The start date and working days 开始规划 offers for a saved plan opened again, and what to say about them.

    A plan whose first day has passed (it runs, or its days went by) starts today: a start in the past is refused
    on planning, and the office had to change it by hand. It keeps the working days it has left from today, or all
    its days when none is left. The sentence is "" when the plan's own dates stand.
    """
    if start_date >= today:
        return start_date, int(days), ""
    dates = working_dates(start_date, max(1, int(days)))
    left = sum(1 for d in dates if d >= today)
    if left:
        gone, kept = f"本计划的第一天 {start_date.isoformat()} 已过", f"“工作日数”为本计划余下的 {left} 天"
    else:
        span = start_date.isoformat() + (f" 至 {dates[-1].isoformat()}" if len(dates) > 1 else "")
        gone, kept = f"本计划的日期（{span}）已过", f"“工作日数”仍为 {len(dates)} 天"
    said = f"{gone}，“开始日期”已改为今天（{today.isoformat()}），{kept}；重新规划前可以修改。"
    return today, left or len(dates), said
