"""The stored letters' writer keys: which letters one petitioner wrote, by the rule the analysis links them by.

A case's stored ``petitioner_key`` is its own writer's key as imported (the ID number's, else name and phone's). A
letter without the ID number whose named writer gives the same phone as letters that give one ID number is the same
writer (:func:`planner.analysis.writers.writer_keys`): 关联分析 chains it with them, and so must 选件, the field
sheets and the settling of repeat letters (walk W10: ZZJW2026-0234, 再次反映 without the ID number, was chained with
0026 on 关联分析, but 选件 did not take it along, 0026's sheets did not name it and 0026's visit did not settle it).
A writer known by a name only is one writer at one town (:func:`planner.analysis.namesakes.by_place`, walk W23).
The identities are read here only; the keys that leave are opaque.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from planner.analysis.writers import writer_keys
from planner.domain import Petitioner
from planner.store.models import CaseRow, PetitionerRow


def _keys(session: Session, where: ColumnElement[bool] | None = None) -> dict[str, tuple[int, str]]:
    """Case number -> (case id, writer key) of the cases ``where`` selects (all cases: None); a case without a
    ``petitioners`` row keeps its stored key. Correct for a case when every case with its writer's name, and every
    case sharing its stored key, is among them (the rule links no further)."""
    stmt = (select(CaseRow.id, CaseRow.case_no, CaseRow.petitioner_key, PetitionerRow.name, PetitionerRow.phone,
                   PetitionerRow.id_number, CaseRow.county_code, CaseRow.town_code)
            .outerjoin(PetitionerRow, PetitionerRow.case_id == CaseRow.id))
    if where is not None:
        stmt = stmt.where(where)
    rows = session.execute(stmt).all()
    # PERSONAL: the identities stay in this function; only the keys leave it.
    writers = {no: Petitioner(name or "", phone or "", ident or "")
               for _i, no, _k, name, phone, ident, *_ in rows if (name, phone, ident) != (None, None, None)}
    keys = writer_keys(writers, {no: (county or "", town or "") for _i, no, *_, county, town in rows if no in writers})
    return {no: (i, keys.get(no, stored or "")) for i, no, stored, *_ in rows}


def writer_key_map(session: Session) -> dict[str, str]:
    """Case number -> its writer's key across the stored register (``""``: nothing known of the writer).

    Parameters
    ----------
    session
        Open session.

    Returns
    -------
    dict[str, str]
        One key per case; two cases share one exactly when :func:`planner.analysis.writers.writer_keys` links
        their letters, as 关联分析 does.
    """
    return {no: key for no, (_i, key) in _keys(session).items()}


def _names(session: Session, where: ColumnElement[bool]) -> set[str]:
    return {n for n in session.scalars(select(func.trim(PetitionerRow.name)).join(
        CaseRow, CaseRow.id == PetitionerRow.case_id).where(where)) if n}


def _around(session: Session, stored: Iterable[str], names: Iterable[str]) -> ColumnElement[bool]:
    """Cases with one of the ``stored`` keys or written by one of the ``names``."""
    stored, names = sorted({k for k in stored if k}), sorted({n for n in names if n})
    return or_(CaseRow.petitioner_key.in_(stored), func.trim(PetitionerRow.name).in_(names))


def same_writer_ids(session: Session, row: CaseRow) -> set[int]:
    """The ids of the cases ``row``'s writer wrote (their writer key is ``row``'s), ``row`` itself included.

    Reads only the cases that can share the key: those with ``row``'s stored key or its writer's name, then those
    with the key found or the names written on the letters that have it.
    """
    name = (row.petitioner.name or "").strip() if row.petitioner is not None else ""
    near = _keys(session, _around(session, [row.petitioner_key], [name]))
    key = near.get(row.case_no, (row.id, row.petitioner_key or ""))[1]
    if not key:
        return {row.id}
    names = _names(session, CaseRow.petitioner_key == key) | {name}
    chain = _keys(session, _around(session, [key], names))
    return {i for i, k in chain.values() if k == key} | {row.id}
