"""Saved plans: store plan.json documents in the ``plans`` table and index their cases in ``plan_cases``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from planner.domain import CaseStatus, Unassigned, Visit, VisitResult
from planner.errors import ConflictError, InputError, NotFoundError, PermissionDenied
from planner.office import audit
from planner.office.authorisation import (
    PlanRef,
    authorise,
    filter_plan_for,
    is_allowed,
    outside_cases,
    plan_case_nos,
    team_scope,
    visible_plan_ids,
)
from planner.office.clock import local_today
from planner.routing.history import DonePart, done_parts, moved_visited, route_changes, split_put_off
from planner.routing.planio import PlanDocument, plan_from_json, plan_to_json, validate_plan_json
from planner.store.history import log_change
from planner.store.left_revisits import as_waiting, left_out_revisits, outcome_rows, recorded_times
from planner.store.lifecycle import (
    PLAN_STATUS_LABELS,
    PlanStatus,
    plan_replanned,
    plan_revision,
    plan_saved,
    plan_status,
    stale_plan_text,
)
from planner.store.models import CaseRow, PlanCase, PlanRow
from planner.store.plan_claims import claim_cases, routed_case_nos, stale_as_conflict, taken_since
from planner.store.route_notices import route_notices  # noqa: F401  (its home until walk W11b)
from planner.store.teams import default_teams, load_teams, renamed

#: The name 路线规划 gives a plan nobody named ("2026-12-07 起 5 天"): it follows the plan's dates when re-planned.
_DEFAULT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}( 起 \d+ 天)?$")
#: Case statuses past planning: a left-out visit of such a case is not planned again.
_HANDLED = frozenset({CaseStatus.VISITED, CaseStatus.RESOLVED, CaseStatus.CLARIFIED, CaseStatus.CLOSED})


def default_plan_name(start_date: dt.date, days: int) -> str:
    """The name of a plan nobody named: ``2026-12-07 起 5 天``."""
    return f"{start_date.isoformat()} 起 {int(days)} 天"


def plan_name(name: str | None, start_date: dt.date, days: int) -> str:
    """The name to store: ``name`` as typed, or the default name of these dates when blank or itself a default name.

    A default name is only a description of the dates, so it must change with them (a plan re-planned to start on
    12-02 is no longer "2026-12-07 起 5 天").
    """
    text = (name or "").strip()
    return default_plan_name(start_date, days) if not text or _DEFAULT_NAME.match(text) else text


@dataclass(frozen=True, slots=True)
class PlanInfo:
    """One line of the saved-plans list."""

    plan_id: int
    name: str
    created_by: str
    start_date: str
    days: int
    status: str
    solver_status: str
    visits: int
    parent_id: int | None

    def label(self) -> str:
        """``#1 平和第一周（2026-12-07 起 5 天 · 已下发）``; a plan named by its dates is not told them twice."""
        status = PLAN_STATUS_LABELS.get(self.status, PLAN_STATUS_LABELS["issued"])
        dates = f"{self.start_date} 起 {self.days} 天"
        return f"#{self.plan_id} {self.name}（{status}）" if self.name == dates else \
            f"#{self.plan_id} {self.name}（{dates} · {status}）"


@dataclass(frozen=True, slots=True)
class TakenOff:
    """Cases of a saved plan's left-out visit that were taken off it on opening, and where they are now."""

    visit_id: str
    label: str  # the visit's place
    case_nos: tuple[str, ...]
    where: str  # 已在计划 #2「…」（第三检查组，已下发）中 / 已下访 / 不属于本人负责的组

    def sentence(self) -> str:
        """``信访件 27、3（旧镇镇浯江村）已在计划 #2「…」（第三检查组，已下发）中``."""
        place = f"（{self.label}）" if self.label else ""
        return f"信访件 {'、'.join(self.case_nos)}{place}{self.where}"


