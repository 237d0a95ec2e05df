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
``settled(mark) -> bool``
    Nothing is left to visit at the stop (a sheet greys its row): recorded, and no letter still 待走访.
``group_state(states) -> str``
    The state of one marker standing for several stops at one point.
``STATE_STYLE``
    State -> (legend words, colour).
``legend(states) -> tuple[tuple[str, str, str], ...]``
    ``(state, words, colour)`` of each state among ``states``, in a fixed order, for a map's legend.
``LEGEND_JS``, ``LEGEND_CSS``
    The legend both maps draw: a JavaScript function ``(map, entries)`` adding it in the bottom-left corner (words
    put in as text, never HTML; each row's ``data-state`` its state) and its style.
"""

from __future__ import annotations

from collections.abc import Iterable

PARTLY_DONE = "部分完成"
#: How a partly done stop's mark counts its letters still to visit (``部分完成：已走访 1 · 待走访 1``).
TO_VISIT = "待走访"

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


def settled(mark: str) -> bool:
    """True when a stop marked ``mark`` has nothing left to visit: recorded, and not partly done with letters still
    to visit (``部分完成：已走访 1 · 待走访 1``, walk W15)."""
    return stop_state(mark) != WAITING and f"{TO_VISIT} " not in mark


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


#: ``function (map, entries)``: the legend in the map's bottom-left corner, one coloured dot and its words per
#: ``[state, words, colour]`` entry (the words as text, never HTML), for both maps.
LEGEND_JS = """function (map, entries) {
  var key = L.control({position: 'bottomleft'});
  key.onAdd = function () {
    var box = L.DomUtil.create('div', 'xf-legend');
    entries.forEach(function (e) {
      var row = box.appendChild(document.createElement('div')), dot = row.appendChild(document.createElement('i'));
      row.setAttribute('data-state', e[0]);
      dot.style.background = e[2];
      row.appendChild(document.createTextNode(e[1]));
    });
    return box;
  };
  key.addTo(map);
}"""
LEGEND_CSS = (
    ".xf-legend{background:#fff;padding:4px 8px;border-radius:4px;box-shadow:0 0 3px #0006;font-size:12px;"
    "line-height:18px}\n"
    ".xf-legend i{display:inline-block;width:12px;height:12px;border-radius:6px;margin-right:4px;vertical-align:-1px}\n"
)
