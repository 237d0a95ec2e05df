"""When a stop of a team-day was recorded, and what every sheet of the day says of a stop's time.

Walk W14b had a stop recorded out of order listed, and timed, at the moment its result was saved; walk W26 then found
what that did to an officer's files: every result saved at 08:00 moved its stop to 08:00 in the calendar (overlapping
events before the day's departure), the GPX, KML and GeoJSON were stamped so, and the lists ran 1, 3, 2, 4, 5 while the
route line ran 1→2→3→4→5. A stop now keeps its route number, its place in the route and its planned time everywhere;
a recorded one says when it was recorded beside them (``已登记 08:05``, ``已登记（12-08 补登）``), and a stop whose
visit has a time window (the leader's 时间窗, an appointment) says it wherever its time is shown
(``约定时段 14:30-15:30``): the phone view (pages/itinerary.py), the Excel, the PDF, the calendar, GPX, KML,
GeoJSON, the nav links and the offline map.

Public API
----------
``Recorded``
    When a stop was first recorded (its minute on the stop's day, or the day it was entered when later) and whether
    a letter of it was 已走访; ``text()`` says it.
``recorded_at(case_nos, records, day) -> Recorded | None``
    The first record of a stop's letters (``records``: :func:`planner.field.day.stop_records`), None when none.
``window_text(visit) -> str``
    ``约定时段 14:30-15:30`` for a visit with a time window, else ``""``.
``day_rows(items, recorded, break_seq) -> list``
    The day's stops (and put-off stops) in the order to list them, ``None`` where the lunch break goes.
``sheet_rows(it) -> list``
    :func:`day_rows` of an itinerary's sheets.
``day_stops(it) -> list``
    The day's own stops in route order (no lunch break, no put-off stop): the packet's GPX, KML, GeoJSON and
    导航链接.txt list them so.
``when_text(s) -> str`` / ``at_minute(s) -> int``
    What a stop sheet says of its time (``到达 14:40，走访 14:49-15:30（约定时段 14:30-15:30）；已登记 08:05``) and
    the minute a file stamps it with (its planned arrival, recorded or not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from planner.domain import VisitResult, hhmm

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Recorded:
    """When a stop's letters were first recorded: ``minute`` of the visit's day (None when entered on a later day,
    ``on``), and whether one of them was 已走访 (else only 未找到 or 改期 were recorded)."""

    minute: int | None
    visited: bool
    on: dt.date | None = None

    def text(self) -> str:
        """``已登记 08:05`` (the minute its result was first saved on the stop's day), or for a record entered on a
        later day ``已登记（12-08 补登）``: beside the stop's planned time, never instead of it (walk W26)."""
        if self.minute is None:
            return f"已登记（{self.on:%m-%d} 补登）" if self.on is not None else "已登记"
        return f"已登记 {hhmm(self.minute)}"


def recorded_at(case_nos: Iterable[str], records: Mapping[str, Any], day: dt.date) -> Recorded | None:
    """The first record, on ``day``, of the letters ``case_nos`` of one stop (``records``: case number ->
    :class:`~planner.field.day.StopRecord` with ``recorded_at`` in Beijing time). None when none is recorded."""
    mine = [r for no in case_nos if (r := records.get(no)) is not None]
    if not mine:
        return None
    visited = any(r.result is VisitResult.VISITED for r in mine)
    times = [r.recorded_at for r in mine if getattr(r, "recorded_at", None) is not None]
    same_day = [t for t in times if t.date() == day]
    if same_day:
        first = min(same_day)
        return Recorded(first.hour * 60 + first.minute, visited)
    return Recorded(None, visited, min(times).date() if times else None)


def window_text(visit: Any) -> str:
    """``约定时段 14:30-15:30``: the time window ``visit`` must be started in (the leader's 时间窗, an appointment
    made with the village), ``约定时段 14:30 以后`` / ``约定时段 15:30 以前`` with one end only, else ``""``."""
    a, b = getattr(visit, "window_start_min", None), getattr(visit, "window_end_min", None)
    if a is None and b is None:
        return ""
    if b is None:
        return f"约定时段 {hhmm(a)} 以后"
    if a is None:
        return f"约定时段 {hhmm(b)} 以前"
    return f"约定时段 {hhmm(a)}-{hhmm(b)}"


def day_rows(items: Sequence[T], recorded: Callable[[T], Recorded | None], break_seq: int | None) -> list[T | None]:
    """``items`` (stops with ``seq`` and ``put_off``, in route order) as the day lists them: a stop put off and moved
    off the day first (it has no time of the day any more), then the day's stops in route order, recorded or not
    (walk W26: recorded stops listed first, by when, ran 1, 3, 2, 4, 5 beside the route's 1→2→3→4→5); ``None`` marks
    the lunch break. ``recorded`` is kept for callers and no longer orders anything.

    ``break_seq``: the number of the stop whose leg holds the break (one more than the last stop: the way back);
    None without a break. The break goes before the first stop at or after that number, else last."""
    del recorded
    off = [i for i in items if getattr(i, "put_off", "")]
    rest = sorted((i for i in items if not getattr(i, "put_off", "")), key=lambda i: i.seq)
    rows: list[T | None] = [*off]
    placed = break_seq is None
    for i in rest:
        if not placed and i.seq >= break_seq:
            rows.append(None)
            placed = True
        rows.append(i)
    return rows if placed else [*rows, None]


def sheet_rows(it: Any) -> list[Any]:
    """The day's sheets (its put-off stops and its stops) in the order every file lists them (:func:`day_rows`),
    ``None`` where the lunch break goes."""
    brk = None
    if it.has_break():
        brk = it.stops[it.break_leg].seq if it.break_leg < len(it.stops) else len(it.stops) + 1
    return day_rows([*it.put_off, *it.stops], lambda s: s.recorded, brk)


def card_rows(view: Any, records: Mapping[str, Any]) -> list[Any]:
    """The cards of a day on 行程 (:func:`planner.field.day.day_view` with ``records``, the day's outcomes) in the
    order every sheet of the day lists them (:func:`day_rows`), ``None`` where the lunch break goes."""
    it = view.itinerary
    brk = None
    if it.has_break():
        brk = next((c.seq for c in view.stops if c.break_before and not c.put_off), len(it.stops) + 1)
    return day_rows(view.stops, lambda c: card_recorded(c, records, it.date), brk)


def card_recorded(card: Any, records: Mapping[str, Any], day: dt.date) -> Recorded | None:
    """:func:`recorded_at` of a stop card's letters."""
    return recorded_at([c.case_no for c in card.cases], records, day)


def day_stops(it: Any) -> list[Any]:
    """The day's own stops (no lunch break, no stop put off and moved off the day) in the order every file of the
    day lists them (:func:`sheet_rows`)."""
    return [s for s in sheet_rows(it) if s is not None and not s.put_off]


def when_text(s: Any) -> str:
    """What stop sheet ``s`` says of its time: ``到达 14:40，走访 14:49-15:30``, its time window after it
    (``（约定时段 14:30-15:30）``, :func:`window_text`) and, once recorded, when (``；已登记 08:05``)."""
    window = f"（{w}）" if (w := window_text(s.visit)) else ""
    rec = f"；{s.recorded.text()}" if s.recorded is not None else ""
    return f"到达 {s.arrive}，走访 {s.start}-{s.end}{window}{rec}"


def at_minute(s: Any) -> int:
    """The minute of the day a file stamps stop sheet ``s`` with: its planned arrival, recorded or not (walk W26:
    stamped with the moment its result was saved, every stop recorded at 08:00 read 08:00)."""
    return s.stop.arrive_min
