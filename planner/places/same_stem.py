"""Names that fit places of different kinds or counties: read as the likelier one, both named, kept to be checked.

Split from :mod:`planner.places.resolver`. ``matches`` are the resolver's ``_Match`` rows (``start``, ``end``,
``entry``); ``idx`` its name index.

* :func:`bare_village_elsewhere` — 璞山村 with no county or town: 南靖县梅林镇璞山村 (村 written), but
  龙文区朝阳街道 has 璞山社区 of the same stem.
* :func:`bare_town_elsewhere` — 湖林 with no county: 华安县湖林乡, or 南靖县靖城镇湖林村.
* :func:`unsure_county` — 漳州市区: 芗城区 or 龙文区 (``aliases.csv``'s unsure county aliases).
* :func:`other_towns` — the towns a letter's text names besides the one it was placed at.

A bare name settles nothing when places of different kinds or counties carry it; the writer's words may (湖林乡 is
the town; 璞山村 is likelier the 村 than the 社区, not certainly). The answer keeps the likelier place so the letter is
counted and mapped, flags it, lists every candidate, and states a bound that holds whichever was meant. The note's
first part (before "；", which places that keep only that part keep) names the candidates and asks for the check.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

import geodata
from planner.places.name_index import _ALT, _ALTX, _BARE
from planner.places.normalise import normalize
from planner.places.resolution import Resolution, _covering_km, _describe, _result


def _unit(v: Any) -> str:
    return v.town_code or v.unit_code


def _place(idx: Any, village: Any) -> str:
    """``南靖县梅林镇璞山村`` (no code)."""
    return _describe(idx, village.county_code, _unit(village), village.code).split("(")[0]


def _same_span(matches: list[Any], m: Any) -> list[Any]:
    return [o for o in matches if o.entry.kind == "village" and o.start == m.start and o.end == m.end]


def bare_village_elsewhere(address: str, s: str, m: Any, matches: list[Any], idx: Any) -> Resolution | None:
    """The answer for a village written with its suffix and nothing else (璞山村) when another town has a place of
    the same stem written the same way with the other kind's suffix (璞山社区), or None.

    ``m`` is the one village match read (weight at least ``_ALT``). The place written with the fitting suffix is the
    likelier and is kept; the others are named, the letter is to be checked, and the bound covers them all.
    """
    if m.entry.weight < _ALT:
        return None
    v = idx.village[m.entry.code]
    unit = _unit(v)
    others = sorted({o.entry.code for o in _same_span(matches, m)
                     if o.entry.code != v.code and o.entry.weight >= _ALTX and _unit(idx.village[o.entry.code]) != unit
                     and idx.village[o.entry.code].usual_town_code != unit})
    if not others:
        return None
    written = s[m.start:m.end]
    kind = "村" if v.kind == "村" else v.kind
    elsewhere = "、".join(_place(idx, idx.village[c]) for c in others)
    town = idx.town[unit].name
    res = _result(address, idx, v.county_code, unit, v.code, ambiguous=True,
                  candidates=[_describe(idx, v.county_code, unit, v.code)]
                  + [_describe(idx, idx.village[c].county_code, _unit(idx.village[c]), c) for c in others],
                  message=f"“{written}”同名不同处：{_place(idx, v)}，另有{elsewhere}，所写为{kind}，按{_place(idx, v)}"
                          f"定位，请核对是哪一处；坐标暂取{town}驻地，误差范围含各处")
    cover = _covering_km(idx, unit, others)
    return replace(res, precision_km=cover) if cover is not None else res


def bare_town_elsewhere(address: str, s: str, m: Any, matches: list[Any], idx: Any) -> Resolution | None:
    """The answer for a town's name written bare, with no county (湖林), when a village of another town carries the
    same name (南靖县靖城镇湖林村), or None.

    ``m`` is the town match read (weight ``_BARE``: 湖林乡 written with 乡 settles it). The town is kept; the villages
    are named and the bound covers them.
    """
    if m.entry.weight != _BARE or m.entry.kind != "town":
        return None
    code = m.entry.code
    own = idx.villages_of_unit.get(code, frozenset())
    others = sorted({o.entry.code for o in _same_span(matches, m) if o.entry.code not in own})
    if not others:
        return None
    county = idx.town_county[code]
    town = idx.town[code].name
    written = s[m.start:m.end]
    elsewhere = "、".join(_place(idx, idx.village[c]) for c in others)
    res = _result(address, idx, county, code, ambiguous=True,
                  candidates=[_describe(idx, county, code)]
                  + [_describe(idx, idx.village[c].county_code, _unit(idx.village[c]), c) for c in others],
                  message=f"“{written}”未写县区和“乡”“镇”“村”：可能是{idx.county[county].name}{town}，也可能是"
                          f"{elsewhere}，按{town}定位，请核对是哪一处；坐标暂取{town}驻地，误差范围含各处")
    cover = _covering_km(idx, code, others)
    return replace(res, precision_km=cover) if cover is not None else res


@lru_cache(maxsize=1)
def _unsure_counties() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(("漳州市区", ("350602", "350603")),)``: the unsure county aliases of ``aliases.csv``, each with every county
    it may mean (one row per county), the likelier first."""
    out: dict[str, list[str]] = {}
    for a in geodata.aliases():
        if a.level == "county" and a.unsure and a.code:
            out.setdefault(normalize(a.alias), []).append(a.code)
    return tuple((k, tuple(dict.fromkeys(v))) for k, v in out.items())