@dataclass(frozen=True, slots=True)
class OpenedPlan:
    """A saved plan opened on 路线规划 for adjustment: the document, the lock version it was read at and its 版.

    ``version`` is the row's optimistic-locking counter (every write, issuing included, moves it: pass it back as
    ``expected_version``); ``revision`` is the 第 N 版 people read (saving and re-planning only, see
    :func:`planner.store.lifecycle.plan_revision`). ``taken_off`` lists the left-out cases not reopened. Visits with
    a recorded result come locked (:func:`done_visits`).
    """

    plan_id: int
    name: str
    status: PlanStatus
    version: int
    doc: PlanDocument
    revision: int = 1
    taken_off: tuple[TakenOff, ...] = ()
    not_met: tuple[tuple[str, dt.date], ...] = ()  # (visit id, day of its latest 未找到): :func:`not_met_visits`
    both: tuple[str, ...] = ()  # of ``not_met``: stops whose other letters were put off (改期): :func:`mixed_visits`

    def not_met_notice(self, names: Mapping[str, str] | None = None) -> str:
        """Why the stops of ``not_met`` are not locked ("" when none are), for the lock box: ``V3 村3（12-07 未找到）：
        上次走访未见到信访人，可重新安排……``; a stop split off a visited one names its letters and the visited ones,
        which stay locked (``；V1 小溪镇的信访件 ZZ1（已走访）仍锁定…``). Places, stop and case numbers only.
        ``names``: visit id -> the stop's name as 行程 gives it (:func:`planner.field.stop_names.stop_places`), else
        its label (walk W13: ``云霄县陈岱镇`` for the stop 行程 calls ``云霄县陈岱镇陈岱村（村表无此村，待核对）``)."""
        def stop(vid: str) -> str:
            v = self.doc.visits.get(vid)
            name = (names or {}).get(vid) or (v.label if v is not None else "")
            return f"{vid} {name}" if v is not None and name else vid

        def origin(vid: str) -> str | None:  # the visited stop a 未找到 stop was split off (V1 of V1-未找到)
            base = vid.rsplit("-未找到", 1)[0] if "-未找到" in vid else None
            return base if base in self.doc.visits and self.doc.visits[base].locked else None

        nos = {vid: "" if origin(vid) is None else f"信访件 {'、'.join(self.doc.visits[vid].case_nos)}，"
               for vid, _ in self.not_met}
        kinds = {vid: "改期、未找到" if vid in self.both else "未找到" for vid, _ in self.not_met}
        if not (said := "、".join(f"{stop(vid)}（{nos[vid]}{day:%m-%d} {kinds[vid]}）" for vid, day in self.not_met)):
            return ""
        kept = "；".join(f"{stop(b)}的信访件 {'、'.join(self.doc.visits[b].case_nos)}（已走访）仍锁定，不再重复走访"
                        for b in dict.fromkeys(origin(vid) for vid, _ in self.not_met) if b is not None)
        return (f"{said}：上次走访未见到信访人，可重新安排（不锁定：重新规划时从记录次日起安排；"
                f"{'改期、' if self.both else ''}未找到记录保留在走访记录中）{'；' + kept if kept else ''}。")

    def notice(self) -> str:
        """What the page says about ``taken_off`` ("" when nothing was)."""
        if not self.taken_off:
            return ""
        # One sentence per place they went to (plan, handled, …), not the same plan repeated after every visit.
        by_where: dict[str, list[str]] = {}
        for t in self.taken_off:
            by_where.setdefault(t.where, []).append("、".join(t.case_nos) + (f"（{t.label}）" if t.label else ""))
        def one(where: str, items: list[str]) -> str:
            text = "、".join(items)
            return f"信访件 {text}{'' if text.endswith('）') else ' '}{where}"

        return ("本计划未安排的信访件中，" + "；".join(one(w, v) for w, v in by_where.items())
                + "。这些信访件这次不再列入本计划；本计划已安排的走访点不变。")


def document_to_json(doc: PlanDocument) -> dict:
    """The plan.json dict of a document."""
    return plan_to_json(doc.plan, visits=doc.visits.values(), teams=doc.teams.values(), cases=doc.cases,
                        policy=doc.policy)


@stale_as_conflict
def save_plan(
    session: Session, doc: PlanDocument, *, name: str, who: str, parent_id: int | None = None, actor: object = None,
    had: Iterable[str] = (),
) -> int:
    """Store a plan and which cases it visits; return its id.

    Parameters
    ----------
    session
        An open session (the caller commits).
    doc
        The plan with its visits, teams and case details.
    name
        Name shown in lists, e.g. "平和 12 月第一周".
    who
        User name of whoever saves it.
    parent_id
        The plan this one re-plans (for "compare with the previous plan").
    actor
        The signed-in user (pages, ``--user``): needs the ``plan`` right, and for a leader every team of the plan
        must be one they lead and every case one of theirs or in the pool. None: a batch job (SYSTEM).
    had
        The letters ``actor``'s page checked as theirs when it planned ``doc``: one another unfinished plan took
        since is refused as a plan conflict naming that plan, not by the rights
        (:func:`planner.store.plan_claims.taken_since`).

    Returns
    -------
    int
        The new plan id.

    Raises
    ------
    InputError
        If the plan has no start date or breaks the plan.json schema.
    PermissionDenied
        When ``actor`` may not plan, or not these teams or cases (whatever file the plan came from).
    PlanConflictError
        When another unfinished plan (not ``parent_id``) routes one of its letters: nothing is written.
    """
    if actor is not None:
        try:
            authorise(actor, "plan", PlanRef(doc=doc), session=session)
        except PermissionDenied:
            if not (had and _only_taken(actor, session, doc, had, parent_id)):
                raise
            claim_cases(session, doc, replaces=parent_id)  # names the plan that took them (walk W)
            raise  # the plan finished meanwhile: the rights' refusal stands
    if doc.plan.start_date is None:
        raise InputError("保存的计划须有开始日期")
    # Locked: another save of the same letters waits, is refused; a planner takes letters from others' drafts.
    claim_cases(session, doc, replaces=parent_id, taker=who if actor is not None else None)
    data = document_to_json(doc)
    validate_plan_json(data)
    row = PlanRow(
        name=plan_name(name, doc.plan.start_date, doc.plan.days), created_by=who, start_date=doc.plan.start_date,
        days=doc.plan.days, solver_status=doc.plan.status, objective=int(doc.plan.objective),
        runtime_s=float(doc.plan.runtime_s), parent_id=parent_id,
        problem={"visits": data["visits"], "teams": data["teams"], "cases": data["cases"]}, result=data,
    )
    session.add(row)
    session.flush()
    _index_cases(session, row.id, doc)
    session.flush()
    plan_saved(session, row.id, who=who)  # a draft puts its cases on the visit list (已选件)
    audit.record(session, actor if actor is not None else who, "plan_save", detail=_saved(row, doc, parent=parent_id))
    return int(row.id)


