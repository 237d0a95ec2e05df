"""One letter, one live plan: saving, re-saving or issuing a plan takes its letters under a lock.

Walk V: two leaders on two app servers planned from the same pool and clicked 保存方案 within a second. Each page had
checked, before planning, that the letters were free; both saves went through, both plans were issued and two teams
were sent to the same 19 petitions. Re-planning the two plans at once then crashed one page with SQLAlchemy's
``StaleDataError``.

So the check is made again inside the saving transaction, after a lock that makes concurrent savers of the same
letters wait for each other: the case rows concerned (PostgreSQL ``SELECT … FOR UPDATE``, in id order so that two
savers never deadlock) and the plan row being re-saved or issued. SQLite has a single writer: the lock is its write
lock, taken by a write that changes nothing before anything is read. Only then are the letters looked up in the
other plans: a second save is refused whole (:class:`PlanConflictError`, nothing written) and names the letters and the
plan that holds them. A plan still counts until it is finished (草稿 included): what 路线规划 calls
“已在其他计划中” (``planner.store.plans.case_holders``).

Another planner's draft (草稿, saved by another account) is a working copy: a save that routes one of its letters
takes the letter from it instead of being refused (walk W32: a leader's draft held letters his team could not do,
and the team that could was refused them). The draft no longer routes the letter, its history says who took it, and
its version moves on: its owner, opening it, reads the letter as 已在计划 #…（…，草稿）中 (``held_visits``), and a
page that had it open is told it changed. Issued and running plans, and the saver's own drafts, still refuse.

A leader's letters taken by another team's plan leave the leader's pool, so the rights would refuse them
(无权规划路线 … 请联系管理员) before any plan is named (walk W). :func:`taken_since` tells those apart from letters the
leader never could plan: only letters the leader's page had checked as theirs count as taken.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from sqlalchemy import select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from planner.domain import PLAN_STATUS_LABELS
from planner.errors import ConflictError
from planner.office.authorisation import outside_cases
from planner.routing.planio import PlanDocument
from planner.store.models import CaseRow, PlanCase, PlanRow
from planner.store.teams import default_teams, load_teams

#: What a page says when a save met another write of the same plan (optimistic locking).
STALE_TEXT = "保存失败：计划已被他人修改，你的改动没有保存。请刷新后重试。"
#: Case numbers named in a refusal, at most (the rest are counted).
_SHOWN = 10


class PlanConflictError(ConflictError):
    """Another live plan already routes some of the letters a save would route: nothing was saved.

    ``held`` maps each such case number to ``(plan id, plan name, team name, status label)`` of the plan holding it.
    """

    def __init__(self, held: dict[str, tuple[int, str, str, str]]):
        self.held = dict(held)
        by_plan: dict[tuple[int, str, str, str], list[str]] = {}
        for no, where in sorted(self.held.items()):
            by_plan.setdefault(where, []).append(no)
        parts = []
        for (pid, name, team, label), nos in sorted(by_plan.items()):
            shown = "、".join(nos[:_SHOWN]) + (f" 等 {len(nos)} 件" if len(nos) > _SHOWN else "")
            named = f"「{name}」" if name else ""
            parts.append(f"信访件 {shown} 已由计划 #{pid}{named}（{team}，{label}）安排")
        super().__init__(
            "保存失败：" + "；".join(parts) + "。一件信访件只能排在一个计划的线路上，本次没有保存任何改动；"
            "请刷新后重新规划（这些信访件会被列为“已在其他计划中”），再保存。"
        )


def live_routes(case_nos: Iterable[str], *columns):
    """``select(*columns)`` over the plan rows that send a team on a day to one of ``case_nos`` in a plan not yet
    finished, newest plan first (the rows :func:`case_holders` and ``planner.selection.draft_holds`` read)."""
    return (
        select(*columns)
        .join(PlanCase, PlanCase.case_id == CaseRow.id)
        .join(PlanRow, PlanRow.id == PlanCase.plan_id)
        .where(
            CaseRow.case_no.in_(list(case_nos)),
            PlanCase.team_id != "",
            PlanCase.visit_date.is_not(None),
            PlanRow.status != "done",
        )
        .order_by(PlanRow.id.desc())
    )


def routed_case_nos(doc: PlanDocument) -> set[str]:
    """The case numbers ``doc`` sends a team to on a day (its left-out visits do not count)."""
    out: set[str] = set()
    for r in doc.plan.routes:
        if not (r.team_id and r.date):
            continue
        for vid in r.visit_ids:
            visit = doc.visits.get(vid)
            out.update(str(c) for c in (visit.case_nos if visit is not None else ()))
    return out


def lock_cases(session: Session, case_nos: Iterable[str] = (), *, plan_id: int | None = None) -> None:
    """Lock, until the transaction ends, plan ``plan_id``'s row, the cases it lists now and ``case_nos``.

    Whoever locks the same rows afterwards waits until this transaction commits or rolls back. The rows are read
    again (an object the session loaded before the lock would carry an old version and fail at the next flush).
    """
    if session.get_bind().dialect.name == "sqlite":
        # The write lock first (pysqlite starts the transaction at the first write): reads after it see every
        # commit, and another saver waits here (busy_timeout) instead of checking at the same time.
        plans = PlanRow.__table__
        session.execute(plans.update().where(text("0 = 1")).values(version=plans.c.version))
    if plan_id is not None:
        session.execute(
            select(PlanRow).where(PlanRow.id == plan_id).with_for_update().execution_options(populate_existing=True)
        ).all()
    wanted = sorted({str(c) for c in case_nos})
    ids = set(session.scalars(select(CaseRow.id).where(CaseRow.case_no.in_(wanted)))) if wanted else set()
    if plan_id is not None:
        ids |= set(session.scalars(select(PlanCase.case_id).where(PlanCase.plan_id == plan_id)))
    if ids:
        session.execute(
            select(CaseRow)
            .where(CaseRow.id.in_(sorted(ids)))
            .order_by(CaseRow.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()


def held_elsewhere(
    session: Session,
    case_nos: Iterable[str],
    *,
    plan_id: int | None = None,
    replaces: int | None = None,
    skip: Iterable[int] = (),
) -> dict[str, tuple[int, str, str, str]]:
    """Which of ``case_nos`` a plan other than ``plan_id`` and ``replaces`` routes and has not finished: case number
    -> ``(plan id, plan name, team name, status label)``, the newest such plan."""
    wanted = sorted({str(c) for c in case_nos})
    if not wanted:
        return {}
    stmt = live_routes(wanted, CaseRow.case_no, PlanRow.id, PlanRow.name, PlanRow.status, PlanRow.problem,
                       PlanCase.team_id)
    if mine := [p for p in (plan_id, replaces, *skip) if p is not None]:
        stmt = stmt.where(PlanCase.plan_id.not_in(mine))
    rows = session.execute(stmt).all()
    if not rows:
        return {}
    names = {t.team_id: t.name for t in load_teams(session, active_only=False) or default_teams()}
    out: dict[str, tuple[int, str, str, str]] = {}
    for no, pid, name, status, problem, team_id in rows:
        if no in out:
            continue
        teams = {t.get("id"): t.get("name") for t in (problem or {}).get("teams", ()) if t.get("name")}
        label = PLAN_STATUS_LABELS.get(status or "draft", PLAN_STATUS_LABELS["issued"])
        out[no] = (int(pid), name or "", teams.get(team_id) or names.get(team_id) or team_id, label)
    return out


def taken_since(
    actor: object, session: Session, case_nos: Iterable[str], *, had: Iterable[str], replaces: int | None = None
) -> dict[str, tuple[int, str, str, str]]:
    """The letters of ``case_nos`` that ``actor`` may no longer plan only because another unfinished plan took them
    after ``actor``'s page had checked them as theirs: case number -> the holding plan, as :func:`held_elsewhere`.

    ``had``: the letters the page found ``actor``'s (their team's, handed to it, or in the pool) when it planned
    them. A letter outside ``had`` is left out, whoever holds it: a leader saving another team's letters as their
    own is refused by the rights, and is told nothing of the plan holding them.
    """
    had = {str(c) for c in had}
    if not had:
        return {}
    outside = [c for c in outside_cases(actor, session, case_nos) if c in had]
    return held_elsewhere(session, outside, replaces=replaces) if outside else {}


def _others_drafts(session: Session, case_nos: Iterable[str], taker: str, mine: list[int]) -> dict[int, set[str]]:
    """The drafts saved by accounts other than ``taker`` (not ``mine``) that route some of ``case_nos``: plan id ->
    those case numbers, when no issued or running plan, nor a draft of ``taker``'s, routes the same letter."""
    rows = session.execute(
        select(CaseRow.case_no, PlanRow.id, PlanRow.status, PlanRow.created_by)
        .join(PlanCase, PlanCase.case_id == CaseRow.id)
        .join(PlanRow, PlanRow.id == PlanCase.plan_id)
        .where(
            CaseRow.case_no.in_(sorted(set(case_nos))),
            PlanCase.team_id != "",
            PlanCase.visit_date.is_not(None),
            PlanRow.status != "done",
            PlanCase.plan_id.not_in(mine or [-1]),
        )
    ).all()
    firm = {no for no, _pid, status, by in rows if status != "draft" or (by or "") == taker}
    out: dict[int, set[str]] = {}
    for no, pid, status, by in rows:
        if no not in firm and status == "draft" and (by or "") != taker:
            out.setdefault(int(pid), set()).add(no)
    return out


