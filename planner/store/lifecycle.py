"""Plan lifecycle (草稿 → 已下发 → 执行中 → 已完成) and the case statuses that move with it, repeat chains included."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import PLAN_STATUS_LABELS, CaseStatus
from planner.errors import ConflictError, InputError, NotFoundError
from planner.office.clock import show_time
from planner.store.cases import set_status
from planner.store.history import log_change, record_history
from planner.store.models import CaseRow, PlanCase, PlanRow, TeamRow, UserRow
from planner.store.plan_claims import lock_cases
from planner.store.teams import default_teams, load_teams


class PlanStatus(enum.StrEnum):
    """Where a saved plan is in its life: 草稿 → 已下发 → 执行中 → 已完成 (the UI shows :attr:`label`)."""

    DRAFT = "draft"  # 草稿: still being worked on, nobody goes yet
    ISSUED = "issued"  # 已下发: handed to the teams; its cases are 已排程
    IN_PROGRESS = "in_progress"  # 执行中: the first outcome has been recorded
    DONE = "done"  # 已完成: closed; cases not visited go back to be chosen again

    @property
    def label(self) -> str:
        """Chinese label."""
        return PLAN_STATUS_LABELS[self.value]


#: Allowed moves: a plan is issued, started and finished; an issued plan not started yet can be withdrawn.
PLAN_TRANSITIONS: dict[PlanStatus, tuple[PlanStatus, ...]] = {
    PlanStatus.DRAFT: (PlanStatus.ISSUED,),
    PlanStatus.ISSUED: (PlanStatus.IN_PROGRESS, PlanStatus.DONE, PlanStatus.DRAFT),
    PlanStatus.IN_PROGRESS: (PlanStatus.DONE,),
    PlanStatus.DONE: (),
}
#: Button text of each move.
PLAN_ACTIONS = {PlanStatus.ISSUED: "下发计划", PlanStatus.IN_PROGRESS: "开始执行", PlanStatus.DONE: "标记完成",
                PlanStatus.DRAFT: "撤回为草稿"}


def plan_status(session: Session, plan_id: int) -> tuple[PlanStatus, int]:
    """A saved plan's status and lock version (for a form's ``expected_version``; not the 版 people read).

    The lock version moves on every write of the plan row, issuing and withdrawing included; the 第 N 版 shown to
    people is :func:`plan_revision`.
    """
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"计划 #{plan_id!r} 不存在")
    return _status(row), row.version


def plan_revision(session: Session, plan_id: int) -> int:
    """The plan's 版 as people read it: 1 when saved, one more for every re-plan saved over it.

    Issuing, starting, finishing or withdrawing a plan changes its status, not its routes, so it makes no new 版
    (the row's lock version, :func:`plan_status`, does move then: it guards against two people saving at once).
    """
    return 1 + sum(1 for c in record_history(session, "plan", plan_id) if c.action == "replanned")


def _status(row: PlanRow) -> PlanStatus:
    return PlanStatus.ISSUED if row.status == "approved" else PlanStatus(row.status or "draft")


def _plan_cases(session: Session, plan_id: int) -> list[tuple[PlanCase, CaseRow]]:
    rows = session.execute(
        select(PlanCase, CaseRow).join(CaseRow, CaseRow.id == PlanCase.case_id).where(PlanCase.plan_id == plan_id)
        .order_by(PlanCase.visit_date, PlanCase.team_id, PlanCase.seq)
    )
    return [(pc, case) for pc, case in rows]


def _has_stop(pc: PlanCase) -> bool:
    """Whether the plan sends a team on a day to this case (a left-out case has neither team nor date)."""
    return bool(pc.team_id) and pc.visit_date is not None


class MovedCases(int):
    """How many cases changed with a plan (an int, as histories and the audit store it), with how many reached each
    status (``to``: status label -> count), so that 计划经过 says what happened: on 下发, 22 letters 已排程 and 10
    left out sent back 已登记, not "32 件…随之变更" (walk 2)."""

    to: dict[str, int]

    def __new__(cls, to: dict[str, int]) -> MovedCases:
        moved = super().__new__(cls, sum(to.values()))
        moved.to = dict(to)
        return moved


def _move_cases(session: Session, plan: PlanRow, status: PlanStatus, *, who: str) -> MovedCases:
    """Move the plan's cases along with the plan; returns how many cases changed (and to which status).

    Only cases with a planned stop (team and date) become 已排程 when the plan is issued (or re-planned while
    issued or in progress); a case the plan leaves out goes back to 已登记 (to be chosen again), unless another
    issued or running plan routes it, or a draft plan lists it (then it is 已选件).
    """
    moved: dict[str, int] = {}
    name = plan.name or f"#{plan.id}"
    # Teams by name as people read them: the plan's own team list first, then the office's.
    team_names = {t.team_id: t.name for t in load_teams(session, active_only=False) or default_teams()}
    team_names.update({t.get("id"): t.get("name") for t in (plan.problem or {}).get("teams", ()) if t.get("name")})
    along = visited_with(session, plan.id) if status is PlanStatus.DONE else {}
    waiting = _waiting(session, plan) if status in (PlanStatus.ISSUED, PlanStatus.IN_PROGRESS) else set()
    for pc, case in _plan_cases(session, plan.id):
        current = CaseStatus(case.status)
        target, note = None, ""
        if case.case_no in waiting and not _has_stop(pc):
            # Walk W14: a letter recorded 改期 (12-10 agreed) that the re-plan could not place is still this plan's
            # to visit again (待再访), not a letter to choose again; one sent back 已登记 before comes back.
            if current is CaseStatus.REGISTERED and not _in_other_live_plan(session, case.id, plan.id) \
                    and not _in_other_draft(session, case.id, plan.id):
                set_status(session, case.case_no, CaseStatus.PLANNED, who=who,
                           note=f"计划「{name}」待再访：上次走访改期或未找到，本版未排入，重新规划时再安排")
                moved[CaseStatus.PLANNED.label] = moved.get(CaseStatus.PLANNED.label, 0) + 1
            continue
        if status is PlanStatus.DRAFT and (current is CaseStatus.REGISTERED or (
                current is CaseStatus.PLANNED and not _in_other_live_plan(session, case.id, plan.id))):
            target, note = CaseStatus.SELECTED, f"列入下访计划「{name}」（草稿）"
        elif status in (PlanStatus.ISSUED, PlanStatus.IN_PROGRESS):
            if _has_stop(pc) and current in (CaseStatus.REGISTERED, CaseStatus.SELECTED):
                target = CaseStatus.PLANNED
                note = f"计划「{name}」{'已下发' if status is PlanStatus.ISSUED else '已重新排程'}：" \
                       f"{pc.visit_date.isoformat()} {team_names.get(pc.team_id) or pc.team_id}"
            elif not _has_stop(pc) and current in (CaseStatus.SELECTED, CaseStatus.PLANNED) \
                    and not _in_other_live_plan(session, case.id, plan.id):
                # Walk 1: 309号, left out of an issued plan, stayed 已选件 as if a team would still go; nobody does
                # under this plan, so it goes back to be chosen again (as 已完成 does with letters not visited),
                # unless a draft plan holds it.
                if _in_other_draft(session, case.id, plan.id):
                    if current is CaseStatus.PLANNED:
                        target = CaseStatus.SELECTED
                        note = f"计划「{name}」未安排本件（无检查组和日期），仍在草稿计划中"
                else:
                    target, note = CaseStatus.REGISTERED, f"计划「{name}」未安排本件（无检查组和日期），退回待选"
        elif status is PlanStatus.DONE and current in (CaseStatus.SELECTED, CaseStatus.PLANNED):
            if not _in_other_live_plan(session, case.id, plan.id):
                if first := along.get(case.id):
                    # A repeat letter is handled with its first letter at the same stop (重复件，随本件一并办结): that
                    # letter visited, the petitioner was visited on the matter; back in the pool, the same door
                    # would be knocked on again as if nobody had been there (team leader's walk: 301 and 312).
                    target, note = CaseStatus.VISITED, f"重复信访件，随前件 {first} 走访（计划「{name}」已完成）"
                else:
                    target, note = CaseStatus.REGISTERED, f"计划「{name}」已完成，本件未走访，退回待选"
        if target is not None:
            set_status(session, case.case_no, target, who=who, note=note,
                       visited_with=along.get(case.id, "") if target is CaseStatus.VISITED else "")
            moved[target.label] = moved.get(target.label, 0) + 1
    return MovedCases(moved)


def visited_with(session: Session, plan_id: int) -> dict[int, str]:
    """The repeat letters of plan ``plan_id`` handled along with a visited letter: case id -> that letter's number.

    A letter goes with the first letter of its repeat chain (the same petitioner, or a stored repeat cluster) that
    the plan sends a team to at the same stop and that has a visit recorded as 已走访 for this plan, as long as it has
    no outcome of its own for the plan. A first letter only 改期 or 未找到 takes none along.
    """
    from planner.domain import VisitResult
    from planner.store.cases import chain_mates
    from planner.store.models import VisitOutcomeRow

    rows = session.execute(
        select(PlanCase.case_id, PlanCase.visit_id, PlanCase.visit_date, CaseRow.case_no, CaseRow.received_date)
        .join(CaseRow, CaseRow.id == PlanCase.case_id)
        .where(PlanCase.plan_id == plan_id, PlanCase.team_id != "", PlanCase.visit_date.is_not(None))).all()
    if len(rows) < 2:
        return {}
    outcomes: dict[int, set[str]] = {}
    for case_id, result in session.execute(select(VisitOutcomeRow.case_id, VisitOutcomeRow.result).where(
            VisitOutcomeRow.case_id.in_([r.case_id for r in rows]), VisitOutcomeRow.plan_id == plan_id)):
        outcomes.setdefault(case_id, set()).add(result)
    mates = chain_mates(session, [r.case_no for r in rows])
    by_no = {r.case_no: r for r in rows}
    out: dict[int, str] = {}
    for r in rows:
        if r.case_id in outcomes:
            continue
        here = (by_no[m] for m in mates.get(r.case_no, ()) if m in by_no)
        firsts = sorted((f.received_date, f.case_no) for f in here
                        if f.visit_id == r.visit_id and (f.received_date, f.case_no) < (r.received_date, r.case_no)
                        and VisitResult.VISITED.value in outcomes.get(f.case_id, ()))
        if firsts:
            out[r.case_id] = firsts[0][1]
    return out


@dataclass(frozen=True, slots=True)
class PlanTally:
    """What was recorded for the letters a plan sends a team to, each letter counted once (for 标记完成)."""

    routed: int  # letters with a team and a day
    left_out: int  # letters the plan lists without a team or day, but those of ``waiting``
    visited: int  # recorded 已走访 at least once for this plan, or handled along with such a letter (``along``)
    along: int  # of ``visited``: repeat letters visited with their first letter at the same stop (:func:`visited_with`)
    postponed: int  # latest record 改期, never 已走访
    not_found: int  # latest record 未找到, never 已走访
    waiting: int = 0  # left-out letters still to visit again (改期, 未找到): planner.store.left_revisits
    waiting_postponed: int = 0  # of ``waiting``: latest record 改期
    waiting_not_found: int = 0  # of ``waiting``: latest record 未找到

    @property
    def unrecorded(self) -> int:
        """Routed letters with nothing recorded for this plan."""
        return self.routed - self.visited - self.postponed - self.not_found

    def sentence(self) -> str:
        """``排入的 16 件中 9 件已走访，改期 1 件，未找到 1 件，未记录 5 件`` (未记录: once anything is recorded)."""
        text = f"排入的 {self.routed} 件中 {self.visited} 件已走访"
        if self.along:
            text += f"（含随前件走访的重复件 {self.along} 件）"
        parts = [f"{label} {n} 件" for label, n in (("改期", self.postponed), ("未找到", self.not_found)) if n]
        if self.unrecorded and self.unrecorded < self.routed:
            parts.append(f"未记录 {self.unrecorded} 件")
        return "，".join((text, *parts))

    def waiting_sentence(self) -> str:
        """``另有 2 件待再访：改期 1 件、未找到 1 件，上次重新规划未能排入`` ("" when none waits)."""
        if not self.waiting:
            return ""
        kinds = "、".join(f"{label} {n} 件" for label, n in (("改期", self.waiting_postponed),
                                                             ("未找到", self.waiting_not_found)) if n)
        return f"另有 {self.waiting} 件待再访：{kinds}，上次重新规划未能排入"


def plan_tally(session: Session, plan_id: int) -> PlanTally:
    """How many of plan ``plan_id``'s letters were visited, 改期, 未找到 or not recorded, from its visit records.

    A letter recorded 改期 or 未找到 was not visited (the team leader's walk: “16 件中 11 件已走访” counted them); one
    recorded both, on two days, counts by its 已走访 if any, else by its latest record. A letter a re-plan left out
    whose stop is still to visit again (:func:`planner.store.left_revisits.left_out_revisits`, read 待再访 when the
    plan is opened) is ``waiting``, not left out (walk W13: “另有 2 件未排入” for 改期 and 未找到 letters).
    """
    from planner.domain import VisitResult
    from planner.routing.planio import plan_from_json
    from planner.store.left_revisits import left_out_revisits
    from planner.store.models import VisitOutcomeRow

    routed = set(session.scalars(select(PlanCase.case_id).where(
        PlanCase.plan_id == plan_id, PlanCase.team_id != "", PlanCase.visit_date.is_not(None))))
    listed = len(session.scalars(select(PlanCase.case_id).where(PlanCase.plan_id == plan_id)).all())
    row = session.get(PlanRow, plan_id)
    doc = plan_from_json(row.result) if row is not None and row.result else None
    left = left_out_revisits(session, plan_id, doc) if doc is not None else {}
    again = sorted({no for vid in left for no in doc.visits[vid].case_nos})
    waiting = set(session.scalars(select(PlanCase.case_id).join(CaseRow, CaseRow.id == PlanCase.case_id).where(
        PlanCase.plan_id == plan_id, CaseRow.case_no.in_(again)))) - routed if again else set()
    latest: dict[int, str] = {}
    visited: set[int] = set()
    for case_id, result in session.execute(
            select(VisitOutcomeRow.case_id, VisitOutcomeRow.result)
            .where(VisitOutcomeRow.plan_id == plan_id, VisitOutcomeRow.case_id.in_(routed | waiting))
            .order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id)):
        latest[case_id] = result
        if result == VisitResult.VISITED.value:
            visited.add(case_id)
    along = set(visited_with(session, plan_id)) & routed - set(latest)
    missed = [r for i, r in latest.items() if i not in visited and i in routed]
    later = [latest.get(i) for i in waiting]
    return PlanTally(routed=len(routed), left_out=listed - len(routed) - len(waiting), visited=len(visited | along),
                     along=len(along), postponed=missed.count(VisitResult.POSTPONED.value),
                     not_found=missed.count(VisitResult.NOT_FOUND.value), waiting=len(waiting),
                     waiting_postponed=later.count(VisitResult.POSTPONED.value),
                     waiting_not_found=later.count(VisitResult.NOT_FOUND.value))


def _in_other_live_plan(session: Session, case_id: int, plan_id: int) -> bool:
    """Whether another issued or running plan sends a team on a day to this case (being left out does not count)."""
    return session.scalars(
        select(PlanCase.plan_id).join(PlanRow, PlanRow.id == PlanCase.plan_id)
        .where(PlanCase.case_id == case_id, PlanCase.plan_id != plan_id,
               PlanRow.status.in_(["issued", "approved", "in_progress"]),
               PlanCase.team_id != "", PlanCase.visit_date.is_not(None))
        .limit(1)
    ).first() is not None


def _in_other_draft(session: Session, case_id: int, plan_id: int) -> bool:
    """Whether another draft plan lists this case (a draft puts every case it lists on the visit list, 已选件)."""
    return session.scalars(
        select(PlanCase.plan_id).join(PlanRow, PlanRow.id == PlanCase.plan_id)
        .where(PlanCase.case_id == case_id, PlanCase.plan_id != plan_id, PlanRow.status == "draft")
        .limit(1)
    ).first() is not None


def set_plan_status(
    session: Session,
    plan_id: int,
    status: PlanStatus | str,
    *,
    who: str,
    note: str = "",
    expected_version: int | None = None,
    actor: object = None,
) -> PlanStatus:
    """Move a saved plan on (草稿 → 已下发 → 执行中 → 已完成) and its cases with it.

    Issuing a plan makes the cases it sends a team to on a day 已排程 and the cases it leaves out 已登记 again;
    withdrawing it makes them 已选件 again; finishing it sends the cases that
    were not visited back to 已登记 (unless another live plan holds them), but a repeat letter at the stop of its
    visited first letter becomes 已下访 with it (:func:`visited_with`). Every move goes to the plan's history and
    each case's history.

    Returns
    -------
    PlanStatus
        The new status.

    Raises
    ------
    NotFoundError
        If there is no such plan.
    InputError
        For an unknown status or a move the lifecycle does not allow (e.g. 已完成 → 草稿).
    ConflictError
        If the plan changed since ``expected_version`` was read.
    PermissionDenied
        When ``actor`` (None: a batch job or the library itself) may not plan this plan's teams.
    """
    if actor is not None:
        from planner.office.authorisation import PlanRef, authorise

        authorise(actor, "plan", PlanRef(plan_id=plan_id), session=session)
    lock_cases(session, plan_id=plan_id)  # two plans with the same letters issued at once: one waits, then is refused
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"计划 #{plan_id!r} 不存在")
    try:
        new = PlanStatus(status)
    except ValueError:
        choices = "、".join(f"{s.value}（{s.label}）" for s in PlanStatus)
        raise InputError(f"不认识的计划状态 {status!r}；可用 {choices}") from None
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(stale_plan_text(session, plan_id, "请刷新后再操作。"))
    old = _status(row)
    if new is old:
        return old
    if new not in PLAN_TRANSITIONS[old]:
        allowed = "、".join(s.label for s in PLAN_TRANSITIONS[old]) or "无"
        raise InputError(f"计划 #{plan_id} 现为{old.label}，不能改为{new.label}（可改为：{allowed}）")
    if new is PlanStatus.ISSUED:
        _refuse_stopped_teams(session, row)
        _refuse_double_routes(session, row)
        if clashes := team_day_clashes(session, route_team_days(row.result), plan_id=row.id):
            raise InputError(f"计划 #{row.id} 不能下发：{clash_text(clashes)}")
    row.status = new.value
    session.flush()
    moved = _move_cases(session, row, new, who=who)
    log_change(session, "plan", plan_id, who=who, action="status",
               changes={"status": {"from": old.label, "to": new.label}, **({"note": note} if note else {}),
                        "cases_moved": int(moved), **({"cases_to": moved.to} if moved else {})})
    if actor is not None or who:  # 审计日志 too: issuing a plan sends teams to people's doors
        from planner.office import audit

        audit.record(session, actor if actor is not None else who, "plan_status",
                     detail={"plan": plan_id, "plan_name": row.name or "", "from": old.value, "to": new.value,
                             "cases_moved": int(moved)})
    session.flush()
    return new


def _refuse_stopped_teams(session: Session, row: PlanRow) -> None:
    """Refuse to issue ``row`` when it sends out a team that was switched off since it was planned (walk F8: the
    draft was issued, and its stops went to a team nobody answers for any more)."""
    stopped: dict[str, list[dt.date]] = {}
    for team, day in sorted(route_team_days(row.result)):
        team_row = session.get(TeamRow, team)
        if team_row is not None and not team_row.active:
            stopped.setdefault(team_row.name or team, []).append(day)
    if stopped:
        said = "、".join(f"{name}（{'、'.join(d.strftime('%m-%d') for d in days)}）" for name, days in stopped.items())
        raise InputError(f"计划 #{row.id} 不能下发：{said}已停用。请先在“路线规划”中打开本计划、"
                         "改用启用的检查组重新规划，或在“检查组”中重新启用该组。")


def _refuse_double_routes(session: Session, row: PlanRow) -> None:
    """Refuse to issue ``row`` when it sends a team to a letter another issued or running plan sends a team to
    (the same letter on two live routes: two teams, or one team twice). Drafts and left-out letters do not count."""
    routed = (PlanCase.team_id != "", PlanCase.visit_date.is_not(None))
    mine = select(PlanCase.case_id).where(PlanCase.plan_id == row.id, *routed)
    clashes = session.execute(
        select(CaseRow.case_no, PlanRow.id, PlanRow.name, PlanRow.status)
        .join(PlanCase, PlanCase.case_id == CaseRow.id).join(PlanRow, PlanRow.id == PlanCase.plan_id)
        .where(PlanCase.case_id.in_(mine), PlanCase.plan_id != row.id, *routed,
               PlanRow.status.in_((PlanStatus.ISSUED.value, PlanStatus.IN_PROGRESS.value)))
        .order_by(PlanRow.id, CaseRow.case_no)
    ).all()
    if not clashes:
        return
    nos = list(dict.fromkeys(no for no, *_ in clashes))
    plans = "、".join(dict.fromkeys(f"#{pid}「{name}」（{PlanStatus(st).label}）" for _, pid, name, st in clashes))
    raise InputError(
        f"计划 #{row.id} 不能下发：其中 {len(nos)} 件信访件（{'、'.join(nos[:5])}{'等' if len(nos) > 5 else ''}）"
        f"已在计划 {plans} 的线路上，下发后会重复派组走访。请先在路线规划中打开本计划去掉这些信访件，"
        "或把那个计划撤回为草稿、标记完成。"
    )


#: Plans the teams go by: an issued plan or one being carried out ("approved" is an older word for issued).
LIVE_STATUSES = (PlanStatus.ISSUED.value, PlanStatus.IN_PROGRESS.value, "approved")


def route_team_days(result: object) -> dict[tuple[str, dt.date], int]:
    """``(team_id, date) -> stops`` of every route with a stop (a plan.json dict or a :class:`planner.domain.Plan`)."""
    out: dict[tuple[str, dt.date], int] = {}
    routes = result.get("routes", ()) if isinstance(result, dict) else getattr(result, "routes", ())
    for r in routes or ():
        if isinstance(r, dict):
            team, day, stops = str(r.get("team", r.get("team_id", ""))), r.get("date"), r.get("stops") or ()
        else:
            team, day, stops = r.team_id, r.date, r.stops
        try:
            day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        except ValueError:
            continue
        if team and stops:
            out[(team, day)] = out.get((team, day), 0) + len(stops)
    return out


@dataclass(frozen=True, slots=True)
class TeamDayClash:
    """Another live plan already sends ``team_id`` out on ``dates`` (``stops`` stops on those days)."""

    plan_id: int
    plan_name: str
    status: str
    team_id: str
    team_name: str
    dates: tuple[dt.date, ...]
    stops: int

    def sentence(self) -> str:
        """``第六检查组 12-03、12-04 已在已下发的计划 #1 中有行程``."""
        days = "、".join(d.strftime("%m-%d") for d in self.dates)
        label = PLAN_STATUS_LABELS.get(self.status, "已下发")
        return f"{self.team_name} {days} 已在{label}的计划 #{self.plan_id} 中有行程"


def team_day_clashes(session: Session, team_days: object, *, plan_id: int | None = None,
                     statuses: Sequence[str] = LIVE_STATUSES) -> list[TeamDayClash]:
    """Where another issued or running plan (not ``plan_id``) already routes one of ``team_days``' teams on the
    same day: one team sent out twice on a day by two plans, with two departures and two sets of times.

    ``team_days`` is an iterable of ``(team_id, date)`` (e.g. :func:`route_team_days` of a plan). Drafts and
    finished plans do not count, unless ``statuses`` (plan statuses to look at) names them: 保存 also says which
    other drafts book the same team-day. One entry per (other plan, team), dates in order.
    """
    wanted = set(team_days)
    if not wanted:
        return []
    names = {t.team_id: t.name for t in load_teams(session, active_only=False) or default_teams()}
    query = select(PlanRow.id, PlanRow.name, PlanRow.status, PlanRow.result).where(
        PlanRow.status.in_(tuple(statuses))).order_by(PlanRow.id)
    if plan_id is not None:
        query = query.where(PlanRow.id != plan_id)
    out = []
    for pid, name, status, result in session.execute(query):
        found: dict[str, dict[dt.date, int]] = {}
        for (team, day), stops in route_team_days(result).items():
            if (team, day) in wanted:
                found.setdefault(team, {})[day] = stops
        for team in sorted(found):
            days = found[team]
            out.append(TeamDayClash(int(pid), name or "", status or "", team, names.get(team, team),
                                    tuple(sorted(days)), sum(days.values())))
    return out


def clash_text(clashes: list[TeamDayClash]) -> str:
    """``第六检查组 12-03、12-04 已在已下发的计划 #1 中有行程；请先撤回/完成计划 #1，或改选日期/检查组``."""
    plans = "、".join(dict.fromkeys(f"#{c.plan_id}" for c in clashes))
    return (f"{'；'.join(c.sentence() for c in clashes)}；请先撤回/完成计划 {plans}，或改选日期/检查组"
            "（同一检查组同一天只能按一个计划出行）。")


def _waiting(session: Session, plan: PlanRow) -> set[str]:
    """The letters ``plan`` leaves out that are still to visit again
    (:func:`planner.store.left_revisits.waiting_letters`)."""
    from planner.routing.planio import plan_from_json
    from planner.store.left_revisits import waiting_letters

    if not (plan.result or {}).get("unassigned"):
        return set()  # the plan leaves nothing out (a route-only result too: tests/test_f8_issue_stopped_team.py)
    return waiting_letters(session, plan.id, plan_from_json(plan.result))


def plan_saved(session: Session, plan_id: int, *, who: str) -> int:
    """A new draft plan puts its cases on the visit list (已登记 → 已选件); returns how many cases moved."""
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"计划 #{plan_id!r} 不存在")
    moved = _move_cases(session, row, _status(row), who=who) if _status(row) is PlanStatus.DRAFT else 0
    log_change(session, "plan", plan_id, who=who, action="created",
               changes={"name": row.name, "status": _status(row).label, "cases_moved": moved})
    session.flush()
    return moved


def plan_replanned(session: Session, plan_id: int, *, who: str) -> int:
    """After a re-plan, bring the cases in line with the plan's new stops; returns how many cases moved.

    A draft puts new cases on the visit list; an issued or running plan makes newly planned cases 已排程 and
    sends cases it no longer visits (no team or date) back to 已登记 unless another live plan visits them (or to
    已选件 when a draft plan lists them).
    """
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"计划 #{plan_id!r} 不存在")
    status = _status(row)
    return 0 if status is PlanStatus.DONE else _move_cases(session, row, status, who=who)


