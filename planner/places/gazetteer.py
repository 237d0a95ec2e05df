"""The office gazetteer: imported, corrected, register-taught and calibrated places over the built-in tables."""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import geodata
from planner.errors import InputError
from planner.places.estimates import town_extent_note
from planner.places.normalise import normalize
from planner.places.points import validate_point
from planner.places.resolver import Resolution
from planner.places.town_extent import town_of_village, town_reach, villages_by_town
from planner.places.town_letter import names_town_only, town_letter_on

#: Where a point comes from, strongest first: a person's correction beats an office list, which beats
#: online calibration, the median of register points, GeoNames and the built-in estimate.
SOURCES = ("corrected", "imported", "tianditu", "register", "geonames", "builtin")
#: Sources the office keeps in the database (the others are built in or derived).
STORED_SOURCES = ("corrected", "imported", "tianditu")
LEVELS = ("town", "village", "community", "road", "poi")
#: What a point of each level stands for when a file gives no precision: a seat, a village committee,
#: a community office, somewhere along a road, a building.
DEFAULT_PRECISION_KM = MappingProxyType({"town": 1.0, "village": 1.0, "community": 0.5, "road": 3.0, "poi": 0.2})
#: A case placed on a village point learnt from *other* letters' register coordinates: not the register's own
#: point for this letter (``register``), so corrections move it and it does not feed the median again.
LEARNT = "register_median"
#: How far a village learnt from one letter's register point may be from it: as an office list's village point with
#: no precision (:data:`DEFAULT_PRECISION_KM`), not the 0.3 km of several letters' points agreeing (walk W35).
ONE_POINT_KM = DEFAULT_PRECISION_KM["village"]
#: coord_source values whose point stands for a whole area (every case there shares it).
ESTIMATED = frozenset({"town_seat", "unit_seat", "county_seat"})
_RANK = {s: i for i, s in enumerate(SOURCES)}


@dataclass(frozen=True, slots=True)
class Place:
    """One place of the office gazetteer (WGS-84).

    ``village_code``/``town_code``/``county_code`` tie it to the built-in codes when it is a known
    village or town; a road, a building or a village missing from the built-in list has only the
    codes of the places that hold it. ``boundary_wkt`` is a village boundary (its cases are assigned by
    point-in-polygon) and ``precision_km`` the farthest distance of that boundary from the point.
    """

    level: str
    name: str
    lon: float
    lat: float
    source: str
    county_code: str = ""
    town_code: str = ""
    village_code: str = ""
    county: str = ""
    town: str = ""
    village: str = ""
    precision_km: float = 1.0
    boundary_wkt: str = ""
    origin: str = ""

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise InputError(f"地名级别应为 {'、'.join(LEVELS)} 之一，收到 {self.level!r}")
        if self.source not in SOURCES:
            raise InputError(f"地名来源应为 {'、'.join(SOURCES)} 之一，收到 {self.source!r}")
        if not str(self.name).strip():
            raise InputError(f"地名（{self.level}）须有名称")
        if not (math.isfinite(self.lon) and math.isfinite(self.lat)
                and -180 <= self.lon <= 180 and -90 <= self.lat <= 90):
            raise InputError(f"地名 {self.name!r} 的坐标超出范围：经度 {self.lon!r}，纬度 {self.lat!r}")
        if not (self.precision_km >= 0):
            raise InputError(f"地名 {self.name!r} 的精度（公里）不能为负数，收到 {self.precision_km!r}")

    @property
    def code(self) -> str:
        """The built-in code this place stands for ('' for roads, buildings and unlisted villages)."""
        if self.level in ("village", "community"):
            return self.village_code
        if self.level == "town":
            return self.town_code
        return ""

    @property
    def key(self) -> tuple[str, str]:
        """Identity of the place across sources: its code, or its level and names."""
        if self.code:
            return ("code", self.code)
        return (self.level, f"{self.county_code}|{self.town_code}|{normalize(self.name)}")


