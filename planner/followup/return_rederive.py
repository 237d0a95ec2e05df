"""A 回访 proposed on a visit's "问题已化解" follows that visit's record when it is corrected (walk W17).

Walk W17: an officer recorded ZZ-057 as 已走访, 问题已当场化解 (a 回访 was proposed 30 days later), then corrected it on
the phone to 未找到. The letter went back to 已排程, yet 回访跟踪 › 回访 still listed "057 回访 2027-01-06 …问题已化解
后 30 天" and the 走访结果 Excel printed 回访到期 on the 未找到 row.

:func:`rederive_returns` is run by :func:`planner.followup.outcomes.correct_outcome` (and a re-save of a recorded visit)
after the case has moved: the case's open 回访 proposed on a resolving visit is

- withdrawn (the task removed, the case's 办理记录 saying so) when the letter is no longer 已化解;
- moved to the day its rule gives now (its first resolving first visit + the same number of days) when the letter is
  still 已化解 but that visit's day changed (another visit still resolves it, or the date was corrected).

A 回访 added by hand or proposed for a letter imported as 已化解 is left as it is. What it did is returned for the
outcome's 审计日志 line.

:func:`reopen_undone` is its counterpart for a 回访's own record: a 回访 recorded 已走访 closes the letter's open 回访
and 整改回访 tasks; corrected to 未找到 or 改期 (or to a first visit), it reopens the tasks it had closed — those done
on its day that nobody marked done by hand — unless another 回访 recorded 已走访 that day still closes them.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus, VisitResult, VisitType
from planner.followup.common import RECTIFICATION_CHECK, RETURN_VISIT, _history
from planner.store.models import CaseHistory, CaseRow, FollowUpRow, VisitOutcomeRow

#: What :func:`planner.followup.returns._propose_return` writes for a 回访 proposed on a resolving visit.
_PROPOSED = re.compile(r"^回访：问题已化解（(\d{4}-\d{2}-\d{2})）后 (\d+) 天$")


def _anchor(session: Session, case_id: int) -> dt.date | None:
    """The day of the case's first visit (not a 回访) recorded 已走访 with 问题已解决, or None."""
    return session.scalars(select(func.min(VisitOutcomeRow.visit_date)).where(
        VisitOutcomeRow.case_id == case_id, VisitOutcomeRow.result == VisitResult.VISITED.value,
        VisitOutcomeRow.problem_resolved.is_(True),
        VisitOutcomeRow.visit_type != VisitType.RETURN.value)).first()


def rederive_returns(session: Session, case: CaseRow, row: VisitOutcomeRow, *, who: str) -> dict[str, object]:
    """Withdraw or move ``case``'s open 回访 proposed on a resolving visit after ``row`` was corrected; returns the
    审计日志 detail of what changed (``{"return_withdrawn": "2027-01-06"}``, ``{"return_moved": [old, new]}``) or
    ``{}``."""
    tasks = [t for t in session.scalars(select(FollowUpRow).where(
        FollowUpRow.case_id == case.id, FollowUpRow.kind == RETURN_VISIT, FollowUpRow.done.is_(False))
        .order_by(FollowUpRow.id)) if _PROPOSED.match(t.description or "")]
    if not tasks:
        return {}
    said = f"走访结果 #{row.id}（{row.visit_date.isoformat()}）更正为{VisitResult(row.result).label}" + (
        "，问题已解决" if row.problem_resolved else "，问题未解决" if row.result == VisitResult.VISITED.value else "")
    anchor = _anchor(session, case.id) if CaseStatus(case.status) is CaseStatus.RESOLVED else None
    out: dict[str, object] = {}
    for task in tasks:
        old_anchor, days = _PROPOSED.match(task.description).groups()
        if anchor is None:
            _history(session, case, who, "followup_withdrawn", {
                "followup_id": task.id, "kind": RETURN_VISIT, "due_date": task.due_date,
                "note": f"{said}，不再是已化解：原定 {task.due_date.isoformat()} 到期的回访已撤销"})
            out.setdefault("return_withdrawn", task.due_date.isoformat())
            session.delete(task)
            continue
        due = anchor + dt.timedelta(days=int(days))
        if anchor.isoformat() == old_anchor and due == task.due_date:
            continue
        was = task.due_date
        task.due_date, task.description = due, f"回访：问题已化解（{anchor.isoformat()}）后 {days} 天"
        _history(session, case, who, "followup_rescheduled", {
            "followup_id": task.id, "kind": RETURN_VISIT, "due_date": due,
            "note": f"{said}：回访到期日由 {was.isoformat()} 改为 {due.isoformat()}（问题已化解（{anchor.isoformat()}）"
                    f"后 {days} 天）"})
        out.setdefault("return_moved", [was.isoformat(), due.isoformat()])
    session.flush()
    return out


def reopen_undone(
    session: Session, case: CaseRow, row: VisitOutcomeRow, before: dict, *, who: str
) -> dict[str, object]:
    """Reopen the 回访 / 整改回访 tasks a 回访 recorded 已走访 had closed, now that ``row`` (its values ``before`` the
    correction given) no longer says a 回访 was made; returns the 审计日志 detail (``{"return_reopened": [due, ...]}``)
    or ``{}``."""
    was_return_visit = (before.get("visit_type") == VisitType.RETURN.value
                        and before.get("result") == VisitResult.VISITED.value)
    still = row.visit_type == VisitType.RETURN.value and row.result == VisitResult.VISITED.value
    day = before.get("visit_date")
    if not was_return_visit or (still and row.visit_date == day) or day is None:
        return {}
    by_hand = {(h.detail or {}).get("followup_id") for h in session.scalars(select(CaseHistory).where(
        CaseHistory.case_id == case.id, CaseHistory.action == "followup_done"))}  # marked done by a person
    closed = [t for t in session.scalars(select(FollowUpRow).where(
        FollowUpRow.case_id == case.id, FollowUpRow.kind.in_((RETURN_VISIT, RECTIFICATION_CHECK)),
        FollowUpRow.done.is_(True), FollowUpRow.done_date == day).order_by(FollowUpRow.id)) if t.id not in by_hand]
    if still:  # only its day corrected: what it closed was closed on the day it was made
        for task in closed:
            task.done_date = row.visit_date
        return {}
    if session.scalars(select(VisitOutcomeRow.id).where(
            VisitOutcomeRow.case_id == case.id, VisitOutcomeRow.id != row.id,
            VisitOutcomeRow.visit_type == VisitType.RETURN.value,
            VisitOutcomeRow.result == VisitResult.VISITED.value, VisitOutcomeRow.visit_date == day)).first():
        return {}  # another 回访 made that day still closes them
    said = f"回访记录 #{row.id}（{day.isoformat()}）更正为" + (
        VisitResult(row.result).label if row.result != VisitResult.VISITED.value else "首次走访")
    reopened = []
    for task in closed:
        task.done, task.done_date = False, None
        kind = "回访" if task.kind == RETURN_VISIT else "整改回访"
        _history(session, case, who, "followup_reopened", {
            "followup_id": task.id, "kind": task.kind, "due_date": task.due_date,
            "note": f"{said}：{kind}（到期 {task.due_date.isoformat()}）重新列为待办"})
        reopened.append(task.due_date.isoformat())
    session.flush()
    return {"return_reopened": reopened} if reopened else {}