def _saved(row: PlanRow, doc: PlanDocument, **extra: object) -> dict:
    """What 审计日志 keeps of a plan save: the plan's id, name, teams, how many stops and letters it routes and how many
    it lists (no case numbers, nothing of the petitioners)."""
    routes = [r for r in doc.plan.routes if r.stops]
    return {"plan": int(row.id), "plan_name": row.name or "", "teams": sorted({r.team_id for r in routes}),
            "stops": sum(len(r.stops) for r in routes), "cases": len(routed_case_nos(doc)),
            # Every letter the save lists (plan_cases, 已选件), those on no team's day too (walk W20: 24 listed, the
            # log said 18 件).
            "listed": len({c for v in doc.visits.values() for c in v.case_nos}),
            **{k: v for k, v in extra.items() if v is not None}}


def _only_taken(actor: object, session: Session, doc: PlanDocument, had: Iterable[str], parent_id: int | None) -> bool:
    """Whether ``actor`` may plan ``doc`` but for letters another unfinished plan took after their page checked them
    (``had``): its teams are theirs and every other letter is theirs or in the pool."""
    if not is_allowed(actor, "plan"):
        return False
    scope = team_scope(actor)
    if scope is not None and ({r.team_id for r in doc.plan.routes} | set(doc.teams)) - scope:
        return False
    nos = plan_case_nos(doc)
    taken = taken_since(actor, session, nos, had=had, replaces=parent_id)
    return bool(taken) and not set(outside_cases(actor, session, nos)) - set(taken)


@stale_as_conflict
def update_plan(session: Session, plan_id: int, doc: PlanDocument, *, actor: object = None) -> None:
    """Replace a saved plan's result (after a manual reorder), keeping its id (optimistic locking applies).

    ``actor`` (None: SYSTEM) must be allowed to plan the saved plan's teams and the new document's (see
    :func:`save_plan`).
    """
    if actor is not None:
        authorise(actor, "plan", PlanRef(doc=load_plan(session, plan_id)), session=session)
        authorise(actor, "plan", PlanRef(doc=doc), session=session)
    claim_cases(session, doc, plan_id=plan_id, taker=getattr(actor, "username", None) if actor is not None else None)
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"计划 #{plan_id!r} 不存在")
    data = document_to_json(doc)
    validate_plan_json(data)
    row.result = data
    row.problem = {"visits": data["visits"], "teams": data["teams"], "cases": data["cases"]}
    row.solver_status = doc.plan.status
    row.objective = int(doc.plan.objective)
    session.execute(delete(PlanCase).where(PlanCase.plan_id == plan_id))
    session.flush()
    _index_cases(session, plan_id, doc)
    session.flush()
    plan_replanned(session, plan_id, who=str(getattr(actor, "username", "") or "system"))  # cases follow the stops
    log_change(session, "plan", plan_id, who=str(getattr(actor, "username", "") or "system"), action="replanned",
               changes={"routes": f"{len(doc.plan.routes)} 条线路，{len(doc.plan.planned_visit_ids())} 个走访点"})


def _index_cases(session: Session, plan_id: int, doc: PlanDocument) -> None:
    case_nos = sorted({c for v in doc.visits.values() for c in v.case_nos})
    if not case_nos:
        return
    ids = dict(session.execute(select(CaseRow.case_no, CaseRow.id).where(CaseRow.case_no.in_(case_nos))).all())
    where = {s.visit_id: (r.team_id, r.date, k) for r in doc.plan.routes for k, s in enumerate(r.stops, start=1)}
    seen: set[int] = set()
    for v in doc.visits.values():
        team_id, date, seq = where.get(v.visit_id, ("", None, 0))
        for c in v.case_nos:
            cid = ids.get(c)
            if cid is None or cid in seen:  # cases not in this database (e.g. an uploaded visits.csv)
                continue
            seen.add(cid)
            session.add(PlanCase(plan_id=plan_id, case_id=cid, visit_id=v.visit_id, team_id=team_id,
                                 visit_date=date, seq=seq))


def load_plan(session: Session, plan_id: int, *, actor: object = None) -> PlanDocument:
    """Read a saved plan, as ``actor`` may see it (None: all of it, for batch jobs).

    A leader or officer gets only their teams' routes, visits and cases
    (:func:`planner.office.authorisation.filter_plan_for`).

    Raises
    ------
    NotFoundError
        If no plan has that id.
    PermissionDenied
        If the plan routes none of ``actor``'s teams.
    """
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"计划 #{plan_id!r} 不存在")
    # The teams under their names now (a team renamed since: 行程's team choice, headers and file names).
    doc = plan_from_json(row.result)
    doc = dataclasses.replace(doc, teams=renamed(session, doc.teams))
    if actor is None:
        return doc
    authorise(actor, "view_cases", PlanRef(plan_id=plan_id), session=session)
    return filter_plan_for(actor, doc)