def _rank(p: Place) -> int:
    return _RANK[p.source]


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """The office's places, looked up by code, by name (roads, buildings) and by boundary.

    Build it with :meth:`of`; the empty gazetteer changes nothing.
    """

    places: tuple[Place, ...] = ()
    by_code: Mapping[str, Place] = dataclasses.field(default_factory=lambda: MappingProxyType({}))
    named: tuple[Place, ...] = ()  # places without a built-in code, longest name first
    boundaries: tuple[tuple[Place, object], ...] = ()  # (place, prepared shapely geometry)
    # town code -> the office's village points of that town (planner.places.town_extent: the town's extent)
    town_villages: Mapping[str, tuple[Place, ...]] = dataclasses.field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, places: Iterable[Place]) -> Gazetteer:
        """Build a gazetteer; for one place given by several sources the strongest source wins.

        Parameters
        ----------
        places
            Places in any order; later ones win between equal sources (newer rows).
        """
        best: dict[tuple[str, str], Place] = {}
        for p in places:
            old = best.get(p.key)
            if old is None or _rank(p) <= _rank(old):
                best[p.key] = p
        chosen = tuple(best.values())
        by_code = {p.code: p for p in chosen if p.code}
        named = tuple(sorted((p for p in chosen if not p.code), key=lambda p: -len(normalize(p.name))))
        bounds = []
        if any(p.boundary_wkt for p in chosen):
            from shapely import wkt
            from shapely.prepared import prep

            for p in chosen:
                if p.boundary_wkt:
                    bounds.append((p, prep(wkt.loads(p.boundary_wkt))))
        return cls(places=chosen, by_code=MappingProxyType(by_code), named=named, boundaries=tuple(bounds),
                   town_villages=MappingProxyType(villages_by_town(chosen)))

    def __bool__(self) -> bool:
        return bool(self.places)

    def place_at(self, lon: float, lat: float) -> Place | None:
        """Return the village whose imported boundary contains a WGS-84 point, or None."""
        if not self.boundaries:
            return None
        from shapely.geometry import Point

        pt = Point(lon, lat)
        for place, geom in self.boundaries:
            if geom.contains(pt):
                return place
        return None

    def locate(self, res: Resolution) -> Resolution:
        """Give a resolution the office's point where the office knows the place better.

        A village's own point wins, then its town's; an address that named no village or town is
        searched for the office's roads and buildings (将军大道 -> its county and town).

        Parameters
        ----------
        res
            What the built-in resolver found.

        Returns
        -------
        Resolution
            ``res`` with ``lon``/``lat``/``precision_km``/``coord_source`` from the gazetteer, or ``res``.
        """
        if not self.places:
            return res
        if res.village_code and res.village_code in self.by_code:
            place = self.by_code[res.village_code]
            return _with_point(_office_town(res, place), place, "该村（社区）")
        if res.ambiguous:
            return res
        # A village of a farm or zone counted under an ordinary town (大地村 under 仙都镇) keeps the zone's point unless
        # the office placed the zone: the town's point is not where the zone's villages are, and the town's
        # correction does not relocate them (planner.store.places moves the town's own villages).
        town_key = res.unit_code or res.town_code
        if town_key and town_key in self.by_code:
            town = self.by_code[town_key]
            if res.village_code:
                # The village has no point of its own: the town's better point, as far as the village may be.
                bound = round(max(_territory_km(res.county_code, town.lon, town.lat), town.precision_km), 1)
                moved = dataclasses.replace(
                    res, lon=town.lon, lat=town.lat, precision_km=bound, coord_source="town_seat",
                    message=(f"{res.message.split('；')[0]}；" if res.unit_code else "")  # the zone note stays first
                    + f"已识别到村（社区）；坐标为乡镇驻地（{_SOURCE_LABEL[town.source]}），非村委会位置",
                )
                return self._within_town(moved)
            if names_town_only(res):  # anywhere in the town: bounded by the town, not by its seat (walk W35)
                return town_letter_on(res, town, _SOURCE_LABEL[town.source], self.town_villages.get(town_key, ()))
            return _with_point(res, town, "乡镇驻地")
        if res.village_code and res.coord_source == "town_seat":
            return self._within_town(res)
        if res.precision in ("none", "county", "town"):
            hit = self._named_in(res)
            if hit is not None:
                return _named_result(res, hit)
        return res

    def _within_town(self, res: Resolution) -> Resolution:
        """A village on its town's point bounded by the town's extent where the office knows it (its boundary, or
        enough of its villages' points: :func:`planner.places.town_extent.town_reach`), not by the whole county."""
        town_code = res.town_code
        if (res.unit_code or res.ambiguous or res.lon is None or not town_code
                or town_of_village(res.village_code) != town_code):
            return res
        reach = town_reach(town_code, res.lon, res.lat, town_place=self.by_code.get(town_code),
                           villages=self.town_villages.get(town_code, ()))
        if reach is None or (res.precision_km is not None and reach.km >= res.precision_km):
            return res
        return dataclasses.replace(res, precision_km=reach.km,
                                   message=f"{res.message}；{town_extent_note(res.town, reach.km, reach.basis)}")

    def _named_in(self, res: Resolution) -> Place | None:
        text = normalize(res.address)
        for p in self.named:
            if res.county_code and p.county_code and p.county_code != res.county_code:
                continue
            if res.town_code and p.town_code and p.town_code != res.town_code:
                continue
            if normalize(p.name) in text:
                return p
        return None


