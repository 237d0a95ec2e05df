"""The resolver's name index: every surface form of Zhangzhou's counties, towns, farms/zones and villages.

Split from :mod:`planner.places.resolver` (which matches addresses against it and re-exports these names).
Built once per process and read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import geodata
from planner.places.normalise import _arabic_core, normalize

# Weights of a surface form: how strongly the text says "this is that place".
_FULL = 4  # official name or a known alias (山格镇, 土田村, 龙海市)
_ALT = 3  # core with another fitting suffix (山格乡, 角美街道, 土田村委会, 城东居委会 for 城东社区)
_ALTX = 2  # core with a suffix of the other kind (城东村 for 城东社区); still "has a suffix"
_BARE = 1  # core alone (山格, 土田): only accepted right after the level above

_VILLAGE_SUFFIXES = (
    "村", "社区", "居委会", "村委会", "村委", "村民委员会", "社区居委会", "居民委员会", "居委", "社区居民委员会",
    "大队",
)
_VILLAGE_SUFFIXES_CUN = ("村", "村委会", "村委", "村民委员会", "大队")  # 大队: the pre-1984 name
_TOWN_SUFFIXES = ("镇", "乡", "街道", "街道办", "街道办事处", "办事处", "畲族乡", "民族乡")


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str  # 'county' | 'zone' | 'town' | 'unit' | 'village'
    code: str
    weight: int
    short: bool = False  # county short name (平和): only trusted at the start
    seat: bool = False  # "漳浦县城": the county-seat town, spelt through the county name


@dataclass(frozen=True, slots=True)
class _Index:
    forms: MappingProxyType  # surface form -> tuple[_Entry, ...]
    heads: MappingProxyType  # first two characters of a form -> longest form length with that head
    county: MappingProxyType  # code -> County
    town: MappingProxyType  # code -> Town or SpecialUnit-like (for units)
    town_county: MappingProxyType  # town/unit code -> county code
    towns_of_county: MappingProxyType  # county code -> frozenset of town/unit codes
    zone_units: MappingProxyType  # zone name -> frozenset of unit codes
    village: MappingProxyType  # code -> Village
    villages_of_unit: MappingProxyType  # town/unit code -> frozenset of village codes
    villages_of_county: MappingProxyType


@dataclass(frozen=True, slots=True)
class _Unit:
    code: str
    name: str
    county_code: str
    lon: float | None
    lat: float | None
    coord_source: str
    precision_km: float | None = None  # how far the unit's seat may be from the point
    territory_km: float | None = None  # how far anything in the unit may be from the point


@lru_cache(maxsize=1)
def _index() -> _Index:
    forms: dict[str, dict[_Entry, None]] = {}

    def add(form: str, entry: _Entry) -> None:
        form = normalize(form)  # same treatment as the input: 福建土楼（华安）旅游区 -> 福建土楼华安旅游区
        if len(form) >= 2:
            forms.setdefault(form, {})[entry] = None

    counties = {c.code: c for c in geodata.counties()}
    for c in counties.values():
        add(c.name, _Entry("county", c.code, _FULL))
        for old in c.old_names:
            add(old, _Entry("county", c.code, _FULL))
        add(c.short, _Entry("county", c.code, _BARE, short=True))
    for a in geodata.aliases():
        # An unsure county alias ("漳州市区": 芗城 or 龙文?) would give confident wrong answers.
        if a.level == "county" and a.code and not a.unsure:
            add(a.alias, _Entry("county", a.code, _FULL))

    units: dict[str, _Unit] = {}
    for t in geodata.towns():
        units[t.code] = _Unit(t.code, t.name, t.county_code, t.lon, t.lat, "town_seat", t.precision_km, t.territory_km)
        add(t.name, _Entry("town", t.code, _FULL))
        core = t.core
        for suffix in _TOWN_SUFFIXES:
            if core + suffix != t.name:
                add(core + suffix, _Entry("town", t.code, _ALT))
        add(core, _Entry("town", t.code, _BARE))
    for a in geodata.aliases():
        if a.level == "town" and a.code:
            add(a.alias, _Entry("town", a.code, _FULL))
    # 城关 means the county-seat town in every county; "漳浦县城" ("county town") too.
    for c in geodata.counties():
        seat = _seat_town(c.code)
        if seat:
            add("城关镇", _Entry("town", seat, _ALT))
            add("城关", _Entry("town", seat, _BARE))
            for name in (c.name, *c.old_names):
                if name.endswith("县"):
                    add(name + "城", _Entry("town", seat, _ALT, seat=True))
    for u in geodata.special_units():
        county = counties[u.county_code]
        lon, lat, src = (u.lon, u.lat, "unit_seat") if u.lon is not None else (county.lon, county.lat, "county_seat")
        bound = geodata.territory_km(u.county_code, lon, lat)
        units[u.code] = _Unit(u.code, u.name, u.county_code, lon, lat, src, bound, bound)
        add(u.name, _Entry("unit", u.code, _FULL))
        for short in _unit_shorts(u.name):
            add(short, _Entry("unit", u.code, _ALT))

    zone_units: dict[str, set[str]] = {}
    for z in geodata.zones():
        zone_units.setdefault(z.name, set()).add(z.unit_code)
        add(z.name, _Entry("zone", z.name, _FULL))
        for s in z.shorts:
            add(s, _Entry("zone", z.name, _ALT))

    villages = {v.code: v for v in geodata.villages()}
    vil_unit: dict[str, set[str]] = {}
    vil_county: dict[str, set[str]] = {}
    for v in villages.values():
        unit = v.town_code or v.unit_code
        vil_unit.setdefault(unit, set()).add(v.code)
        if v.usual_town_code:
            # 大地村 (filed under 福建土楼（华安）旅游区) is read as a village of 仙都镇 too, where the office knows it:
            # 仙都镇大地, 大地村（仙都镇） and homophones read as for the town's own villages.
            vil_unit.setdefault(v.usual_town_code, set()).add(v.code)
        vil_county.setdefault(v.county_code, set()).add(v.code)
        add(v.name, _Entry("village", v.code, _FULL))
        add(v.core, _Entry("village", v.code, _BARE))
        for suffix in _VILLAGE_SUFFIXES:
            form = v.core + suffix
            if form != v.name:
                fits = (suffix in _VILLAGE_SUFFIXES_CUN) == (v.kind == "村")
                add(form, _Entry("village", v.code, _ALT if fits else _ALTX))
        digits = _arabic_core(v.core)
        if digits:
            add(digits + v.name[len(v.core):], _Entry("village", v.code, _ALT))
            add(digits, _Entry("village", v.code, _BARE))
        for form in _living_area_forms(v):
            add(form, _Entry("village", v.code, _ALT))

    towns_of_county: dict[str, set[str]] = {}
    for u in units.values():
        towns_of_county.setdefault(u.county_code, set()).add(u.code)

    frozen_forms = {k: tuple(v) for k, v in forms.items()}
    heads: dict[str, int] = {}
    for k in frozen_forms:
        heads[k[:2]] = max(heads.get(k[:2], 0), len(k))
    return _Index(
        forms=MappingProxyType(frozen_forms),
        heads=MappingProxyType(heads),
        county=MappingProxyType(counties),
        town=MappingProxyType(units),
        town_county=MappingProxyType({u.code: u.county_code for u in units.values()}),
        towns_of_county=MappingProxyType({k: frozenset(v) for k, v in towns_of_county.items()}),
        zone_units=MappingProxyType({k: frozenset(v) for k, v in zone_units.items()}),
        village=MappingProxyType(villages),
        villages_of_unit=MappingProxyType({k: frozenset(v) for k, v in vil_unit.items()}),
        villages_of_county=MappingProxyType({k: frozenset(v) for k, v in vil_county.items()}),
    )


def _seat_town(county_code: str) -> str:
    """The town that holds the county government ('' for the city districts, which have no 城关)."""
    for row in geodata.counties():
        if row.code == county_code:
            return row.seat_town_code
    return ""


def _living_area_forms(v: geodata.Village) -> list[str]:
    """How people name a farm's or zone's 生活区: 双第华侨农场天城管区生活区 -> 天城管区, 双第农场天城管区.

    Also a community named after its unit, written after the unit: 诏安工业园区北区社区 -> 北区社区.
    """
    if v.kind != "生活区":
        rest = v.name[len(v.unit_name):] if v.unit_name and v.name.startswith(v.unit_name) else ""
        return [rest] if len(rest) >= 4 and rest.endswith(("社区", "村")) else []
    core = v.core.replace("虚拟", "")
    out = [core]
    for prefix in (v.unit_name, v.unit_name.replace("华侨农场", "农场")):
        if prefix and core.startswith(prefix) and len(core) > len(prefix) + 1:
            out.append(core[len(prefix):])
    # Only names that end in a place word are safe to match anywhere (天城管区, 内丁农场).
    return [o for o in out if len(o) >= 4 and o.endswith(("管区", "农场", "林场"))]


def _unit_shorts(name: str) -> list[str]:
    out = []
    for prefix in ("国营", "国有", "福建", "漳州市", "漳州"):
        if name.startswith(prefix):
            out.append(name[len(prefix):])
    if "华侨农场" in name:
        out.append(name.replace("华侨农场", "农场"))
    # 常山华侨经济开发区 is written 常山开发区, 常山经济开发区 or by its old name 常山华侨农场;
    # 云陵工业开发区 is written 云陵开发区 or 云陵工业区.
    for long, shorts in (("华侨经济开发区", ("经济开发区", "开发区", "华侨开发区", "华侨农场")),
                         ("经济开发区", ("开发区",)), ("工业开发区", ("开发区", "工业区"))):
        if name.endswith(long):
            out.extend(name[: -len(long)] + short for short in shorts)
            break
    return [o for o in dict.fromkeys(out) if len(o) >= 3 and o != name]
