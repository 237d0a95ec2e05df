"""Where the letters of a register are: addresses resolved, register coordinates checked, places taken from the text.

Split from :mod:`planner.intake.register` (the import), which calls :func:`_locate` for new and changed rows. The
work itself is :mod:`planner.places.letters`, shared with the re-location of open cases after a gazetteer import.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from planner.intake.outside_city import OUTSIDE, is_outside
from planner.places.county_hint import CountyHint, county_hint
from planner.places.letters import _check_point, _from_content  # noqa: F401 - kept importable from here
from planner.places.letters import locate_letters as _locate  # noqa: F401 - the register import's name for it


def _office_gazetteer(session: Session):
    """The office gazetteer stored in this database (imported, corrected and register-taught places)."""
    from planner.store.places import load_gazetteer

    return load_gazetteer(session)


def register_hint(preview) -> CountyHint | None:
    """The county a register names in its sheet's name, title or file name (:func:`county_hint`), for the addresses
    that do not write theirs; the preview, the import and its checks read the rows with the same hint."""
    return county_hint(preview.filename, preview.sheet, getattr(preview, "title", ""))


def count_place(precision_counts: dict[str, int], fields: Mapping[str, object]) -> None:
    """Count the place a letter is written with by precision (the import result's 定位 line); 市外（转外地办理）
    apart from 未定位, as every later view counts it; 请核对 notes once more as ``check``."""
    kind = OUTSIDE if is_outside(fields.get("county_code"), fields.get("geocode_message")) else str(fields["precision"])
    precision_counts[kind] = precision_counts.get(kind, 0) + 1
    if "请核对" in str(fields.get("geocode_message") or ""):  # a town and village that disagree, a shared name ...
        precision_counts["check"] = precision_counts.get("check", 0) + 1
