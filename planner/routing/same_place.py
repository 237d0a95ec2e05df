"""One stop per village on a re-plan: stops that came to stand for one village are planned as one (同村合为一个点).

选件 makes one stop of a village's letters (:func:`planner.places.same_village.stop_key`), but a plan may come to
hold two stops of one village: a letter the register moved to a village another stop already stands for (walk
W12: V008 and V010 both 霞寨镇钟腾村 on 12-08 after 重新规划其余走访点), or letters chosen at different times. Both
planning buttons (:func:`planner.routing.replan.replan_document`) then make one stop of them: the first keeps its
id and takes the others' letters; its time grows by each further letter's time as 选件 counts it (the base time
of a visit once). Stops a leader fixed (locked, pinned to different teams or days, in different same-day groups),
stops with a recorded result kept as they were (visited) and stops of different kinds (核查/回访) stay apart. Stops
to visit again (未找到, 改期) are made one too, and join a stop the plan has rather than the other way (walk W13:
0168 未找到 and 0164 改期 of 隆庆村 stayed two stops; :mod:`planner.routing.revisit_merge`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from planner.domain import Visit
from planner.places.same_village import village_key

#: 选件's times (:class:`planner.selection.ranking.VisitOptions`): a visit's base and each further letter's minutes.
_BASE = {"investigation": 60, "return": 40, "clarification": 45, "forum": 90}
_PER_LETTER = {"investigation": 30, "return": 15, "clarification": 20, "forum": 20}


def _key(v: Visit, cases: Mapping[str, Mapping[str, object]]) -> tuple | None:
    keys = set()
    for no in v.case_nos:
        d = cases.get(no)
        if d is None:
            return None
        keys.add(village_key(*(str(d.get(f) or "") for f in ("county", "town", "village", "address"))))
    if len(keys) != 1 or "" in keys:
        return None
    return (keys.pop(), v.visit_type.value, round(v.lon, 6), round(v.lat, 6))


def _fits(a: Visit, b: Visit) -> bool:
    """True when nothing a leader set keeps ``b`` off ``a``'s stop."""
    return all(x in ("", None) or y in ("", None) or x == y
               for x, y in ((a.team_id, b.team_id), (a.date, b.date), (a.group, b.group)))


def _joined(a: Visit, b: Visit) -> Visit:
    kind = a.visit_type.value
    more = max(0, b.service_min - _BASE.get(kind, 60)) + _PER_LETTER.get(kind, 30)
    earliest = max((d for d in (a.earliest_date, b.earliest_date) if d), default=None)
    latest = min((d for d in (a.latest_date, b.latest_date) if d), default=None)
    if earliest and latest and earliest > latest:
        earliest = None  # the deadline wins: a letter due sooner is not put off by another's agreed day
    starts = [w for w in (a.window_start_min, b.window_start_min) if w is not None]
    ends = [w for w in (a.window_end_min, b.window_end_min) if w is not None]
    window = (max(starts), min(ends)) if starts and ends and max(starts) <= min(ends) \
        else (a.window_start_min, a.window_end_min)
    return dataclasses.replace(
        a, service_min=a.service_min + more, priority=max(a.priority, b.priority), must=a.must or b.must,
        case_nos=a.case_nos + b.case_nos, earliest_date=earliest, latest_date=latest,
        window_start_min=window[0], window_end_min=window[1], skills=tuple(sorted(set(a.skills) | set(b.skills))),
        excluded_members=tuple(sorted(set(a.excluded_members) | set(b.excluded_members))),
        team_id=a.team_id or b.team_id, date=a.date or b.date, group=a.group or b.group)


def one_stop_per_village(visits: Sequence[Visit], cases: Mapping[str, Mapping[str, object]],
                         fixed: Iterable[str] = (), keep_first: Callable[[str], bool] = lambda _vid: True,
                         ) -> tuple[list[Visit], dict[str, tuple[str, ...]]]:
    """``visits`` with the stops of one village (same village, kind and point) made one, and what was merged:
    kept stop id -> the ids it took in. ``cases``: the plan's case details (county, town, village, address);
    ``fixed``: stop ids that stay as they are (locked, visited). The first stop of a village keeps its id unless
    ``keep_first`` says a later one should rather (a re-plan's revisit joins a stop the plan has, not the other way,
    walk W13)."""
    fixed = set(fixed)
    out: list[Visit] = []
    at: dict[tuple, list[int]] = {}
    merged: dict[str, tuple[str, ...]] = {}
    for v in visits:
        key = None if v.locked or v.visit_id in fixed else _key(v, cases)
        into = next((i for i in at.get(key, ()) if _fits(out[i], v)), None) if key is not None else None
        if into is None:
            if key is not None:
                at.setdefault(key, []).append(len(out))
            out.append(v)
            continue
        was = out[into]
        if keep_first(v.visit_id) and not keep_first(was.visit_id):
            merged[v.visit_id] = (*merged.pop(was.visit_id, ()), was.visit_id)
            out[into] = _joined(v, was)
        else:
            merged[was.visit_id] = (*merged.get(was.visit_id, ()), v.visit_id)
            out[into] = _joined(was, v)
    return out, merged


def merged_notes(merged: Mapping[str, tuple[str, ...]], visits: Sequence[Visit]) -> list[str]:
    """``V008 平和县霞寨镇钟腾村：与 V010 同村，合为一个走访点（2 件）`` per stop that took others in."""
    by_id = {v.visit_id: v for v in visits}
    return [f"{vid} {by_id[vid].label}：与 {'、'.join(others)} 同村，合为一个走访点（{len(by_id[vid].case_nos)} 件）"
            for vid, others in merged.items() if vid in by_id]


def absorbed_said(notes: Sequence[str], merged: Mapping[str, tuple[str, ...]]) -> list[str]:
    """``notes`` (:func:`planner.routing.replan.day_notes`) with a stop taken into another said so: ``V010 …（并入
    V008）``, not ``（未排入）`` as if its letters were left out."""
    out = []
    for n in notes:
        for kept, others in merged.items():
            for o in others:
                # the name may hold a bracket of its own (…红星村（村表无此村，待核对）)
                n = re.sub(rf"(?<![\w-]){re.escape(o)}((?: [^、；：]*?)?)（未排入）", rf"{o}\1（并入 {kept}）", n)
        out.append(n)
    return out
