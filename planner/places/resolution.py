"""What address resolution answers (:class:`Resolution`) and how an answer is built from the index's codes.

Split from :mod:`planner.places.resolver` (which re-exports these names); the index itself stays there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import geodata
from planner.errors import InputError
from planner.places.estimates import seat_words

#: ``planner.places.resolver._Index`` (not imported: the resolver imports this module).
_Index = Any

PRECISIONS = ("village", "town", "county", "none")
#: coord_source values whose point stands for a whole town, farm or county rather than the place itself.
ESTIMATED_SOURCES = frozenset({"town_seat", "unit_seat", "county_seat"})


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where an address is, as far as the text allows.

    ``precision`` is 'village' when the village/community is identified, but villages have no
    coordinates of their own: ``lon``/``lat`` are then the town seat (``coord_source`` says so).
    ``precision_km`` bounds how far the place can be from ``lon``/``lat`` (for a village on its town
    seat, or a letter naming only the town: the farthest point of the county, towns having no outline).
    ``ambiguous`` is True when the text fits several places;
    ``candidates`` lists them and the fields above hold only what all candidates share. An office
    gazetteer (``planner.places.gazetteer``) may replace the point (``coord_source`` then names it).

    ``unit``/``unit_code`` name the farm or zone 国家统计局 files a village under when ``town`` is the ordinary
    town people name for it (大地村: town 仙都镇, unit 福建土楼（华安）旅游区); both are '' otherwise.
    """

    address: str
    county: str = ""
    county_code: str = ""
    town: str = ""
    town_code: str = ""
    village: str = ""
    village_code: str = ""
    lon: float | None = None
    lat: float | None = None
    precision: str = "none"
    coord_source: str = "none"  # 'town_seat' | 'unit_seat' | 'county_seat' | 'none'
    ambiguous: bool = False
    candidates: tuple[str, ...] = ()
    message: str = ""
    precision_km: float | None = None
    unit: str = ""
    unit_code: str = ""

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise InputError(f"精度级别 {self.precision!r} 应为 {PRECISIONS} 之一")

    @property
    def estimated(self) -> bool:
        """True when the point stands for a whole area (a seat): every case placed there shares it."""
        return self.coord_source in ESTIMATED_SOURCES

    @property
    def point_key(self) -> str:
        """``'town_seat:350628101'``: the same key for every address that shares one estimated point."""
        if not self.estimated:
            return ""
        if self.coord_source == "unit_seat" and self.unit_code:
            return f"unit_seat:{self.unit_code}"  # the zone's point, whichever town the letter named
        return f"{self.coord_source}:{self.town_code or self.county_code}"

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict (candidates joined with '；' is left to CSV writers)."""
        d = asdict(self)
        d["candidates"] = list(self.candidates)
        return d


def _town_of(idx: _Index, village: object) -> str:
    unit = idx.town.get(village.town_code or village.unit_code)
    if unit is None:
        return "他处"
    return unit.name


def usual_town(res: Resolution, idx: _Index, town_code: str) -> Resolution:
    """``res`` (a village of a farm or zone, ``town`` the unit) counted under the ordinary town ``town_code``.

    The point and its bound stay the village's own (the unit's): only what the place is called and counted under
    changes, so statistics by town group 大地村 under 仙都镇 while 国家统计局's unit stays in ``unit``.
    """
    town = idx.town[town_code]
    return replace(res, town=town.name, town_code=town.code, unit=res.town, unit_code=res.town_code)


def _covering_km(idx: _Index, town_code: str, villages: Sequence[str]) -> float | None:
    """How far from ``town_code``'s point the place can be when it is either in that town or in one of ``villages``
    (each anywhere in its own town): the farthest of the two territories, seen from the point."""
    t = idx.town[town_code]
    if t.lon is None:
        return None
    reach = [t.territory_km or t.precision_km or 0.0]
    for c in villages:
        v = idx.village[c]
        u = idx.town.get(v.town_code or v.unit_code)
        if u is None or u.lon is None:
            return None
        reach.append(geodata.haversine_km(t.lon, t.lat, u.lon, u.lat) + (u.territory_km or u.precision_km or 0.0))
    return round(max(reach), 1)


def _describe(idx: _Index, county_code: str, town_code: str = "", village_code: str = "") -> str:
    parts = [idx.county[county_code].name] if county_code else []
    if town_code:
        parts.append(idx.town[town_code].name)
    if village_code:
        parts.append(idx.village[village_code].name)
    code = village_code or town_code or county_code
    return f"{''.join(parts)}({code})"


def _seat_words(unit: object, county: object, src: str) -> str:
    """Which point stands for a place filed under a farm or zone: ``福建土楼（华安）旅游区驻地（约）`` or
    ``华安县政府驻地`` (the message used to leave the reader to guess: 所属农场/开发区或县区驻地)."""
    if src == "unit_seat" and unit is not None:
        return f"{unit.name}驻地（约）"
    return f"{county.name}政府驻地" if county is not None else "县区政府驻地"


def _result(address: str, idx: _Index, county_code: str = "", town_code: str = "", village_code: str = "",
            *, ambiguous: bool = False, candidates: Sequence[str] = (), message: str = "",
            at_town: str = "") -> Resolution:
    """``at_town``: the point is that town's (a village filed under a farm or zone, written under the town it lies
    in: 华安县仙都镇大地村), with the precision of a village on that town's point."""
    county = idx.county.get(county_code)
    town = idx.town.get(town_code)
    village = idx.village.get(village_code)
    if village is not None:
        precision = "village"
    elif town is not None:
        precision = "town"
    elif county is not None:
        precision = "county"
    else:
        precision = "none"
    prec_km: float | None = None
    seat = idx.town.get(at_town)
    if seat is not None and seat.lon is not None:
        lon, lat, src = seat.lon, seat.lat, seat.coord_source
        # Bounded by the county: the village is not of that town, so the town's own extent does not bound it.
        prec_km = geodata.territory_km(seat.county_code, lon, lat)
    elif town is not None and town.lon is not None:
        lon, lat, src = town.lon, town.lat, town.coord_source
        # A village of the town, or a letter naming only the town (walk W35: 湖林乡 stated its GeoNames seat's 3 km),
        # may be anywhere in the town: its territory bounds it, never the seat's own error alone.
        prec_km = town.territory_km if town.territory_km is not None else town.precision_km
    elif county is not None:
        lon, lat, src = county.lon, county.lat, "county_seat"
        prec_km = geodata.territory_km(county.code, lon, lat)
    else:
        lon = lat = None
        src = "none"
    if not message:
        point = town if seat is None or seat.lon is None else seat  # the town whose point it is
        message = {
            "village": f"已识别到村（社区）；坐标为{seat_words(point, '所在乡镇驻地')}，非村委会位置",
            "town": f"已识别到乡镇（街道），坐标为{seat_words(point, '乡镇驻地')}",
            "county": "仅识别到县区，坐标为县区政府驻地",
            "none": "未识别到漳州市的县区、乡镇或村",
        }[precision]
        if precision == "village" and src != "town_seat":
            message = f"已识别到村（社区）；坐标为{_seat_words(town, county, src)}，非村委会位置"
        elif precision == "town" and src != "town_seat":
            message = f"已识别到农场/开发区（国家统计局单位代码，非乡镇）；坐标为{_seat_words(town, county, src)}"
    return Resolution(
        address=address,
        county=county.name if county else "",
        county_code=county_code if county else "",
        town=town.name if town else "",
        town_code=town_code if town else "",
        village=village.name if village else "",
        village_code=village_code if village else "",
        lon=lon,
        lat=lat,
        precision=precision,
        coord_source=src,
        ambiguous=ambiguous,
        candidates=tuple(candidates),
        message=message,
        precision_km=prec_km,
    )
