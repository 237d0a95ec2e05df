"""Offline address resolution for Zhangzhou (the 'geocode' stage): free text -> county/town/village + WGS-84."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Protocol

import geodata
from planner.places.alias_notes import alias_reading
from planner.places.estimates import (
    county_unlisted_village_note,
    county_wide_bound,
    same_name_places_note,
    same_named_note,
    seat_words,
    town_point,
    unlisted_village_note,
    village_elsewhere_note,
)
from planner.places.homophones import _TOWN_HEAD, _sound_alike, _typo_town, _typo_town_suffix, _typo_village  # noqa: F401
from planner.places.name_index import (  # noqa: F401 - re-exported: tests and callers import them from here
    _ALT,
    _ALTX,
    _BARE,
    _FULL,
    _TOWN_SUFFIXES,
    _VILLAGE_SUFFIXES,
    _Entry,
    _Index,
    _index,
    _seat_town,
    _Unit,
)
from planner.places.normalise import breaks, normalize

# Coordinates from a register are checked in planner.places.points; re-exported for existing callers.
from planner.places.points import PointCheck, datum_from_header, validate_point
from planner.places.resolution import (  # noqa: F401 - re-exported: callers import them from here
    ESTIMATED_SOURCES,
    PRECISIONS,
    Resolution,
    _covering_km,
    _describe,
    _result,
    _seat_words,
    _town_of,
    usual_town,
)
from planner.places.same_stem import bare_town_elsewhere, bare_village_elsewhere, unsure_county
from planner.places.same_stem import other_towns as _other_towns
from planner.places.town_landmark import landmark_reading, town_by_landmark
from planner.places.unread_parts import bare_unlisted, unread_town
from planner.places.village_kind import kind_reading
from planner.places.written_names import (
    _NOT_A_VILLAGE_HEAD,
    _NOT_PLACE_AFTER,
    _TOWN_ITSELF_AFTER,
    _VILLAGE_ITSELF_AFTER,
    _glued_on,
    _longer_village_name,
    _run_on_name,
    _runs_on,
    _unlisted_village,
)

_MAX_CHARS = 200

# Leading words that only say "Fujian / Zhangzhou / China".
_PREFIXES = ("中华人民共和国", "中国", "福建省", "福建", "闽", "漳州市", "漳州")
# Other places people may name; an address that starts with one is not in Zhangzhou.
_ELSEWHERE = (
    "厦门", "泉州", "龙岩", "莆田", "三明", "南平", "宁德", "福州", "潮州", "汕头", "梅州", "广东", "江西",
    "浙江", "上海", "北京", "台湾", "海沧", "同安", "翔安", "集美", "思明", "湖里", "永定", "饶平",
    # Neighbouring counties, with their suffix: 大埔村 and 新罗村 are villages of Zhangzhou.
    "南安市", "安溪县", "晋江市", "石狮市", "惠安县", "永春县", "德化县", "漳平市", "新罗区", "上杭县", "长汀县",
    "武平县", "连城县", "大埔县", "仙游县", "潮安区", "揭阳市",
)
# Zhangzhou place begins there, the address is elsewhere, whatever village names follow.
_ADMIN_HEAD = re.compile(r"[\u4e00-\u9fff]{2,3}?(?:省|市|县|区|自治州|地区)")
# "中芬社区", "锦绣小区": a neighbourhood or estate the tables lack, not a county or city of another region.
_NOT_ADMIN_AREA = ("社区", "小区", "片区", "园区", "景区", "街区", "校区", "厂区")

# "云霄县城以东约20公里": a distance from the county town, not a place in it.
_AWAY_FROM = re.compile(r"(?:以|往)[东南西北]|[东南西北]{1,2}(?:方向)?约?\d")

# A road at the start of an address (将军大道605号, 龙湖大道东146号, 新华西路12号).
_ROAD = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:大道|大街|路|街|巷))(?:[东南西北中]?段?)?\d")

# Towns that moved between counties; an old pairing is not a contradiction (1996: 龙文区 formed).
_HISTORIC_COUNTY = MappingProxyType({
    "350603004": ("350602", "350604"),  # 蓝田
    "350603005": ("350602", "350604"),  # 朝阳
    "350603002": ("350602", "350604"),  # 步文 (from 龙海市 in 1996)
    "350603103": ("350602", "350604"),  # 郭坑 (龙海县郭坑镇 until 1996)
})


class _Locator(Protocol):
    """What :func:`resolve` needs of a gazetteer (``planner.places.gazetteer.Gazetteer``)."""

    def __bool__(self) -> bool: ...

    def locate(self, res: Resolution) -> Resolution: ...


# --------------------------------------------------------------------------------------------
# Matching


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    entry: _Entry


def _scan(s: str, idx: _Index) -> list[_Match]:
    out = []
    forms, heads, n = idx.forms, idx.heads, len(s)
    for i in range(n - 1):
        # Only substrings whose first two characters start some form, up to that head's longest form.
        longest = heads.get(s[i:i + 2])
        if longest is None:
            continue
        for j in range(i + 2, min(n, i + longest) + 1):
            hit = forms.get(s[i:j])
            if hit:
                for e in hit:
                    out.append(_Match(i, j, e))
    return out


def _anchor0(s: str) -> int:
    pos, changed = 0, True
    while changed:
        changed = False
        for p in _PREFIXES:
            if s.startswith(p, pos):
                pos += len(p)
                changed = True
                break
        # "漳州市区" is a county alias, not a prefix followed by 区
    return pos


def _one_off(head: str, county: geodata.County) -> bool:
    """True when ``head`` ("彰浦县") is the county's name, current or former, with one character miswritten."""
    return any(
        len(name) == len(head) and sum(a != b for a, b in zip(name, head, strict=True)) == 1
        for name in (county.name, *county.old_names)
    )


