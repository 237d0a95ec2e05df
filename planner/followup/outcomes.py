"""Visit outcomes: recorded, corrected and read back; 息诉息访 agreements that close a case.

Every function takes an open SQLAlchemy session and leaves committing to the caller (``session_scope``), so a page
or the CLI can record an outcome, its feedback and its follow-ups all-or-nothing. Records that people edit later
carry a ``version``; callers that show a record and save it later pass the version they showed as
``expected_version`` and get a :class:`ConflictError` when someone else changed it in between.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus, VisitOutcome, VisitResult, VisitType
from planner.errors import ConflictError, InputError, NotFoundError
from planner.followup.common import (
    RECTIFICATION_CHECK,
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
from planner.followup.outcome_basis import check_basis, note_basis_changed
from planner.followup.return_rederive import rederive_returns, reopen_undone
from planner.followup.returns import _propose_return
from planner.followup.visit_order import visit_order_refusal
from planner.office.clock import local_today
from planner.store.history import log_change
from planner.store.models import CaseRow, FollowUpRow, PlanCase, PlanRow, SettlementRow, VisitOutcomeRow


@dataclass(frozen=True, slots=True)
class StoredOutcome:
    """A recorded outcome with what a form needs to show and correct it."""

    outcome_id: int
    version: int
    outcome: VisitOutcome
    visit_type: VisitType
    plan_id: int | None = None
    recorded_at: dt.datetime | None = None

    def label(self, team_names: dict[str, str] | None = None) -> str:
        """``2026-12-07 · 第一检查组 · 已走访（回访）`` for a record picker."""
        o = self.outcome
        team = (team_names or {}).get(o.team_id, o.team_id) or "未记录检查组"
        kind = "（回访）" if self.visit_type is VisitType.RETURN else ""
        agreed = f"（约定 {o.put_off_to:%m-%d}）" if o.put_off_to else ""
        return f"{o.visit_date.isoformat()} · {team} · {o.result.label}{agreed}{kind}"


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    """Where a case stands in a saved plan: the plan, the team and the day it is planned for."""

    plan_id: int
    team_id: str
    visit_date: dt.date | None
    plan_status: str = "draft"


def planned_visit(
    session: Session, case_no: str, *, team_ids: tuple[str, ...] = (), on: dt.date | None = None
) -> PlannedVisit | None:
    """The plan visit an outcome of ``case_no`` belongs to by default: the visit planned on ``on`` if there is one,
    else the latest plan that visits the case (issued plans before drafts); ``team_ids`` keeps an officer's teams.

    Returns None when no saved plan visits the case (a visit outside a plan).
    """
    case = _case_row(session, case_no)
    query = (
        select(PlanCase, PlanRow.status)
        .join(PlanRow, PlanRow.id == PlanCase.plan_id)
        .where(PlanCase.case_id == case.id)
        .order_by(PlanCase.plan_id.desc())
    )
    if team_ids:
        query = query.where(PlanCase.team_id.in_(list(team_ids)))
    rows = session.execute(query).all()
    if not rows:
        return None
    same_day = [r for r in rows if on is not None and r[0].visit_date == on]
    live = [r for r in rows if r[1] != "draft"]
    pc, status = (same_day or live or rows)[0]
    return PlannedVisit(pc.plan_id, pc.team_id or "", pc.visit_date, status or "draft")


def _recorder(session: Session, row: VisitOutcomeRow) -> str:
    from planner.store.lifecycle import account_label

    return account_label(session, row.recorded_by) if row.recorded_by else "他人"


def recorded_visit_note(
    session: Session, case_no: str, visit_date: dt.date, team_id: str, *, today: dt.date | None = None,
    team_names: dict[str, str] | None = None,
) -> str:
    """Why a new record of ``case_no`` on ``visit_date`` for ``team_id`` cannot be saved — that team already has a
    record of it that day (one record per case, date and team) — or "" when it can. Said before the save (walk T:
    a 回访 dated today, refused only at 保存 with a hint to change the date to the day it already had)."""
    case = session.scalars(select(CaseRow).where(CaseRow.case_no == case_no)).first()
    row = _visit_row(session, case.id, visit_date, team_id or "") if case is not None else None
    if row is None:
        return ""
    team = (team_names or {}).get(row.team_id or "", row.team_id) or "本组"
    when = "今天" if visit_date == (today or local_today()) else f" {visit_date.isoformat()} "
    return (f"{team}{when}已登记过这件的走访（{_recorder(session, row)}）：同一组同一天只能有一条记录；"
            "回访请在回访当天登记，或在原记录上补充（“记录”选该条的“更正：…”）。")


def _visit_row(session: Session, case_id: int, visit_date: dt.date, team_id: str) -> VisitOutcomeRow | None:
    """The stored outcome of one visit: a case, a day, a team (a visit recorded twice is the same visit)."""
    return session.scalars(
        select(VisitOutcomeRow)
        .where(VisitOutcomeRow.case_id == case_id, VisitOutcomeRow.visit_date == visit_date,
               VisitOutcomeRow.team_id == (team_id or ""))
        .order_by(VisitOutcomeRow.id.desc())
        .limit(1)
    ).first()


def work_counts(r: VisitOutcomeRow) -> dict[str, int]:
    """A stored outcome's 入户走访, 收集线索 and 解决问题 counts as :class:`VisitOutcome` fields: none for a 改期 (the
    visit did not happen), whatever a row recorded before 改期 refused them says, as 统计 counts them."""
    if r.result == VisitResult.POSTPONED.value:
        return {"households_visited": 0, "leads_collected": 0, "problems_solved": 0}
    return {"households_visited": r.households_visited or 0, "leads_collected": r.leads_collected or 0,
            "problems_solved": r.problems_solved or 0}


def put_off_to(r: VisitOutcomeRow) -> dt.date | None:
    """The day a stored 改期 was agreed for (改到哪天), or None (not agreed, or not a 改期)."""
    return r.put_off_to if r.result == VisitResult.POSTPONED.value else None


def check_put_off_to(day: dt.date | None, today: dt.date | None = None) -> None:
    """Refuse a 改到哪天 that is already past (Zhangzhou time): the visit is put off to a day to come.

    Raises
    ------
    InputError
        With a Chinese message naming both dates.
    """
    today = today or local_today()
    if day is not None and day < today:
        raise InputError(f"改到 {day.isoformat()} 已过（今天 {today.isoformat()}）：请填写约定的新日期，或留空")


def _stored(case_no: str, r: VisitOutcomeRow) -> StoredOutcome:
    outcome = VisitOutcome(
        case_no=case_no, visit_date=r.visit_date, result=VisitResult(r.result), team_id=r.team_id or "",
        reason=r.reason or ("—" if r.result != "visited" else ""), findings=r.findings or "",
        problem_resolved=bool(r.problem_resolved), report_true=r.report_true,
        **work_counts(r), time_spent_min=r.time_spent_min or 0, recorded_by=r.recorded_by or "",
        put_off_to=put_off_to(r), report_partly=bool(r.report_partly) and r.report_true is True,
    )
    return StoredOutcome(r.id, r.version, outcome, VisitType(r.visit_type or VisitType.INVESTIGATION), r.plan_id,
                         r.recorded_at)


def stored_outcomes(session: Session, case_no: str) -> list[StoredOutcome]:
    """A case's recorded outcomes with their ids and versions, oldest visit first (for a form that corrects one)."""
    case = _case_row(session, case_no)
    rows = session.scalars(
        select(VisitOutcomeRow)
        .where(VisitOutcomeRow.case_id == case.id)
        .order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id)
    ).all()
    return [_stored(case.case_no, r) for r in rows]