def list_plans(session: Session, *, actor: object = None) -> list[PlanInfo]:
    """Saved plans, newest first: those routing one of ``actor``'s teams (None: all), counting only their stops.

    A plan named only by its dates is listed under its current dates (:func:`plan_name`).
    """
    rows = session.execute(select(PlanRow).order_by(PlanRow.created_at.desc(), PlanRow.id.desc())).scalars()
    scope = None if actor is None else team_scope(actor)
    mine = None if actor is None else visible_plan_ids(actor, session)
    return [
        PlanInfo(r.id, plan_name(r.name, r.start_date, r.days), r.created_by, r.start_date.isoformat(), r.days,
                 r.status, r.solver_status,
                 sum(len(x.get("stops", [])) for x in (r.result or {}).get("routes", [])
                     if scope is None or str(x.get("team", "")) in scope), r.parent_id)
        for r in rows
        if mine is None or r.id in mine
    ]


def case_holders(session: Session, case_nos: Iterable[str], *, plan_id: int | None = None,
                 active_only: bool = True, team_of: dict[str, str] | None = None,
                 taker: str | None = None, plans: dict | None = None) -> dict[str, str]:
    """Where other plans send a team to each of ``case_nos``: case number -> ``已在计划 #2「…」（第三检查组）中``;
    ``plans``, when given, is filled with case number -> (plan id, name, team name, status label).

    Only routes count (a plan that left a case out does not hold it). ``plan_id`` is left out of the search;
    ``active_only`` leaves out finished plans (已完成). Cases no other plan routes are not in the result.
    ``team_of``, when given, is filled with the team each held case is routed to. ``taker`` (an account's user
    name): drafts other accounts saved do not count — the account may take letters from them
    (:func:`planner.store.plan_claims.claim_cases`; walk W32).
    """
    wanted = sorted({str(c) for c in case_nos})
    if not wanted:
        return {}
    stmt = (select(CaseRow.case_no, PlanRow.id, PlanRow.name, PlanRow.status, PlanRow.problem, PlanCase.team_id)
            .join(PlanCase, PlanCase.case_id == CaseRow.id).join(PlanRow, PlanRow.id == PlanCase.plan_id)
            .where(CaseRow.case_no.in_(wanted), PlanCase.team_id != "", PlanCase.visit_date.is_not(None))
            .order_by(PlanRow.id.desc()))
    if plan_id is not None:
        stmt = stmt.where(PlanCase.plan_id != plan_id)
    if active_only:
        stmt = stmt.where(PlanRow.status != PlanStatus.DONE.value)
    if taker is not None:
        stmt = stmt.where((PlanRow.status != PlanStatus.DRAFT.value) | (PlanRow.created_by == taker))
    rows = session.execute(stmt).all()
    if not rows:
        return {}
    names = {t.team_id: t.name for t in load_teams(session, active_only=False) or default_teams()}
    out: dict[str, str] = {}
    for case_no, pid, name, status, problem, team_id in rows:
        if case_no in out:
            continue
        teams = {t.get("id"): t.get("name") for t in (problem or {}).get("teams", ()) if t.get("name")}
        team = teams.get(team_id) or names.get(team_id) or team_id
        label = PLAN_STATUS_LABELS.get(status or "draft", PLAN_STATUS_LABELS["issued"])
        out[case_no] = f"已在计划 #{pid}「{name or pid}」（{team}，{label}）中"
        if team_of is not None:
            team_of[case_no] = team_id
        if plans is not None:
            plans[case_no] = (int(pid), name or "", team, label)
    return out


def chain_holders(session: Session, case_nos: Iterable[str], *, scope: frozenset[str] | None = None) -> dict[str, str]:
    """Cases of ``case_nos`` whose petitioner's other letter of the same matter (a repeat chain: the same petitioner,
    or a stored repeat cluster) a live plan already sends a team to: case number ->
    ``同一信访人的 X 已在计划 #2「…」（第一检查组，已下发）中``.

    Walk A: 选件 offered, and a second plan routed, a later letter of a petitioner whom another team's plan visits
    for the same matter: two teams at one door on two days. The cases that are held themselves are not in the
    result (:func:`case_holders` says where they are). With ``scope`` (the reader's teams), a letter another team's
    plan holds is not named, nor its plan (walk H: a leader read team B's case number and draft plan)."""
    from planner.store.cases import chain_mates

    mates = chain_mates(session, case_nos)
    if not mates:
        return {}
    team_of: dict[str, str] = {}
    held = case_holders(session, set().union(*mates.values()), team_of=team_of)
    out: dict[str, str] = {}
    for no in sorted(mates):
        if no in held:
            continue
        mate = next((m for m in sorted(mates[no]) if m in held), None)
        if mate is None:
            continue
        if scope is not None and team_of.get(mate) not in scope:
            out[no] = "同一信访人就同一事项的另一封来信已在其他检查组的计划中"
        else:
            out[no] = f"同一信访人的 {mate} {held[mate]}"
    return out