def _typo_reading(address: str, s: str, at: int, typo: tuple[str, str], idx: _Index,
                  where: str = "本县区") -> Resolution:
    """The address read with the one town of the county that is a character off the word written, said so.

    A village of that town written after it confirms the reading. Without one the town is only the likeliest
    reading: the letter stays to be checked (``ambiguous``) and its precision is the whole county's bound from the
    town's point, which holds whichever place of the county was meant.
    """
    written, code = typo
    town = idx.town[code]
    fixed = _resolve(s[:at] + town.name + s[at + len(written):], idx)
    note = f"“{written}”按同音字读作{town.name}（{where}没有“{written}”，也没有其他读音相同的乡镇）"
    if fixed.town_code == code and fixed.village_code and not fixed.ambiguous:
        return replace(fixed, address=address, message=f"{note}；{fixed.message}")
    if fixed.town_code != code or fixed.ambiguous:
        return _result(address, idx, idx.town_county[code], ambiguous=True,
                       candidates=[_describe(idx, idx.town_county[code], code), _describe(idx, idx.town_county[code])],
                       message=f"“{written}”不是{where}的乡镇，可能是同音的{town.name}，请核对；坐标为县区政府驻地")
    return replace(fixed, address=address, ambiguous=True,
                   candidates=(_describe(idx, idx.town_county[code], code), _describe(idx, idx.town_county[code])),
                   precision_km=town.territory_km if town.territory_km is not None else fixed.precision_km,
                   message=f"{note}，请核对；坐标为{town.name}驻地，误差按全县区计")


def _read_as(s: str, best: list[_Match], t_end: int, idx: _Index, code: str) -> str:
    """How the words written for the town were read, when they are not its name.

    ``按“县城”读作南诏镇（诏安县政府驻地）`` for 诏安县城南, ``“朝阳镇”读作朝阳街道`` for a town written with another
    suffix; ``""`` for its own name.
    """
    if not best:
        return ""
    town = idx.town[code]
    if best[0].entry.seat:
        said = f"按“县城”读作{town.name}（{idx.county[idx.town_county[code]].name}政府驻地）"
        # 城南/城北 is a part of the county town, not a town's name: the seat is a guess, to be checked.
        side = s[best[0].end - 1:best[0].end + 1]
        return said + (f"，“{side}”不是乡镇名，请核对" if side[1:] in ("东", "南", "西", "北") else "")
    written = s[best[0].start:t_end]
    if best[0].entry.kind == "town" and best[0].entry.weight == _FULL and not written.endswith(_TOWN_SUFFIXES):
        # 二宜楼, 云水谣, 角尾: a landmark or old name of aliases.csv; the letter did not name the town itself.
        return f"“{written}”按内置旧称、俗称表读作{town.name}" if written != town.name else ""
    if best[0].entry.kind == "town" and best[0].entry.weight == _ALT and written != town.name:
        # 朝阳镇 for 朝阳街道: the tables have no town of the kind written, so the reading is to be checked.
        kind = next((k for k in ("街道", "镇", "乡") if written.endswith(k)), "")
        other = bool(kind) and not town.name.endswith(kind)
        county = idx.county[idx.town_county[code]].name
        return f"“{written}”读作{town.name}" + (f"（{county}没有“{written}”），请核对" if other else "")
    return ""


def _bare_ok(s: str, m: _Match, anchors: set[int], matches: list[_Match] = (),
             cuts: frozenset[int] = frozenset()) -> bool:
    if m.start not in anchors:
        return False
    rest = s[m.end:]
    if _longer_village_name(s, m, matches) or _runs_on(s, m, matches, cuts):
        return False
    return rest.startswith(_VILLAGE_ITSELF_AFTER) or not rest.startswith(_NOT_PLACE_AFTER)


def _best(matches: list[_Match]) -> list[_Match]:
    """Matches of the strongest weight, earliest start, longest span."""
    if not matches:
        return []
    w = max(m.entry.weight for m in matches)
    top = [m for m in matches if m.entry.weight == w]
    start = min(m.start for m in top)
    top = [m for m in top if m.start == start]
    length = max(m.end for m in top)
    return [m for m in top if m.end == length]


def _covered(m: _Match, others: list[_Match]) -> bool:
    """True when a longer town/village/unit form with a suffix starts at the same place (东山村 is not 东山县)."""
    return any(
        o.start == m.start and o.end > m.end and o.entry.kind in ("town", "village", "unit") and o.entry.weight >= _ALTX
        for o in others
    )


