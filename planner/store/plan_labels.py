"""How the plan pickers of 行程 and 路线规划 name each saved plan, so that versions of one plan can be told apart.

A walker found older plans hard to tell apart: the same name, and no date, version or teams. Each choice now says
its 版, its days, its teams, who saved it last (display name, not the account) and when, and its status, short
enough for a phone, what tells versions apart first:
``#3 第2版 · 12-07至12-11 · 第一检查组、第二检查组 · 王组长 12-06 14:30 保存 · 已下发 · 平和第一周``.

Public API
----------
``choice_labels(session, plans, *, scope=None) -> dict[int, str]``
    Plan id -> its label, for :func:`planner.store.plans.list_plans`' rows (``scope``: the teams the account sees;
    None: every team).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import PLAN_STATUS_LABELS

#: More teams than this are said as ``第一检查组等 4 个组`` (a phone's line).
_TEAMS_SHOWN = 2
_SAVES = ("created", "replanned")


def _names(session: Session, usernames: Collection[str]) -> dict[str, str]:
    """Account -> display name (the account itself when it has none); 系统 for batch jobs."""
    from planner.store.models import UserRow

    out = {"": "系统", "system": "系统", "demo": "演示协调员"}
    wanted = sorted(set(usernames) - set(out))
    if wanted:
        out |= {u: d for u, d in session.execute(
            select(UserRow.username, UserRow.display_name).where(UserRow.username.in_(wanted))).all() if d}
    return out


def _saves(session: Session, plan_ids: Sequence[int]) -> dict[int, tuple[int, dt.datetime, str]]:
    """Plan id -> (版, when it was last saved, by whom) from its history (saved, then each re-plan saved over it)."""
    from planner.store.models import RecordHistory

    out: dict[int, tuple[int, dt.datetime, str]] = {}
    for pid, at, who, action in session.execute(
            select(RecordHistory.record_id, RecordHistory.at, RecordHistory.who, RecordHistory.action)
            .where(RecordHistory.kind == "plan", RecordHistory.record_id.in_(list(plan_ids)),
                   RecordHistory.action.in_(_SAVES))
            .order_by(RecordHistory.at, RecordHistory.id)).all():
        revision = out[pid][0] + (action == "replanned") if pid in out else 1 + (action == "replanned")
        out[pid] = (revision, at, who or "")
    return out


def _teams_text(names: list[str]) -> str:
    if len(names) > _TEAMS_SHOWN:
        return f"{names[0]}等 {len(names)} 个组"
    return "、".join(names) or "无线路"


def _days_text(start: dt.date, days: int) -> str:
    end = start + dt.timedelta(days=max(int(days), 1) - 1)
    return f"{start:%m-%d}" if end == start else f"{start:%m-%d}至{end:%m-%d}"


def choice_labels(session: Session, plans: Sequence[Any], *, scope: Collection[str] | None = None) -> dict[int, str]:
    """Plan id -> ``#3 第2版 · 12-07至12-11 · 第一检查组、第二检查组 · 王组长 12-06 14:30 保存 · 已下发 · 平和第一周``
    for each of ``plans`` (:class:`planner.store.plans.PlanInfo`): its 版 (1, one more per re-plan saved over it), its
    days (a plan named by them is not told them twice), the teams it routes (of ``scope`` only, when given; named as
    the office names them now), who saved it last by display name and when (Beijing time), and its status."""
    from planner.office.clock import to_local
    from planner.store.models import PlanRow, TeamRow
    from planner.store.plans import default_plan_name

    ids = [p.plan_id for p in plans]
    if not ids:
        return {}
    rows = {r.id: r for r in session.scalars(select(PlanRow).where(PlanRow.id.in_(ids)))}
    saves = _saves(session, ids)
    team_names = dict(session.execute(select(TeamRow.id, TeamRow.name)).all())
    who = _names(session, [s[2] for s in saves.values()] + [r.created_by or "" for r in rows.values()])
    out: dict[int, str] = {}
    for p in plans:
        row = rows.get(p.plan_id)
        if row is None:
            continue
        revision, at, by = saves.get(p.plan_id, (1, row.created_at, row.created_by or ""))
        planned = {str(t.get("id")): t.get("name") for t in (row.problem or {}).get("teams", ()) if t.get("id")}
        routed = sorted({str(r.get("team", r.get("team_id", ""))) for r in (row.result or {}).get("routes", ())
                         if r.get("stops")} - {""})
        teams = [team_names.get(t) or planned.get(t) or t for t in routed if scope is None or t in scope]
        start = dt.date.fromisoformat(str(p.start_date))
        dated = p.name == default_plan_name(start, p.days)
        saved = f"{who.get(by, by)} {to_local(at):%m-%d %H:%M} 保存" if at is not None else ""
        # What tells versions apart first (a phone's box cuts the end off): the name, the same for every version of
        # a plan, last, unless it is the plan's dates.
        parts = [f"#{p.plan_id} 第{revision}版", p.name if dated else _days_text(start, p.days), _teams_text(teams),
                 *([saved] if saved else []), PLAN_STATUS_LABELS.get(p.status, PLAN_STATUS_LABELS["issued"]),
                 *([] if dated else [p.name])]
        out[p.plan_id] = " · ".join(parts)
    return out