def _take_off_left_out(session: Session, plan_id: int, doc: PlanDocument,
                       actor: object) -> tuple[PlanDocument, tuple[TakenOff, ...]]:
    """``doc`` without the left-out cases that are no longer this plan's to visit, and what was taken off.

    A case the plan left out (no team, no date) goes when another live plan routes it, when it was handled since
    (已下访, 已化解 ...), or when ``actor`` may no longer plan it (another team's). The plan's routed visits stay.
    """
    routed = doc.plan.planned_visit_ids()
    left = [v for vid, v in doc.visits.items() if vid not in routed and v.case_nos]
    wanted = {c for v in left for c in v.case_nos}
    if not wanted:
        return doc, ()
    where = case_holders(session, wanted, plan_id=plan_id)
    statuses = dict(session.execute(select(CaseRow.case_no, CaseRow.status)
                                    .where(CaseRow.case_no.in_(sorted(wanted)))).all())
    for c, status in statuses.items():
        if c not in where and status in {s.value for s in _HANDLED}:
            where[c] = CaseStatus(status).label
    if actor is not None:
        rest = [c for c in wanted if c not in where]
        done = case_holders(session, rest, plan_id=plan_id, active_only=False)
        for c in outside_cases(actor, session, rest):
            where[c] = done.get(c, "不属于本人负责的组")
    if not where:
        return doc, ()
    visits = dict(doc.visits)
    taken: list[TakenOff] = []
    for v in left:
        gone = [c for c in v.case_nos if c in where]
        if not gone:
            continue
        by_place: dict[str, list[str]] = {}
        for c in gone:
            by_place.setdefault(where[c], []).append(c)
        taken.extend(TakenOff(v.visit_id, v.label, tuple(cs), w) for w, cs in by_place.items())
        keep = tuple(c for c in v.case_nos if c not in where)
        if keep:
            visits[v.visit_id] = dataclasses.replace(v, case_nos=keep)
        else:
            del visits[v.visit_id]
    plan = dataclasses.replace(doc.plan, unassigned=tuple(u for u in doc.plan.unassigned if u.visit_id in visits))
    cases = {k: c for k, c in doc.cases.items() if k not in where}
    return dataclasses.replace(doc, plan=plan, visits=visits, cases=cases), tuple(taken)


def _case_order(case_no: str) -> tuple:
    """Case numbers in the order people count them (3 before 27)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", case_no) if p)


def _case_outcomes(session: Session, plan_id: int, doc: PlanDocument
                   ) -> dict[str, dict[str, list[tuple[dt.date, str]]]]:
    """(visit date, result) of every outcome recorded against saved plan ``plan_id`` for a case of a routed visit of
    ``doc``, by visit id and case number, oldest first."""
    where: dict[str, str] = {}
    for r in doc.plan.routes:
        for vid in r.visit_ids:
            for no in doc.visits[vid].case_nos if vid in doc.visits else ():
                where[no] = vid
    if not where:
        return {}
    rows = outcome_rows(session, plan_id, where)
    out: dict[str, dict[str, list[tuple[dt.date, str]]]] = {}
    for no, day, result in sorted(rows, key=lambda r: (r[1], r[0])):
        out.setdefault(where[no], {}).setdefault(no, []).append((day, result))
    return out


def _outcomes(session: Session, plan_id: int, doc: PlanDocument) -> dict[str, list[tuple[dt.date, str]]]:
    """:func:`_case_outcomes` of each visit, its cases' together (by date, then case number)."""
    return {vid: [(day, result) for day, _no, result in sorted((d, no, r) for no, recs in cases.items()
                                                                for d, r in recs)]
            for vid, cases in _case_outcomes(session, plan_id, doc).items()}


#: What a visit that did not meet the petitioner records: 改期 (put off) and 未找到 (nobody met).
_MISSED = frozenset({VisitResult.POSTPONED.value, VisitResult.NOT_FOUND.value})


def recorded_visits(session: Session, plan_id: int, doc: PlanDocument) -> dict[str, str]:
    """The routed visits of saved plan ``plan_id`` with an outcome recorded against that plan, each with what
    happened (``12-07 已记录结果``): done, so a new version may neither move nor drop them.

    A visit recorded only as 改期 did not happen (:func:`postponed_visits`), nor did one recorded only as 未找到 (or
    未找到 and 改期): nobody was met, the letter is still to visit (:func:`not_met_visits`, walk W8). Neither is
    among them; a letter of either kind at a visited stop is split off it (:func:`split_history`).
    """
    done = {vid: [day for day, result in recs if result not in _MISSED]
            for vid, recs in _outcomes(session, plan_id, doc).items()}
    return {vid: f"{days[-1]:%m-%d} 已记录结果" for vid, days in done.items() if days}


def postponed_visits(session: Session, plan_id: int, doc: PlanDocument) -> dict[str, dt.date]:
    """The routed visits of saved plan ``plan_id`` whose every outcome recorded against that plan is 改期, each with
    the day of its latest 改期: the visit did not happen and must be made later, so a re-plan plans it again from
    the next day on (its 改期 records stay in the visit history)."""
    put_off = VisitResult.POSTPONED.value
    return {vid: recs[-1][0] for vid, recs in _outcomes(session, plan_id, doc).items()
            if all(result == put_off for _, result in recs)}


def not_met_visits(session: Session, plan_id: int, doc: PlanDocument) -> dict[str, dt.date]:
    """The routed visits of saved plan ``plan_id`` recorded against that plan as 未找到 and never as 已走访 (改期
    or not), each with the day of its latest record: nobody was met (信访人不在家), the letter is still to visit, so a
    re-plan plans the stop again from the next day on, as a 改期 one; its 未找到 records stay in the visit history."""
    missed = VisitResult.NOT_FOUND.value
    return {vid: recs[-1][0] for vid, recs in _outcomes(session, plan_id, doc).items()
            if all(result in _MISSED for _, result in recs) and any(result == missed for _, result in recs)}