def outcome_for_visit(
    session: Session, case_no: str, visit_date: dt.date, team_id: str = ""
) -> StoredOutcome | None:
    """The outcome already recorded for this visit (case, day, team), or None."""
    case = _case_row(session, case_no)
    row = _visit_row(session, case.id, visit_date, team_id)
    return _stored(case.case_no, row) if row is not None else None


def _values(outcome: VisitOutcome, visit_type: VisitType, plan_id: int | None) -> dict:
    values = {f: getattr(outcome, f) for f in _OUTCOME_FIELDS}
    values["result"] = outcome.result.value
    values["problem_resolved"] = outcome.problem_resolved and outcome.result is VisitResult.VISITED
    values["put_off_to"] = outcome.put_off_to if outcome.result is VisitResult.POSTPONED else None
    values["team_id"] = outcome.team_id or ""
    values["visit_type"] = visit_type.value
    values["plan_id"] = plan_id
    return values


def _apply_effects(
    session: Session, case: CaseRow, row: VisitOutcomeRow, visit_type: VisitType, *, who: str,
    delay_days: int | None,
) -> None:
    """Move the case on after a visited outcome (resolved, visited, return visit done); statuses never go back."""
    if row.result != VisitResult.VISITED.value:
        return
    status = CaseStatus(case.status)
    if visit_type is VisitType.RETURN:
        # The 回访 of a letter is its 整改回访 too: a check nothing else could close stayed listed and planned.
        for task in session.scalars(
            select(FollowUpRow).where(
                FollowUpRow.case_id == case.id, FollowUpRow.kind.in_((RETURN_VISIT, RECTIFICATION_CHECK)),
                FollowUpRow.done.is_(False),
            )
        ).all():
            task.done, task.done_date = True, row.visit_date
    if row.problem_resolved:
        if status.is_open:
            set_case_status(session, case.case_no, CaseStatus.RESOLVED, who=who, note="下访化解")
        if visit_type is not VisitType.RETURN:
            _propose_return(
                session,
                case,
                anchor=row.visit_date,
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
    if row.plan_id is not None:
        _start_plan(session, row.plan_id, who=who)


def _start_plan(session: Session, plan_id: int, *, who: str) -> None:
    """The first outcome recorded for an issued plan puts it 执行中."""
    from planner.store.lifecycle import PlanStatus, set_plan_status

    plan = session.get(PlanRow, plan_id)
    if plan is not None and plan.status == PlanStatus.ISSUED.value:
        set_plan_status(session, plan_id, PlanStatus.IN_PROGRESS, who=who, note="已开始登记走访结果")


@_stale_as_conflict
def default_visit_date(planned_day: dt.date | None, today: dt.date | None = None) -> dt.date:
    """The 走访日期 a form proposes: the planned day when it is not after today, else today (Zhangzhou time)."""
    today = today or local_today()
    return planned_day if planned_day is not None and planned_day <= today else today


def recordable_on(visit_date: dt.date, today: dt.date | None = None) -> bool:
    """Whether an outcome may be recorded for ``visit_date`` now (not after today, Zhangzhou time):
    the phone shows a visit's form only then, instead of refusing the typed form at 保存."""
    return visit_date <= (today or local_today())


def check_visit_date(visit_date: dt.date, today: dt.date | None = None) -> None:
    """Refuse a visit dated after today (Zhangzhou time): an outcome is recorded after the visit, not before.

    Raises
    ------
    InputError
        With a Chinese message naming both dates.
    """
    today = today or local_today()
    if not recordable_on(visit_date, today):
        raise InputError(f"走访日期 {visit_date.isoformat()} 晚于今天（{today.isoformat()}）：走访结果在走访之后登记，"
                         "请填写实际走访的日期")


def record_outcome(
    session: Session,
    outcome: VisitOutcome,
    *,
    who: str,
    plan_id: int | None = None,
    visit_type: VisitType | str = VisitType.INVESTIGATION,
    delay_days: int | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
    role: str | None = None,
    confirm_basis: bool = False,
) -> int:
    """Record what happened at a visit for one case, move the case on and propose the return visit.

    A visit is a case, a day and a team: recording the same visit again corrects its record (with history) instead
    of adding a second one, so statistics count it once.

    - visited and resolved: status 已化解, and a 回访 is proposed ``delay_days`` later (default from settings, 30),
      preferring the team that did the first visit;
    - visited, not resolved: status 已下访 (a resolved case found unresolved on a 回访 is reopened as 已下访);
    - not found / postponed: the status stays, the reason goes to the history.
    A visited outcome of a 回访 closes the case's open return-visit tasks and 整改回访 checks; the first outcome of an
    issued plan puts the plan 执行中.

    Parameters
    ----------
    session
        Open session; the caller commits.
    outcome
        The validated outcome (``planner.domain.VisitOutcome``) with its visit date and team.
    who
        User name recorded in the history.
    plan_id
        The saved plan the visit belonged to, if any; an empty ``outcome.team_id`` is then taken from the plan.
    visit_type
        Kind of visit; ``"return"`` completes pending return visits instead of proposing a new one.
    delay_days
        Days until the proposed return visit; None reads the setting.
    expected_version
        The version of this visit's record that the form showed, when it showed one. Without it, a visit already
        recorded with other values is refused (someone else recorded it); the same values again change nothing.
    today
        Today's date for the visit-date check (None: :func:`planner.office.clock.local_today`).

    Returns
    -------
    int
        Id of the stored outcome (the existing one when the visit was recorded before).

    Raises
    ------
    NotFoundError
        If the case does not exist.
    InputError
        If ``who`` is empty, the visit date is after today, or ``who`` already recorded this visit (case, date,
        team) with other values and no ``expected_version`` was given (correct that record instead).
    ConflictError
        If the visit's record changed since ``expected_version`` was read, or was recorded by someone else
        meanwhile.
    """
    who = _need_who(who)
    check_visit_date(outcome.visit_date, today)
    visit_type = VisitType(visit_type)
    case = _case_row(session, outcome.case_no)
    if plan_id is not None and not outcome.team_id:
        planned = session.get(PlanCase, (plan_id, case.id))
        if planned is not None and planned.team_id:
            outcome = dataclasses.replace(outcome, team_id=planned.team_id)
    existing = _visit_row(session, case.id, outcome.visit_date, outcome.team_id)
    if existing is not None:
        values = _values(outcome, visit_type, plan_id if plan_id is not None else existing.plan_id)
        if expected_version is None:
            if all(getattr(existing, f) == v for f, v in values.items()):
                return existing.id  # the same save twice (a double tap, a resent form)
            # Not “该记录已被他人修改” (ConflictError's hint; walk A: nobody had changed anything) but an input to
            # change, naming the person who recorded it as the office knows them.
            by = _recorder(session, existing)
            if outcome.visit_date >= (today or local_today()):
                # Walk T: a 回访 dated today was told to change its date to the 回访's day — today, as it was.
                raise InputError(
                    f"信访件 {case.case_no} 今天（{outcome.visit_date.isoformat()}）的走访已由 {by} 登记：同一组同一天"
                    "只能有一条记录；请刷新后在原记录上补充或更正（回访请在回访当天另行登记），你填写的内容仍在表单中"
                )
            raise InputError(
                f"信访件 {case.case_no} 在 {outcome.visit_date.isoformat()} 的这次走访已由 {by} "
                "登记；请刷新后在原记录上更正（如是回访，请把走访日期改为回访当天），你填写的内容仍在表单中"
            )
        _correct_row(session, case, existing, values, who=who, expected_version=expected_version,
                     delay_days=delay_days, today=today, role=role, confirm_basis=confirm_basis)
        return existing.id
    check_put_off_to(outcome.put_off_to, today)
    if refusal := visit_order_refusal(session, case, outcome.visit_date, visit_type=visit_type,
                                      result=outcome.result, team_id=outcome.team_id):
        raise InputError(refusal)
    row = VisitOutcomeRow(
        case_id=case.id,
        plan_id=plan_id,
        team_id=outcome.team_id or "",
        visit_date=outcome.visit_date,
        visit_type=visit_type.value,
        result=outcome.result.value,
        reason=outcome.reason,
        findings=outcome.findings,
        problem_resolved=outcome.problem_resolved and outcome.result is VisitResult.VISITED,
        report_true=outcome.report_true,
        report_partly=outcome.report_partly,
        households_visited=outcome.households_visited,
        leads_collected=outcome.leads_collected,
        problems_solved=outcome.problems_solved,
        time_spent_min=outcome.time_spent_min,
        recorded_by=outcome.recorded_by or who,
        put_off_to=outcome.put_off_to if outcome.result is VisitResult.POSTPONED else None,
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
            "team_id": row.team_id,
            "plan_id": plan_id,
            "reason": outcome.reason,
            "problem_resolved": row.problem_resolved,
            "report_true": outcome.report_true,
            **({"report_partly": True} if outcome.report_partly else {}),
            **({"put_off_to": row.put_off_to} if row.put_off_to else {}),
        },
    )
    log_change(session, "outcome", row.id, who=who, action="created", case_id=case.id,
               changes=_values(outcome, visit_type, plan_id))
    resends = _resend_statuses(session, case)
    _apply_effects(session, case, row, visit_type, who=who, delay_days=delay_days)
    _flush(session, f"case {outcome.case_no!r}")
    _audit(session, who, case, row, along=_newly_settled(session, case, resends))  # 审计日志: who recorded it
    return row.id


