"""A case given another number: the letter imported under a ``自编-…`` number whose real 编号 the clerk filled in later.

The case row keeps its id, so everything tied to it by id (history, outcomes, feedback, follow-ups, plan stops,
cluster membership) stays with it; what names the case by its number inside JSON documents (a plan's visits and
result, cluster decisions and information, the status history's "visited along with" links) is rewritten to the new
number, so an issued plan still finds its stops. The audit log is left as written: it records the change itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Text, cast, or_, select
from sqlalchemy.orm import Session

from planner.errors import ConflictError


def _renamed(value: Any, numbers: Mapping[str, str]) -> tuple[Any, bool]:
    """``value`` (JSON) with every string (and key) that is an old number of ``numbers`` as its new one; and whether
    anything changed."""
    if isinstance(value, str):
        return (numbers[value], True) if value in numbers else (value, False)
    if isinstance(value, list):
        items = [_renamed(v, numbers) for v in value]
        return [v for v, _ in items], any(c for _, c in items)
    if isinstance(value, dict):
        out, changed = {}, False
        for k, v in value.items():
            v2, c = _renamed(v, numbers)
            out[numbers.get(k, k)] = v2
            changed = changed or c or k in numbers
        return out, changed
    return value, False


def renumber_cases(session: Session, numbers: Mapping[str, str], *, who: str,
                   detail: Mapping[str, Mapping[str, object]] | None = None) -> dict[str, int]:
    """Give each case numbered ``old`` of ``numbers`` (old -> new) its new number (see the module), with history.

    Parameters
    ----------
    session
        Where to write; flushed, not committed.
    numbers
        Old number -> new number.
    who
        User name for the history entries.
    detail
        Old number -> what its history entry says besides the two numbers (file, row, batch).

    Returns
    -------
    dict[str, int]
        New number -> the case's id.

    Raises
    ------
    ConflictError
        No case has an old number, or a case already has a new one (nothing is changed).
    """
    from planner.store.models import CaseHistory, CaseRow, ClusterDecision, ClusterRow, PlanRow

    if not numbers:
        return {}
    cases = {c.case_no: c for c in session.scalars(select(CaseRow).where(CaseRow.case_no.in_(list(numbers))))}
    taken = set(session.scalars(select(CaseRow.case_no).where(CaseRow.case_no.in_(list(numbers.values())))))
    if missing := [f"{old} → {new}" for old, new in numbers.items() if old not in cases or new in taken]:
        raise ConflictError(f"信访件不存在或新编号已被另一件信访件使用，未改编号：{'、'.join(missing)}")
    for old, new in numbers.items():
        cases[old].case_no = new
    session.flush()
    # JSON may store the numbers with their Chinese prefix escaped: rows are found by the numbers' ASCII tails.
    tails = sorted({old.rsplit("-", 2)[-2] + "-" + old.rsplit("-", 1)[-1] if old.count("-") >= 2 else old
                    for old in numbers})
    for model, columns in ((PlanRow, ("problem", "result")), (ClusterDecision, ("payload",)),
                           (ClusterRow, ("info",)), (CaseHistory, ("detail",))):
        for start in range(0, len(tails), 50):
            hit = or_(*(cast(getattr(model, c), Text).contains(t, autoescape=True)
                        for c in columns for t in tails[start:start + 50]))
            for row in session.scalars(select(model).where(hit)):
                for column in columns:
                    value, changed = _renamed(getattr(row, column), numbers)
                    if changed:
                        setattr(row, column, value)
    for old, new in numbers.items():  # after the documents: this entry keeps the old number
        session.add(CaseHistory(case_id=cases[old].id, who=who[:100], action="import_renumber",
                                detail={"old": old, "new": new, **dict((detail or {}).get(old, {}))}))
    session.flush()
    return {numbers[old]: case.id for old, case in cases.items()}