# --------------------------------------------------------------------------------------------- history in words

#: The verb of a move, by the status it reaches (the labels are what the history stores).
_MOVE_VERBS = {"已下发": "下发了计划", "执行中": "开始执行计划", "已完成": "完成了计划", "草稿": "撤回了计划"}


@dataclass(frozen=True, slots=True)
class PlanEvent:
    """One step of a saved plan's life as people read it: when, who (name, 系统 for the system) and what."""

    at: dt.datetime
    who: str
    what: str

    def sentence(self) -> str:
        """``2026-12-07 09:30，张组长下发了计划（草稿 → 已下发），5 件信访件随之改为新状态。``"""
        return f"{show_time(self.at)}，{self.who}{self.what}。"


def account_label(session: Session, username: str) -> str:
    """How pages name an account: its display name with the account (黄组长（zuzhang2）); 系统 for batch jobs."""
    if not username or username == "system":
        return "系统"
    if username == "demo":  # the demo coordinator has no account row (walk B: “demo保存了计划”)
        return "演示协调员"
    name = session.scalars(select(UserRow.display_name).where(UserRow.username == username)).first()
    return f"{name}（{username}）" if name and name != username else username


def account_labels(session: Session) -> dict[str, str]:
    """:func:`account_label` of every account that has a display name, at once (for a table of history lines);
    look up with ``.get(username, username)``."""
    rows = session.execute(select(UserRow.username, UserRow.display_name)).all()
    return {"": "系统", "system": "系统", "demo": "演示协调员"} | {u: f"{d}（{u}）" for u, d in rows if d and d != u}