def partly_put_off(session: Session, plan_id: int, doc: PlanDocument) -> dict[str, dict[str, dt.date]]:
    """The routed visits of saved plan ``plan_id`` where a case's outcome is recorded (not 改期 or 未找到) and other
    cases only as 改期 or 未找到: visit id -> {each such case: its latest record's day}; where none was visited, its
    未找到 cases if others were put off (改期). A re-plan keeps the one and plans the others again (walk W8).

    A stop none visited that a re-plan put on a day after its records is one stop of letters 改期 and 未找到 made by
    :mod:`planner.routing.revisit_merge` (记录为改期、未找到): it stays whole (:func:`mixed_visits`)."""
    out, found = {}, _not_met_cases(session, plan_id, doc)
    for vid, cases in _case_outcomes(session, plan_id, doc).items():
        late = {no: recs[-1][0] for no, recs in cases.items() if all(r in _MISSED for _, r in recs)}
        if len(late) == len(cases) and _replanned_after(doc, vid, cases):
            continue
        out[vid] = late if len(late) < len(cases) else {no: d for no, d in late.items() if no in found}
    return {vid: late for vid, late in out.items() if late and len(late) < len(doc.visits[vid].case_nos)}


def _replanned_after(doc: PlanDocument, vid: str, cases: Mapping[str, list[tuple[dt.date, str]]]) -> bool:
    """Whether ``doc`` routes stop ``vid`` on a day after every record of its ``cases``: planned again after them."""
    day = next((r.date for r in doc.plan.routes if vid in r.visit_ids), None)
    return day is not None and all(d < day for recs in cases.values() for d, _ in recs)


def mixed_visits(session: Session, plan_id: int, doc: PlanDocument) -> tuple[str, ...]:
    """The routed visits of saved plan ``plan_id`` none of whose letters was visited, some recorded 改期 and some
    未找到 (:func:`not_met_visits` that are put off too): one stop said 记录为改期、未找到, not 未找到 alone."""
    later, missed = VisitResult.POSTPONED.value, VisitResult.NOT_FOUND.value
    return tuple(sorted(vid for vid, recs in _outcomes(session, plan_id, doc).items()
                        if all(r in _MISSED for _, r in recs) and {later, missed} <= {r for _, r in recs}))


def _not_met_cases(session: Session, plan_id: int, doc: PlanDocument) -> set[str]:
    """The cases of ``doc``'s routed visits recorded against saved plan ``plan_id`` as 未找到 and never visited."""
    return {no for cases in _case_outcomes(session, plan_id, doc).values() for no, recs in cases.items()
            if all(r in _MISSED for _, r in recs) and any(r == VisitResult.NOT_FOUND.value for _, r in recs)}


def split_history(session: Session, plan_id: int, doc: PlanDocument) -> tuple[PlanDocument, dict[str, dt.date]]:
    """``doc`` (saved plan ``plan_id``) with the cases of :func:`partly_put_off` taken off their visited stops into
    stops of their own, off the routes, and {each such stop: its latest 改期 or 未找到}
    (:func:`planner.routing.history.split_put_off`; ``V003-未找到`` for letters recorded 未找到)."""
    none = {vid for vid, cases in _case_outcomes(session, plan_id, doc).items()
            if all(r in _MISSED for recs in cases.values() for _, r in recs)}  # nobody met there: none visited
    return split_put_off(doc, partly_put_off(session, plan_id, doc), _not_met_cases(session, plan_id, doc), none)


def done_visits(session: Session, plan_id: int) -> tuple[str, ...]:
    """The visits of saved plan ``plan_id`` (as stored) with a result recorded against it (:func:`recorded_visits`);
    none for a plan that does not exist."""
    row = session.get(PlanRow, plan_id)
    return tuple(recorded_visits(session, plan_id, plan_from_json(row.result))) if row is not None else ()


def kept_history(session: Session, plan_id: int, locked: Iterable[str] = ()) -> tuple[DonePart, ...]:
    """What a re-plan of saved plan ``plan_id`` keeps where and when it was: on each route the stops with a recorded
    result, and the stops in ``locked`` before the last of them (:func:`planner.routing.history.done_parts`); none
    for a plan that does not exist."""
    row = session.get(PlanRow, plan_id)
    if row is None:
        return ()
    doc, split = split_history(session, plan_id, plan_from_json(row.result))  # its visited letters only
    # not visited (改期, 未找到): planned again, never kept (even if locked)
    put_off = {**postponed_visits(session, plan_id, doc), **not_met_visits(session, plan_id, doc)}
    done = recorded_visits(session, plan_id, doc)
    return done_parts(doc, done, set(locked) - set(put_off) - set(split), recorded_times(session, plan_id, doc, done))