_OUTCOME_FIELDS = ("visit_date", "result", "team_id", "reason", "findings", "problem_resolved", "report_true",
                   "report_partly", "households_visited", "leads_collected", "problems_solved", "time_spent_min",
                   "put_off_to")


def holds(session: Session, outcome_id: int, outcome: VisitOutcome, visit_type: VisitType | str) -> bool:
    """Whether stored outcome ``outcome_id`` already holds exactly ``outcome`` as a ``visit_type`` visit: saving it
    again is the same save (a double tap on 保存, a form sent twice), not somebody else's change."""
    row = session.get(VisitOutcomeRow, outcome_id)
    if row is None:
        return False
    values = _values(outcome, VisitType(visit_type), row.plan_id)
    return all(getattr(row, f) == v for f, v in values.items())


def _audit(session: Session, who: str, case: CaseRow, row: VisitOutcomeRow, *,
           fields: list[str] | None = None, along: list[str] = (), more: dict | None = None) -> None:
    """审计日志: who recorded or corrected which visit (case number, date, kind, result, team, the fields changed,
    the re-sent letters of its chain it settled along); never the findings or reason, which may name the petitioner
    (walk V: only 开始执行计划 said anything)."""
    from planner.office import audit

    detail = {"outcome": row.id, "visit_date": row.visit_date.isoformat(), "kind": row.visit_type,
              "result": row.result, "resolved": bool(row.problem_resolved), "team": row.team_id or "",
              "plan": row.plan_id, **({"put_off_to": row.put_off_to.isoformat()} if row.put_off_to else {}),
              **({"along": list(along)} if along else {}), **(more or {})}
    case_nos = [case.case_no, *along]
    if fields is None:
        audit.record(session, who, "outcome_record", case_nos=case_nos, detail=detail)
    else:
        audit.record(session, who, "outcome_correct", case_nos=case_nos, detail={**detail, "fields": fields})