def _event_text(action: str, changes: dict, plan_name: str, revision: int = 0) -> str:
    moved = int(changes.get("cases_moved") or 0)
    if action == "created":
        text = f"保存了计划「{changes.get('name') or plan_name}」（草稿）"
        return text + (f"，{moved} 件信访件列入走访清单（已选件）" if moved else "")
    if action == "status":
        change = changes.get("status") or {}
        old, new = str(change.get("from") or ""), str(change.get("to") or "")
        text = f"{_MOVE_VERBS.get(new, '改变了计划状态')}（{old} → {new}）"
        note = str(changes.get("note") or "").strip()
        text += f"：{note}" if note else ""
        if isinstance(to := changes.get("cases_to"), dict) and to:  # what happened, status by status (walk 2)
            return text + "，信访件随之变更：" + "、".join(
                f"{int(n)} 件改为{label}" for label, n in sorted(to.items(), key=lambda kv: -int(kv[1])))
        return text + (f"，{moved} 件信访件的状态随之变更" if moved else "")
    if action == "replanned":
        routes = str(changes.get("routes") or "").strip()
        note = str(changes.get("note") or "").strip()  # 重新规划已下发的计划, when a leader re-planned it on the page
        text = note or "重新排程"
        if revision:  # the 版 people read (re-plans counted), not the row's lock version
            text += f"（第 {revision - 1} 版 → 第 {revision} 版）"
        text += f"，现为 {routes}" if routes else ""
        removed = [str(c) for c in changes.get("cases_removed") or ()]
        return text + (f"；信访件 {'、'.join(removed)} 不再列入本计划" if removed else "")
    return "修改了计划"


