"""When a stop of a team-day was recorded, and the day's stops in the order an officer lived them.

A stop visited out of order (recorded at 08:05 while planned for 15:06: walk W14b) kept its planned time on 行程 and
on the day's sheets, so the list read B at 15:06 before the stops at 08:10. A recorded stop now shows when it was
recorded (``已走访 08:05（原计划 15:06）``), and the day lists the recorded stops by that time, then the rest in their
planned order; the phone view (pages/itinerary.py), the Excel, the PDF and the offline map all say it so. The stop
keeps its number (the map's marker and the route say the same number).

Public API
----------
``Recorded``
    When a stop was first recorded (its minute on the stop's day, or the day it was entered when later) and whether
    a letter of it was 已走访; ``text(planned)`` says it.
``recorded_at(case_nos, records, day) -> Recorded | None``
    The first record of a stop's letters (``records``: :func:`planner.field.day.stop_records`), None when none.
``day_rows(items, recorded, break_seq) -> list``
    The day's stops (and put-off stops) in the order to list them, ``None`` where the lunch break goes.
``sheet_rows(it) -> list``
    :func:`day_rows` of an itinerary whose sheets carry :attr:`~planner.field.model.StopSheet.recorded`.
``day_stops(it) -> list``
    The day's own stops in that order (no lunch break, no put-off stop): the packet's GPX, KML, GeoJSON and
    导航链接.txt list them so.
``when_text(s) -> str`` / ``at_minute(s) -> int``
    What a stop sheet says of its time (``已走访 08:05（原计划 15:06）`` once recorded) and the minute a file
    stamps it with (the recorded one; the planned arrival while not recorded or when entered on a later day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from planner.domain import VisitResult, hhmm

T = TypeVar("T")

#: A record entered on a later day than the visit's has no time on the visit's day: listed after those that do.
_LATE = 24 * 60


@dataclass(frozen=True, slots=True)
class Recorded:
    """When a stop's letters were first recorded: ``minute`` of the visit's day (None when entered on a later day,
    ``on``), and whether one of them was 已走访 (else only 未找到 or 改期 were recorded)."""

    minute: int | None
    visited: bool
    on: dt.date | None = None

    def sort_key(self) -> int:
        """Minute of the day it was recorded; a record entered on a later day after all others."""
        return _LATE if self.minute is None else self.minute

    def text(self, planned: str) -> str:
        """``已走访 08:05（原计划 15:06）``, ``已登记 08:05（原计划 15:06）`` (未找到 or 改期 only), or for a record
        entered on a later day ``已走访（12-08 补登，原计划 15:06）``."""
        word = "已走访" if self.visited else "已登记"
        if self.minute is None:
            when = f"{self.on:%m-%d} 补登，" if self.on is not None else ""
            return f"{word}（{when}原计划 {planned}）" if planned else f"{word}（{when.removesuffix('，')}）"
        return f"{word} {hhmm(self.minute)}（原计划 {planned}）" if planned else f"{word} {hhmm(self.minute)}"


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


def day_rows(items: Sequence[T], recorded: Callable[[T], Recorded | None], break_seq: int | None) -> list[T | None]:
    """``items`` (stops with ``seq`` and ``put_off``, in route order) as the day lists them: the stops recorded,
    by when (then by number), then the rest in route order; ``None`` marks the lunch break.

    ``break_seq``: the number of the stop whose leg holds the break (one more than the last stop: the way back);
    None without a break. The break stays among the stops still to visit, before the first of them at or after that
    number, else last. A stop put off and moved off the day without a record comes first, as before."""
    done = sorted((i for i in items if recorded(i) is not None), key=lambda i: (recorded(i).sort_key(), i.seq))
    off = [i for i in items if recorded(i) is None and getattr(i, "put_off", "")]
    rest = [i for i in items if recorded(i) is None and not getattr(i, "put_off", "")]
    rows: list[T | None] = [*off, *done]
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
    """What stop sheet ``s`` says of its time: ``已走访 08:05（原计划 15:06）`` once recorded (as the sheets say it,
    :meth:`Recorded.text`), else ``到达 15:06，走访 15:06-15:40``."""
    return s.recorded.text(s.start) if s.recorded is not None else f"到达 {s.arrive}，走访 {s.start}-{s.end}"


def at_minute(s: Any) -> int:
    """The minute of the day a file stamps stop sheet ``s`` with: when it was recorded on its day, else (not yet
    recorded, or a 补登 entered on a later day) its planned arrival."""
    rec = s.recorded
    return rec.minute if rec is not None and rec.minute is not None else s.stop.arrive_min