def _resend_statuses(session: Session, case: CaseRow) -> dict[str, str]:
    """The status of each later letter of ``case``'s repeat chain, by case number (before a save)."""
    from planner.store.cases import repeat_chain_followers

    return {c.case_no: c.status for c in repeat_chain_followers(session, case)}


def _newly_settled(session: Session, case: CaseRow, before: dict[str, str]) -> list[str]:
    """The later letters of ``case``'s chain a save settled along with it (their status moved to ``case``'s)."""
    if not before or CaseStatus(case.status).is_open:
        return []
    return sorted(no for no, status in _resend_statuses(session, case).items()
                  if status != before.get(no) and status == case.status)


def resends_to_settle(session: Session, case_no: str) -> list[str]:
    """The re-sent letters of ``case_no``'s repeat chain that settling it now (问题已解决, 澄清, 息诉息访) closes
    too, oldest first — for the page to name before the save (walk 3: saving W3-038 closed W3-039 and W3-040 and
    nothing said so). Empty for a letter already settled."""
    from planner.store.cases import settles_along

    case = _case_row(session, case_no)
    if not CaseStatus(case.status).is_open:
        return []
    return [c.case_no for c in settles_along(session, case)]


def resends_settled_with(session: Session, case_no: str, candidates: list[str]) -> list[str]:
    """Among ``candidates`` (:func:`resends_to_settle` before a save), those the save settled along with
    ``case_no``: settled now, their latest status change naming it."""
    from planner.store.cases import last_status_changes

    if not candidates:
        return []
    rows = dict(session.execute(select(CaseRow.case_no, CaseRow.id).where(CaseRow.case_no.in_(candidates))).all())
    last = last_status_changes(session, rows.values())
    settled = {i for i, s in session.execute(select(CaseRow.id, CaseRow.status).where(CaseRow.id.in_(rows.values())))
               if not CaseStatus(s).is_open}
    return [no for no in candidates if rows.get(no) in settled and last.get(rows[no], {}).get("with_case") == case_no]


