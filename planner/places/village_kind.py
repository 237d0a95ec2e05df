"""A village written with the other kind's suffix is said: “宜谷径村”按村表读作宜谷径社区.

Walk W25: 云霄县和平乡宜谷径村 was placed at 宜谷径社区 (the village table holds no 宜谷径村) with no word that the
written 村 was read as a 社区. A 社区 written 村 (or a 村 written 社区, 居委会) is the same place, so the note asks no
check by itself, as an alias of the same town under another kind asks none (:mod:`planner.places.alias_notes`).
It asks one when two places could be meant: another town of the county holds a village written exactly so
(云霄县和平乡泮坑村: 和平乡 has 泮坑社区, 马铺乡 has 泮坑村), so either the town or the kind is miswritten.
:func:`kind_reading` runs after the resolver's answer, whatever branch built it.
"""

from __future__ import annotations

from dataclasses import replace

from planner.places.check_notes import CHECK_WORDS
from planner.places.name_index import _VILLAGE_SUFFIXES, _VILLAGE_SUFFIXES_CUN, _index
from planner.places.normalise import normalize
from planner.places.resolution import Resolution

#: Suffixes that say 村 and those that say 社区 (居委会 …), longest first: 宜谷径村委会 is written, not 宜谷径村.
_CUN = tuple(sorted(_VILLAGE_SUFFIXES_CUN, key=len, reverse=True))
_SHEQU = tuple(sorted((x for x in _VILLAGE_SUFFIXES if x not in _VILLAGE_SUFFIXES_CUN), key=len, reverse=True))


def _written_kind(s: str, core: str) -> tuple[str, str]:
    """``(form written, its kind)`` of the first village form of ``core`` in ``s`` (``("宜谷径村", "村")``)."""
    best = ("", "", len(s) + 1)
    for kind, suffixes in (("村", _CUN), ("社区", _SHEQU)):
        for suffix in suffixes:
            at = s.find(core + suffix)
            if at >= 0 and at < best[2]:
                best = (core + suffix, kind, at)
                break
    return best[0], best[1]


def kind_reading(address: str, res: Resolution) -> Resolution:
    """``res`` with a note when its village was written with the other kind's suffix (and 请核对 when another
    village of the county is written exactly so)."""
    if not res.village_code or res.ambiguous:
        return res
    idx = _index()
    v = idx.village.get(res.village_code)
    if v is None or v.kind not in ("村", "社区"):
        return res
    s = normalize(address)
    written, kind = _written_kind(s, v.core)
    if not written or kind == v.kind or v.name in s:
        return res
    note = f"“{written}”按村表读作{v.name}"
    others = sorted(
        (o for c in idx.villages_of_county.get(v.county_code, ()) if c != v.code
         for o in (idx.village[c],) if o.core == v.core and o.kind == kind),
        key=lambda o: o.code)
    if others:
        where = "、".join(f"{idx.town[o.town_code or o.unit_code].name}另有{o.name}" for o in others)
        note += f"（{where}，也可能是指它），{CHECK_WORDS}"
    parts = res.message.split("；") if res.message else []
    at = 1 if res.unit_code and parts else 0  # a farm's or zone's note stays first
    while at < len(parts) and parts[at].startswith("“") and "读作" in parts[at]:
        at += 1  # after the county's and the town's readings: county, town, then village
    parts.insert(at, note)
    return replace(res, message="；".join(parts))
