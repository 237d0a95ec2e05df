"""导入's preview: the letters on a live plan whose place this register would change, said before 导入 is pressed.

Walk W12: a register imported again moved ZZ-XF-2026-0032 off the place its issued plan visits; the preview said only
"更新 1 件" and the "已排入计划…需组长重新规划" notice came after the letters were in. The preview now runs the import
as a trial in a transaction it rolls back, and asks :mod:`planner.store.moved_letters` — the code of the notice after
the import — which letters on a draft, issued or running plan it moved: each with its number, the place it was
planned at and the place it would have, its plan (name, state), team, day and stop. The trial runs only when a letter
of the register is on such a plan.

Public API
----------
``moves_before_import(engine, data, *, filename, mapping, case_nos, choices, take_file, today) -> list[PlannedMove]``
    What the import would move ([] when no letter of a live plan); ``moves_text`` says it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from planner.store.database import session_factory
from planner.store.models import CaseRow, PlanCase, PlanRow
from planner.store.moved_letters import LIVE_STATES, MovedLetter, live_plan_moves


@dataclass(frozen=True, slots=True)
class PlannedMove:
    """One letter a live plan holds that the import would move, with where the plan has it."""

    move: MovedLetter
    plan: str  # 计划 #3「十二月第一周」（已下发）
    where: str  # 平和下访组 12月7日 第 4 站, or 未排入线路

    def line(self) -> str:
        m = self.move
        place = (f"仍在 {m.now}，点位将移动" if m.planned == m.now else f"{m.planned} → {m.now}")
        return f"{m.case_no}：{place}（{self.plan}，{self.where}）"


def _held(session: Session, case_nos: Iterable[str]) -> bool:
    """True when a draft, issued or running plan holds one of ``case_nos``."""
    wanted = sorted({str(n) for n in case_nos if n})
    for i in range(0, len(wanted), 500):
        found = session.scalar(select(CaseRow.case_no).join(PlanCase, PlanCase.case_id == CaseRow.id)
                               .join(PlanRow, PlanRow.id == PlanCase.plan_id)
                               .where(PlanRow.status.in_(LIVE_STATES), CaseRow.case_no.in_(wanted[i:i + 500]))
                               .limit(1))
        if found is not None:
            return True
    return False


def _state(status: str) -> str:
    from planner.store.lifecycle import PlanStatus

    try:
        return PlanStatus(status).label
    except ValueError:
        return status


def _day(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


def planned_moves(session: Session, case_nos: Iterable[str]) -> list[PlannedMove]:
    """The letters among ``case_nos`` that moved off the place a live plan has them at (as the database is now)."""
    from planner.routing.planio import plan_from_json
    from planner.store.plans import plan_name

    out: list[PlannedMove] = []
    for pid, moves in live_plan_moves(session, case_nos, routed_only=False).items():
        row = session.get(PlanRow, pid)
        if row is None:
            continue
        doc = plan_from_json(row.result)
        stops = {s.visit_id: (r, n) for r in doc.plan.routes for n, s in enumerate(r.stops, 1)}
        label = f"计划 #{pid}「{plan_name(row.name, row.start_date, row.days)}」（{_state(row.status)}）"
        for m in moves:
            route, n = stops.get(m.visit_id, (None, 0))
            team = doc.teams.get(route.team_id) if route else None
            where = (f"{team.name if team else route.team_id} {_day(route.date)} 第 {n} 站" if route
                     else "未排入线路")
            out.append(PlannedMove(m, label, where))
    return out


def moves_text(moves: list[PlannedMove]) -> str:
    """The preview's warning ("" when none)."""
    on = [m for m in moves if m.move.routed]
    off = [m for m in moves if not m.move.routed]  # walk W20: stops the plan left 未安排 need no re-plan
    text = (f"导入后，以下 {len(on)} 件已排入下访计划的信访件地点将改变，计划需组长重新规划（导入后“路线规划”会"
            "提示组长；也可先告知组长，或暂不导入）：\n\n" + "\n".join(f"- {m.line()}" for m in on)) if on else ""
    aside = (f"另有计划中未安排的 {len(off)} 件位置将改变（未排入线路，已排的线路不受影响，无需为此重新规划）：\n\n"
             + "\n".join(f"- {m.line()}" for m in off)) if off else ""
    return "\n\n".join(t for t in (text, aside) if t)


def moves_before_import(engine: Engine, data: bytes, *, filename: str, mapping: Mapping[str, str | None],
                        case_nos: Iterable[str], choices: Mapping[int, str] | None = None,
                        take_file: Collection[tuple[str, str]] | bool = (),
                        today: dt.date | None = None) -> list[PlannedMove]:
    """The letters on a live plan that importing ``data`` would move (the import tried and rolled back).

    Parameters
    ----------
    engine
        The database.
    data, filename, mapping, choices, take_file, today
        As the import will be called (:func:`planner.intake.register.import_register`).
    case_nos
        The letters the register's rows would update (their numbers): without one on a live plan, nothing is tried.

    Returns
    -------
    list[PlannedMove]
        In plan order, then stop order; [] when none would move.
    """
    from planner.intake.register import import_register

    session = session_factory(engine)()
    try:
        if not _held(session, case_nos):
            return []
        summary = import_register(session, data, filename=filename, mapping=mapping, choices=choices,
                                  take_file=take_file, today=today, trial=True)
        return planned_moves(session, summary.written)
    finally:
        session.rollback()
        session.close()
