"""How the day's maps colour a stop by what was recorded there: one rule, one set of colours and one legend for the
offline HTML map (:mod:`planner.field.html_map`) and the in-app map (:func:`planner.field.map_layers.route_map`).

A stop's state follows the mark 行程 gives it (:func:`planner.field.day.done_mark`): ``已完成`` is done (grey,
ticked), ``部分完成：已走访 1 · 未找到 1 · 改期 1`` is partly done (purple: some letters met, others still to see —
walk W13: it was amber like a stop put off), any other mark (已改期…, 未找到，已记录) is put off (amber), no mark
waits for a visit (red).

Public API
----------
``PARTLY_DONE``
    The word a partly done stop's mark starts with.
``stop_state(mark) -> str``
    ``"done"``, ``"partial"``, ``"off"`` or ``""`` (waiting).
``group_state(states) -> str``
    The state of one marker standing for several stops at one point.
``STATE_STYLE``
    State -> (legend words, colour).
``legend(states) -> tuple[tuple[str, str, str], ...]``
    ``(state, words, colour)`` of each state among ``states``, in a fixed order, for a map's legend.
"""

from __future__ import annotations

from collections.abc import Iterable

PARTLY_DONE = "部分完成"

DONE, PARTIAL, OFF, WAITING = "done", "partial", "off", ""

#: State -> (legend words, marker colour). The colours are told apart from each other and from the route lines.
STATE_STYLE: dict[str, tuple[str, str]] = {
    WAITING: ("未走访", "#c0392b"),
    PARTIAL: ("部分完成", "#7d3c98"),
    DONE: ("已完成", "#8a949b"),
    OFF: ("已改期或未找到", "#b9770e"),
}


def stop_state(mark: str) -> str:
    """The state of a stop whose 行程 mark is ``mark`` (``""``: still to visit)."""
    if not mark:
        return WAITING
    if mark == "已完成":
        return DONE
    return PARTIAL if mark.startswith(PARTLY_DONE) else OFF


def group_state(states: Iterable[str]) -> str:
    """One marker for several stops at one point: done when all are, partly done when one at least is done or partly
    done and not all are (some letters met, others still to see: walk W13, a 部分完成 stop sharing its point with one
    still to visit stayed red), waiting when one still waits and none was met, else put off."""
    states = list(states)
    if not states:
        return WAITING
    if all(s == DONE for s in states):
        return DONE
    if DONE in states or PARTIAL in states:
        return PARTIAL
    return WAITING if WAITING in states else OFF


def legend(states: Iterable[str]) -> tuple[tuple[str, str, str], ...]:
    """``(state, words, colour)`` for each state among ``states``, in :data:`STATE_STYLE`'s order."""
    present = set(states)
    return tuple((s, words, color) for s, (words, color) in STATE_STYLE.items() if s in present)
