"""Handling deadlines (信访工作条例: 60 days, extendable once by 30): extensions, overdue and at-risk cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import MAX_EXTENSION_DAYS, CaseStatus, PetitionCase
from planner.errors import InputError
from planner.followup.common import (
    _case_row,
    _check_version,
    _flush,
    _history,
    _need_who,
    _stale_as_conflict,
    _summary,
    _visible,
    at_risk_horizon_days,
)
from planner.store.models import CaseRow


@dataclass(frozen=True, slots=True)
class CaseDeadline:
    """A case's handling deadline as seen on 首页."""

    case_no: str
    summary: str
    county: str
    status: CaseStatus
    received_date: dt.date
    due_date: dt.date
    days_left: int
    state: str  # "overdue" | "at_risk" | "ok"
    extended: bool

    @property
    def state_label(self) -> str:
        """已超期 / 临近期限 / 正常."""
        return {"overdue": "已超期", "at_risk": "临近期限", "ok": "正常"}[self.state]


def _deadline_case(row: CaseRow) -> PetitionCase:
    return PetitionCase(
        case_no=row.case_no, received_date=row.received_date, content=row.content or "", title=row.title or "",
        status=CaseStatus(row.status), deadline=row.deadline, extension_days=row.extension_days or 0,
    )


@_stale_as_conflict
def extend_deadline(
    session: Session, case_no: str, days: int, *, who: str, reason: str, expected_version: int | None = None
) -> dt.date:
    """Extend a case's handling deadline once by 1..30 days (信访工作条例).

    Returns
    -------
    datetime.date
        The new due date.

    Raises
    ------
    InputError
        If ``days`` is outside 1..30, no reason is given, or the case was already extended.
    ConflictError
        If the case changed since ``expected_version`` was read.
    """
    who = _need_who(who)
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise InputError(f"延长天数应为 1 到 {MAX_EXTENSION_DAYS} 天，收到 {days!r}")
    if not str(reason or "").strip():
        raise InputError(f"请写明信访件 {case_no!r} 延长办理期限的理由，收到 {reason!r}")
    row = _case_row(session, case_no)
    _check_version("case", case_no, row.version, expected_version)
    if row.extension_days:
        raise InputError(
            f"信访件 {case_no!r} 的办理期限已延长过 {row.extension_days} 天，只能延长一次"
        )
    row.extension_days = days
    _history(session, row, who, "deadline_extended", {"days": days, "reason": reason,
                                                     "due_date": row.deadline + dt.timedelta(days=days)})
    _flush(session, f"case {case_no!r}")
    return row.deadline + dt.timedelta(days=days)


def deadline_watch(
    session: Session,
    today: dt.date,
    *,
    at_risk_days: int | None = None,
    states: tuple[str, ...] = ("overdue", "at_risk"),
    county_codes: tuple[str, ...] = (),
    actor: object | None = None,
) -> list[CaseDeadline]:
    """Open cases whose handling deadline is passed or near, most urgent first (for 首页).

    Parameters
    ----------
    today
        Reference day.
    at_risk_days
        A case due within this many days is at risk; None reads the setting (default 10).
    states
        Which states to return (``"overdue"``, ``"at_risk"``, ``"ok"``).
    county_codes
        Restrict to these counties (empty: all).
    """
    if at_risk_days is None:
        at_risk_days = at_risk_horizon_days(session)
    query = _visible(select(CaseRow).where(CaseRow.status.in_([s.value for s in CaseStatus if s.is_open])), actor)
    if county_codes:
        query = query.where(CaseRow.county_code.in_(list(county_codes)))
    out = []
    for row in session.scalars(query):
        case = _deadline_case(row)
        state = case.deadline_state(today, at_risk_days=at_risk_days)
        if state in states:
            out.append(CaseDeadline(row.case_no, _summary(row), row.county, case.status, row.received_date,
                                    case.due_date(), case.days_left(today), state, bool(row.extension_days)))
    out.sort(key=lambda d: (d.days_left, d.case_no))
    return out


def overdue_cases(session: Session, today: dt.date) -> list[CaseDeadline]:
    """Open cases past their handling deadline."""
    return deadline_watch(session, today, states=("overdue",))


def at_risk_cases(session: Session, today: dt.date, *, days: int | None = None) -> list[CaseDeadline]:
    """Open cases due within ``days`` (None: the setting, default 10), not yet overdue."""
    return deadline_watch(session, today, at_risk_days=days, states=("at_risk",))
