"""Saved plans: store plan.json documents in the ``plans`` table and index their cases in ``plan_cases``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.errors import InputError, NotFoundError
from planner.routing.planio import PlanDocument, plan_from_json, plan_to_json, validate_plan_json
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


def document_to_json(doc: PlanDocument) -> dict:
    """The plan.json dict of a document."""
    return plan_to_json(doc.plan, visits=doc.visits.values(), teams=doc.teams.values(), cases=doc.cases)


def save_plan(session: Session, doc: PlanDocument, *, name: str, who: str, parent_id: int | None = None) -> int:
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

    Returns
    -------
    int
        The new plan id.

    Raises
    ------
    InputError
        If the plan has no start date or breaks the plan.json schema.
    """
    if doc.plan.start_date is None:
        raise InputError("plan: a saved plan needs its start_date")
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
    return int(row.id)


def update_plan(session: Session, plan_id: int, doc: PlanDocument) -> None:
    """Replace a saved plan's result (after a manual reorder), keeping its id (optimistic locking applies)."""
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"plan id {plan_id!r} does not exist")
    data = document_to_json(doc)
    validate_plan_json(data)
    row.result = data
    row.problem = {"visits": data["visits"], "teams": data["teams"], "cases": data["cases"]}
    row.solver_status = doc.plan.status
    row.objective = int(doc.plan.objective)
    session.execute(delete(PlanCase).where(PlanCase.plan_id == plan_id))
    session.flush()
    _index_cases(session, plan_id, doc)


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


def load_plan(session: Session, plan_id: int) -> PlanDocument:
    """Read a saved plan.

    Raises
    ------
    NotFoundError
        If no plan has that id.
    """
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"plan id {plan_id!r} does not exist")
    return plan_from_json(row.result)


def list_plans(session: Session) -> list[PlanInfo]:
    """Saved plans, newest first."""
    rows = session.execute(select(PlanRow).order_by(PlanRow.created_at.desc(), PlanRow.id.desc())).scalars()
    return [
        PlanInfo(r.id, r.name, r.created_by, r.start_date.isoformat(), r.days, r.status, r.solver_status,
                 sum(len(x.get("stops", [])) for x in (r.result or {}).get("routes", [])), r.parent_id)
        for r in rows
    ]