def _bare_town_ok(s: str, m: _Match, anchors: set[int], matches: list[_Match], idx: _Index, county_code: str) -> bool:
    """A bare town core (山格) counts only at an anchor, and only if it does not read better otherwise."""
    if m.start not in anchors:
        return False
    own = idx.villages_of_unit.get(m.entry.code, frozenset())
    # A village of this very town right after it ("山格白楼", "铜陵公园") confirms the reading.
    if any(o.start == m.end and o.entry.kind == "village" and o.entry.code in own for o in matches):
        return True
    if s[m.end:].startswith(_NOT_PLACE_AFTER) and not s[m.end:].startswith(_TOWN_ITSELF_AFTER) \
            and not town_by_landmark(s, m.start, m.end, m.entry.code, county_code, idx.towns_of_county):
        return False  # a road or a building, unless named after a town of the county written (佛昙中学: walk W35)
    in_county = idx.villages_of_county.get(county_code) if county_code else None
    # "东山村", "城关村": a village name with its suffix starting here wins over the bare town core.
    return not any(
        o.start == m.start and o.end > m.end and o.entry.kind == "village" and o.entry.weight >= _ALTX
        and (in_county is None or o.entry.code in in_county)
        for o in matches
    )


def _usual_or_unit(idx: _Index, village: geodata.Village) -> str:
    """The town to name for a village written under the wrong town: the one people name for a zone village."""
    usual = idx.town.get(village.usual_town_code) if village.usual_town_code else None
    return usual.name if usual is not None else _town_of(idx, village)


def _zone_village(matches: list[_Match], idx: _Index, town_code: str, v_from: int,
                  in_town: list[_Match]) -> geodata.Village | None:
    """The village of a farm or zone (旅游区, 开发区, 管委会 …) that an address names under an ordinary town.

    国家统计局 files some villages under a special unit of the county (大地村 under 福建土楼（华安）旅游区);
    people and registers write the town they know (仙都镇大地村). Such a village is taken when its name,
    with a suffix, follows the town; when no village of that town reads those words (a shorter name
    inside it, 宝山村 in 益宝山村, does not count); and when no other village of the county is written
    the same way. A village of another ordinary town never qualifies: that stays a mismatch to check.
    """
    county = idx.town_county[town_code]
    in_county = idx.villages_of_county.get(county, frozenset())
    found = [m for m in matches
             if m.entry.kind == "village" and m.start >= v_from and m.entry.weight >= _ALTX
             and m.entry.code in in_county and idx.village[m.entry.code].in_special_unit]
    best = _best(found)
    if len({m.entry.code for m in best}) != 1:
        return None
    zm = best[0]
    usual = idx.village[zm.entry.code].usual_town_code
    if usual and usual != town_code:
        return None  # the office knows the village under another town: a mismatch to check, as for any village
    span = zm.end - zm.start

    def inside(m: _Match) -> bool:
        return zm.start <= m.start and m.end <= zm.end and m.end - m.start < span

    if not all(inside(m) for m in in_town):
        return None
    # Unique in the county: no other village's name covers the same words, at least as long.
    if any(o.entry.kind == "village" and o.entry.code != zm.entry.code and o.entry.code in in_county
           and o.entry.weight >= _ALTX and o.start < zm.end and zm.start < o.end and not inside(o)
           for o in matches):
        return None
    return idx.village[zm.entry.code]


def resolve(address: str, gazetteer: _Locator | None = None) -> Resolution:
    """Resolve one free-text address to county, town and village in Zhangzhou.

    Parameters
    ----------
    address
        As people write it: with or without 福建省/漳州市, old or short county names (龙海市, 平和),
        镇/乡/街道 variants, full-width characters, spaces, and trailing noise (3组, 12号, 附近, road names).
    gazetteer
        The office gazetteer (``planner.store.places.load_gazetteer``): its imported and corrected places
        replace the built-in points, and its roads and buildings answer addresses that name no place.

    Returns
    -------
    Resolution
        County/town/village with codes, WGS-84 ``lon``/``lat`` of the most precise known seat, the
        precision reached, and ``ambiguous`` plus ``candidates`` when the text fits several places.
        Never guesses between candidates.
    """
    res = _resolve(str(address) if address is not None else "", _index())
    return gazetteer.locate(res) if gazetteer else res


def resolve_many(addresses: Iterable[str], gazetteer: _Locator | None = None) -> list[Resolution]:
    """Resolve many addresses (each distinct text is resolved once).

    Parameters
    ----------
    addresses
        Address strings; None and NaN are treated as empty.
    gazetteer
        The office gazetteer, as for :func:`resolve`.

    Returns
    -------
    list[Resolution]
        One result per input, in order.
    """
    idx = _index()
    seen: dict[str, Resolution] = {}
    out = []
    for a in addresses:
        text = "" if a is None or (isinstance(a, float) and math.isnan(a)) else str(a)
        r = seen.get(text)
        if r is None:
            r = _resolve(text, idx)
            r = seen[text] = gazetteer.locate(r) if gazetteer else r
        out.append(r)
    return out


def other_towns(text: str, res: Resolution) -> list[str]:
    """The towns ``text`` names with their suffix besides the one ``res`` is placed at (``["平和县坂仔镇"]``).

    Parameters
    ----------
    text
        A letter's text (its content), as written.
    res
        Where the letter was placed (by :func:`resolve` of that text: its first place).

    Returns
    -------
    list[str]
        County and town of each other town, in the order of the text, each once.
    """
    return _other_towns(str(text or ""), res, _scan, _index())