def _take(session: Session, drafts: dict[int, set[str]], taker: str) -> None:
    """Take letters from other accounts' drafts: those drafts no longer route them (left out), their history and
    their stored problem say who took which, and their version moves on."""
    from sqlalchemy.orm.attributes import flag_modified

    from planner.store.history import log_change

    for pid, nos in sorted(drafts.items()):
        ids = sorted(session.scalars(select(CaseRow.id).where(CaseRow.case_no.in_(sorted(nos)))))
        session.execute(
            PlanCase.__table__.update()
            .where(PlanCase.plan_id == pid, PlanCase.case_id.in_(ids))
            .values(team_id="", visit_date=None)
        )
        row = session.get(PlanRow, pid)
        if row is not None:
            taken = dict((row.problem or {}).get("taken") or {})
            taken.update({no: taker for no in sorted(nos)})
            row.problem = {**(row.problem or {}), "taken": taken}
            flag_modified(row, "problem")
        log_change(session, "plan", pid, who=taker, action="cases_taken", changes={"cases": sorted(nos)})
    session.flush()


def claim_cases(
    session: Session,
    doc: PlanDocument,
    *,
    plan_id: int | None = None,
    replaces: int | None = None,
    taker: str | None = None,
) -> None:
    """Take the letters ``doc`` routes for plan ``plan_id`` (None: a new plan) before it is written.

    Locks them (:func:`lock_cases`), then refuses the save when another unfinished plan routes one of them.
    ``replaces``: the plan a new plan re-plans (路线规划's 另存为新方案 of an opened plan, ``save_plan``'s
    ``parent_id``) may keep routing them — 下发 then refuses the second of the two (``_refuse_double_routes``).
    ``taker``: the account saving; letters only other accounts' drafts route are taken from them (:func:`_take`).

    Raises
    ------
    PlanConflictError
        Naming the letters and the plan holding them; the caller's transaction must be rolled back (the page's
        ``session_scope`` does).
    """
    routed = routed_case_nos(doc)
    lock_cases(session, routed, plan_id=plan_id)
    mine = [p for p in (plan_id, replaces) if p is not None]
    drafts = _others_drafts(session, routed, taker, mine) if taker and routed else {}
    if held := held_elsewhere(session, routed, plan_id=plan_id, replaces=replaces, skip=drafts):
        raise PlanConflictError(held)
    if drafts:
        _take(session, drafts, str(taker))


def stale_as_conflict(fn):
    """Turn SQLAlchemy's stale-version error of a plan save (two writes of the same row at once) into a
    :class:`~planner.errors.ConflictError` the page shows in words, instead of a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except StaleDataError as exc:
            raise ConflictError(STALE_TEXT) from exc

    return wrapper
