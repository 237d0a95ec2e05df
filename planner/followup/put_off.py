"""Visits put off (改期): the day agreed for them, and how a plan's stops say it to the leader who plans again.

An officer who records 改期 at a stop may say the day agreed with the people there (改到哪天, optional). A plan
opened on 路线规划 then marks each stop put off — ``已改期（约定 12-09）`` — where before it stood at its old time
like any other stop (walk 1: V008 at 12-07 10:16), and a re-plan plans it again from that day
(:func:`planner.routing.replan.replan_document`'s ``agreed``).

Public API
----------
``latest_put_offs(session, case_nos) -> dict[str, PutOff]``
    The letters whose latest visit record is a 改期, with its day, team and agreed day.
``agreed_days(session, case_nos) -> dict[str, date]``
    Of those, the agreed day by letter (for ``replan_document(agreed=...)``).
``plan_put_offs(session, doc) -> dict[str, str]``
    Visit id -> ``已改期（约定 12-09）`` for each stop of ``doc`` with a letter put off and not visited since.
``with_put_off_marks(rows, marks) -> list[dict]``
    ``planner.routing.report.route_rows`` with a 走访情况 column saying it.
``put_off_notes(session, doc) -> list[str]``
    One line per stop put off, for the box above the plan: where it stands and that a re-plan moves it.
``stop_table(session, doc, rows, *, recorded=None) -> tuple[list[dict], str]``
    Both for 路线规划: the stop table's rows marked, and the box's Markdown ("" when no stop is put off); a stop
    whose letters were recorded differently reads as on 行程, ``部分完成：已走访 1 · 未找到 1 · 改期 1，约定 12-09``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import VisitResult

_WEEKDAYS = "一二三四五六日"


def day_text(day: dt.date) -> str:
    """``2026-12-09（周三）``."""
    return f"{day.isoformat()}（周{_WEEKDAYS[day.weekday()]}）"


@dataclass(frozen=True, slots=True)
class PutOff:
    """A letter's latest visit record, a 改期: the day it was put off, by which team, and the day agreed (if any)."""

    case_no: str
    day: dt.date
    team_id: str
    agreed: dt.date | None = None

    def mark(self) -> str:
        """``已改期（约定 12-09）`` or ``已改期（新日期未约定）``."""
        return f"已改期（约定 {self.agreed:%m-%d}）" if self.agreed else "已改期（新日期未约定）"


def latest_put_offs(session: Session, case_nos: Iterable[str]) -> dict[str, PutOff]:
    """The letters of ``case_nos`` whose latest visit record (by visit day, then as recorded) is a 改期: not
    visited since it was put off."""
    from planner.store.models import CaseRow, VisitOutcomeRow

    nos = sorted(set(case_nos))
    if not nos:
        return {}
    latest: dict[str, Any] = {}
    for no, row in session.execute(
        select(CaseRow.case_no, VisitOutcomeRow)
        .join(VisitOutcomeRow, VisitOutcomeRow.case_id == CaseRow.id)
        .where(CaseRow.case_no.in_(nos))
        .order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id)
    ).all():
        latest[no] = row
    return {no: PutOff(no, r.visit_date, r.team_id or "", r.put_off_to)
            for no, r in latest.items() if r.result == VisitResult.POSTPONED.value}


def agreed_days(session: Session, case_nos: Iterable[str]) -> dict[str, dt.date]:
    """Letter -> the day agreed at its latest visit record, a 改期 (letters without an agreed day left out)."""
    return {no: p.agreed for no, p in latest_put_offs(session, case_nos).items() if p.agreed is not None}


def _stop_put_offs(session: Session, doc: Any) -> dict[str, list[PutOff]]:
    """Visit id -> the 改期 of its letters (latest records), for each visit of ``doc`` that has one."""
    visits: Mapping[str, Any] = doc.visits
    found = latest_put_offs(session, {no for v in visits.values() for no in v.case_nos})
    return {vid: [found[no] for no in v.case_nos if no in found] for vid, v in visits.items()
            if any(no in found for no in v.case_nos)}


def _routed(doc: Any) -> dict[str, tuple[str, dt.date, int]]:
    return {s.visit_id: (r.team_id, r.date, s.start_min) for r in doc.plan.routes for s in r.stops}