def unsure_county(address: str, s: str, at: int, idx: Any, road: Any = None) -> Resolution | None:
    """The answer for an address that names only a word several counties may be (漳州市区), or None.

    The first county (the likelier, as ``aliases.csv`` lists it) is kept, to be checked; the point is its seat and the
    bound reaches every county the word may mean. ``road`` is the resolver's pattern of a road right after it.
    """
    for alias, codes in _unsure_counties():
        pos = s.find(alias)
        if pos < 0 or pos > at or len(codes) < 2 or any(c not in idx.county for c in codes):
            continue
        first = idx.county[codes[0]]
        names = [idx.county[c].name for c in codes]
        reach = max(geodata.territory_km(c, first.lon, first.lat) for c in codes)
        street = road.match(s, pos + len(alias)) if road is not None else None
        note = f"“{street.group(1)}”是道路名，内置地名表不含道路；" if street else ""
        res = _result(address, idx, first.code, ambiguous=True, candidates=[_describe(idx, c) for c in codes],
                      message=f"{alias}：{'或'.join(names)}，待核对（未写明县区，请核对）；{note}"
                              f"坐标暂取{first.name}政府驻地，误差范围含{'、'.join(names)}")
        return replace(res, precision_km=reach)
    return None


def other_towns(text: str, res: Resolution, scan: Any, idx: Any) -> list[str]:
    """The towns ``text`` names with their suffix besides the one ``res`` is placed at (``平和县坂仔镇``), in order.

    Only names that mean one town (城关镇, a town of every county, is left out); ``scan`` is the resolver's.
    """
    s = normalize(text)
    here = {res.town_code, res.unit_code} - {""}
    by_span: dict[tuple[int, int], set[str]] = {}
    for m in scan(s, idx):
        if m.entry.kind in ("town", "unit") and m.entry.weight >= _ALT and not m.entry.seat:
            by_span.setdefault((m.start, m.end), set()).add(m.entry.code)
    out: list[str] = []
    for (start, end), codes in sorted(by_span.items()):
        # 坂仔镇镇长: the longest form at a place; a shorter form inside a longer one is that one.
        if len(codes) != 1 or any(a <= start and end <= b and (a, b) != (start, end) for a, b in by_span):
            continue
        code = next(iter(codes))
        if code in here:
            continue
        name = _describe(idx, idx.town_county[code], code).split("(")[0]
        if name not in out:
            out.append(name)
    return out