def _kind_label(kind: VisitType) -> str:
    return "回访" if kind is VisitType.RETURN else "首次走访（带信下访）"


def _kind_change_refusal(case_no: str, row: VisitOutcomeRow, wanted: VisitType) -> str:
    """Why a correction may not turn ``row`` into a ``wanted`` visit silently (what to do instead)."""
    now = VisitType(row.visit_type or VisitType.INVESTIGATION)
    what = (f"信访件 {case_no} {row.visit_date.isoformat()} 的走访记录是{_kind_label(now)}，更正不能把它改成"
            f"{_kind_label(wanted)}：原记录及其核查情况会被覆盖。")
    if wanted is VisitType.RETURN:
        return what + ("回访请另登记一条新的走访记录（“记录”选“新的走访记录”，走访日期填回访当天）；"
                       "确是登记错了类别，请勾选“更正记录类别”后再保存。")
    return what + "确是登记错了类别，请勾选“更正记录类别”后再保存。"


def _correct_row(
    session: Session, case: CaseRow, row: VisitOutcomeRow, values: dict, *, who: str,
    expected_version: int | None, delay_days: int | None = None, change_kind: bool = False,
    today: dt.date | None = None, role: str | None = None, confirm_basis: bool = False,
) -> bool:
    """Apply ``values`` to an outcome row with history; True when something changed.

    A change of the record's kind (首次走访 ↔ 回访) is refused unless ``change_kind`` says it is meant."""
    _check_version("走访结果", row.id, row.version, expected_version)
    key = (values["visit_date"], values["team_id"])
    if key != (row.visit_date, row.team_id or ""):
        other = _visit_row(session, case.id, *key)
        if other is not None and other.id != row.id:
            raise ConflictError(
                f"信访件 {case.case_no} 在 {key[0].isoformat()} 已有这一检查组的走访记录（#{other.id}）；"
                "同一次走访只登记一条，请更正那一条"
            )
    before = {f: getattr(row, f) for f in values}
    changed = {f: {"from": before[f], "to": v} for f, v in values.items() if before[f] != v}
    if not changed:
        return False
    if "put_off_to" in changed:
        check_put_off_to(values["put_off_to"], today)  # a day agreed before and kept may have passed since
    if "visit_type" in changed and not change_kind:
        # Walk S: 本次为回访 switched on while correcting the first visit's record turned that record (its findings,
        # the officer's 已化解) into a 回访 — one record left, counted as 带信下访 and 回访 both. A 回访 is a new
        # record; a record's kind changes only when the caller says so (change_kind=True).
        raise InputError(_kind_change_refusal(case.case_no, row, VisitType(values["visit_type"])))
    if {"visit_date", "visit_type", "result"} & set(changed) and (refusal := visit_order_refusal(
            session, case, values["visit_date"], visit_type=values["visit_type"], result=values["result"],
            team_id=values["team_id"], outcome_id=row.id)):
        raise InputError(refusal)  # a 回访 is never left before the letter's first visit
    # Walk W15: what a leader corrected, and a finding a 澄清函 or feedback was given on (outcome_basis)
    gone = check_basis(session, case, row, changed, who=who, role=role, confirmed=confirm_basis)
    effects = {"result", "problem_resolved", "visit_type"} & set(changed)
    was_resolved = before["result"] == VisitResult.VISITED.value and bool(before["problem_resolved"])
    for f, v in values.items():
        setattr(row, f, v)
    _history(session, case, who, "outcome_corrected", {"outcome_id": row.id, "changes": changed})
    log_change(session, "outcome", row.id, who=who, action="corrected", case_id=case.id, changes=changed)
    _flush(session, f"visit outcome {row.id!r}")
    resends = _resend_statuses(session, case)
    if effects:
        if was_resolved and not (row.result == VisitResult.VISITED.value and row.problem_resolved):
            _undo_resolution(session, case, row, who=who)
        elif before["result"] == VisitResult.VISITED.value and row.result != VisitResult.VISITED.value:
            _undo_visit(session, case, row, who=who)
        _apply_effects(session, case, row, VisitType(row.visit_type), who=who, delay_days=delay_days)
        _flush(session, f"visit outcome {row.id!r}")
    # Walk W17: a 回访 proposed on "问题已化解" stayed due after the visit was corrected to 未找到.
    follow = rederive_returns(session, case, row, who=who) if effects or "visit_date" in changed else {}
    follow |= reopen_undone(session, case, row, before, who=who)  # a 回访 taken back reopens what it closed
    note_basis_changed(session, case, row, gone, who=who)
    # 审计日志: who corrected what, and the re-sent letters it settled along (walk 3)
    _audit(session, who, case, row, fields=list(changed), along=_newly_settled(session, case, resends), more=follow)
    return True