_SOURCE_LABEL = {
    "corrected": "人工校准", "imported": "本单位地名库", "tianditu": "天地图校准", "register": "登记表坐标中位数",
    "geonames": "GeoNames", "builtin": "内置估计",
}


def _label(p: Place) -> str:
    """The source of a place in a case's note: one letter's register point is said to be one letter's (walk W35)."""
    if p.source == "register" and p.origin == "1 个登记点":
        return "1 件信访件的登记表坐标"
    return _SOURCE_LABEL[p.source]


def _case_source(p: Place) -> str:
    return LEARNT if p.source == "register" else p.source


def _with_point(res: Resolution, p: Place, what: str) -> Resolution:
    return dataclasses.replace(
        res, lon=p.lon, lat=p.lat, precision_km=p.precision_km, coord_source=_case_source(p),
        message=f"{res.message.split('；')[0]}；坐标为{what}位置（{_label(p)}）",
    )


def _office_town(res: Resolution, p: Place) -> Resolution:
    """A village filed under a farm or zone, reached without a town, counted under the town the office's own list
    files it under (本单位地名库 or a correction: the office's word, as ``zone_village_towns.csv`` is)."""
    if (res.unit_code or res.ambiguous or p.source not in ("corrected", "imported") or not p.town_code
            or p.town_code == res.town_code):  # the usual case, settled before the village table is looked at
        return res
    village = next((v for v in geodata.villages() if v.code == res.village_code), None)
    if (village is None or not village.in_special_unit or res.town_code != village.unit_code
            or p.town_code == village.unit_code or not _is_town(p.town_code)):
        return res
    town = geodata.town_by_code(p.town_code)
    if town.county_code != village.county_code:
        return res
    return dataclasses.replace(
        res, town=town.name, town_code=town.code, unit=res.town, unit_code=res.town_code,
        message=f"{village.name}属于{village.unit_name}，本单位地名库写作{town.name}，按{town.name}计；{res.message}")


