"""What a re-plan of an issued or running plan changed of a team's days, told to the team's officers on 行程.

:func:`planner.store.plans.resave_plan` records each team-day a new version changed
(:func:`planner.routing.history.route_changes`, places and stop numbers only) in the plan's history; this module
words them: ``计划已于 12-07 08:20 调整（第 2 版）：本组今天新增 V7 岩溪镇上坂村；移出 V3 浦南镇（改由第二检查组 12-07
走访）。`` A stop whose letter the register moved is named at its place now, with its old one (原地点; walk W11b: the
notice still named the old village of ZZXF-2026-0042).

Public API
----------
``route_notices(session, plan_id, team_id, days, today, team_names=None, *, other_days=False) -> list[str]``
    The notices of one team's days, newest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.orm import Session

from planner.office.clock import show_time
from planner.store.history import record_history
from planner.store.teams import load_teams


def _was(entry: list, at: int) -> str:
    """``（原地点 …）`` of a recorded stop whose place changed (its old place at ``at``), else ""."""
    return f"原地点 {entry[at]}" if len(entry) > at and entry[at] else ""


def _day_change_text(ch: dict, day: dt.date, today: dt.date, team_id: str, names: dict[str, str]) -> str:
    """One team-day's change of a re-plan, in the words of :func:`route_notices` (no full stop)."""
    when = "本组今天" if day == today else f"本组 {day:%m-%d} "
    parts = []
    if added := ch.get("added") or ():
        parts.append("新增 " + "、".join(" ".join(x for x in a[:2] if x) + (f"（{w}）" if (w := _was(a, 2)) else "")
                                         for a in added))
    if removed := ch.get("removed") or ():
        def went(r: list) -> str:
            if len(r) > 3 and r[2] and r[3]:
                d = dt.date.fromisoformat(r[3])
                said = f"改由{names.get(r[2], r[2])} {d:%m-%d} 走访" if r[2] != team_id else f"改到本组 {d:%m-%d}"
            else:
                said = "本次未排入"
            return f"（{w}，{said}）" if (w := _was(r, 4)) else f"（{said}）"
        parts.append("移出 " + "、".join(" ".join(x for x in r[:2] if x) + went(r) for r in removed))
    if relocated := ch.get("relocated") or ():
        parts.append("、".join(f"{r[0]} 的地点改为 {r[1]}（{_was(r, 2)}）" for r in relocated))
    if ch.get("cancelled") and not added:  # the team no longer goes out that day (route_changes)
        return f"{when}的走访取消，" + "；".join(parts)
    text = when + "；".join(parts) if parts else when + "的走访点不变"
    if ch.get("reordered"):
        text += "；其余走访点的先后顺序有变动" if parts else "，先后顺序有变动"
    return text


def route_notices(session: Session, plan_id: int, team_id: str, days: Iterable[dt.date], today: dt.date,
                  team_names: dict[str, str] | None = None, *, other_days: bool = False) -> list[str]:
    """What re-plans of issued or running plan ``plan_id`` changed of ``team_id``'s route on each of ``days``, newest
    first, for the team's officers: ``计划已于 12-07 08:20 调整（第 2 版）：本组今天新增 V7 岩溪镇上坂村；移出 V3
    浦南镇（改由第二检查组 12-07 走访）。`` Places and stop numbers only (no petitioner
    names); nothing for another team's route. ``team_names``: names of the teams a stop went to, by id.

    ``other_days``: each notice also names the team's other days from ``today`` on that the same re-plan changed or
    cancelled, a sentence each after the days viewed (``本组 12-08 的走访取消，移出 V3 浦南镇（本次未排入）。``), and
    a re-plan that changed only such days is told too (walk: T2's officer was not told that 12-08 and 12-09 were
    cancelled, nothing being left on them to open)."""
    days = set(days)
    names = team_names if team_names is not None else \
        {t.team_id: t.name for t in load_teams(session, active_only=False)}
    out: list[tuple[dt.datetime, str]] = []
    revision = 1
    for c in record_history(session, "plan", plan_id):
        if c.action != "replanned":
            continue
        revision += 1
        seen, other = [], []
        for ch in c.changes.get("team_days") or ():
            try:
                day = dt.date.fromisoformat(str(ch.get("date")))
            except ValueError:
                continue
            if str(ch.get("team")) != team_id:
                continue
            if day in days:
                seen.append(_day_change_text(ch, day, today, team_id, names))
            elif other_days and day >= today:
                other.append((day, _day_change_text(ch, day, today, team_id, names)))
        if not seen and not other:
            continue
        at = show_time(c.at)[5:]  # 12-07 08:20
        head = f"计划已于 {at} 调整（第 {revision} 版）："
        tail = "".join(f"{t}。" for _, t in sorted(other))
        out += [(c.at, f"{head}{text}。{tail}请按下面的行程走访。") for text in seen[:1]]
        out += [(c.at, f"{head}{text}。请按下面的行程走访。") for text in seen[1:]]
        if not seen:
            out.append((c.at, f"{head}{tail}"))
    return [t for _, t in sorted(out, key=lambda x: x[0], reverse=True)]