def _undo_resolution(session: Session, case: CaseRow, row: VisitOutcomeRow, *, who: str) -> None:
    """A correction says the problem was not resolved after all: unless another visit of the case resolved it, the
    case goes back from 已化解 (to 已下访 after a visit, else to where it was), and so do the later letters of its
    repeat chain that were settled along with it (重复件，随前件化解) — each change in the letter's history."""
    from planner.store.cases import repeat_chain_followers

    if CaseStatus(case.status) is not CaseStatus.RESOLVED:
        return
    others = session.scalars(
        select(VisitOutcomeRow.id).where(VisitOutcomeRow.case_id == case.id, VisitOutcomeRow.id != row.id,
                                         VisitOutcomeRow.result == VisitResult.VISITED.value,
                                         VisitOutcomeRow.problem_resolved.is_(True))
    ).first()
    if others is not None:
        return
    visited = row.result == VisitResult.VISITED.value or session.scalars(
        select(VisitOutcomeRow.id).where(VisitOutcomeRow.case_id == case.id,
                                         VisitOutcomeRow.result == VisitResult.VISITED.value)).first() is not None
    back = CaseStatus.VISITED if visited else CaseStatus(_status_before(session, case.id, CaseStatus.RESOLVED)
                                                          or CaseStatus.PLANNED)
    note = f"走访结果 #{row.id} 更正为问题未解决"
    for later in repeat_chain_followers(session, case):
        last = _last_status_change(session, later.id)
        if (later.status == CaseStatus.RESOLVED.value and last is not None
                and (last.detail or {}).get("with_case") == case.case_no):
            # Still visited along with the first letter in a finished plan: it stays linked to it, so that a later
            # correction settling the first letter again settles it too (browser walk: the link was dropped here).
            along = _visited_along_in_done_plan(session, later, case.case_no)
            set_case_status(session, later.case_no, CaseStatus.VISITED.value if along
                            else (last.detail or {}).get("from") or CaseStatus.PLANNED.value,
                            who=who, note=f"前件 {case.case_no} 的{note}，本重复件不再随前件化解"
                            + ("，仍为随前件走访" if along else ""), visited_with=case.case_no if along else "")
    set_case_status(session, case.case_no, back, who=who, note=note)


