"""One key per writer across a register that names them differently: an ID number on some letters, only a name and
a phone on another one of theirs."""

from __future__ import annotations

import re
from collections.abc import Mapping

from planner.analysis.namesakes import _MIN_PHONE_DIGITS, by_place, named_only
from planner.domain import NO_NAME_WORDS, Petitioner


def _name_phone_key(p: Petitioner) -> str:
    name = p.name.strip()
    if not name or name in NO_NAME_WORDS or len(re.sub(r"\D", "", p.phone)) < _MIN_PHONE_DIGITS:
        return ""
    return Petitioner(name=name, phone=p.phone).key()


def writer_keys(
    writers: Mapping[str, Petitioner], places: Mapping[str, tuple[str, str]] | None = None
) -> dict[str, str]:
    """The key each letter's repeat letters are linked by (``Letter.petitioner_key``), one per writer.

    A letter keeps its own key (:meth:`~planner.domain.Petitioner.key`: the ID number's, else name and phone's),
    except a letter without an ID number whose writer is named and gives a phone: it takes the ID number's key of
    the letters with the same name and phone, when those give one ID number only — the same person writing again,
    once without the ID (walk E: 张阿福's third letter stood alone, outside his chain of four). Nothing is linked
    by what is missing: no name, no phone, or two ID numbers behind one name and phone leave the letter's own key.
    With ``places`` a writer known by a name only is one writer at one town only (:func:`planner.analysis.namesakes.
    by_place`: walk W23, 陈文华 at 龙海 and 陈文华 at 平和 made a repeat chain).

    Parameters
    ----------
    writers
        Letter id -> its writer's identity as the register gives it (PERSONAL: only the keys leave this function).
    places
        Letter id -> (county code, town code) of the letter; None: name-only writers are not told apart by place.

    Returns
    -------
    dict[str, str]
        Letter id -> key (``""`` for a letter whose writer gave nothing).
    """
    ids: dict[str, set[str]] = {}
    for p in writers.values():
        if p.id_number.strip() and (k := _name_phone_key(p)):
            ids.setdefault(k, set()).add(p.key())
    out = {}
    for lid, p in writers.items():
        k = "" if p.id_number.strip() else _name_phone_key(p)
        out[lid] = next(iter(ids[k])) if k and len(ids.get(k, ())) == 1 else p.key()
    if places is None:
        return out
    return by_place(out, [lid for lid, p in writers.items() if named_only(p)], places)
