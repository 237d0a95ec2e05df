"""Writers known by their name only: a common name is no identity across places.

A register without 电话 or 身份证号 keys a letter's writer by the name alone (:meth:`planner.domain.Petitioner.key`).
Walk W23: six county offices' 403 letters, written by some 240 names (陈文华, 张秀英 ...), made 18 repeat chains where
there were 3: LH63 at 龙海 白礁村 → ZP2026-012 at 漳浦 吟兜村 → ZP2026-065 at 漳浦 新港城, PH0009 at 平和 崎岭乡 with
LH5 at 龙海 海澄镇, and 选件 then had a 龙海 visit settle a 平和 letter (随…一并办结).

So a name alone links letters at one place only: the letters of one name-only key are split by their town (a
letter placed no closer than its county joins the only town of that name there; one placed nowhere joins the only
place, else stays apart). Letters of one name at two towns are two writers, one of whom may be the other moved: the
same phone or ID number (a strong key) links them anywhere, as before.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Collection, Mapping

from planner.domain import Petitioner

#: Fewer digits than this are no phone number (an extension, a typo): no mark to link letters by.
_MIN_PHONE_DIGITS = 7


def named_only(p: Petitioner) -> bool:
    """Whether ``p`` is known by a name only: no ID number, no phone of at least seven digits."""
    return not p.id_number.strip() and len(re.sub(r"\D", "", p.phone)) < _MIN_PHONE_DIGITS


def _scoped(key: str, scope: str) -> str:
    """An opaque key of ``key``'s writer at one place."""
    return hashlib.sha256(f"xiafang-namesake|{key}|{scope}".encode()).hexdigest()[:20]


def by_place(
    keys: Mapping[str, str], named: Collection[str], places: Mapping[str, tuple[str, str]]
) -> dict[str, str]:
    """``keys`` (letter id -> writer key) with the keys of the letters in ``named`` (writers known by a name only)
    split by place: one key per town the name writes from.

    Parameters
    ----------
    keys
        Letter id -> writer key (``""``: none).
    named
        The letter ids whose writer gave only a name (:func:`named_only`).
    places
        Letter id -> (county code, town code), ``""`` where unknown.

    Returns
    -------
    dict[str, str]
        The keys; a name-only key used at one place only (or nowhere known) is unchanged, so a register of one
        village keys its writers as before. At two towns or more each town's letters get a key of their own; a
        letter placed at the county only joins the one town of that county (else the county's own key, or, with
        two towns there, the plain key), one placed nowhere the plain key.
    """
    out = dict(keys)
    letters: dict[str, list[str]] = defaultdict(list)
    for lid in named:
        if out.get(lid):
            letters[out[lid]].append(lid)
    for key, ids in letters.items():
        towns = {places.get(i, ("", ""))[1] for i in ids} - {""}
        county_of = {}
        for i in ids:
            county, town = places.get(i, ("", ""))
            if town:
                county_of.setdefault(town, county)
        scope: dict[str, str] = {}
        for i in ids:
            county, town = places.get(i, ("", ""))
            if town:
                scope[i] = "t:" + town
            elif county:
                there = [t for t in towns if county_of.get(t) == county]
                scope[i] = "t:" + there[0] if len(there) == 1 else ("" if there else "c:" + county)
        scopes = set(scope.values()) - {""}
        if len(scopes) < 2:
            continue  # one place (or none known): the name links its letters as before
        for i, where in scope.items():
            if where:
                out[i] = _scoped(key, where)
    return out
