"""After the visit: outcomes, 双反馈, 澄清 records, 息诉息访, 整改, 回访 proposals and handling deadlines.

Every function takes an open SQLAlchemy session and leaves committing to the caller (``session_scope``), so a page
or the CLI can record an outcome, its feedback and its follow-ups all-or-nothing. Records that people edit later
(outcomes, feedback, rectifications, follow-ups, the case itself) carry a ``version``; callers that show a record and
save it later pass the version they showed as ``expected_version`` and get a :class:`ConflictError` when someone else
changed it in between.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from planner.domain import (
    MAX_EXTENSION_DAYS,
    CaseStatus,
    FollowUpTask,
    PetitionCase,
    Visit,
    VisitOutcome,
    VisitResult,
    VisitType,
)
from planner.errors import ConflictError, InputError, NotFoundError
from planner.store.models import (
    CaseHistory,
    CaseRow,
    ClarificationRow,
    FeedbackRow,
    FollowUpRow,
    PlanCase,
    RectificationRow,
    SettingRow,
    SettlementRow,
    VisitOutcomeRow,
)

#: Days after a case is resolved (or a rectification deadline passes) when the return visit falls due.
DEFAULT_RETURN_DELAY_DAYS = 30
#: Cases due within this many days are "at risk" on 首页.
DEFAULT_AT_RISK_DAYS = 10
#: Settings row holding ``{"return_delay_days": int, "at_risk_days": int}`` (group ``general`` is read first).
SETTINGS_KEY = "followup"

FEEDBACK_SIDES = ("petitioner", "government")
FEEDBACK_SIDE_LABELS = {"petitioner": "信访人", "government": "党委政府"}
FEEDBACK_CHANNELS = ("当面", "电话", "书面", "短信", "其他")
#: Statuses of a case that has been handled on site, so both feedback sides are expected.
HANDLED_STATUSES = (CaseStatus.VISITED, CaseStatus.RESOLVED, CaseStatus.CLARIFIED, CaseStatus.CLOSED)
RETURN_VISIT = "return_visit"
RECTIFICATION_CHECK = "rectification"


# --------------------------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """One side of 双反馈 for a case."""

    feedback_id: int
    case_no: str
    side: str  # "petitioner" | "government"
    feedback_date: dt.date
    channel: str
    content: str
    recipient: str = ""
    acknowledged: bool = False
    recorded_by: str = ""
    version: int = 1

    @property
    def side_label(self) -> str:
        """信访人 or 党委政府."""
        return FEEDBACK_SIDE_LABELS.get(self.side, self.side)


@dataclass(frozen=True, slots=True)
class MissingFeedback:
    """A handled case that lacks feedback to one or both sides."""

    case_no: str
    summary: str
    county: str
    status: CaseStatus
    missing: tuple[str, ...]  # sides still missing

    def missing_labels(self) -> str:
        """E.g. ``"党委政府"`` or ``"信访人、党委政府"``."""
        return "、".join(FEEDBACK_SIDE_LABELS[s] for s in self.missing)


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


@dataclass(frozen=True, slots=True)
class FollowUpItem:
    """A stored follow-up task with what a list needs to show it and the version for editing."""

    task: FollowUpTask
    version: int
    summary: str = ""
    county: str = ""
    lon: float | None = None
    lat: float | None = None
    label: str = ""


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


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of a case's history: who did what, when."""

    at: dt.datetime
    who: str
    action: str
    detail: dict


# --------------------------------------------------------------------------------------------- helpers


def _case_row(session: Session, case_no: str) -> CaseRow:
    row = session.scalars(select(CaseRow).where(CaseRow.case_no == str(case_no).strip())).one_or_none()
    if row is None:
        raise NotFoundError(f"case_no: no case {case_no!r} in the database")
    return row


def _history(session: Session, case: CaseRow, who: str, action: str, detail: dict) -> None:
    session.add(CaseHistory(case_id=case.id, who=who, action=action, detail=_jsonable(detail)))


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _check_version(kind: str, ident: object, row_version: int, expected: int | None) -> None:
    if expected is not None and row_version != expected:
        raise ConflictError(
            f"{kind} {ident!r} was changed by someone else (version {row_version}, you edited version {expected!r}); "
            "reload and try again"
        )


