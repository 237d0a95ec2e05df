"""路线规划's words made from the library's messages: a team named as people know it, an uploaded file's faults listed.

Public API
----------
``team_words(text, names) -> str``
    ``指定的T4`` and ``加入T4`` in a reason or suggestion read ``指定的第四检查组`` when ``names`` knows the team.
``file_faults(message, file_name) -> str | None``
    An uploaded visits file's faults (one a line in ``message``) as one Markdown list, or None for a single fault.
``window_note(plan, visits) -> str``
    Under the stops of a plan with time windows: a window bounds when a visit starts, not when it ends.
``must_out_lines(unassigned, visits, words=str, moved=None) -> list[str]``
    Each 必访 stop left out: place, letters (and 原地点 of a letter the register moved), reason and what to do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from planner.domain import hhmm
from planner.office.privacy import md_text

#: What a visit's time window (时间窗开始/结束) bounds: the solver starts the visit within it and lets it run on.
WINDOW_MEANING = "时间窗约束到达（开始走访）的时间：走访在时间窗内开始，结束可能晚于时间窗结束"


def team_words(text: str, names: Mapping[str, str]) -> str:
    """``指定的T4`` and ``加入T4`` as people say them (指定的第四检查组): a team outside the plan is written by its code
    in the library's reasons, and ``names`` (code -> name: the teams the account plans for) names it."""
    for code, name in sorted(names.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(rf"(指定的|加入){re.escape(code)}(?![0-9A-Za-z_])", lambda m, n=name: m.group(1) + n, text)
    return text


def file_faults(message: str, file_name: str) -> str | None:
    """An uploaded file's faults one per line, as Markdown (the reader lists every bad row: run together on one
    line, walk E read ``…收到 'abc' visits.csv 第 4 行…`` as one sentence): each fault a list item without the
    file's name before it, and a closing ``……另有 N 处`` line after the list. None when there is a single fault (the
    page shows it as any other error). The file's own words are shown as text."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if len(lines) < 2:
        return None
    prefix = f"{file_name} "
    items = [line[len(prefix):] if line.startswith(prefix) else line for line in lines]
    more = [i for i in items if i.startswith("……")]
    listed = "\n".join(f"- {md_text(i)}" for i in items if not i.startswith("……"))
    return (f"{md_text(file_name)} 有以下错误，请改正后重新上传：\n\n{listed}"
            + "".join(f"\n\n{md_text(m)}" for m in more))


def window_note(plan, visits: Mapping) -> str:
    """:data:`WINDOW_MEANING` when a stop of ``plan`` has a time window, with the first stop that ends after its
    window as the example (a walk read 09:00-10:30 and 10:27-11:27 as a broken window); "" when no stop has one.

    ``visits``: visit id -> :class:`planner.domain.Visit`.
    """
    stops = [(s, v) for r in plan.routes for s in r.stops if (v := visits.get(s.visit_id)) is not None
             and (v.window_start_min is not None or v.window_end_min is not None)]
    if not stops:
        return ""
    late = [(s, v) for s, v in stops if v.window_end_min is not None and s.end_min > v.window_end_min]
    if not late:
        return WINDOW_MEANING + "。"
    s, v = late[0]
    a = hhmm(v.window_start_min) if v.window_start_min is not None else "00:00"
    return (f"{WINDOW_MEANING}（如 {v.label or v.visit_id}：时间窗 {a}-{hhmm(v.window_end_min)}，"
            f"{hhmm(s.start_min)} 开始，{hhmm(s.end_min)} 结束）。")


#: What a leader can do for a 必访 stop left out whose reason suggests nothing (the solver's suggestions say it else).
MUST_OUT_ADVICE = "可增加工作日或检查组、在“检查组”页提前上班时间或推迟下班时间，或把它改到其他组、其他日期后重新规划"


def must_out_lines(unassigned: Iterable, visits: Mapping, words: Callable[[str], str] = str,
                   moved: Mapping[str, str] | None = None, places: Mapping[str, str] | None = None) -> list[str]:
    """One line per 必访 stop left out, for the warning over 路线规划's plan (walk W11b: 3 个必访点未排入 named none of
    them, after a re-plan of a letter the register moved): the stop, its place and letters, and the reason with what
    to do as the solver states them (its 建议, else :data:`MUST_OUT_ADVICE`): ``V008 诏安县梅岭镇宫口村（信访件
    ZZXF-2026-0042，地点已改，原地点 龙海区程溪镇浮山村）：必访点无法排入：…。建议：…``.

    ``words`` rewords a reason (team codes and same-day groups by name, as the table below it); ``moved``: letter ->
    the place the saved plan had it at before the register moved it; ``places``: visit id -> the stop's name as 行程
    writes it (:func:`planner.field.stop_names.stop_places`; walk S49a: two stops both 诏安县四都镇, at 溪东村 and
    西山村), the visit's label by default."""
    moved = moved or {}
    out = []
    for u in unassigned:
        v = visits.get(u.visit_id)
        if v is None or not v.must or u.reason_code == "put_off":  # a revisit waiting is not left out (walk W12)
            continue
        was = sorted({moved[no] for no in v.case_nos if no in moved and moved[no] != v.label})
        letters = f"信访件 {'、'.join(v.case_nos)}" if v.case_nos else "无信访件编号"
        said = words(u.reason) or "未排入"
        if "建议：" not in said:
            said = f"{said.rstrip('。')}。{MUST_OUT_ADVICE}"
        name = (places or {}).get(u.visit_id) or v.label
        out.append(f"{u.visit_id} {name}（{letters}" + (f"，地点已改，原地点 {'、'.join(was)}" if was else "")
                   + f"）：{said}")
    return out