def _resolve(address: str, idx: _Index) -> Resolution:
    """:func:`_read` with a village of a farm or zone counted under the town people name for it, where known.

    国家统计局 files 大地村 under 福建土楼（华安）旅游区; the office knows it as 仙都镇大地村
    (``Village.usual_town_code``). Whatever way the address reached the village (华安县大地村, the zone's name, a
    homophone), the answer names and counts 仙都镇 and keeps the zone in ``unit``.
    """
    res = landmark_reading(address, kind_reading(address, alias_reading(
        address, _county_typo(address, _read(address, idx), idx))))
    v = idx.village.get(res.village_code) if res.village_code else None
    if (v is None or res.unit_code or not v.in_special_unit or not v.usual_town_code
            or res.town_code != v.unit_code or v.usual_town_code not in idx.town):
        return res
    usual = idx.town[v.usual_town_code].name
    res = usual_town(res, idx, v.usual_town_code)
    return replace(res, message=f"{v.name}属于{v.unit_name}，通常写作{usual}，按{usual}计；{res.message}")


def _county_typo(address: str, res: Resolution, idx: _Index) -> Resolution:
    """A county written one character off (召安县, 彰浦县) is read as the county of the town after it, and said so, as
    every other reading is (walk W14: 召安县秀篆镇寨坪村 was read as 诏安县 with no word of it)."""
    county = idx.county.get(res.county_code) if res.county_code else None
    s = normalize(address)[:_MAX_CHARS]
    head = _ADMIN_HEAD.match(s, _anchor0(s)) if county is not None else None
    if head is None or any(e.kind == "county" for e in idx.forms.get(head.group(0), ())) \
            or not _one_off(head.group(0), county):
        return res
    written, after = head.group(0), res.town or res.village
    if f"“{written}”读作" in res.message:  # read again inside a reading of the town (召安县深桥真…)
        return res
    note = f"“{written}”读作{county.name}（漳州市没有“{written}”" + (f"，其后的{after}属{county.name}" if after else "")
    note += "）"
    return _noted(res, note)


def _noted(res: Resolution, note: str) -> Resolution:
    """``res`` with ``note`` before its message, after a farm's or zone's note (which stays first wherever kept)."""
    zone, _, rest = res.message.partition("；") if res.unit_code else ("", "", res.message)
    return replace(res, message="；".join(p for p in (zone, note, rest) if p))


