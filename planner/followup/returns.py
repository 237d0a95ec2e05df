"""回访: return visits and rectification checks proposed, listed, completed and turned into planner visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus, FollowUpTask, Visit, VisitResult, VisitType
from planner.errors import NotFoundError
from planner.followup.common import (
    RECTIFICATION_CHECK,
    RETURN_VISIT,
    _check_version,
    _first_team,
    _flush,
    _history,
    _need_who,
    _stale_as_conflict,
    _summary,
    _visible,
    return_delay_days,
    stored_case_no,
)
from planner.office.clock import to_local
from planner.store.cases import last_status_changes
from planner.store.models import CaseHistory, CaseRow, FollowUpRow, RectificationRow, VisitOutcomeRow


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
    first resolving outcome, else the status change), unless its 回访 is already recorded (a visited return visit
    that settled it or came after it was settled). A rectification item whose deadline passed before ``today``
    gets a check (kind ``"rectification"``) due ``delay_days`` after its deadline — done or not, someone goes to see —
    unless the letter was return-visited on or after that deadline (the 回访 was the check).
    Idempotent: running it twice proposes nothing new.

    Parameters
    ----------
    session
        Open session; the caller commits.
    today
        The day the check runs.
    delay_days
        Days after the anchor, for this run only (the CLI's ``--delay``); None reads the setting (设置, default 30).

    Returns
    -------
    list[FollowUpTask]
        The tasks created now.

    Raises
    ------
    InputError
        If ``delay_days`` is not a whole number of days from 1 to 365.
    """
    from planner.office.settings import check_return_delay_days

    delay = return_delay_days(session) if delay_days is None else check_return_delay_days(delay_days)
    created: list[FollowUpRow] = []
    has_return = set(session.scalars(select(FollowUpRow.case_id).where(FollowUpRow.kind == RETURN_VISIT)))
    resolved = list(session.scalars(select(CaseRow).where(CaseRow.status == CaseStatus.RESOLVED.value)))
    along = _settled_along(session, resolved)
    visited_back = _return_visited(session, [c for c in resolved if c.id not in has_return])
    marked = last_status_changes(session, [c.id for c in resolved])
    for case in resolved:
        if case.id in has_return or case.id in along or case.id in visited_back:
            continue
        anchor = session.scalars(
            select(func.min(VisitOutcomeRow.visit_date)).where(
                VisitOutcomeRow.case_id == case.id, VisitOutcomeRow.problem_resolved.is_(True)
            )
        ).first()
        reason = "问题已化解"
        if anchor is None:
            anchor = to_local(case.updated_at).date() if case.updated_at else today  # stored UTC: local day
            if marked.get(case.id, {}).get("to") != CaseStatus.RESOLVED.value:
                # 已化解 in the register it came in with: the day is its import's, not the day it was resolved
                # (walk C: 回访：问题已化解（2026-12-07）后 30 天 for a letter resolved months before, imported then).
                reason = "导入时登记表已为“已化解”"
        row = _propose_return(session, case, anchor=anchor, delay_days=delay, reason=reason)
        if row is not None:
            created.append(row)
    checked = {
        (r.case_id, r.description)
        for r in session.scalars(select(FollowUpRow).where(FollowUpRow.kind == RECTIFICATION_CHECK))
    }
    # A letter return-visited since a rectification's deadline has had that check (review: proposed all the same).
    went_back = dict(session.execute(
        select(VisitOutcomeRow.case_id, func.max(VisitOutcomeRow.visit_date))
        .where(VisitOutcomeRow.visit_type == VisitType.RETURN.value,
               VisitOutcomeRow.result == VisitResult.VISITED.value)
        .group_by(VisitOutcomeRow.case_id)
    ).all())
    for rect in session.scalars(select(RectificationRow).where(RectificationRow.due_date < today)):
        description = f"整改回访：{rect.item}（责任单位 {rect.owner}，期限 {rect.due_date.isoformat()}）#{rect.id}"
        if (rect.case_id, description) in checked or went_back.get(rect.case_id, dt.date.min) >= rect.due_date:
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


def _settled_along(session: Session, cases: list[CaseRow]) -> set[int]:
    """Of ``cases`` (resolved), the re-sent letters settled along with an earlier letter that is itself resolved: one
    matter, one return visit, the visited letter's (walk A: four proposals, two without a team, for one petitioner's
    matter visited once)."""
    by_no = {c.case_no for c in cases}
    last = last_status_changes(session, [c.id for c in cases])
    return {i for i, d in last.items() if d.get("with_case") in by_no and d.get("to") == CaseStatus.RESOLVED.value}


def _return_visited(session: Session, cases: list[CaseRow]) -> set[int]:
    """Of ``cases`` (resolved, never proposed a 回访), those whose 回访 is already done: a visited return visit that
    settled the letter (its latest resolving came with it) or was recorded since it last became 已化解 — or any, when
    no change to 已化解 is on record (resolved in the register it was imported from).

    Review: a letter resolved that way and then return-visited was proposed a second 回访, counted from the return
    visit itself. A 回访 that found the problem unsolved made the letter 已下访 again; resolved by other means after
    that, it is due a 回访 of its own.
    """
    ids = [c.id for c in cases]
    if not ids:
        return set()
    visits: dict[int, list[tuple[dt.datetime | None, bool, bool]]] = {}
    for case_id, at, kind, resolved in session.execute(
        select(VisitOutcomeRow.case_id, VisitOutcomeRow.recorded_at, VisitOutcomeRow.visit_type,
               VisitOutcomeRow.problem_resolved)
        .where(VisitOutcomeRow.case_id.in_(ids), VisitOutcomeRow.result == VisitResult.VISITED.value)
        .order_by(VisitOutcomeRow.recorded_at, VisitOutcomeRow.id)
    ):
        visits.setdefault(case_id, []).append((at, kind == VisitType.RETURN.value, bool(resolved)))
    resolved_at: dict[int, dt.datetime] = {}
    for case_id, at, detail in session.execute(
        select(CaseHistory.case_id, CaseHistory.at, CaseHistory.detail)
        .where(CaseHistory.action == "status", CaseHistory.case_id.in_(list(visits)))
        .order_by(CaseHistory.id)
    ):
        if (detail or {}).get("to") == CaseStatus.RESOLVED.value and at is not None:
            resolved_at[case_id] = at
    done = set()
    for case_id, seen in visits.items():
        since = resolved_at.get(case_id)
        if since is None:
            if any(is_return for _, is_return, _ in seen):
                done.add(case_id)
            continue
        before = [v for v in seen if v[0] is not None and v[0] <= since]
        settled_by_return = bool(before) and before[-1][1] and before[-1][2]
        if settled_by_return or any(is_return and (at is None or at >= since) for at, is_return, _ in seen):
            done.add(case_id)
    return done


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
        Only this case's tasks (typed in any width: :func:`planner.followup.common.case_key`).
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
        query = query.where(CaseRow.case_no == stored_case_no(session, case_no))
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
        raise NotFoundError(f"没有编号为 {task_id!r} 的回访任务")
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
