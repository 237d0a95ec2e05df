"""Saved plans: store plan.json documents in the ``plans`` table and index their cases in ``plan_cases``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from planner.errors import ConflictError, InputError, NotFoundError
from planner.office.authorisation import PlanRef, authorise, filter_plan_for, team_scope, visible_plan_ids
from planner.routing.planio import PlanDocument, plan_from_json, plan_to_json, validate_plan_json
from planner.store.history import log_change
from planner.store.lifecycle import PlanStatus, plan_replanned, plan_saved, plan_status
from planner.store.models import CaseRow, PlanCase, PlanRow


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


@dataclass(frozen=True, slots=True)
class OpenedPlan:
    """A saved plan opened on 路线规划 for adjustment: the whole document and the version it was read at."""

    plan_id: int
    name: str
    status: PlanStatus
    version: int
    doc: PlanDocument


def document_to_json(doc: PlanDocument) -> dict:
    """The plan.json dict of a document."""
    return plan_to_json(doc.plan, visits=doc.visits.values(), teams=doc.teams.values(), cases=doc.cases)


def save_plan(
    session: Session, doc: PlanDocument, *, name: str, who: str, parent_id: int | None = None, actor: object = None
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
    """
    if actor is not None:
        authorise(actor, "plan", PlanRef(doc=doc), session=session)
    if doc.plan.start_date is None:
        raise InputError("保存的计划须有开始日期")
    data = document_to_json(doc)
    validate_plan_json(data)
    row = PlanRow(
        name=name.strip() or doc.plan.start_date.isoformat(), created_by=who, start_date=doc.plan.start_date,
        days=doc.plan.days, solver_status=doc.plan.status, objective=int(doc.plan.objective),
        runtime_s=float(doc.plan.runtime_s), parent_id=parent_id,
        problem={"visits": data["visits"], "teams": data["teams"], "cases": data["cases"]}, result=data,
    )
    session.add(row)
    session.flush()
    _index_cases(session, row.id, doc)
    session.flush()
    plan_saved(session, row.id, who=who)  # a draft puts its cases on the visit list (已选件)
    return int(row.id)


def update_plan(session: Session, plan_id: int, doc: PlanDocument, *, actor: object = None) -> None:
    """Replace a saved plan's result (after a manual reorder), keeping its id (optimistic locking applies).

    ``actor`` (None: SYSTEM) must be allowed to plan the saved plan's teams and the new document's (see
    :func:`save_plan`).
    """
    if actor is not None:
        authorise(actor, "plan", PlanRef(doc=load_plan(session, plan_id)), session=session)
        authorise(actor, "plan", PlanRef(doc=doc), session=session)
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
    if actor is None:
        return plan_from_json(row.result)
    authorise(actor, "view_cases", PlanRef(plan_id=plan_id), session=session)
    return filter_plan_for(actor, plan_from_json(row.result))


def list_plans(session: Session, *, actor: object = None) -> list[PlanInfo]:
    """Saved plans, newest first: those routing one of ``actor``'s teams (None: all), counting only their stops."""
    rows = session.execute(select(PlanRow).order_by(PlanRow.created_at.desc(), PlanRow.id.desc())).scalars()
    scope = None if actor is None else team_scope(actor)
    mine = None if actor is None else visible_plan_ids(actor, session)
    return [
        PlanInfo(r.id, r.name, r.created_by, r.start_date.isoformat(), r.days, r.status, r.solver_status,
                 sum(len(x.get("stops", [])) for x in (r.result or {}).get("routes", [])
                     if scope is None or str(x.get("team", "")) in scope), r.parent_id)
        for r in rows
        if mine is None or r.id in mine
    ]


def open_plan(session: Session, plan_id: int, *, actor: object = None) -> OpenedPlan:
    """Open a saved plan to adjust it (lock, reorder, re-plan, save again as the same plan).

    Unlike :func:`load_plan` the document is whole — every route and the left-out visits with their reasons —
    because whoever adjusts it must be allowed to plan every team of it (a leader: only plans of teams they lead).

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
    return OpenedPlan(int(row.id), row.name, status, int(version), plan_from_json(row.result))


def resave_plan(
    session: Session, plan_id: int, doc: PlanDocument, *, who: str, expected_version: int, name: str | None = None,
    actor: object = None,
) -> int:
    """Save an adjusted plan as the same plan: a new version, recorded in its history; return the new version.

    A draft's new cases go on the visit list (已选件); an issued or running plan's new cases become 已排程, and the
    change is recorded as 重新规划 of an issued plan. A finished plan (已完成) cannot be changed.

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
    """
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"计划 #{plan_id!r} 不存在")
    status, version = plan_status(session, plan_id)
    if status is PlanStatus.DONE:
        raise InputError(f"计划 #{plan_id} 已完成，不能再调整；如需再次走访，请另存为新方案")
    if version != expected_version:
        raise ConflictError(f"计划 #{plan_id} 已被他人修改（版本 {version}，你看到的是版本 {expected_version}），"
                            "请重新打开后再调整。")
    if doc.plan.start_date is None:
        raise InputError("保存的计划须有开始日期")
    if actor is not None:
        authorise(actor, "plan", PlanRef(plan_id=plan_id), session=session)
        authorise(actor, "plan", PlanRef(doc=doc), session=session)
    data = document_to_json(doc)
    validate_plan_json(data)
    if name is not None and name.strip():
        row.name = name.strip()
    row.result = data
    row.problem = {"visits": data["visits"], "teams": data["teams"], "cases": data["cases"]}
    row.start_date, row.days = doc.plan.start_date, doc.plan.days
    row.solver_status, row.objective = doc.plan.status, int(doc.plan.objective)
    row.runtime_s = float(doc.plan.runtime_s)
    flag_modified(row, "result")  # a new version even when nothing moved (saved again as it was)
    session.execute(delete(PlanCase).where(PlanCase.plan_id == plan_id))
    session.flush()  # the version goes up here (optimistic locking)
    _index_cases(session, plan_id, doc)
    session.flush()
    moved = plan_replanned(session, plan_id, who=who)  # cases follow the stops (lifecycle rules)
    changes = {"routes": f"{len(doc.plan.routes)} 条线路，{len(doc.plan.planned_visit_ids())} 个走访点",
               "version": {"from": version, "to": int(row.version)}, "status": status.label, "cases_moved": moved}
    if status is not PlanStatus.DRAFT:
        changes["note"] = f"重新规划{status.label}的计划"
    log_change(session, "plan", plan_id, who=who, action="replanned", changes=changes)
    session.flush()
    return int(row.version)