def plan_history(session: Session, plan_id: int) -> list[PlanEvent]:
    """A saved plan's life, oldest first: who saved, issued, started, re-planned, finished or withdrew it, and when.

    Read from the plan's change history (``record_history``); a plan saved before that history was kept starts
    with its ``created_by``/``created_at``.

    Parameters
    ----------
    session
        Open session.
    plan_id
        The saved plan.

    Returns
    -------
    list[PlanEvent]
        One event per step, with Chinese sentences (:meth:`PlanEvent.sentence`), no status codes.

    Raises
    ------
    NotFoundError
        If there is no such plan.
    """
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"计划 #{plan_id!r} 不存在")
    changes = record_history(session, "plan", plan_id)
    events, revision = [], 1
    for c in changes:
        revision += c.action == "replanned"
        events.append(PlanEvent(c.at, account_label(session, c.who),
                                _event_text(c.action, c.changes, row.name, revision if c.action == "replanned" else 0)))
    if not any(c.action == "created" for c in changes) and row.created_at is not None:
        events.insert(0, PlanEvent(row.created_at, account_label(session, row.created_by), f"保存了计划「{row.name}」"))
    return events


def stale_plan_text(session: Session, plan_id: int, then: str) -> str:
    """Why a form's copy of plan ``plan_id`` is stale, naming the plan's last step (who did what, when), then
    ``then`` (what to do now): an officer's first result starts the plan and moves its version too (walk D: a
    leader's re-plan was refused as “已被他人修改” with nobody named)."""
    events = plan_history(session, plan_id)
    last = f"最近一次：{events[-1].sentence()}" if events else ""
    return f"计划 #{plan_id} 在你打开之后有了变化，你的改动没有保存。{last}{then}"