def _stale_as_conflict(fn):
    """Turn SQLAlchemy's stale-version error (raised at any flush, autoflush included) into a ConflictError."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except StaleDataError as exc:
            raise ConflictError(
                f"{fn.__name__}: the record was changed by someone else meanwhile; reload and try again"
            ) from exc

    return wrapper


def _flush(session: Session, what: str) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError(f"{what} was changed by someone else meanwhile; reload and try again") from exc


def _need_who(who: str) -> str:
    if not str(who or "").strip():
        raise InputError("who: say who records this (user name), got an empty value")
    return str(who).strip()


def _visible(query, actor):
    """Restrict a query joined to ``cases`` to what ``actor`` may see (no actor: batch use, everything)."""
    if actor is None or type(actor).__name__ != "Actor":
        return query
    from planner.office.security import visible_case_filter

    # A self-contained IN (...) subquery: the filter's EXISTS on plan_cases must not correlate with an outer query
    # that itself selects from plan_cases.
    allowed = select(CaseRow.id).where(visible_case_filter(actor)).correlate(None)
    return query.where(CaseRow.id.in_(allowed))


def _summary(row: CaseRow, max_chars: int = 40) -> str:
    text = " ".join((row.title or row.content or "").split())
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


@_stale_as_conflict
def set_case_status(session: Session, case_no: str, status: CaseStatus | str, *, who: str, note: str = "") -> None:
    """Change a case's status and write the change to ``case_history`` (through :func:`planner.store.cases.set_status`,
    the one place where statuses change)."""
    from planner.store.cases import set_status

    set_status(session, case_no, CaseStatus(status), who=who, note=note)


def _setting(session: Session, name: str, default: int, lo: int, hi: int) -> int:
    """An integer from the settings table: group ``general`` (the 设置 page) first, then group ``followup``."""
    for key in ("general", SETTINGS_KEY):
        row = session.get(SettingRow, key)
        value = (row.value or {}).get(name) if row is not None else None
        if isinstance(value, int | float) and not isinstance(value, bool) and lo <= value <= hi:
            return int(value)
    return default


def return_delay_days(session: Session) -> int:
    """Days after resolution before a return visit (setting ``return_delay_days``, default 30)."""
    return _setting(session, "return_delay_days", DEFAULT_RETURN_DELAY_DAYS, 0, 365)


def at_risk_horizon_days(session: Session) -> int:
    """Days before the deadline when a case counts as at risk (setting ``at_risk_days``, default 10)."""
    return _setting(session, "at_risk_days", DEFAULT_AT_RISK_DAYS, 0, 60)


def case_history(session: Session, case_no: str) -> list[HistoryEntry]:
    """Every recorded change of a case, oldest first (status changes, outcomes, feedback, ...)."""
    row = _case_row(session, case_no)
    rows = session.scalars(
        select(CaseHistory).where(CaseHistory.case_id == row.id).order_by(CaseHistory.at, CaseHistory.id)
    ).all()
    return [HistoryEntry(h.at, h.who, h.action, dict(h.detail or {})) for h in rows]


# --------------------------------------------------------------------------------------------- outcomes


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


def first_visit_team(session: Session, case_no: str) -> str:
    """The team that first visited the case (from outcomes, else from a saved plan), or ``""``."""
    case = _case_row(session, case_no)
    return _first_team(session, case.id)


def _first_team(session: Session, case_id: int) -> str:
    team = session.scalars(
        select(VisitOutcomeRow.team_id)
        .where(VisitOutcomeRow.case_id == case_id, VisitOutcomeRow.result == VisitResult.VISITED.value,
               VisitOutcomeRow.team_id != "")
        .order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id)
        .limit(1)
    ).first()
    if team:
        return team
    team = session.scalars(
        select(PlanCase.team_id)
        .where(PlanCase.case_id == case_id, PlanCase.team_id != "")
        .order_by(PlanCase.visit_date, PlanCase.plan_id)
        .limit(1)
    ).first()
    return team or ""


# --------------------------------------------------------------------------------------------- 双反馈


@_stale_as_conflict
def record_feedback(
    session: Session,
    case_no: str,
    side: str,
    *,
    feedback_date: dt.date,
    channel: str,
    content: str,
    who: str,
    recipient: str = "",
    acknowledged: bool = False,
) -> int:
    """Record feedback to the petitioner (``"petitioner"``) or the local party committee/government (``"government"``).

    Returns
    -------
    int
        Id of the feedback record.

    Raises
    ------
    InputError
        For an unknown side, an empty content or an empty ``who``.
    NotFoundError
        If the case does not exist.
    """
    who = _need_who(who)
    if side not in FEEDBACK_SIDES:
        raise InputError(f"side: expected 'petitioner' (信访人) or 'government' (党委政府), got {side!r}")
    if not str(content or "").strip():
        raise InputError(f"content: feedback to the {side} of case {case_no!r} needs its content, got {content!r}")
    if not isinstance(feedback_date, dt.date):
        raise InputError(f"feedback_date: expected a date, got {feedback_date!r}")
    case = _case_row(session, case_no)
    row = FeedbackRow(
        case_id=case.id,
        side=side,
        feedback_date=feedback_date,
        channel=str(channel or "").strip(),
        recipient=str(recipient or "").strip(),
        content=str(content).strip(),
        acknowledged=bool(acknowledged),
        recorded_by=who,
    )
    session.add(row)
    _flush(session, f"case {case_no!r}")
    _history(session, case, who, "feedback", {"feedback_id": row.id, "side": side, "date": feedback_date,
                                              "channel": row.channel, "acknowledged": row.acknowledged})
    return row.id


@_stale_as_conflict
def acknowledge_feedback(
    session: Session, feedback_id: int, *, who: str, acknowledged: bool = True, expected_version: int | None = None
) -> None:
    """Mark a feedback record as acknowledged (or not) by its recipient.

    Raises
    ------
    NotFoundError
        If there is no such record.
    ConflictError
        If the record changed since ``expected_version`` was read.
    """
    who = _need_who(who)
    row = session.get(FeedbackRow, feedback_id)
    if row is None:
        raise NotFoundError(f"feedback_id: no feedback record {feedback_id!r}")
    _check_version("feedback", feedback_id, row.version, expected_version)
    row.acknowledged = bool(acknowledged)
    case = session.get(CaseRow, row.case_id)
    _history(session, case, who, "feedback_ack", {"feedback_id": feedback_id, "acknowledged": row.acknowledged})
    _flush(session, f"feedback {feedback_id!r}")


def feedback_for_case(session: Session, case_no: str) -> list[FeedbackRecord]:
    """Feedback records of a case, oldest first."""
    case = _case_row(session, case_no)
    rows = session.scalars(
        select(FeedbackRow).where(FeedbackRow.case_id == case.id).order_by(FeedbackRow.feedback_date, FeedbackRow.id)
    ).all()
    return [_feedback(case.case_no, r) for r in rows]


def _feedback(case_no: str, r: FeedbackRow) -> FeedbackRecord:
    return FeedbackRecord(r.id, case_no, r.side, r.feedback_date, r.channel, r.content, r.recipient,
                          r.acknowledged, r.recorded_by, r.version)


def missing_feedback(
    session: Session, *, only_partial: bool = False, county_codes: tuple[str, ...] = (), actor: object | None = None
) -> list[MissingFeedback]:
    """Handled cases (已下访, 已化解, 已澄清, 已办结) that lack feedback to one or both sides.

    Parameters
    ----------
    only_partial
        List only cases where exactly one side has been given feedback.
    county_codes
        Restrict to these counties (empty: all).
    actor
        Only cases this ``planner.office.security.Actor`` may see (None: all).
    """
    query = _visible(select(CaseRow).where(CaseRow.status.in_([s.value for s in HANDLED_STATUSES])), actor)
    if county_codes:
        query = query.where(CaseRow.county_code.in_(list(county_codes)))
    cases = session.scalars(query.order_by(CaseRow.case_no)).all()
    sides: dict[int, set[str]] = {}
    for case_id, side in session.execute(select(FeedbackRow.case_id, FeedbackRow.side).distinct()):
        sides.setdefault(case_id, set()).add(side)
    out = []
    for c in cases:
        have = sides.get(c.id, set())
        missing = tuple(s for s in FEEDBACK_SIDES if s not in have)
        if not missing or (only_partial and len(missing) != 1):
            continue
        out.append(MissingFeedback(c.case_no, _summary(c), c.county, CaseStatus(c.status), missing))
    return out


# --------------------------------------------------------------------------------------------- 澄清, 息诉息访


@_stale_as_conflict
def record_clarification(
    session: Session,
    case_no: str,
    *,
    cadre: str,
    issued_date: dt.date,
    who: str,
    scope: str = "",
    text: str = "",
    document: bytes | None = None,
    document_name: str = "",
) -> int:
    """Record a clarification (澄清) issued for a cadre and mark the case 已澄清.

    ``planner.followup.clarification.issue_clarification`` generates the letter and calls this.

    Returns
    -------
    int
        Id of the clarification record.
    """
    who = _need_who(who)
    if not str(cadre or "").strip():
        raise InputError(f"cadre: a clarification for case {case_no!r} must name the cadre, got {cadre!r}")
    case = _case_row(session, case_no)
    row = ClarificationRow(
        case_id=case.id, cadre=cadre.strip(), issued_date=issued_date, scope=scope, text=text,
        document=document, document_name=document_name, recorded_by=who,
    )
    session.add(row)
    _flush(session, f"case {case_no!r}")
    _history(session, case, who, "clarification", {"clarification_id": row.id, "cadre": row.cadre,
                                                   "issued_date": issued_date, "scope": scope})
    if CaseStatus(case.status) is not CaseStatus.CLOSED:
        set_case_status(session, case.case_no, CaseStatus.CLARIFIED, who=who, note=f"为{row.cadre}澄清")
    _flush(session, f"case {case_no!r}")
    return row.id


def clarification_document(session: Session, clarification_id: int) -> tuple[str, bytes]:
    """The stored letter of a clarification as ``(file name, bytes)``.

    Raises
    ------
    NotFoundError
        If there is no such clarification or it has no stored document.
    """
    row = session.get(ClarificationRow, clarification_id)
    if row is None or not row.document:
        raise NotFoundError(f"clarification_id: no stored letter for clarification {clarification_id!r}")
    return row.document_name or f"澄清函-{clarification_id}.docx", bytes(row.document)


def list_clarifications(session: Session, case_no: str | None = None) -> list[dict]:
    """Clarifications (newest first) as dicts: id, case_no, cadre, issued_date, scope, document_name."""
    query = (
        select(ClarificationRow, CaseRow.case_no)
        .join(CaseRow, CaseRow.id == ClarificationRow.case_id)
        .order_by(ClarificationRow.issued_date.desc(), ClarificationRow.id.desc())
    )
    if case_no is not None:
        query = query.where(CaseRow.case_no == case_no)
    return [
        {"id": r.id, "case_no": no, "cadre": r.cadre, "issued_date": r.issued_date, "scope": r.scope,
         "document_name": r.document_name, "has_document": bool(r.document)}
        for r, no in session.execute(query)
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


# --------------------------------------------------------------------------------------------- 整改


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
        raise InputError(f"item: describe what must be rectified for case {case_no!r}, got {item!r}")
    if not str(owner or "").strip():
        raise InputError(f"owner: a rectification item for case {case_no!r} needs a responsible unit, got {owner!r}")
    if not isinstance(due_date, dt.date):
        raise InputError(f"due_date: expected a date, got {due_date!r}")
    case = _case_row(session, case_no)
    row = RectificationRow(case_id=case.id, item=item.strip(), owner=owner.strip(), due_date=due_date, note=note)
    session.add(row)
    _flush(session, f"case {case_no!r}")
    _history(session, case, who, "rectification", {"rect_id": row.id, "owner": row.owner, "due_date": due_date})
    return row.id


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
        raise NotFoundError(f"rect_id: no rectification item {rect_id!r}")
    _check_version("rectification", rect_id, row.version, expected_version)
    row.done, row.done_date = True, done_date
    if note:
        row.note = note
    _history(session, session.get(CaseRow, row.case_id), who, "rectification_done",
             {"rect_id": rect_id, "done_date": done_date})
    _flush(session, f"rectification {rect_id!r}")


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
        query = query.where(CaseRow.case_no == case_no)
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


# --------------------------------------------------------------------------------------------- 回访


def _propose_return(
    session: Session, case: CaseRow, *, anchor: dt.date, delay_days: int, reason: str, kind: str = RETURN_VISIT
) -> FollowUpRow | None:
    """Create a return-visit task unless an open one already exists for the case."""
    existing = session.scalars(
        select(FollowUpRow).where(FollowUpRow.case_id == case.id, FollowUpRow.kind == kind,
                                  FollowUpRow.done.is_(False))
    ).first()
    if existing is not None:
        return None
    team = _first_team(session, case.id)
    row = FollowUpRow(
        case_id=case.id,
        kind=kind,
        due_date=anchor + dt.timedelta(days=delay_days),
        description=f"回访：{reason}（{anchor.isoformat()}）后 {delay_days} 天",
        preferred_team_id=team,
    )
    session.add(row)
    session.flush()
    _history(session, case, "system", "followup_proposed",
             {"followup_id": row.id, "kind": kind, "due_date": row.due_date, "preferred_team_id": team})
    return row


@_stale_as_conflict
def propose_return_visits(session: Session, today: dt.date, *, delay_days: int | None = None) -> list[FollowUpTask]:
    """Propose the return visits that are missing: for resolved cases and for passed rectification deadlines.

    A resolved case (已化解) without any return-visit task gets one due ``delay_days`` after it was resolved (its
    first resolving outcome, else the status change). A rectification item whose deadline passed before ``today``
    gets a check (kind ``"rectification"``) due ``delay_days`` after its deadline — done or not, someone goes to see.
    Idempotent: running it twice proposes nothing new.

    Parameters
    ----------
    session
        Open session; the caller commits.
    today
        The day the check runs.
    delay_days
        Days after the anchor; None reads the setting (default 30).

    Returns
    -------
    list[FollowUpTask]
        The tasks created now.
    """
    delay = return_delay_days(session) if delay_days is None else int(delay_days)
    if delay < 0:
        raise InputError(f"delay_days: must not be negative, got {delay_days!r}")
    created: list[FollowUpRow] = []
    has_return = set(session.scalars(select(FollowUpRow.case_id).where(FollowUpRow.kind == RETURN_VISIT)))
    for case in session.scalars(select(CaseRow).where(CaseRow.status == CaseStatus.RESOLVED.value)):
        if case.id in has_return:
            continue
        anchor = session.scalars(
            select(func.min(VisitOutcomeRow.visit_date)).where(
                VisitOutcomeRow.case_id == case.id, VisitOutcomeRow.problem_resolved.is_(True)
            )
        ).first() or (case.updated_at.date() if case.updated_at else today)
        row = _propose_return(session, case, anchor=anchor, delay_days=delay, reason="问题已化解")
        if row is not None:
            created.append(row)
    checked = {
        (r.case_id, r.description)
        for r in session.scalars(select(FollowUpRow).where(FollowUpRow.kind == RECTIFICATION_CHECK))
    }
    for rect in session.scalars(select(RectificationRow).where(RectificationRow.due_date < today)):
        description = f"整改回访：{rect.item}（责任单位 {rect.owner}，期限 {rect.due_date.isoformat()}）#{rect.id}"
        if (rect.case_id, description) in checked:
            continue
        case = session.get(CaseRow, rect.case_id)
        row = FollowUpRow(case_id=case.id, kind=RECTIFICATION_CHECK, due_date=rect.due_date + dt.timedelta(days=delay),
                          description=description, owner=rect.owner, preferred_team_id=_first_team(session, case.id))
        session.add(row)
        session.flush()
        _history(session, case, "system", "followup_proposed",
                 {"followup_id": row.id, "kind": RECTIFICATION_CHECK, "due_date": row.due_date, "rect_id": rect.id})
        created.append(row)
    session.flush()
    return [_task(session.get(CaseRow, r.case_id).case_no, r) for r in created]


def _task(case_no: str, r: FollowUpRow) -> FollowUpTask:
    return FollowUpTask(task_id=str(r.id), case_no=case_no, kind=r.kind, due_date=r.due_date,
                        description=r.description, owner=r.owner, preferred_team_id=r.preferred_team_id,
                        done=r.done, done_date=r.done_date)


def list_followups(
    session: Session,
    *,
    kinds: tuple[str, ...] = (RETURN_VISIT, RECTIFICATION_CHECK),
    open_only: bool = True,
    due_by: dt.date | None = None,
    case_no: str | None = None,
    actor: object | None = None,
) -> list[FollowUpItem]:
    """Stored follow-up tasks, earliest due first.

    Parameters
    ----------
    kinds
        Task kinds to list (default return visits and rectification checks).
    open_only
        Only tasks not done.
    due_by
        Only tasks due on or before this date.
    case_no
        Only this case's tasks.
    actor
        Only cases this ``planner.office.security.Actor`` may see (None: all).
    """
    query = _visible(select(FollowUpRow, CaseRow).join(CaseRow, CaseRow.id == FollowUpRow.case_id), actor)
    if kinds:
        query = query.where(FollowUpRow.kind.in_(list(kinds)))
    if open_only:
        query = query.where(FollowUpRow.done.is_(False))
    if due_by is not None:
        query = query.where(FollowUpRow.due_date <= due_by)
    if case_no is not None:
        query = query.where(CaseRow.case_no == case_no)
    query = query.order_by(FollowUpRow.due_date, FollowUpRow.id)
    return [
        FollowUpItem(_task(c.case_no, r), r.version, _summary(c), c.county, c.lon, c.lat,
                     "".join(p for p in (c.county, c.town, c.village) if p))
        for r, c in session.execute(query)
    ]


@_stale_as_conflict
def complete_followup(
    session: Session, task_id: int | str, *, done_date: dt.date, who: str, expected_version: int | None = None
) -> None:
    """Mark a follow-up task done (e.g. a return visit made without a recorded outcome).

    Raises
    ------
    NotFoundError
        If there is no such task.
    ConflictError
        If the task changed since ``expected_version`` was read.
    """
    who = _need_who(who)
    row = session.get(FollowUpRow, int(task_id))
    if row is None:
        raise NotFoundError(f"task_id: no follow-up task {task_id!r}")
    _check_version("follow-up", task_id, row.version, expected_version)
    row.done, row.done_date = True, done_date
    _history(session, session.get(CaseRow, row.case_id), who, "followup_done",
             {"followup_id": row.id, "kind": row.kind, "done_date": done_date})
    _flush(session, f"follow-up {task_id!r}")


def preferred_teams(session: Session, *, due_by: dt.date | None = None) -> dict[str, str]:
    """``{case_no: team_id}`` of open return visits that prefer a team (for 选件 and the planner)."""
    return {
        i.task.case_no: i.task.preferred_team_id
        for i in list_followups(session, due_by=due_by)
        if i.task.preferred_team_id
    }


def return_visits(
    session: Session,
    *,
    due_by: dt.date,
    service_min: int = 60,
    priority: int = 3,
    pin_team: bool = False,
    earliest_date: dt.date | None = None,
) -> list[Visit]:
    """Turn open return visits due by ``due_by`` into planner visits (``visit_type="return"``), one per case.

    Cases without a coordinate are skipped (they need geocoding first). ``pin_team`` fixes the visit to the team
    that did the first visit; otherwise the preference is only available from :func:`preferred_teams`.

    Returns
    -------
    list[Visit]
        Visits with ids ``RV-<case_no>``, label = place name, ``case_nos = (case_no,)``.
    """
    visits: dict[str, Visit] = {}
    for item in list_followups(session, due_by=due_by):
        t = item.task
        vid = f"RV-{t.case_no}"
        if vid in visits or item.lon is None or item.lat is None:
            continue
        visits[vid] = Visit(
            visit_id=vid,
            lon=item.lon,
            lat=item.lat,
            service_min=service_min,
            priority=priority,
            case_nos=(t.case_no,),
            visit_type=VisitType.RETURN,
            label=item.label or t.case_no,
            earliest_date=earliest_date,
            team_id=t.preferred_team_id if pin_team else "",
        )
    return list(visits.values())


# --------------------------------------------------------------------------------------------- deadlines


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
        raise InputError(f"days: an extension is 1..{MAX_EXTENSION_DAYS} days, got {days!r}")
    if not str(reason or "").strip():
        raise InputError(f"reason: say why case {case_no!r} needs more time, got {reason!r}")
    row = _case_row(session, case_no)
    _check_version("case", case_no, row.version, expected_version)
    if row.extension_days:
        raise InputError(
            f"case {case_no!r}: the deadline was already extended by {row.extension_days} days; it may be extended once"
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


# --------------------------------------------------------------------------------------------- field officer's list


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