def _named_result(res: Resolution, p: Place) -> Resolution:
    county = geodata.county_by_code(p.county_code) if p.county_code else None
    town = geodata.town_by_code(p.town_code) if p.town_code and _is_town(p.town_code) else None
    what = {"road": "道路", "poi": "地点", "village": "村（社区）", "community": "社区", "town": "乡镇"}[p.level]
    note = ""
    if county is None and not res.county_code:
        # A road or building listed without its county: the county its point lies in, said so (figures and the
        # county filter need one; a long road may cross into the next county).
        hit = geodata.county_at(p.lon, p.lat)
        if hit.code and hit.inside:
            county = geodata.county_by_code(hit.code)
            note = f"；县区按该点所在的{county.name}计，请核对"
    return dataclasses.replace(
        res,
        county=county.name if county else res.county, county_code=county.code if county else res.county_code,
        town=town.name if town else res.town, town_code=town.code if town else res.town_code,
        village=p.name if p.level in ("village", "community") else res.village,
        lon=p.lon, lat=p.lat, precision=_level_reached(p, county, town),
        precision_km=p.precision_km, coord_source=_case_source(p), ambiguous=False, candidates=(),
        message=f"按本单位地名库的{what}“{p.name}”定位（{_SOURCE_LABEL[p.source]}）{note}",
    )


def _level_reached(p: Place, county: object, town: object) -> str:
    """The administrative level a place of the office's list reaches: a village is a village, but a road or a
    building only reaches the town or county it lies in (胜利西路 was counted 到村 with no town; walk K)."""
    if p.level in ("village", "community"):
        return "village"
    if town is not None:
        return "town"
    return "county" if county is not None else "none"


def _is_town(code: str) -> bool:
    return any(t.code == code for t in geodata.towns())


def _territory_km(county_code: str, lon: float, lat: float) -> float:
    return geodata.territory_km(county_code, lon, lat) if county_code else 0.0


def median_point(points: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """Return the coordinate-wise median of points and the farthest point's distance from it (km).

    Raises
    ------
    InputError
        For no points.
    """
    if not points:
        raise InputError("没有坐标点，无法取中位数")
    lon = statistics.median(p[0] for p in points)
    lat = statistics.median(p[1] for p in points)
    spread = max(geodata.haversine_km(lon, lat, x, y) for x, y in points)
    return lon, lat, spread


def register_places(rows: Iterable[tuple[str, str, str, str, str, float, float]]) -> list[Place]:
    """Village points taught by register coordinates: the median of each village's register points.

    Parameters
    ----------
    rows
        ``(county_code, town_code, village_code, village, town, lon, lat)`` of cases whose point came
        from the register.

    Returns
    -------
    list[Place]
        One ``register`` place per village; ``precision_km`` is the farthest register point from the
        median, at least 0.3 km where two or more letters' points agree (a village is not a point) and
        :data:`ONE_POINT_KM` for one letter's point, which no other letter bears out. A point that disagrees with
        its town (another county, or far past the town's reach: ``validate_point``'s ``disagrees``; walk W35, a
        point kept from before that check) teaches nothing.
    """
    groups: dict[str, list[tuple[float, float]]] = {}
    meta: dict[str, tuple[str, str, str, str]] = {}
    for county_code, town_code, village_code, village, town, lon, lat in rows:
        if not village_code:
            continue
        if town_code and validate_point(float(lon), float(lat), near_town_code=town_code).disagrees:
            continue
        groups.setdefault(village_code, []).append((float(lon), float(lat)))
        meta[village_code] = (county_code, town_code, village, town)
    out = []
    for code, pts in sorted(groups.items()):
        lon, lat, spread = median_point(pts)
        county_code, town_code, village, town = meta[code]
        least = 0.3 if len(pts) > 1 else ONE_POINT_KM
        out.append(Place(level="village", name=village or code, lon=round(lon, 6), lat=round(lat, 6),
                         source="register", county_code=county_code, town_code=town_code, village_code=code,
                         village=village, town=town, precision_km=round(max(spread, least), 2),
                         origin=f"{len(pts)} 个登记点"))
    return out


__all__ = [
    "DEFAULT_PRECISION_KM",
    "ESTIMATED",
    "LEARNT",
    "LEVELS",
    "ONE_POINT_KM",
    "SOURCES",
    "STORED_SOURCES",
    "Gazetteer",
    "Place",
    "median_point",
    "register_places",
]
