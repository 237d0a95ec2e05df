"""路线规划's notices of stops other plans hold, short however many there are, with the list grouped by plan.

Walk W36: two tabs of one leader planned the same 40 stops; tab B saved and issued first, tab A's save was refused
(rightly) — and tab A read the refusal and a 其他计划中 warning each naming all 40 stops with their case numbers and
the plan's name, one paragraph each. A notice now says how many stops, which plan (or how many per plan), that
nothing was saved and what to do; up to :data:`INLINE` stops are still named in it, more go to a table under it
(:func:`held_tables`: 编号, 走访点, 信访件 per plan), which the page puts in an expander.

``conflict_groups(held, doc, places)``
    A refused save's letters (:class:`planner.store.plan_claims.PlanConflictError` ``.held``) as the plan's stops,
    per holding plan.
``conflict_text(groups, routed, openable) -> str``
    The refusal.
``held_groups(held, holders, places)`` / ``held_text(groups) -> str``
    路线规划's warning of the stops to plan that another plan holds (``planner.store.plans.held_visits``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

#: Stops named in a notice itself; with more, it counts them and the table under it lists them.
INLINE = 3
#: A stop in a notice or table: (visit id, its name as 行程 writes it, the case numbers concerned, the team).
Stop = tuple[str, str, tuple[str, ...], str]
#: A plan holding letters: (plan id, name, team name(s), status label).
Holder = tuple[int, str, str, str]


def _label(vid: str, name: str) -> str:
    return f"{vid} {name}" if name and name != vid else vid


def plan_words(holder: Holder) -> str:
    """``计划 #7「第50周」（第四检查组，已下发）`` for ``(plan id, name, team(s), status label)``."""
    pid, name, team, label = holder
    return f"计划 #{pid}{f'「{name}」' if name else ''}（{team}，{label}）"


def _by_plan(pairs: Iterable[tuple[Holder, Stop]]) -> list[tuple[Holder, list[Stop]]]:
    """Stops per plan, in plan order: a plan's teams joined (walk W36: one plan of two teams counted twice)."""
    plans: dict[tuple[int, str, str], tuple[list[str], dict[str, Stop]]] = {}
    for (pid, name, team, label), stop in pairs:
        teams, stops = plans.setdefault((pid, name, label), ([], {}))
        if team not in teams:
            teams.append(team)
        had = stops.get(stop[0])
        stops[stop[0]] = stop if had is None else (*had[:2], had[2] + stop[2], had[3])
    return [
        ((pid, name, "、".join(teams), label), sorted(stops.values()))
        for (pid, name, label), (teams, stops) in sorted(plans.items())
    ]


def conflict_groups(held: Mapping[str, Holder], doc: Any, places: Mapping[str, str]) -> list[tuple[Holder, list[Stop]]]:
    """The routed stops of ``doc`` whose letters ``held`` names (case number -> holding plan), per holding plan in
    plan order, each stop once per plan with the letters that plan holds; ``places``: visit id -> stop name."""
    pairs: list[tuple[Holder, Stop]] = []
    seen: set[str] = set()
    for route in doc.plan.routes:
        if not (route.team_id and route.date):
            continue
        for vid in route.visit_ids:
            visit = doc.visits.get(vid)
            if visit is None or vid in seen:
                continue
            seen.add(vid)
            for no in visit.case_nos:
                if (holder := held.get(str(no))) is not None:
                    pairs.append((tuple(holder), (vid, places.get(vid, ""), (str(no),), holder[2])))
    return _by_plan(pairs)


def routed_stops(doc: Any) -> int:
    """How many stops ``doc`` sends a team to on a day."""
    return len({v for r in doc.plan.routes if r.team_id and r.date for v in r.visit_ids})