def put_off_history(session: Session, plan_id: int) -> dict[str, dt.date]:
    """:func:`postponed_visits` and :func:`not_met_visits` of saved plan ``plan_id`` as stored (none for a plan that
    does not exist), and the stops of its letters put off where another was visited (:func:`split_history`): what a
    re-plan of it plans again after its 改期 or 未找到 (``plan_document(put_off=...)``)."""
    row = session.get(PlanRow, plan_id)
    if row is None:
        return {}
    doc, split = split_history(session, plan_id, plan_from_json(row.result))
    left = {vid: w.day for vid, w in left_out_revisits(session, plan_id, doc).items()}  # walk W13
    return {**postponed_visits(session, plan_id, doc), **not_met_visits(session, plan_id, doc), **split, **left}


def _moved_done(session: Session, plan_id: int, old: PlanDocument, new: PlanDocument) -> list[str]:
    """``V003（ZZ-41，12-07 已记录结果：时间 08:47–09:47 改为 14:53–15:53）`` for each visit with a recorded result
    that ``new`` moves (team, day, times, order among the day's visited stops) or drops
    (:func:`planner.routing.history.moved_visited`)."""
    done = recorded_visits(session, plan_id, old)
    if not done:
        return []
    moved = moved_visited(old.plan, new.plan, done, {k: t.name for k, t in (*old.teams.items(), *new.teams.items())})
    return [f"{v}（{'、'.join(old.visits[v].case_nos)}，{why}：{moved[v]}）" for v, why in done.items() if v in moved]


def open_plan(session: Session, plan_id: int, *, actor: object = None) -> OpenedPlan:
    """Open a saved plan to adjust it (lock, reorder, re-plan, save again as the same plan).

    Unlike :func:`load_plan` the document is whole — every route and the left-out visits with their reasons —
    because whoever adjusts it must be allowed to plan every team of it (a leader: only plans of teams they lead).
    Left-out cases that are no longer this plan's (another plan routes them, they were handled, or ``actor`` may
    no longer plan them) are taken off the document and listed in :attr:`OpenedPlan.taken_off`, so that the plan
    still opens and a re-plan cannot put them on two plans.

    Raises
    ------
    NotFoundError
        If no plan has that id.
    PermissionDenied
        When ``actor`` (None: SYSTEM) may not plan this plan's teams.
    """
    if actor is not None:
        authorise(actor, "plan", PlanRef(plan_id=plan_id), session=session)
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"计划 #{plan_id!r} 不存在")
    status, version = plan_status(session, plan_id)
    doc, taken = _take_off_left_out(session, plan_id, plan_from_json(row.result), actor)
    missed = _not_met_cases(session, plan_id, doc)  # a letter put off or not met where another was visited:
    doc, split = split_history(session, plan_id, doc)  # a stop apart, free (未找到 ones said in the lock box)
    if done := recorded_visits(session, plan_id, doc):
        # A stop whose result is recorded happened: it keeps its team, day and order (walk D: a re-plan at 15:00
        # moved a resolved letter's stop to 12-09 and dropped another visited one).
        doc = dataclasses.replace(doc, visits={k: dataclasses.replace(v, locked=True) if k in done else v
                                               for k, v in doc.visits.items()})
    # A revisit the last re-plan left out is still one, not a stop the planner failed to place (walk W13).
    left = left_out_revisits(session, plan_id, doc)
    doc = as_waiting(doc, left)
    not_met = {**not_met_visits(session, plan_id, doc),
               **{k: d for k, d in split.items() if set(doc.visits[k].case_nos) <= missed},
               **{k: w.day for k, w in left.items() if w.not_met}}
    if put_off := {**postponed_visits(session, plan_id, doc), **not_met}:
        # 改期 is a visit put off, 未找到 one that met nobody: neither was made, both are planned again (an earlier
        # version may have locked it as done).
        doc = dataclasses.replace(doc, visits={k: dataclasses.replace(v, locked=False) if k in put_off else v
                                               for k, v in doc.visits.items()})
    name = plan_name(row.name, row.start_date, row.days)  # a plan re-planned before names followed its dates
    both = {*mixed_visits(session, plan_id, doc), *(k for k, w in left.items() if w.not_met and w.put_off)}
    return OpenedPlan(int(row.id), name, status, int(version), doc, plan_revision(session, plan_id), taken,
                      tuple(sorted(not_met.items())), tuple(sorted(both & set(not_met))))


