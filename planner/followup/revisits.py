"""Revisits waiting: letters whose last visit did not happen (改期, 未找到) and that no plan sends a team to again.

An officer records 改期 with the day agreed with the petitioner (改到哪天), or 未找到; a re-plan then plans the stop
again. When it cannot (walk W15: ZZJW-2026-11-029 agreed for 12-09, the plan ending 12-08), or when the plan is closed
before, the promise is kept nowhere: 回访跟踪's 今日与回访 did not list the letter, 首页 counted 到期回访 0 and 选件
showed it as a letter like any other. :func:`waiting_revisits` is the one reading of them that those lists share
(:mod:`planner.store.left_revisits` reads one saved plan's left-out revisits for 路线规划).

Public API
----------
``waiting_revisits(session, *, case_nos=None, actor=None) -> dict[str, WaitingRevisit]``
    The open letters whose latest visit record is 改期 or 未找到 and that no live plan (草稿, 已下发, 执行中) routes
    on a later day, earliest due first.
``WaitingRevisit``
    One of them: the record, the day it is due (the agreed day, else the day after the record), and the plan that
    left it out; :meth:`WaitingRevisit.text` says it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus, VisitResult
from planner.followup.common import _visible
from planner.store.models import CaseRow, PlanCase, PlanRow, VisitOutcomeRow

#: Plans that hold a letter they route: a draft being made, an issued or a running plan (not a finished one).
LIVE_PLANS = ("draft", "issued", "approved", "in_progress")
_MISSED = (VisitResult.POSTPONED.value, VisitResult.NOT_FOUND.value)


@dataclass(frozen=True, slots=True)
class WaitingRevisit:
    """A letter to visit again that no plan holds: its latest record and where it was left."""

    case_no: str
    result: str  # VisitResult value: postponed (改期) or not_found (未找到)
    recorded: dt.date  # the day of the latest record
    team_id: str
    agreed: dt.date | None  # the day agreed with the petitioner (改期 only)
    reason: str  # the officer's words, as typed (mask before showing: planner.office.privacy.mask_free_text)
    plan_id: int | None = None  # the last plan that listed the letter
    plan_name: str = ""
    plan_revision: int = 0
    left_out: bool = False  # that plan lists it without a route: its last re-plan could not place it
    plan_done: bool = False  # that plan is finished (已完成)

    @property
    def due(self) -> dt.date:
        """The agreed day, else the day after the record (a re-plan plans it from then)."""
        return self.agreed or self.recorded + dt.timedelta(days=1)

    @property
    def kind(self) -> str:
        """改期 or 未找到."""
        return VisitResult(self.result).label

    def late_days(self, today: dt.date) -> int:
        """Days past :attr:`due` (0 when not yet due)."""
        return max(0, (today - self.due).days)

    def plan_text(self) -> str:
        """``计划 #3「第49周」第 2 版未能排入``, ``计划 #3「第49周」已完成，未再安排`` or ``未列入计划``."""
        if self.plan_id is None:
            return "未列入计划"
        name = f"计划 #{self.plan_id}「{self.plan_name or self.plan_id}」"
        if self.left_out:
            return f"{name}第 {self.plan_revision} 版未能排入" if self.plan_revision > 1 else f"{name}未能排入"
        return f"{name}已完成，未再安排" if self.plan_done else f"{name}尚未重新安排"

    def when_text(self, today: dt.date) -> str:
        """``12-07 改期，约定 12-09 再访``, ``12-07 改期，新日期未约定`` or ``12-07 未找到``, with ``（已逾期 2 天）``
        once past its day (:attr:`due`)."""
        said = (f"{self.recorded:%m-%d} 改期，约定 {self.agreed:%m-%d} 再访" if self.agreed
                else f"{self.recorded:%m-%d} 改期，新日期未约定" if self.result == VisitResult.POSTPONED.value
                else f"{self.recorded:%m-%d} 未找到")
        late = self.late_days(today)
        return said + (f"（已逾期 {late} 天）" if late else "")

    def text(self, today: dt.date) -> str:
        """``待再访：12-07 改期，约定 12-09 再访（已逾期 1 天）；计划 #3「第49周」第 2 版未能排入``."""
        return f"待再访：{self.when_text(today)}；{self.plan_text()}"


def waiting_revisits(session: Session, *, case_nos: Iterable[str] | None = None,
                     actor: object | None = None) -> dict[str, WaitingRevisit]:
    """The open letters (of ``case_nos``, else all that ``actor`` may see) whose latest visit record (by visit day,
    then as recorded) is 改期 or 未找到, and that no live plan routes on a day after that record: case number ->
    :class:`WaitingRevisit`, earliest due first. A plan that still routes the letter on the day it was put off, or
    that left it out, does not hold it; a plan that placed the revisit does."""
    query = _visible(
        select(CaseRow.id, CaseRow.case_no, VisitOutcomeRow.visit_date, VisitOutcomeRow.result, VisitOutcomeRow.team_id,
               VisitOutcomeRow.put_off_to, VisitOutcomeRow.reason)
        .join(VisitOutcomeRow, VisitOutcomeRow.case_id == CaseRow.id)
        .where(CaseRow.status.in_([s.value for s in CaseStatus if s.is_open])),
        actor)
    if case_nos is not None:
        wanted = sorted({str(no) for no in case_nos})
        if not wanted:
            return {}
        query = query.where(CaseRow.case_no.in_(wanted))
    latest: dict[int, tuple] = {}
    for row in session.execute(query.order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id)):
        latest[row[0]] = tuple(row)
    missed = {cid: r for cid, r in latest.items() if r[3] in _MISSED}
    if not missed:
        return {}
    listed: dict[int, list[tuple]] = {}
    for pc_case, pid, team, day, status, name in session.execute(
            select(PlanCase.case_id, PlanRow.id, PlanCase.team_id, PlanCase.visit_date, PlanRow.status, PlanRow.name)
            .join(PlanRow, PlanRow.id == PlanCase.plan_id).where(PlanCase.case_id.in_(sorted(missed)))
            .order_by(PlanRow.id)):
        listed.setdefault(pc_case, []).append((pid, team, day, status, name))
    out: list[WaitingRevisit] = []
    for cid, (_id, no, day, result, team, agreed, reason) in missed.items():
        plans = listed.get(cid, [])
        if any(t and d is not None and d > day and s in LIVE_PLANS for _p, t, d, s, _n in plans):
            continue  # a plan sends a team there again
        last = plans[-1] if plans else None
        out.append(WaitingRevisit(
            no, result, day, team or "", agreed if result == VisitResult.POSTPONED.value else None, reason or "",
            plan_id=last[0] if last else None, plan_name=last[4] or "" if last else "",
            plan_revision=_revision(session, last[0]) if last else 0,
            left_out=bool(last) and (not last[1] or last[2] is None), plan_done=bool(last) and last[3] == "done"))
    out.sort(key=lambda w: (w.due, w.case_no))
    return {w.case_no: w for w in out}


def _revision(session: Session, plan_id: int) -> int:
    from planner.store.lifecycle import plan_revision

    return plan_revision(session, plan_id)
