"""Before an import: the letters whose fields corrected in the app a register's rows would change.

``corrections_preview(session, preview, updates, take_file) -> tuple[Correction, ...]`` works the rows out as the
import will (:func:`planner.intake.register.rows_to_write`, placed with the office gazetteer) and compares them with
the letters' corrections (:mod:`planner.intake.app_corrections`), so that the 导入 page and ``python -m planner import``
name each letter, field, value in the app and value in the file before anything is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from planner.intake.app_corrections import Correction, split, with_authors
from planner.intake.locating import _locate, _office_gazetteer, register_hint
from planner.intake.register import RegisterPreview, _case_fields, rows_to_write
from planner.store.models import CaseRow
from planner.store.place_choice import CHOICE_WORDS


def corrections_preview(session: Session, preview: RegisterPreview, updates: Mapping[int, str] | None = None,
                        take_file: Collection[tuple[str, str]] | bool = ()) -> tuple[Correction, ...]:
    """The corrected fields of the letters this register's rows would change (nothing is written).

    Parameters
    ----------
    session
        Open session (the letters and their history are read).
    preview
        The register as :func:`planner.intake.register.read_register` read it.
    updates
        Rows that update a letter under its number (:func:`planner.intake.edited_letters.chosen_updates`).
    take_file
        (case number, field) pairs whose file value the import is to take, or ``True`` for all.

    Returns
    -------
    tuple[Correction, ...]
        In register order, each saying who corrected it, when, and what the import will do.
    """
    _good, known, _hashes, changed = rows_to_write(session, [r for r in preview.rows if r.ok], updates)
    numbers = sorted({str(r.values["case_no"]) for r in changed} & set(known))
    cases: dict[str, CaseRow] = {}
    for start in range(0, len(numbers), 500):
        query = select(CaseRow).where(CaseRow.case_no.in_(numbers[start:start + 500]), or_(
            CaseRow.category_source == "corrected", CaseRow.point_source == "case_corrected",
            CaseRow.geocode_message.contains(CHOICE_WORDS, autoescape=True)))
        cases.update((c.case_no, c) for c in session.scalars(query))
    rows = [r for r in changed if str(r.values["case_no"]) in cases]
    if not rows:
        return ()
    found: list[Correction] = []
    for r, loc in zip(rows, _locate(rows, _office_gazetteer(session), register_hint(preview)), strict=True):
        found += split(cases[str(r.values["case_no"])], _case_fields(r, loc), take_file, row=r.row)
    return tuple(with_authors(session, found, {no: c.id for no, c in cases.items()}))


def preview_note(corrections: tuple[Correction, ...]) -> str:
    """The preview's words on the corrected fields ("" when none)."""
    if not corrections:
        return ""
    kept = sum(1 for c in corrections if not c.taken)
    cases = len({c.case_no for c in corrections})
    return (f"{cases} 件信访件导入后在系统中人工更正过（问题类别、地图上校准的位置），登记表的这些行会把 "
            f"{len(corrections)} 处改回登记表的值，见下表。默认保留系统中的更正"
            f"（本次导入不改这些字段，其余字段照常更新）；确要改用登记表的值的，勾选该行的“改用登记表的值”。"
            f"现将保留 {kept} 处，改用登记表的值 {len(corrections) - kept} 处。")


def choice_key(corrections: tuple[Correction, ...]) -> str:
    """A short digest of the listed letters and fields, in order: the page's choices belong to this very list."""
    listed = "|".join(f"{c.row}:{c.case_no}:{c.field}" for c in corrections)
    return hashlib.sha256(listed.encode()).hexdigest()[:8]