def plan_put_offs(session: Session, doc: Any) -> dict[str, str]:
    """Visit id -> what the leader's plan says of a stop with a letter put off (改期) and not visited since:
    ``已改期（约定 12-09）`` while it stands on or before the day it was put off (it did not happen there: a re-plan
    moves it), ``改期后重排（约定 12-09）`` once it is on a later day, and ``…，早于约定日期`` when that day comes
    before the agreed one. A stop where only some letters were put off names them: ``ZZ-41 已改期（约定 12-09）``."""
    where = _routed(doc)
    out = {}
    for vid, put_offs in _stop_put_offs(session, doc).items():
        last = max(put_offs, key=lambda p: (p.day, p.agreed or p.day))
        agreed = max((p.agreed for p in put_offs if p.agreed), default=None)
        text = PutOff(last.case_no, last.day, last.team_id, agreed).mark()
        day = where.get(vid, (None, None, 0))[1]
        if day is not None and day > last.day:
            text = "改期后重排" + text.removeprefix("已改期") + ("，早于约定日期" if agreed and day < agreed else "")
        if len(put_offs) < len(doc.visits[vid].case_nos):
            text = f"{'、'.join(p.case_no for p in put_offs)} {text}"
        out[vid] = text
    return out


def with_put_off_marks(rows: Sequence[Mapping[str, Any]], marks: Mapping[str, str]) -> list[dict[str, Any]]:
    """The stop table's rows (``route_rows``: each stop's visit id in 编号) with a 走访情况 column: the mark of
    :func:`plan_put_offs`, blank for the other rows."""
    return [{**r, "走访情况": marks.get(str(r.get("编号") or ""), "")} for r in rows]


def put_off_notes(session: Session, doc: Any) -> list[str]:
    """One line per stop of ``doc`` still standing on (or before) the day it was put off, for the box above the
    plan: ``V008 漳浦县…：12-07 记录为改期，约定 12-09 再访；点“重新规划其余走访点”从 12-09 起重新安排``."""
    from planner.domain import hhmm

    where = _routed(doc)
    out = []
    for vid, put_offs in _stop_put_offs(session, doc).items():
        last = max(put_offs, key=lambda p: (p.day, p.agreed or p.day))
        _team, day, start = where.get(vid, ("", None, 0))
        if day is None or day > last.day:
            continue
        agreed = max((p.agreed for p in put_offs if p.agreed), default=None)
        label = doc.visits[vid].label
        nos = "、".join(p.case_no for p in put_offs)
        said = f"约定 {agreed:%m-%d} 再访" if agreed else "新日期未约定"
        since = agreed or last.day + dt.timedelta(days=1)
        out.append(f"{vid}{' ' + label if label else ''}（{nos}）仍排在 {day:%m-%d} {hhmm(start)}，"
                   f"{last.day:%m-%d} 已记录为改期，{said}：点“重新规划其余走访点”从 {since:%m-%d} 起重新安排")
    return out


def stop_table(session: Session, doc: Any, rows: Sequence[Mapping[str, Any]], *,
               recorded: Mapping[str, str] | None = None) -> tuple[list[dict[str, Any]], str]:
    """路线规划's stop table and the box above it: ``rows`` (``route_rows(doc)``) with the 走访情况 column of
    :func:`plan_put_offs`, and :func:`put_off_notes` as a Markdown list ("" when no stop stands put off).

    ``recorded``: visit id -> what 行程 says of each stop recorded on its day
    (:func:`planner.field.recorded.plan_marks`). A stop whose letters were recorded differently reads as 行程 and the
    day's files say it (walk W13: the leader's table did not), ``部分完成：已走访 1 · 未找到 1 · 改期 1，约定 12-09``,
    instead of naming only its letter put off (the letters not met are named where they wait: in the box, or among
    the stops to visit again once the opened plan splits them off). A stop done reads 已完成."""
    from planner.field.stop_state import DONE, PARTIAL, stop_state

    notes = put_off_notes(session, doc)
    # 已完成 too (walk W13: a stop done on its day read blank, as if still to visit).
    marks = {**plan_put_offs(session, doc),
             **{vid: m for vid, m in (recorded or {}).items() if stop_state(m) in (PARTIAL, DONE)}}
    return with_put_off_marks(rows, marks), "\n".join(f"- {n}" for n in notes)