def _read(address: str, idx: _Index) -> Resolution:
    # Addresses are short; a pasted letter body must not make matching slow (it is linear in length).
    s = normalize(address)[:_MAX_CHARS]
    cuts = breaks(address)
    if not s:
        return _result(address, idx, message="地址为空")
    a0 = _anchor0(s)
    matches = _scan(s, idx)
    # "漳州农校社区", "漳州台商投资区": the 漳州 is part of a name here, not a prefix to skip.
    a0 = min([a0] + [m.start for m in matches if m.start < a0 < m.end and m.entry.weight >= _ALT])

    # ---- county
    counties = [m for m in matches if m.entry.kind == "county"]
    counties = [m for m in counties if not m.entry.short or (m.start == a0 and not _covered(m, matches))]
    county_match = None
    if counties:
        strong = [m for m in counties if not m.entry.short]
        county_match = min(strong or counties, key=lambda m: (m.start, -m.end))
    here = any(m.start == a0 and m.entry.weight >= _ALT for m in matches)  # 同安村 is not 同安区
    if county_match is None and not here and s[a0:].startswith(_ELSEWHERE):
        return _result(address, idx, message="地址不在漳州市（写明了其他地区）")
    # "漳州府龙溪县……": after 漳州 an unknown county is a former one of Zhangzhou, not another region.
    if (county_match is None and _ADMIN_HEAD.match(s, a0) and not any(m.start <= a0 < m.end for m in matches)
            and "漳州" not in s[:a0] and not _ADMIN_HEAD.match(s, a0).group(0).endswith(_NOT_ADMIN_AREA)):
        head = _ADMIN_HEAD.match(s, a0).group(0)
        # A typo in a county name ("彰浦县绥安镇") is one character off the county of the town after it;
        # "浦城县南浦街道" (南平) and "四川省……蓝田街道" are other places with a Zhangzhou-like town name.
        if not any(m.entry.kind in ("town", "unit") and m.entry.weight >= _ALT
                   and _one_off(head, idx.county[idx.town_county[m.entry.code]]) for m in matches):
            return _result(address, idx, message=f"地址不在漳州市（“{head}”不是漳州市的县区）")
    county_code = county_match.entry.code if county_match else ""
    c_end = county_match.end if county_match else a0

    # ---- functional zone
    zone_matches = [m for m in matches if m.entry.kind == "zone"]
    zone_match = min(zone_matches, key=lambda m: (m.start, -m.end)) if zone_matches else None
    z_units = idx.zone_units[zone_match.entry.code] if zone_match else frozenset()
    anchor_town = {c_end, a0} | ({zone_match.end} if zone_match else set())

    # ---- town / unit
    scope = idx.towns_of_county.get(county_code) if county_code else None
    if z_units:
        scope = (scope & z_units if scope is not None else z_units) or scope
    town_ms = [
        m for m in matches
        if m.entry.kind in ("town", "unit")
        and (m.entry.weight >= _ALTX or _bare_town_ok(s, m, anchor_town, matches, idx, county_code))
    ]
    # "平和县城东村" is the village 城东村 of 平和县, not "the county town, 东村": a village name with its
    # suffix starting at the 城 of 县城 wins over the county-seat reading.
    town_ms = [
        m for m in town_ms
        if not m.entry.seat or not any(
            o.start == m.end - 1 and o.entry.kind == "village" and o.entry.weight >= _ALTX
            and o.entry.code in idx.villages_of_county.get(idx.town_county[m.entry.code], frozenset())
            for o in matches)
    ]
    # "云霄县城以东约20公里": measured from the county town, so not in it.
    town_ms = [m for m in town_ms if not m.entry.seat or not _AWAY_FROM.match(s, m.end)]
    in_scope = [m for m in town_ms if scope is None or m.entry.code in scope]
    best = _best(in_scope)
    # Several towns at once (南坑 without a county, 城关 city-wide) stay candidates; a village may decide.
    town_codes = sorted({m.entry.code for m in best})
    t_end = best[0].end if best else c_end
    if len(town_codes) == 1:
        # "步文街道办事处": the official name wins the weighing, but the village starts after the longer form.
        t_end = max(m.end for m in town_ms if m.entry.code == town_codes[0] and m.start == best[0].start)
    # "漳浦县城北社区": the 城 of 县城 may also begin the village name.
    t_from = t_end - 1 if best and best[0].entry.seat else t_end
    historic_note = ""

    if county_code and not best:
        elsewhere = _best([m for m in town_ms if m.entry.weight >= _ALTX])
        codes = sorted({m.entry.code for m in elsewhere})
        if len(codes) == 1 and county_code in _HISTORIC_COUNTY.get(codes[0], ()):
            town_codes, t_end = codes, elsewhere[0].end
            t_from = t_end
            historic_note = (f"“{idx.town[codes[0]].name}”现属{idx.county[idx.town_county[codes[0]]].name}"
                             f"（原属{idx.county[county_code].name}），已按现行区划解析")
            county_code = idx.town_county[codes[0]]
        elif codes:
            cands = [_describe(idx, idx.town_county[c], c) for c in codes] + [_describe(idx, county_code)]
            return _result(
                address, idx, ambiguous=True, candidates=cands,
                message=f"县区与乡镇不符：{idx.county[county_code].name}没有“{s[elsewhere[0].start:elsewhere[0].end]}”，请核对",
            )

    # ---- village
    if town_codes:
        v_scope = frozenset().union(*(idx.villages_of_unit.get(c, frozenset()) for c in town_codes))
        v_from = t_from
        anchors = {t_end}
        if not v_scope:
            # A town created after the 2023 village list (东岳街道): its villages are listed under
            # their former town, so look in the whole county and report the listed town.
            v_scope = frozenset().union(
                *(idx.villages_of_county.get(idx.town_county[c], frozenset()) for c in town_codes))
    elif county_code:
        v_scope = idx.villages_of_county.get(county_code, frozenset())
        if z_units:
            in_zone = frozenset().union(*(idx.villages_of_unit.get(c, frozenset()) for c in z_units))
            v_scope = (in_zone & v_scope) or v_scope
        v_from = c_end
        anchors = {c_end} | ({zone_match.end} if zone_match else set())
    else:
        v_scope = None
        if z_units:
            v_scope = frozenset().union(*(idx.villages_of_unit.get(c, frozenset()) for c in z_units))
        v_from = zone_match.end if zone_match else a0
        anchors = {v_from, a0}
    village_ms = [
        m for m in matches
        if m.entry.kind == "village" and m.start >= v_from
        and (v_scope is None or m.entry.code in v_scope)
        and (m.entry.weight >= _ALTX or _bare_ok(s, m, anchors, matches, cuts))
        and not (m.entry.weight >= _ALTX and _glued_on(s, m, anchors, matches, cuts))
    ]
    vbest = _best(village_ms)
    village_codes = sorted({m.entry.code for m in vbest})

    # "山格镇土田（靠近白楼村）": a bare name right after the town reads as the village, a later full
    # name as a note; both readings stay candidates rather than a guess.
    if len(village_codes) == 1 and vbest[0].entry.weight >= _ALTX:
        first = [m for m in village_ms if m.entry.weight < _ALTX and m.start < vbest[0].start
                 and not any(o.start == m.start and o.end > m.end and o.entry.weight >= _ALTX for o in village_ms)]
        if first:
            start = min(m.start for m in first)
            other = sorted({m.entry.code for m in first if m.start == start} - set(village_codes))
            if other:
                vbest = [m for m in first if m.start == start] + vbest
                village_codes = sorted({*village_codes, *other})

    # Without any county or town, a village name alone is only trusted with its suffix (土田村, not 土田);
    # a bare name of several villages still says "one of these" (东风 -> ambiguous).
    if not county_code and not town_codes and not zone_match and vbest and vbest[0].entry.weight < _ALTX:
        if len(village_codes) == 1:
            village_codes = []
    if not county_code and not town_codes and not zone_match and len(village_codes) == 1:
        # "璞山村" alone: 南靖县梅林镇璞山村, but 龙文区朝阳街道 has 璞山社区; both named, to be checked.
        same_stem = bare_village_elsewhere(address, s, vbest[0], matches, idx)
        if same_stem is not None:
            return same_stem

    # "华安县仙都镇大地村": a village filed under a farm or zone of the town's county, named after the town.
    zone_note = ""
    if len(town_codes) == 1:
        zv = _zone_village(matches, idx, town_codes[0], t_from, vbest)
        if zv is not None:
            village_codes = [zv.code]
            zone_note = f"{zv.name}属于{zv.unit_name}，地址写作{idx.town[town_codes[0]].name}"
        elif len(village_codes) == 1 and idx.village[village_codes[0]].usual_town_code == town_codes[0]:
            zv = idx.village[village_codes[0]]  # read among the town's villages (仙都镇大地): the same note
            zone_note = f"{zv.name}属于{zv.unit_name}，地址写作{idx.town[town_codes[0]].name}"

    # ---- decide
    if len(village_codes) == 1:
        v = idx.village[village_codes[0]]
        unit = v.town_code or v.unit_code
        if zone_note:
            # The note comes first: places that keep only the first part of a message keep it. A farm or zone
            # without a point of its own is placed at the town written (it was carved out of it), not at the county
            # seat; the bound is the county's either way. The letter is counted under the town it wrote (the zone
            # stays in ``unit``); where the office has not said which town people name, the note says so.
            written = idx.town[town_codes[0]]
            if v.usual_town_basis == "virtual":
                zone_note += f"（统计用虚拟单位，非实际村居；按地址所写计入{written.name}）"
            elif v.usual_town_code != written.code:
                zone_note += f"（该村通常属哪个乡镇尚未核实，按地址所写计入{written.name}）"
            if idx.town[unit].coord_source == "county_seat" and written.lon is not None:
                res = _result(address, idx, v.county_code, unit, v.code, at_town=written.code,
                              message=f"{zone_note}；已识别到村（社区），坐标按{written.name}驻地，非村委会位置")
                return usual_town(res, idx, written.code)
            seat = _seat_words(idx.town[unit], idx.county.get(v.county_code), idx.town[unit].coord_source)
            res = _result(address, idx, v.county_code, unit, v.code,
                          message=f"{zone_note}；已识别到村（社区），坐标为{seat}，非村委会位置")
            return usual_town(res, idx, written.code)
        if not town_codes and not zone_match:
            # "龙海区新丰镇石厝村": the village is read by its name; the town written is named, never dropped.
            unread = unread_town(address, s, c_end, vbest[0].start, county_code, v, idx)
            if unread is not None:
                return unread
        if town_codes and unit not in town_codes:
            return _result(
                address, idx, v.county_code, unit, v.code,
                message=f"“{idx.town[town_codes[0]].name}”为新设乡镇（街道），村表（2023）中该村属"
                        f"{idx.town[unit].name}；坐标为{seat_words(idx.town[unit], '该乡镇驻地')}",
            )
        msg = (f"{historic_note}；已识别到村（社区），坐标为{seat_words(idx.town[unit], '所在乡镇驻地')}"
               if historic_note else "")
        return _result(address, idx, v.county_code, unit, v.code, message=msg)
    if len(village_codes) > 1:
        vs = [idx.village[c] for c in village_codes]
        units = {v.town_code or v.unit_code for v in vs}
        counties_ = {v.county_code for v in vs}
        cands = [_describe(idx, v.county_code, v.town_code or v.unit_code, v.code) for v in vs]
        name = s[vbest[0].start:vbest[0].end]
        common_town = next(iter(units)) if len(units) == 1 else ""
        common_county = next(iter(counties_)) if len(counties_) == 1 else ""
        if common_town:
            # "角美镇东美": 东美村 and 东美社区 are both of 角美镇; asking for the town written helps no one.
            res = _result(address, idx, common_county, common_town, ambiguous=True, candidates=cands,
                          message=same_named_note(name, idx.town[common_town].name, tuple(v.name for v in vs),
                                                  town_point(idx.town[common_town])))
            # Either village may be anywhere in the town: the town's territory bounds it, not its seat's precision.
            return replace(res, precision_km=idx.town[common_town].territory_km or res.precision_km)
        return _result(
            address, idx, common_county, common_town, ambiguous=True, candidates=cands,
            message=same_name_places_note(name, [
                (_describe(idx, v.county_code, v.town_code or v.unit_code).split("(")[0], v.name) for v in vs]),
        )

    if len(town_codes) == 1:
        code = town_codes[0]
        # "前进村（山格镇）": the village written first, its town after it. A village of that very town, named in
        # full before the town, is the place (the scan for villages starts after the town).
        if best:
            ahead = {m.entry.code for m in matches
                     if m.entry.kind == "village" and m.entry.weight >= _ALTX and m.end <= best[0].start
                     and m.entry.code in idx.villages_of_unit.get(code, frozenset())}
            if len(ahead) == 1:
                v = idx.village[ahead.pop()]
                own = v.town_code or v.unit_code
                msg = (f"{historic_note}；已识别到村（社区），坐标为{seat_words(idx.town[own], '所在乡镇驻地')}"
                       if historic_note else "")
                return _result(address, idx, v.county_code, own, v.code, message=msg)
        # "平和县小溪镇土田村": 土田村 is a village of 山格镇, not of 小溪镇. Either the town or the village
        # is miswritten (or 土田 is also a hamlet of 小溪), so neither reading is answered confidently.
        own_county = idx.town_county[code]
        # "云霄县城外5组": "outside the county town", or the village 城外村 of 列屿镇; both are candidates.
        seat_from = t_from if best and best[0].entry.seat else -1
        stray = sorted({
            m.entry.code for m in matches
            if m.entry.kind == "village"
            and ((m.start >= t_end and m.entry.weight >= _ALT) or m.start == seat_from)
            and m.entry.code in idx.villages_of_county.get(own_county, frozenset())
            and m.entry.code not in idx.villages_of_unit.get(code, frozenset())
        })
        if stray and idx.villages_of_unit.get(code) and not (
                seat_from >= 0 and any(m.start == seat_from and m.entry.code == idx.village[stray[0]].code
                                       for m in matches)):
            # The town written is kept (so the letter is counted, grouped and labelled there), flagged for checking.
            # The place is in that town or in the village's own town: the point is the town's seat when its bound
            # covering both is the tighter one, else the county seat (which covers the whole county).
            v0 = idx.village[stray[0]]
            res = _result(
                address, idx, own_county, code, ambiguous=True,
                candidates=[_describe(idx, own_county, code)]
                + [_describe(idx, own_county, idx.village[c].town_code or idx.village[c].unit_code, c) for c in stray],
                message=village_elsewhere_note(v0.name, idx.town[code].name, _usual_or_unit(idx, v0)),
            )
            cover = _covering_km(idx, code, stray)
            county = idx.county[own_county]
            whole = geodata.territory_km(own_county, county.lon, county.lat) if county.lon is not None else None
            if whole is not None and (cover is None or whole < cover):
                # Walk W13: "坐标暂取县区政府驻地" beside 按乡镇定位（旧镇镇）: whose seat, and how far off, said.
                return replace(res, lon=county.lon, lat=county.lat, coord_source="county_seat", precision_km=whole,
                               message=res.message + f"；坐标暂取{county.name}政府驻地（{county_wide_bound(whole)}）")
            return replace(res, precision_km=cover, message=res.message + f"；坐标暂取{idx.town[code].name}驻地")
        if stray and idx.villages_of_unit.get(code):
            v0 = idx.village[stray[0]]
            return _result(
                address, idx, own_county, ambiguous=True,
                candidates=[_describe(idx, own_county, code)]
                + [_describe(idx, own_county, idx.village[c].town_code or idx.village[c].unit_code, c) for c in stray],
                message=(f"“县城”之后的“{v0.name[:2]}”也可能是{idx.town[v0.town_code or v0.unit_code].name}"
                         f"{v0.name}，请核对" if seat_from >= 0 and any(
                             m.start == seat_from and m.entry.code == v0.code for m in matches)
                         else village_elsewhere_note(v0.name, idx.town[code].name)),
            )
        msg = f"{historic_note}；坐标为{seat_words(idx.town[code], '乡镇驻地')}" if historic_note else ""
        typo_v = _typo_village(s, t_end, idx.villages_of_unit.get(code, frozenset()), idx)
        if typo_v is not None:
            written, vcode = typo_v
            v = idx.village[vcode]
            note = f"“{written}”按同音字读作{v.name}（{idx.town[code].name}没有“{written}”，也没有其他读音相同的村）"
            res = _result(address, idx, v.county_code, v.town_code or v.unit_code, v.code)
            return replace(res, message=f"{historic_note + '；' if historic_note else ''}{note}；{res.message}")
        suffix = _typo_town_suffix(s, best[0].start, t_end, idx.town[code].name) if best else ""
        if suffix:  # "角美真东美村": 真 for 镇, taken only when a village of that town follows it
            fixed = _resolve(s[:t_end] + suffix + s[t_end + 1:], idx)
            if fixed.town_code == code and fixed.village_code and not fixed.ambiguous:
                written = s[best[0].start:t_end + 1]
                note = f"“{written}”按同音字读作{idx.town[code].name}（“{s[t_end]}”为“{suffix}”之误）"
                return _noted(replace(fixed, address=address), note)
        if not county_code and not zone_match and best:
            # "湖林" alone: 华安县湖林乡, or 南靖县靖城镇湖林村 (湖林乡 written with 乡 settles it).
            same_stem = bare_town_elsewhere(address, s, best[0], matches, idx)
            if same_stem is not None:
                return same_stem
        unlisted = _unlisted_village(s, t_end)
        run_on, like = ("", "") if unlisted else _run_on_name(
            s, t_end, matches, idx.villages_of_unit.get(code, frozenset()), cuts)
        if unlisted or run_on:
            note = unlisted_village_note(idx.town[code].name, unlisted or run_on, town_point(idx.town[code]))
            if run_on:
                note += f"（所写“{run_on}”不是{like}，未按{like}定位）"
            msg = f"{historic_note}；{note}" if historic_note else note
        read_as = _read_as(s, best, t_end, idx, code)
        if read_as:
            msg = f"{read_as}；{msg}" if msg else (f"已识别到乡镇（街道），{read_as}，"
                                                  f"坐标为{seat_words(idx.town[code], '乡镇驻地')}")
        return _result(address, idx, idx.town_county[code], code, message=msg)
    if len(town_codes) > 1:
        counties_ = {idx.town_county[c] for c in town_codes}
        common_county = next(iter(counties_)) if len(counties_) == 1 else ""
        name = s[best[0].start:best[0].end]
        return _result(
            address, idx, common_county, ambiguous=True,
            candidates=[_describe(idx, idx.town_county[c], c) for c in town_codes],
            message=f"乡镇名“{name}”对应{len(town_codes)}个乡镇，请补充县区",
        )
    if county_code:
        in_county = sorted(z_units & idx.towns_of_county.get(county_code, frozenset()))
        if len(in_county) == 1:
            # "云霄县常山农场": the zone's one unit in the county written, as "常山农场" alone reads.
            return _result(address, idx, county_code, in_county[0])
        if in_county:
            return _result(
                address, idx, county_code, ambiguous=True,
                candidates=[_describe(idx, county_code, c) for c in in_county],
                message=f"仅识别到功能区“{zone_match.entry.code}”，其托管多个乡镇，请补充乡镇",
            )
        typo = _typo_town(s, c_end, county_code, idx)
        if typo is not None:
            return _typo_reading(address, s, c_end, typo, idx)
        typo_v = None if _TOWN_HEAD.match(s, c_end) else _typo_village(
            s, c_end, idx.villages_of_county.get(county_code, frozenset()), idx)
        if typo_v is not None:
            written, vcode = typo_v
            v = idx.village[vcode]
            res = _result(address, idx, v.county_code, v.town_code or v.unit_code, v.code)
            note = (f"“{written}”按同音字读作{_town_of(idx, v)}{v.name}"
                    f"（{idx.county[county_code].name}没有“{written}”，也没有其他读音相同的村）")
            # One of the county's some 200 villages by its sound alone: likely, but to be checked.
            return replace(res, ambiguous=True,
                           candidates=(_describe(idx, v.county_code, v.town_code or v.unit_code, v.code),
                                       _describe(idx, county_code)),
                           message=f"{note}，请核对；{res.message}")
        head = _TOWN_HEAD.match(s, c_end)
        if head and not head.group(0).startswith(_NOT_A_VILLAGE_HEAD):
            # "漳浦县旧县镇": a town the county lacks is named, not dropped silently (as an unlisted village is).
            return _result(address, idx, county_code,
                           message=f"{idx.county[county_code].name}没有“{head.group(0)}”（内置乡镇表无此名，可能是旧称、"
                                   "已撤并或写法不同），按县区定位：坐标为县区政府驻地，请核对乡镇名")
        unlisted = _unlisted_village(s, c_end)
        if unlisted:
            # "云霄县白石头村": a village the county's table lacks is named and kept to be checked, as after a town.
            return _result(address, idx, county_code,
                           message=county_unlisted_village_note(idx.county[county_code].name, unlisted))
        run_on, like = _run_on_name(s, c_end, matches, idx.villages_of_county.get(county_code, frozenset()), cuts)
        if run_on:
            # "云霄县白石头": not 火田镇白石村 (白石头 is not its name); named and kept to be checked, as 白石头村 is.
            return _result(address, idx, county_code,
                           message=county_unlisted_village_note(idx.county[county_code].name, run_on)
                           + f"（所写“{run_on}”不是{like}，未按{like}定位）")
        return _result(address, idx, county_code)
    if zone_match:
        units = sorted(z_units)
        if len(units) == 1:
            return _result(address, idx, idx.town_county[units[0]], units[0])
        counties_ = {idx.town_county[c] for c in units}
        return _result(
            address, idx, next(iter(counties_)) if len(counties_) == 1 else "", ambiguous=True,
            candidates=[_describe(idx, idx.town_county[c], c) for c in units],
            message=f"仅识别到功能区“{zone_match.entry.code}”，其托管多个乡镇，请补充乡镇",
        )
    road = _ROAD.match(s, a0)
    # "漳州市区新华东路": 芗城区 or 龙文区, said and kept to be checked.
    city = unsure_county(address, s, a0, idx, _ROAD)
    if city is not None:
        return city
    typo = _typo_town(s, a0, "", idx)
    if typo is not None:
        return _typo_reading(address, s, a0, typo, idx, "漳州市")  # "西侨街道": the one town of the city so sounding
    if road:
        # 将军大道605号: the built-in tables hold no roads, and one road name can exist in several counties.
        return _result(
            address, idx,
            message=f"县区不明：“{road.group(1)}”是道路名，内置地名表不含道路，本单位地名库中也没有它"
                    f"（同名道路可能在多个县区），请补充县区或乡镇",
        )
    return bare_unlisted(address, s, a0, matches, idx) or _result(address, idx)


__all__ = [
    "PRECISIONS", "PointCheck", "Resolution", "datum_from_header", "normalize", "other_towns", "resolve",
    "resolve_many", "validate_point",
]
