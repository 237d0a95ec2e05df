"""Visit outcomes: recorded, corrected and read back; 息诉息访 agreements that close a case.

Every function takes an open SQLAlchemy session and leaves committing to the caller (``session_scope``), so a page
or the CLI can record an outcome, its feedback and its follow-ups all-or-nothing. Records that people edit later
carry a ``version``; callers that show a record and save it later pass the version they showed as
``expected_version`` and get a :class:`ConflictError` when someone else changed it in between.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus, VisitOutcome, VisitResult, VisitType
from planner.errors import InputError, NotFoundError
from planner.followup.common import (
    RETURN_VISIT,
    _case_row,
    _check_version,
    _flush,
    _history,
    _need_who,
    _stale_as_conflict,
    return_delay_days,
    set_case_status,
)
from planner.followup.returns import _propose_return
from planner.store.models import CaseRow, FollowUpRow, SettlementRow, VisitOutcomeRow


@_stale_as_conflict
def record_outcome(
    session: Session,
    outcome: VisitOutcome,
    *,
    who: str,
    plan_id: int | None = None,
    visit_type: VisitType | str = VisitType.INVESTIGATION,
    delay_days: int | None = None,
) -> int:
    """Record what happened at a visit for one case, move the case on and propose the return visit.

    - visited and resolved: status 已化解, and a 回访 is proposed ``delay_days`` later (default from settings, 30),
      preferring the team that did the first visit;
    - visited, not resolved: status 已下访 (a resolved case found unresolved on a 回访 is reopened as 已下访);
    - not found / postponed: the status stays, the reason goes to the history.
    A visited outcome of a 回访 closes the case's open return-visit tasks.

    Parameters
    ----------
    session
        Open session; the caller commits.
    outcome
        The validated outcome (``planner.domain.VisitOutcome``).
    who
        User name recorded in the history.
    plan_id
        The saved plan the visit belonged to, if any.
    visit_type
        Kind of visit; ``"return"`` completes pending return visits instead of proposing a new one.
    delay_days
        Days until the proposed return visit; None reads the setting.

    Returns
    -------
    int
        Id of the stored outcome.

    Raises
    ------
    NotFoundError
        If the case does not exist.
    InputError
        If ``who`` is empty.
    """
    who = _need_who(who)
    visit_type = VisitType(visit_type)
    case = _case_row(session, outcome.case_no)
    row = VisitOutcomeRow(
        case_id=case.id,
        plan_id=plan_id,
        team_id=outcome.team_id,
        visit_date=outcome.visit_date,
        result=outcome.result.value,
        reason=outcome.reason,
        findings=outcome.findings,
        problem_resolved=outcome.problem_resolved and outcome.result is VisitResult.VISITED,
        report_true=outcome.report_true,
        households_visited=outcome.households_visited,
        leads_collected=outcome.leads_collected,
        problems_solved=outcome.problems_solved,
        time_spent_min=outcome.time_spent_min,
        recorded_by=outcome.recorded_by or who,
    )
    session.add(row)
    _flush(session, f"case {outcome.case_no!r}")
    _history(
        session,
        case,
        who,
        "outcome",
        {
            "outcome_id": row.id,
            "visit_type": visit_type.value,
            "result": outcome.result.value,
            "visit_date": outcome.visit_date,
            "team_id": outcome.team_id,
            "reason": outcome.reason,
            "problem_resolved": row.problem_resolved,
            "report_true": outcome.report_true,
        },
    )
    status = CaseStatus(case.status)
    if outcome.result is VisitResult.VISITED:
        if visit_type is VisitType.RETURN:
            for task in session.scalars(
                select(FollowUpRow).where(
                    FollowUpRow.case_id == case.id, FollowUpRow.kind == RETURN_VISIT, FollowUpRow.done.is_(False)
                )
            ).all():
                task.done, task.done_date = True, outcome.visit_date
        if row.problem_resolved:
            if status.is_open:
                set_case_status(session, case.case_no, CaseStatus.RESOLVED, who=who, note="下访化解")
            if visit_type is not VisitType.RETURN:
                _propose_return(
                    session,
                    case,
                    anchor=outcome.visit_date,
                    delay_days=return_delay_days(session) if delay_days is None else delay_days,
                    reason="问题已化解",
                )
        elif status in (CaseStatus.REGISTERED, CaseStatus.SELECTED, CaseStatus.PLANNED) or (
            visit_type is VisitType.RETURN and status is CaseStatus.RESOLVED
        ):
            set_case_status(
                session,
                case.case_no,
                CaseStatus.VISITED,
                who=who,
                note="回访发现问题未解决" if visit_type is VisitType.RETURN else "已下访核查",
            )
    _flush(session, f"case {outcome.case_no!r}")
    return row.id


_OUTCOME_FIELDS = ("visit_date", "result", "team_id", "reason", "findings", "problem_resolved", "report_true",
                   "households_visited", "leads_collected", "problems_solved", "time_spent_min")


@_stale_as_conflict
def correct_outcome(
    session: Session, outcome_id: int, outcome: VisitOutcome, *, who: str, expected_version: int | None = None
) -> None:
    """Correct a recorded outcome (typo in a number, findings added later); the previous values go to the history.

    The case's status is not changed: use :func:`set_case_status` when the correction changes the result.

    Raises
    ------
    NotFoundError
        If there is no such outcome, or ``outcome.case_no`` is not its case.
    ConflictError
        If the outcome changed since ``expected_version`` was read.
    """
    who = _need_who(who)
    row = session.get(VisitOutcomeRow, outcome_id)
    if row is None:
        raise NotFoundError(f"outcome_id: no visit outcome {outcome_id!r}")
    case = session.get(CaseRow, row.case_id)
    if case.case_no != outcome.case_no:
        raise NotFoundError(f"outcome {outcome_id!r} belongs to case {case.case_no!r}, not {outcome.case_no!r}")
    _check_version("visit outcome", outcome_id, row.version, expected_version)
    before = {f: getattr(row, f) for f in _OUTCOME_FIELDS}
    after = {f: getattr(outcome, f) for f in _OUTCOME_FIELDS}
    after["result"] = outcome.result.value
    after["problem_resolved"] = outcome.problem_resolved and outcome.result is VisitResult.VISITED
    changed = {f: {"from": before[f], "to": after[f]} for f in _OUTCOME_FIELDS if before[f] != after[f]}
    if not changed:
        return
    for f in changed:
        setattr(row, f, after[f])
    _history(session, case, who, "outcome_corrected", {"outcome_id": outcome_id, "changes": changed})
    _flush(session, f"visit outcome {outcome_id!r}")


def outcome_version(session: Session, outcome_id: int) -> int:
    """The current version of a stored outcome (for :func:`correct_outcome`'s ``expected_version``)."""
    row = session.get(VisitOutcomeRow, outcome_id)
    if row is None:
        raise NotFoundError(f"outcome_id: no visit outcome {outcome_id!r}")
    return row.version


def outcomes_for_case(session: Session, case_no: str) -> list[VisitOutcome]:
    """The recorded outcomes of a case, oldest first."""
    case = _case_row(session, case_no)
    rows = session.scalars(
        select(VisitOutcomeRow)
        .where(VisitOutcomeRow.case_id == case.id)
        .order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id)
    ).all()
    return [
        VisitOutcome(
            case_no=case.case_no,
            visit_date=r.visit_date,
            result=VisitResult(r.result),
            team_id=r.team_id,
            reason=r.reason or ("—" if r.result != "visited" else ""),
            findings=r.findings,
            problem_resolved=r.problem_resolved,
            report_true=r.report_true,
            households_visited=r.households_visited,
            leads_collected=r.leads_collected,
            problems_solved=r.problems_solved,
            time_spent_min=r.time_spent_min,
            recorded_by=r.recorded_by,
        )
        for r in rows
    ]


@_stale_as_conflict
def record_settlement(session: Session, case_no: str, *, agreed_date: dt.date, terms: str, who: str) -> int:
    """Record a 息诉息访 agreement and close the case (已办结).

    Returns
    -------
    int
        Id of the settlement record.
    """
    who = _need_who(who)
    if not str(terms or "").strip():
        raise InputError(f"terms: a 息诉息访 agreement for case {case_no!r} needs its terms, got {terms!r}")
    case = _case_row(session, case_no)
    row = SettlementRow(case_id=case.id, agreed_date=agreed_date, terms=terms.strip(), recorded_by=who)
    session.add(row)
    _flush(session, f"case {case_no!r}")
    _history(session, case, who, "settlement", {"settlement_id": row.id, "agreed_date": agreed_date})
    set_case_status(session, case.case_no, CaseStatus.CLOSED, who=who, note="签订息诉息访协议")
    _flush(session, f"case {case_no!r}")
    return row.id
