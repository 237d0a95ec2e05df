"""What was recorded at each stop of a team-day, on every sheet of that day: 行程 marks it, the files say the same.

An officer who records the morning's visits on 行程 and then downloads the offline map or the PDF reads which stops
are done (walk: only the page marked them). Each stop of a saved plan's team-day carries the mark 行程 gives it
(:func:`planner.field.day.done_mark`: 已完成, 已改期（约定 12-09）, 未找到，已记录) and the day its progress
(已完成 1 · 待走访 2（共 3 站）), worked out exactly as the page works them out (:func:`planner.field.day.day_view`).
Case numbers and words only: nothing of the petitioner.

Public API
----------
``with_outcomes(its, session, plan_id, *, now=None) -> list[Itinerary]``
    The itineraries with :attr:`StopSheet.outcome` and :attr:`Itinerary.progress` filled in.
``stop_marks(it, view, records) -> dict[str, str]``
    Visit id -> the mark of each stop of a day already worked out (行程's map colours its stops by them).
``plan_marks(session, plan_id, *, today) -> dict[str, str]``
    Visit id -> the mark of each recorded stop of a saved plan's days up to ``today`` (路线规划's 走访情况).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from planner.field.model import Itinerary


def _with_outcome(it: Itinerary, session: Session, plan_id: int | None, now: dt.datetime) -> Itinerary:
    from planner.field.day import done_mark
    from planner.field.day_state import day_state
    from planner.field.visit_times import recorded_at
    from planner.office.clock import show_time

    # The one rule 行程 and 首页 read (planner.field.day_state): a letter recorded since, elsewhere, is done too.
    state = day_state(session, it, plan_id=plan_id)
    view, records = state.view(), state.marked
    marks = {card.seq: done_mark(card, records) for card in view.stops if not card.put_off}
    # When each stop was first recorded: every sheet lists the recorded stops by then (planner.field.visit_times).
    put_off = tuple(dataclasses.replace(s, recorded=recorded_at([c.case_no for c in s.cases], records, it.date))
                    for s in it.put_off)
    stops = tuple(dataclasses.replace(s, outcome=marks.get(s.seq, ""),
                                      recorded=recorded_at([c.case_no for c in s.cases], records, it.date))
                  for s in it.stops)
    if not any(marks.values()):
        return dataclasses.replace(it, stops=stops, put_off=put_off) if records else it
    progress = f"走访进度（截至 {show_time(now)[5:]}）：{view.progress_text()}"
    return dataclasses.replace(it, stops=stops, put_off=put_off, progress=progress)


def with_outcomes(its: Iterable[Itinerary], session: Session, plan_id: int | None, *,
                  now: dt.datetime | None = None) -> list[Itinerary]:
    """``its`` (team-days of saved plan ``plan_id``) with what was recorded at each stop on its day, by its team:
    :attr:`~planner.field.model.StopSheet.outcome` as 行程 marks the stop, and the day's
    :attr:`~planner.field.model.Itinerary.progress` as of ``now`` (None: the office's clock). A day with nothing
    recorded is returned as it is."""
    from planner.office.clock import local_now

    now = now or local_now()
    return [_with_outcome(it, session, plan_id, now) for it in its]


def stop_marks(it: Itinerary, view: Any, records: Mapping[str, Any]) -> dict[str, str]:
    """Visit id -> the mark of each stop of ``it`` (``view``: its :func:`~planner.field.day.day_view` with
    ``records``, the day's outcomes): :func:`~planner.field.day.done_mark`, ``""`` while it waits."""
    from planner.field.day import done_mark

    cards = {card.seq: card for card in view.stops if not card.put_off}
    return {s.visit.visit_id: done_mark(cards[s.seq], records) if s.seq in cards else "" for s in it.stops}


def plan_marks(session: Session, plan_id: int | None, *, today: dt.date) -> dict[str, str]:
    """Visit id -> what 行程 says of each stop of saved plan ``plan_id`` recorded on its day, for the days up to
    ``today``: the saved plan's itineraries with the re-plan changes (:func:`~planner.field.replanned.with_changes`)
    and marks (:func:`with_outcomes`) of every sheet of the day; stops still to visit left out, and nothing for a plan
    not saved. From the plan as saved, as 行程 reads it: 路线规划's opened copy already splits a stop's letters not
    met off it (``V1-改期``), which left its ``V1`` reading 已完成 (walk W13)."""
    from planner.field import enrich_cases, itineraries
    from planner.field.replanned import with_changes
    from planner.store.plans import load_plan

    if plan_id is None:
        return {}
    doc = load_plan(session, plan_id)
    if not any(r.date <= today and r.stops for r in doc.plan.routes):
        return {}
    doc = enrich_cases(doc, session)  # today's details (a letter settled along with another), as 行程 reads them
    its = [it for it in itineraries(doc) if it.date <= today and it.stops]
    its = with_outcomes(with_changes(its, session, doc, plan_id, today=today), session, plan_id)
    return {s.visit.visit_id: s.outcome for it in its for s in it.stops if s.outcome}
