"""整改: rectification items with their responsible unit and deadline, done or overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InputError, NotFoundError
from planner.followup.common import (
    _case_row,
    _check_version,
    _flush,
    _history,
    _need_who,
    _stale_as_conflict,
    _visible,
    stored_case_no,
)
from planner.store.history import diff, log_change
from planner.store.models import CaseRow, RectificationRow


@dataclass(frozen=True, slots=True)
class Rectification:
    """A rectification item (整改) with its owner and deadline."""

    rect_id: int
    case_no: str
    item: str
    owner: str
    due_date: dt.date
    done: bool = False
    done_date: dt.date | None = None
    note: str = ""
    version: int = 1

    def is_overdue(self, today: dt.date) -> bool:
        """True when not done and past its deadline."""
        return not self.done and today > self.due_date

    def days_overdue(self, today: dt.date) -> int:
        """Days past the deadline (0 when not overdue)."""
        return max(0, (today - self.due_date).days) if not self.done else 0


@_stale_as_conflict
def add_rectification(
    session: Session, case_no: str, *, item: str, owner: str, due_date: dt.date, who: str, note: str = ""
) -> int:
    """Add a rectification item (整改事项) with the unit or person responsible and its deadline.

    Returns
    -------
    int
        Id of the item.
    """
    who = _need_who(who)
    if not str(item or "").strip():
        raise InputError(f"请写明信访件 {case_no!r} 需要整改的事项，收到 {item!r}")
    if not str(owner or "").strip():
        raise InputError(f"信访件 {case_no!r} 的整改事项须写明责任单位，收到 {owner!r}")
    if not isinstance(due_date, dt.date):
        raise InputError(f"整改期限应为日期（如 2026-12-07），收到 {due_date!r}")
    case = _case_row(session, case_no)
    row = RectificationRow(case_id=case.id, item=item.strip(), owner=owner.strip(), due_date=due_date, note=note)
    session.add(row)
    _flush(session, f"case {case_no!r}")
    _history(session, case, who, "rectification", {"rect_id": row.id, "owner": row.owner, "due_date": due_date})
    log_change(session, "rectification", row.id, who=who, action="created", case_id=case.id,
               changes={"item": row.item, "owner": row.owner, "due_date": due_date})
    _audit(session, who, "rectification_add", case, row)
    return row.id


def _audit(session: Session, who: str, action: str, case: CaseRow, row: RectificationRow,
           fields: list[str] | None = None) -> None:
    """审计日志 of a 整改 item (walk W15: only in its own 修改记录): who, which item of which case, its responsible
    unit, deadline and completion, the fields a correction changed; never the item's own words, which may name the
    petitioner."""
    from planner.office import audit

    detail = {"rect": row.id, "owner": row.owner, "due_date": row.due_date, "done": bool(row.done),
              "done_date": row.done_date}
    if action == "rectification_add":
        audit.record(session, who, "rectification_add", case_nos=[case.case_no], detail=detail)
    elif action == "rectification_done":
        audit.record(session, who, "rectification_done", case_nos=[case.case_no], detail=detail)
    else:
        audit.record(session, who, "rectification_correct", case_nos=[case.case_no],
                     detail={**detail, "fields": list(fields or ())})


@_stale_as_conflict
def complete_rectification(
    session: Session,
    rect_id: int,
    *,
    done_date: dt.date,
    who: str,
    note: str = "",
    expected_version: int | None = None,
) -> None:
    """Mark a rectification item done.

    Raises
    ------
    NotFoundError
        If there is no such item.
    ConflictError
        If the item changed since ``expected_version`` was read.
    """
    who = _need_who(who)
    row = session.get(RectificationRow, rect_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {rect_id!r} 的整改事项")
    _check_version("rectification", rect_id, row.version, expected_version)
    row.done, row.done_date = True, done_date
    if note:
        row.note = note
    case = session.get(CaseRow, row.case_id)
    _history(session, case, who, "rectification_done", {"rect_id": rect_id, "done_date": done_date})
    log_change(session, "rectification", rect_id, who=who, action="done", case_id=row.case_id,
               changes={"done": {"from": False, "to": True}, "done_date": done_date})
    _audit(session, who, "rectification_done", case, row)
    _flush(session, f"rectification {rect_id!r}")


@_stale_as_conflict
def correct_rectification(
    session: Session,
    rect_id: int,
    *,
    who: str,
    expected_version: int | None = None,
    item: str | None = None,
    owner: str | None = None,
    due_date: dt.date | None = None,
    note: str | None = None,
) -> bool:
    """Correct a rectification item (what, who is responsible, deadline, note); the changes go to its history.

    Arguments left as None keep their stored value.

    Returns
    -------
    bool
        True when something changed.

    Raises
    ------
    NotFoundError
        If there is no such item.
    InputError
        For an empty item or owner, or a deadline that is not a date.
    ConflictError
        If the item changed since ``expected_version`` was read.
    """
    who = _need_who(who)
    row = session.get(RectificationRow, rect_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {rect_id!r} 的整改事项")
    _check_version("整改事项", rect_id, row.version, expected_version)
    for label, value in (("整改内容", item), ("责任单位", owner)):
        if value is not None and not str(value).strip():
            raise InputError(f"整改事项 #{rect_id!r} 须写明{label}，收到 {value!r}")
    if due_date is not None and not isinstance(due_date, dt.date):
        raise InputError(f"整改期限应为日期（如 2026-12-07），收到 {due_date!r}")
    wanted = {"item": None if item is None else str(item).strip(), "owner": None if owner is None else
              str(owner).strip(), "due_date": due_date, "note": note}
    after = {k: v for k, v in wanted.items() if v is not None}
    changes = diff({k: getattr(row, k) for k in after}, after)
    if not changes:
        return False
    for k, v in after.items():
        setattr(row, k, v)
    case = session.get(CaseRow, row.case_id)
    _history(session, case, who, "rectification_corrected", {"rect_id": rect_id, "changes": changes})
    log_change(session, "rectification", rect_id, who=who, action="corrected", case_id=case.id, changes=changes)
    _audit(session, who, "rectification_correct", case, row, list(changes))
    _flush(session, f"rectification {rect_id!r}")
    return True


def list_rectifications(
    session: Session,
    *,
    case_no: str | None = None,
    open_only: bool = False,
    overdue_on: dt.date | None = None,
    actor: object | None = None,
) -> list[Rectification]:
    """Rectification items by deadline; ``overdue_on`` keeps only items not done and past their deadline that day.

    ``actor`` limits the list to the cases that ``planner.office.security.Actor`` may see.
    """
    query = _visible(select(RectificationRow, CaseRow.case_no).join(CaseRow, CaseRow.id == RectificationRow.case_id),
                     actor)
    if case_no is not None:
        query = query.where(CaseRow.case_no == stored_case_no(session, case_no))
    if open_only or overdue_on is not None:
        query = query.where(RectificationRow.done.is_(False))
    if overdue_on is not None:
        query = query.where(RectificationRow.due_date < overdue_on)
    query = query.order_by(RectificationRow.due_date, RectificationRow.id)
    return [
        Rectification(r.id, no, r.item, r.owner, r.due_date, r.done, r.done_date, r.note, r.version)
        for r, no in session.execute(query)
    ]


def overdue_rectifications(session: Session, today: dt.date, *, actor: object | None = None) -> list[Rectification]:
    """Rectification items not done and past their deadline on ``today``, most overdue first."""
    return list_rectifications(session, overdue_on=today, actor=actor)