def conflict_text(groups: list[tuple[Holder, list[Stop]]], routed: int, openable: Collection[int] = ()) -> str:
    """The refusal of a save whose stops ``groups`` (:func:`conflict_groups`) other plans hold: how many, which
    plan, that nothing was saved and what to do. ``routed``: the stops the plan on screen routes; ``openable``:
    the holding plans the account may open on this page (``已保存的计划``)."""
    n = len({s[0] for _h, group in groups for s in group})
    if len(groups) == 1:
        where = f"已由{plan_words(groups[0][0])}安排"
    else:
        where = "已由其他计划安排（" + "，".join(f"{plan_words(h)} {len(g)} 个" for h, g in groups) + "）"
    who = f"{n} 个走访点的信访件" if n >= routed else f"本方案 {routed} 个走访点中，{n} 个的信访件"
    named = ""
    if n <= INLINE:
        named = "：" + "、".join(f"{_label(s[0], s[1])}（{'、'.join(s[2])}）" for _h, g in groups for s in g)
    said = f"保存失败：{who}{where}{named}。一件信访件只能排在一个计划的线路上，本次没有保存任何改动。"
    opens = "、".join(f"#{h[0]}" for h, _g in groups if h[0] in openable)
    open_it = f"在上方“已保存的计划”中打开计划 {opens}" if opens else ""
    if n < routed:
        return (
            said
            + "请重新规划（这些走访点会列为“已在其他计划中”，不排入本方案）后再保存"
            + (f"；要调整它们，请{open_it}。" if open_it else "。")
        )
    return said + (f"要调整这些走访点，请{open_it}；" if open_it else "") + "要另排信访件，请到选件页重新选件。"


def held_groups(
    held: Mapping[str, str],
    holders: Mapping[str, Holder],
    cases: Mapping[str, Iterable[str]],
    places: Mapping[str, str],
) -> list[tuple[Holder, list[Stop]]]:
    """The stops of ``held`` (visit id -> where, ``held_visits``) per holding plan: ``holders`` (case number ->
    holding plan, ``held_visits``' ``holders``), ``cases`` (visit id -> its case numbers), ``places`` (visit id ->
    name)."""
    return _by_plan(
        (tuple(holders[str(no)]), (vid, places.get(vid, ""), (str(no),), holders[str(no)][2]))
        for vid in held
        for no in cases.get(vid, ())
        if str(no) in holders
    )


def held_text(held: Mapping[str, str], groups: list[tuple[Holder, list[Stop]]], places: Mapping[str, str]) -> str:
    """The 其他计划中 warning: up to :data:`INLINE` stops each named with where (``2 个走访点的信访件已在其他计划中，
    不排入本计划：V002 诏安县四都镇溪东村（信访件 … 在计划 #3 …）；…``), more counted per plan (``40 个走访点的信访件
    已在计划 #7「…」（第四检查组，已下发）中，不排入本计划。``). Plain text: the page escapes it."""
    n = len(held)
    if n <= INLINE or not groups:
        return f"{n} 个走访点的信访件已在其他计划中，不排入本计划：" + "；".join(
            f"{_label(vid, places.get(vid, ''))}（{where}）" for vid, where in held.items()
        )
    if len(groups) == 1:
        return f"{n} 个走访点的信访件已在{plan_words(groups[0][0])}中，不排入本计划。下面列出这些走访点。"
    parts = "；".join(f"{len(g)} 个在{plan_words(h)}中" for h, g in groups)
    return f"{n} 个走访点的信访件已在其他计划中，不排入本计划：{parts}。下面按计划列出这些走访点。"


def table_rows(stops: Iterable[Stop]) -> list[dict[str, str]]:
    """One row per stop: 编号, 走访点, 检查组, 信访件."""
    return [{"编号": v, "走访点": name or v, "检查组": team, "信访件": "、".join(nos)} for v, name, nos, team in stops]


__all__ = [
    "INLINE",
    "conflict_groups",
    "conflict_text",
    "held_groups",
    "held_text",
    "plan_words",
    "routed_stops",
    "table_rows",
]
