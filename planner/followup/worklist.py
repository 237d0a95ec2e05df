"""The field officer's list: cases to record an outcome for, today's planned visits first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus
from planner.followup.common import RETURN_VISIT, _case_row, _summary, _visible
from planner.followup.returns import list_followups
from planner.store.models import CaseRow, PlanCase


@dataclass(frozen=True, slots=True)
class VisitChoice:
    """A case a field officer may record an outcome for, with why it is on the list."""

    case_no: str
    label: str  # "平和县山格镇土田村 · 反映……"
    status: CaseStatus
    team_id: str = ""
    plan_id: int | None = None
    visit_date: dt.date | None = None
    is_return: bool = False  # an open return visit is due
    planned_today: bool = False
    due_date: dt.date | None = None  # handling deadline including any extension

    def deadline_text(self, today: dt.date) -> str:
        """``期限 2026-12-31（剩 24 天）`` or ``期限 2026-12-01（已超期 6 天）``; empty without a deadline."""
        if self.due_date is None:
            return ""
        left = (self.due_date - today).days
        return f"期限 {self.due_date.isoformat()}（" + (f"剩 {left} 天）" if left >= 0 else f"已超期 {-left} 天）")

    def option_label(self) -> str:
        """Text of the choice in a phone-width select box."""
        tag = "今日" if self.planned_today else ("回访" if self.is_return else self.status.label)
        return f"[{tag}] {self.case_no} · {self.label}"


def visit_choices(
    session: Session,
    day: dt.date,
    *,
    team_ids: tuple[str, ...] = (),
    include_open: bool = True,
    return_within_days: int = 7,
    limit: int = 300,
    actor: object | None = None,
) -> list[VisitChoice]:
    """Cases to pick from when recording an outcome: today's planned visits first, then return visits due soon,
    then other open or visited cases.

    Parameters
    ----------
    day
        The field day.
    team_ids
        Only visits planned for these teams (an officer's teams); empty: all teams.
    include_open
        Also list other open cases (a visit made outside a plan).
    return_within_days
        Return visits due up to this many days after ``day`` are listed.
    limit
        At most this many choices.
    actor
        Only cases this ``planner.office.security.Actor`` may see (None: all).
    """
    out: dict[str, VisitChoice] = {}
    today_q = _visible(
        select(PlanCase, CaseRow)
        .join(CaseRow, CaseRow.id == PlanCase.case_id)
        .where(PlanCase.visit_date == day)
        .order_by(PlanCase.team_id, PlanCase.seq, PlanCase.plan_id.desc()),
        actor,
    )
    if team_ids:
        today_q = today_q.where(PlanCase.team_id.in_(list(team_ids)))
    returns = list_followups(session, kinds=(RETURN_VISIT,), due_by=day + dt.timedelta(days=return_within_days),
                             actor=actor)
    open_returns = {i.task.case_no for i in returns}
    for pc, c in session.execute(today_q):
        if c.case_no not in out:
            out[c.case_no] = VisitChoice(c.case_no, _place_summary(c), CaseStatus(c.status), pc.team_id, pc.plan_id,
                                         day, c.case_no in open_returns, True, _due(c))
    for item in returns:
        t = item.task
        if t.case_no not in out and (not team_ids or not t.preferred_team_id or t.preferred_team_id in team_ids):
            c = _case_row(session, t.case_no)
            out[t.case_no] = VisitChoice(t.case_no, _place_summary(c), CaseStatus(c.status), t.preferred_team_id,
                                         None, t.due_date, True, False, _due(c))
    if include_open and len(out) < limit:
        wanted = [CaseStatus.SELECTED, CaseStatus.PLANNED, CaseStatus.VISITED, CaseStatus.REGISTERED]
        rows = session.scalars(
            _visible(select(CaseRow).where(CaseRow.status.in_([s.value for s in wanted])), actor)
            .order_by(CaseRow.deadline, CaseRow.case_no)
        )
        for c in rows:
            if len(out) >= limit:
                break
            if c.case_no not in out:
                out[c.case_no] = VisitChoice(c.case_no, _place_summary(c), CaseStatus(c.status), due_date=_due(c))
    return list(out.values())


def _due(row: CaseRow) -> dt.date | None:
    return row.deadline + dt.timedelta(days=row.extension_days or 0) if row.deadline else None


def _place_summary(row: CaseRow) -> str:
    place = "".join(p for p in (row.county, row.town, row.village) if p)
    return f"{place} · {_summary(row, 24)}" if place else _summary(row, 30)
