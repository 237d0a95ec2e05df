"""What a re-plan of a running plan changed of a team's day, on every sheet of that day: 行程 and each download.

A plan re-planned during the day tells the officers of a team whose day changed (``planner.store.plans.route_notices``:
计划已于 12-07 08:20 调整（第 2 版）：本组今天新增 …；移出 …). The PDF printed in the morning, the offline HTML map, the
Excel and the packet are what officers carry; they say the same (walk: only the page did). And a stop recorded 改期 on
the day, which the re-plan moved to a later day, stays on that day's sheets marked 已改期 with where it went, as a
visited stop stays (walk: it vanished from the officer's 今天).

Public API
----------
``notices(session, plan_id, team_id, day, today) -> tuple[str, ...]``
    The route notices of one team-day (none for a draft or a plan that does not exist).
``put_off_stops(session, plan_id, team_id, day, *, shown=(), cases=None) -> tuple[StopSheet, ...]``
    The stops of the team-day recorded 改期 there and no longer on it, each with ``put_off`` words.
``with_changes(its, session, doc, plan_id, *, today) -> list[Itinerary]``
    The itineraries with both added (:attr:`Itinerary.notices`, :attr:`Itinerary.put_off`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import Stop, VisitResult
from planner.errors import NotFoundError
from planner.field.model import CaseInfo, Itinerary, StopSheet, chain_order

_WEEKDAYS = "一二三四五六日"


def notices(session: Session, plan_id: int, team_id: str, day: dt.date, today: dt.date) -> tuple[str, ...]:
    """What re-plans of saved plan ``plan_id`` changed of ``team_id``'s route on ``day``, and of its other days
    from ``today`` on (a day cancelled included), newest first, as 行程 says it (places and stop numbers only, no
    petitioner); none while the plan is a draft, as on the page."""
    from planner.store.lifecycle import PlanStatus, plan_status
    from planner.store.plans import route_notices

    try:
        status = plan_status(session, plan_id)[0]
    except NotFoundError:
        return ()
    if status is PlanStatus.DRAFT:
        return ()
    return tuple(route_notices(session, plan_id, team_id, {day}, today, other_days=True))


def _where_text(team_id: str, where: tuple[str, dt.date] | None, names: Mapping[str, str],
                agreed: dt.date | None = None, *, put_off: bool = True) -> str:
    """``已改期至 2026-12-08（周二）``, ``…，改由第二检查组走访`` or ``已改期，新的走访日期尚未排定``; with the day the
    officer agreed (改到哪天): ``已改期至 2026-12-09（周三，约定日期），尚未排入线路`` before a re-plan placed it, and
    ``（约定 12-09）`` after a day the re-plan chose otherwise. ``put_off=False`` (nobody was met, 未找到): ``再访安排在
    2026-12-08（周二）`` or ``再访日期尚未排定``."""
    to = "已改期至" if put_off else "再访安排在"
    if where is None:
        if agreed is not None:
            return f"{to} {agreed.isoformat()}（周{_WEEKDAYS[agreed.weekday()]}，约定日期），尚未排入线路"
        return "已改期，新的走访日期尚未排定" if put_off else "再访日期尚未排定"
    team, day = where
    text = f"{to} {day.isoformat()}（周{_WEEKDAYS[day.weekday()]}）"
    text = text if team == team_id else f"{text}，改由{names.get(team, team)}走访"
    return text + (f"（约定 {agreed:%m-%d}）" if agreed is not None and agreed != day else "")


def put_off_stops(session: Session, plan_id: int, team_id: str, day: dt.date, *, shown: Iterable[str] = (),
                  cases: Mapping[str, Any] | None = None) -> tuple[StopSheet, ...]:
    """The stops of saved plan ``plan_id``'s route of ``team_id`` on ``day`` whose cases were recorded 改期 there (by
    that team, against that plan, the latest record of the case that day) and are not among ``shown`` (the cases on
    the day's route now): a re-plan moved them on. Each keeps its place and cases (no petitioner) and says where it
    went (``put_off``); its times are gone with it (``seq`` 0). ``cases``: the case details to show (the enriched
    plan's), else the saved plan's."""
    from planner.routing.planio import plan_from_json
    from planner.store.models import CaseRow, PlanRow, VisitOutcomeRow

    latest: dict[str, str] = {}
    agreed: dict[str, dt.date | None] = {}
    for no, result, to in session.execute(
        select(CaseRow.case_no, VisitOutcomeRow.result, VisitOutcomeRow.put_off_to)
        .join(VisitOutcomeRow, VisitOutcomeRow.case_id == CaseRow.id)
        .where(VisitOutcomeRow.plan_id == plan_id, VisitOutcomeRow.team_id == team_id,
               VisitOutcomeRow.visit_date == day)
        .order_by(VisitOutcomeRow.id)
    ).all():
        latest[no], agreed[no] = result, to
    shown = set(shown)
    # Whatever was recorded here stays here (walk W12b: a 未找到 letter split off a visited stop vanished from the day).
    gone = {no for no in latest if no not in shown}
    row = session.get(PlanRow, plan_id) if gone else None
    if row is None:
        return ()
    saved = plan_from_json(row.result)  # the whole plan: the stop may have gone to another team, or nowhere
    where = {s.visit_id: (r.team_id, r.date) for r in saved.plan.routes for s in r.stops}
    names = {k: t.name or k for k, t in saved.teams.items()}
    details = {**saved.cases, **(cases or {})}
    out = []
    for vid, visit in saved.visits.items():
        nos = [no for no in visit.case_nos if no in gone]
        if not nos:
            continue
        # A repeat letter gone with its first letter (随 0168 一并办理) stays beside it, as it was on the day.
        later = {r for no in nos for r in str((details.get(no) or {}).get("repeats") or "").split("、") if r}
        nos += [no for no in visit.case_nos if no in later and no not in nos and no not in shown]
        # The repeat list as saved when the enriched one lost it (the first letter planned again apart from its repeat
        # since): on this day the two were one stop, the repeat handled with it.
        infos = tuple(CaseInfo.from_json(no, {**(details.get(no) or {}), "repeats": (details.get(no) or {}).get(
            "repeats") or (saved.cases.get(no) or {}).get("repeats") or ""}) for no in nos)
        days = [agreed[no] for no in nos if agreed.get(no)]
        put_off = any(latest.get(no) == VisitResult.POSTPONED.value for no in nos)  # else nobody met (未找到)
        words = _where_text(team_id, where.get(vid), names, max(days, default=None), put_off=put_off)
        out.append(StopSheet(seq=0, visit=visit, stop=Stop(vid, 0, 0, 0, 0, 0), cases=infos, put_off=words))
    return tuple(out)


def with_changes(its: Iterable[Itinerary], session: Session, doc: Any, plan_id: int | None, *,
                 today: dt.date) -> list[Itinerary]:
    """``its`` (team-days of saved plan ``plan_id``, shown from ``doc``) with their route notices and the stops put
    off on them (:func:`notices`, :func:`put_off_stops`); as they are without a saved plan."""
    its = list(its)
    if plan_id is None:
        return its
    out = []
    for it in its:
        shown = [c.case_no for s in it.stops for c in s.cases]
        gone = put_off_stops(session, plan_id, it.team.team_id, it.date, shown=shown, cases=getattr(doc, "cases", None))
        stops, gone = _rejoined(it.stops, gone)
        out.append(dataclasses.replace(it, stops=stops, put_off=gone,
                                       notices=notices(session, plan_id, it.team.team_id, it.date, today)))
    return out


def _rejoined(stops: tuple[StopSheet, ...], gone: tuple[StopSheet, ...]
              ) -> tuple[tuple[StopSheet, ...], tuple[StopSheet, ...]]:
    """``stops`` with the letters of each stop of ``gone`` split off one of them (``V003-未找到``, ``V003-改期2`` of
    ``V003``: a re-plan plans them again, :func:`planner.routing.history.split_put_off`) back on it, and the rest of
    ``gone``. The day's stop reads as it did when its letters were recorded (walk W12b: 部分完成：已走访 1 · 未找到 1 ·
    改期 1, a repeat letter 随 its first letter 一并办理), not one letter visited and the others gone."""
    at = {s.visit.visit_id: k for k, s in enumerate(stops)}
    out, rest = list(stops), []
    for g in gone:
        origin = g.visit.visit_id.rsplit("-", 1)[0] if "-" in g.visit.visit_id else None
        k = at.get(origin) if origin is not None and g.visit.visit_id[len(origin) + 1:].startswith(("改期", "未找到")) \
            else None
        if k is None:
            rest.append(g)
            continue
        have = {c.case_no for c in out[k].cases}
        out[k] = dataclasses.replace(out[k], cases=chain_order((*out[k].cases,
                                                               *(c for c in g.cases if c.case_no not in have))))
    return tuple(out), tuple(rest)