def _undo_visit(session: Session, case: CaseRow, row: VisitOutcomeRow, *, who: str) -> None:
    """A correction says nobody was met after all (已走访 → 未找到 / 改期): unless another record of the case says it
    was visited, the case goes back from 已下访 to where it was before (walk W12d: 0044 stayed 已下访 and counted in
    案件地图's 已下访 while 统计 left it out of 带信下访件数)."""
    if CaseStatus(case.status) is not CaseStatus.VISITED:
        return
    others = session.scalars(
        select(VisitOutcomeRow.id).where(VisitOutcomeRow.case_id == case.id, VisitOutcomeRow.id != row.id,
                                         VisitOutcomeRow.result == VisitResult.VISITED.value)
    ).first()
    if others is None:
        back = _status_before(session, case.id, CaseStatus.VISITED) or CaseStatus.PLANNED.value
        set_case_status(session, case.case_no, back, who=who, note=f"走访结果 #{row.id} 更正为未走访到")
    elif row.visit_type == VisitType.RETURN.value and _status_before(
            session, case.id, CaseStatus.VISITED) == CaseStatus.RESOLVED.value and session.scalars(
            select(VisitOutcomeRow.id).where(VisitOutcomeRow.case_id == case.id, VisitOutcomeRow.id != row.id,
                                             VisitOutcomeRow.visit_type == VisitType.RETURN.value,
                                             VisitOutcomeRow.result == VisitResult.VISITED.value)).first() is None:
        # A 回访 that found the problem unsolved made the 已化解 letter 已下访; nobody was met after all.
        set_case_status(session, case.case_no, CaseStatus.RESOLVED, who=who,
                        note=f"回访记录 #{row.id} 更正为未走访到：回访未成，恢复为已化解")


def _visited_along_in_done_plan(session: Session, later: CaseRow, first_no: str) -> bool:
    """Whether a finished plan counts ``later`` as visited along with ``first_no`` at the same stop
    (:func:`planner.store.lifecycle.visited_with`, from that plan's visit records as they stand now)."""
    from planner.store.lifecycle import PlanStatus, visited_with

    plan_ids = session.scalars(
        select(PlanCase.plan_id).join(PlanRow, PlanRow.id == PlanCase.plan_id)
        .where(PlanCase.case_id == later.id, PlanRow.status == PlanStatus.DONE.value)
    ).all()
    return any(visited_with(session, pid).get(later.id) == first_no for pid in plan_ids)


