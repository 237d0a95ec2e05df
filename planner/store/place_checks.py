"""The letters whose place is still to be checked, as the import counted them (``地址需核对``), with the reason.

案件地图's list marks them 待核对 and filters on them (:mod:`planner.places.check_notes` decides, as for the import).
A letter whose point a person has set for it alone (``case_corrected``), or whose place a person chose among the
candidates its address fits (:func:`planner.store.place_choice.held_by_hand`), has been checked: it is no longer
listed.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.office.privacy import mask_free_text
from planner.places.check_notes import check_reason, needs_check
from planner.store.models import CaseRow
from planner.store.place_choice import held_by_hand

#: A person set this letter's point: the place is checked whatever the import's note said (so too a place a person
#: chose among candidates, whose point keeps the resolver's source: :func:`held_by_hand`).
CHECKED_SOURCES = frozenset({"case_corrected"})


def letters_to_check(session: Session, case_nos: Collection[str]) -> dict[str, str]:
    """``{case_no: reason}`` for those of ``case_nos`` whose place note asks for a check (``村表无此村``,
    ``“书阳镇”读作书洋镇``), read as the database holds them now; letters checked by hand are left out."""
    nos = sorted(set(case_nos))
    out: dict[str, str] = {}
    for i in range(0, len(nos), 900):  # within every backend's limit of bound parameters
        rows = session.execute(select(CaseRow.case_no, CaseRow.geocode_message, CaseRow.point_source)
                               .where(CaseRow.case_no.in_(nos[i:i + 900]))).all()
        for no, note, source in rows:
            if needs_check(note) and source not in CHECKED_SOURCES and not held_by_hand(source, note):
                out[no] = mask_free_text(check_reason(note))  # the letter's own words: ID numbers, phones masked
    return out