@stale_as_conflict
def resave_plan(
    session: Session, plan_id: int, doc: PlanDocument, *, who: str, expected_version: int, name: str | None = None,
    actor: object = None,
) -> int:
    """Save an adjusted plan as the same plan: a new 版, recorded in its history; return the new lock version.

    A draft's new cases go on the visit list (已选件); an issued or running plan's new cases become 已排程, and the
    change is recorded as 重新规划 of an issued plan, with the 版 it makes (:func:`plan_revision`) and the cases it
    no longer lists. A finished plan (已完成) cannot be changed. ``name`` (None or blank: the stored one) goes
    through :func:`plan_name`, so a plan named only by its dates takes the new dates' name.

    Raises
    ------
    NotFoundError
        If no plan has that id.
    InputError
        For a finished plan, or a plan without a start date or breaking the plan.json schema.
    ConflictError
        If the plan changed since ``expected_version`` was read (someone else saved or moved it).
    PermissionDenied
        When ``actor`` may not plan the saved plan's teams or the new document's.
    PlanConflictError
        If another unfinished plan routes one of the letters ``doc`` routes (checked under a lock).
    """
    # First: the version and the letters are read after the lock.
    claim_cases(session, doc, plan_id=plan_id, taker=who if actor is not None else None)
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"计划 #{plan_id!r} 不存在")
    status, version = plan_status(session, plan_id)
    if status is PlanStatus.DONE:
        raise InputError(f"计划 #{plan_id} 已完成，不能再调整；如需再次走访，请另存为新方案")
    if version != expected_version:
        raise ConflictError(stale_plan_text(session, plan_id, "请重新打开后再调整。"))
    if doc.plan.start_date is None:
        raise InputError("保存的计划须有开始日期")
    if actor is not None:
        authorise(actor, "plan", PlanRef(plan_id=plan_id), session=session)
        authorise(actor, "plan", PlanRef(doc=doc), session=session)
    if moved := _moved_done(session, plan_id, plan_from_json(row.result), doc):
        raise InputError(f"计划 #{plan_id} 的新版本不能改动已记录结果的走访点（它们已经走访过，组、日期、顺序和时间都"
                         f"须保持不变）：{'；'.join(moved)}。请点击「重新规划其余走访点」：已走访的点保持原样，"
                         "只重新安排其余走访点。")
    data = document_to_json(doc)
    validate_plan_json(data)
    revision = plan_revision(session, plan_id)
    # What the officers must be told: each team-day from today on whose stops or their order changed.
    team_days = route_changes(plan_from_json(row.result), doc, since=local_today())
    row.name = plan_name(name if name is not None and name.strip() else row.name, doc.plan.start_date, doc.plan.days)
    row.result = data
    row.problem = {"visits": data["visits"], "teams": data["teams"], "cases": data["cases"]}
    row.start_date, row.days = doc.plan.start_date, doc.plan.days
    row.solver_status, row.objective = doc.plan.status, int(doc.plan.objective)
    row.runtime_s = float(doc.plan.runtime_s)
    flag_modified(row, "result")  # a new version even when nothing moved (saved again as it was)
    before = set(session.scalars(select(CaseRow.case_no).join(PlanCase, PlanCase.case_id == CaseRow.id)
                                 .where(PlanCase.plan_id == plan_id)))
    session.execute(delete(PlanCase).where(PlanCase.plan_id == plan_id))
    session.flush()  # the version goes up here (optimistic locking)
    _index_cases(session, plan_id, doc)
    session.flush()
    moved = plan_replanned(session, plan_id, who=who)  # cases follow the stops (lifecycle rules)
    changes = {"routes": f"{len(doc.plan.routes)} 条线路，{len(doc.plan.planned_visit_ids())} 个走访点",
               "version": {"from": version, "to": int(row.version)}, "revision": {"from": revision, "to": revision + 1},
               "status": status.label, "cases_moved": moved}
    if status is not PlanStatus.DRAFT:
        changes["note"] = f"重新规划{status.label}的计划"
    if removed := sorted(before - {c for v in doc.visits.values() for c in v.case_nos}, key=_case_order):
        changes["cases_removed"] = removed  # e.g. left-out cases another plan took (see open_plan)
    if team_days and status is not PlanStatus.DRAFT:
        changes["team_days"] = team_days  # read by route_notices (行程): no petitioner names in it
    log_change(session, "plan", plan_id, who=who, action="replanned", changes=changes)
    audit.record(session, actor if actor is not None else who, "plan_resave",
                 detail=_saved(row, doc, revision=revision + 1, status=status.value))
    session.flush()
    return int(row.version)


def held_visits(session: Session, visits: Iterable[Visit], *, plan_id: int | None = None,
                taker: str | None = None, holders: dict | None = None) -> dict[str, str]:
    """Visits every case of which another live plan already routes: visit id -> where, in words.

    Planned again they would put the case on two plans (下发 refuses that; walk G planned one silently twice).
    ``plan_id`` (the plan being edited) does not count. A new plan (no ``plan_id``) of ``taker`` (a user name) may
    take letters other accounts' drafts route (walk W32): those do not count; a saved plan's letter another plan
    routes now was taken from it, and is said so. ``holders``, when given, is filled with where each case is
    (``case_holders``' ``plans``): the page lists the stops per plan (``planner.routing.held_list``, walk W36).
    """
    visits = list(visits)
    held = case_holders(session, {c for v in visits for c in v.case_nos}, plan_id=plan_id,
                        taker=taker if plan_id is None else None, plans=holders)
    return {v.visit_id: "；".join(sorted({f"信访件 {c} {held[c]}" for c in v.case_nos}))
            for v in visits if v.case_nos and all(c in held for c in v.case_nos)}


def with_held(doc: PlanDocument, visits: Iterable[Visit], held: dict[str, str]) -> PlanDocument:
    """``doc`` with the visits another plan holds (:func:`held_visits`) in its list of left-out visits; the page's
    reasons add where they are (``planner.routing.advice.without_held``)."""
    mine = [v for v in visits if v.visit_id in held]
    if not mine:
        return doc
    out = tuple(Unassigned(v.visit_id, "held_elsewhere", "信访件已排在其他计划的线路上") for v in mine)
    return dataclasses.replace(doc, plan=dataclasses.replace(doc.plan, unassigned=doc.plan.unassigned + out),
                               visits={**doc.visits, **{v.visit_id: v for v in mine}})