def _last_status_change(session: Session, case_id: int):
    from planner.store.models import CaseHistory

    return session.scalars(
        select(CaseHistory).where(CaseHistory.case_id == case_id, CaseHistory.action == "status")
        .order_by(CaseHistory.id.desc()).limit(1)
    ).first()


def _status_before(session: Session, case_id: int, status: CaseStatus) -> str | None:
    """The status a case had before it last moved to ``status`` (from its history), or None."""
    from planner.store.models import CaseHistory

    for h in session.scalars(
        select(CaseHistory).where(CaseHistory.case_id == case_id, CaseHistory.action == "status")
        .order_by(CaseHistory.id.desc())
    ):
        if (h.detail or {}).get("to") == status.value:
            return (h.detail or {}).get("from")
    return None


@_stale_as_conflict
def correct_outcome(
    session: Session,
    outcome_id: int,
    outcome: VisitOutcome,
    *,
    who: str,
    expected_version: int | None = None,
    visit_type: VisitType | str | None = None,
    plan_id: int | None = None,
    today: dt.date | None = None,
    change_kind: bool = False,
    role: str | None = None,
    confirm_basis: bool = False,
) -> None:
    """Correct a recorded outcome (typo in a number, findings added later); the previous values go to the history.

    A correction keeps the record's kind (首次走访 or 回访): a ``visit_type`` other than the stored one is refused
    unless ``change_kind`` is True (the user said the kind was recorded wrong) — a 回访 is recorded as a new record,
    never typed over the first visit's (walk S).

    A correction that makes the outcome visited or resolved moves the case on like :func:`record_outcome` would
    (the later letters of its repeat chain that wait for it are settled along with it). A correction that takes
    "problem resolved" back, when no other visit resolved the case, moves it from 已化解 back to 已下访 and the
    repeat letters settled along with it back to their own status; other statuses never move back (use
    :func:`set_case_status` for that).

    Raises
    ------
    NotFoundError
        If there is no such outcome, or ``outcome.case_no`` is not its case.
    ConflictError
        If the outcome changed since ``expected_version`` was read, or the corrected date and team are those of
        another recorded visit of the case.
    InputError
        If the corrected visit date is after ``today`` (None: Zhangzhou's today), ``visit_type`` changes the
        record's kind without ``change_kind``, or an officer (``role``, else ``who``'s account) changes what a leader
        corrected or what a 澄清函 or feedback rests on, or another role does that without ``confirm_basis``
        (:mod:`planner.followup.outcome_basis`).
    """
    who = _need_who(who)
    check_visit_date(outcome.visit_date, today)
    row = session.get(VisitOutcomeRow, outcome_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {outcome_id!r} 的走访结果")
    case = session.get(CaseRow, row.case_id)
    if case.case_no != outcome.case_no:
        raise NotFoundError(f"走访结果 #{outcome_id!r} 属于信访件 {case.case_no!r}，不是 {outcome.case_no!r}")
    kind = VisitType(visit_type) if visit_type is not None else VisitType(row.visit_type or "investigation")
    _correct_row(session, case, row, _values(outcome, kind, plan_id if plan_id is not None else row.plan_id),
                 who=who, expected_version=expected_version, change_kind=change_kind, today=today, role=role,
                 confirm_basis=confirm_basis)


def outcome_version(session: Session, outcome_id: int) -> int:
    """The current version of a stored outcome (for :func:`correct_outcome`'s ``expected_version``)."""
    row = session.get(VisitOutcomeRow, outcome_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {outcome_id!r} 的走访结果")
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
            **work_counts(r),
            time_spent_min=r.time_spent_min,
            recorded_by=r.recorded_by,
            put_off_to=put_off_to(r),
            report_partly=bool(r.report_partly) and r.report_true is True,
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
        raise InputError(f"信访件 {case_no!r} 的息诉息访协议须写明协议内容，收到 {terms!r}")
    case = _case_row(session, case_no)
    row = SettlementRow(case_id=case.id, agreed_date=agreed_date, terms=terms.strip(), recorded_by=who)
    session.add(row)
    _flush(session, f"case {case_no!r}")
    _history(session, case, who, "settlement", {"settlement_id": row.id, "agreed_date": agreed_date})
    set_case_status(session, case.case_no, CaseStatus.CLOSED, who=who, note="签订息诉息访协议")
    _flush(session, f"case {case_no!r}")
    return row.id
