"""Coordinates given in a register: parse, un-swap, convert to WGS-84 and check them against the polygons."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import geodata
from geodata import datum as _datum
from geodata.errors import GeodataError, UnknownPlaceError
from geodata.polygons import FALLBACK_KM, county_at, county_polygons, distance_km
from planner.errors import InputError


@dataclass(frozen=True, slots=True)
class PointCheck:
    """Result of ``validate_point``: the WGS-84 point to use and what was wrong with the input."""

    ok: bool
    lon: float | None
    lat: float | None
    datum: str  # datum of the input
    converted: bool  # input was GCJ-02/BD-09 and was converted
    swapped: bool  # input had longitude and latitude exchanged
    county_code: str
    county: str
    inside: bool  # inside a county polygon (False: coastal/island fallback or outside)
    distance_to_town_km: float | None
    warnings: tuple[str, ...] = ()
    message: str = ""
    # Where the point lies against the written town when the two disagree (another county beyond its border, or
    # far past the town's reach): ``落在平和县，而所写的佛昙镇属漳浦县（该点离漳浦县约 22.6 km）``; "" when they agree.
    disagrees: str = ""


# Generous bounding box of Zhangzhou (the polygons decide; this only detects swapped columns).
_BBOX = (116.8, 23.4, 118.3, 25.3)


#: How far past the written county's (simplified) border a point may lie and still be taken for a place near the
#: border; a point at sea (the coast and islands are simplified away) is allowed the coastal fallback's distance.
BORDER_KM = 2.0
#: How far from a town's seat its places may be, beyond the seat's own stated precision.
TOWN_REACH_KM = 12.0
#: A seat known to this many km is named with its distance in the note (a hand estimate may be tens of km off).
_SURE_SEAT_KM = 6.0


def _in_bbox(lon: float, lat: float) -> bool:
    return _BBOX[0] <= lon <= _BBOX[2] and _BBOX[1] <= lat <= _BBOX[3]


def datum_from_header(header: str) -> str | None:
    """Return the datum a column header names ('经度(高德)' -> 'gcj02', '百度坐标' -> 'bd09'), or None.

    Parameters
    ----------
    header
        A column header or the content of a 坐标系 cell.

    Returns
    -------
    str | None
        'wgs84', 'gcj02', 'bd09' or None.
    """
    return _datum.datum_from_text(header)


def validate_point(lon: float, lat: float, datum: str = "wgs84", near_town_code: str | None = None,
                   *, far_km: float | None = None) -> PointCheck:
    """Check a coordinate from a register and return the WGS-84 point to use.

    Parameters
    ----------
    lon, lat
        As given (numbers or numeric strings).
    datum
        The datum of the input: 'wgs84' (GPS, 天地图), 'gcj02' (高德, 腾讯) or 'bd09' (百度); aliases allowed.
    near_town_code
        The town the row names, if any; a point far from its seat is warned about.
    far_km
        Warning distance from the town seat; default 12 km plus the seat's stated precision.

    Returns
    -------
    PointCheck
        ``ok`` False when the point is not a number or not in/near Zhangzhou; ``swapped`` when lon and
        lat were exchanged (fixed in ``lon``/``lat``); ``converted`` when GCJ-02/BD-09 was converted.

    Raises
    ------
    InputError
        When ``datum`` is unknown.
    """
    try:
        d = _datum.normalize_datum(datum)
    except GeodataError as exc:
        raise InputError(str(exc)) from None
    x, y = _degrees(lon), _degrees(lat)
    if x is None or y is None:
        return PointCheck(False, None, None, d, False, False, "", "", False, None,
                          (), f"坐标不是数字：经度 {lon!r}，纬度 {lat!r}")
    if not (math.isfinite(x) and math.isfinite(y)):
        return PointCheck(False, None, None, d, False, False, "", "", False, None,
                          (), f"坐标不是有效数字：经度 {lon!r}，纬度 {lat!r}")
    warnings: list[str] = []
    if x == round(x, 1) and y == round(y, 1):
        # 117, 24.4: a position rounded to 0.1° (about 10 km) says little more than the county.
        warnings.append("坐标只精确到 0.1 度（约 10 km），可能被截断")
    swapped = False
    if not _in_bbox(x, y) and _in_bbox(y, x):
        x, y, swapped = y, x, True
        warnings.append("经度和纬度填反了，已交换")
    if not (-180 <= x <= 180 and -90 <= y <= 90):
        return PointCheck(False, None, None, d, False, swapped, "", "", False, None,
                          tuple(warnings), f"坐标超出经纬度范围：经度 {lon!r}，纬度 {lat!r}")
    converted = d != "wgs84"
    if converted:
        x, y = _datum.to_wgs84(x, y, d)
        warnings.append(f"已由{'高德/腾讯 GCJ-02' if d == 'gcj02' else '百度 BD-09'}坐标转换为 WGS-84")
    hit = county_at(x, y)
    if hit.code is None:
        where = f"，位于{hit.neighbour}" if hit.neighbour else ""
        return PointCheck(False, x, y, d, converted, swapped, "", "", False, None, tuple(warnings),
                          f"坐标 ({x:.5f}, {y:.5f}) 不在漳州市范围内（距最近县界约 {hit.distance_km:.0f} km{where}）")
    if hit.flagged:
        warnings.append(f"坐标在县界多边形外约 {hit.distance_km:.1f} km（海岸或海岛），按最近的{hit.name}处理")
        if hit.neighbour:
            warnings.append(f"该点离{hit.neighbour}比离漳州市更近，请核对")
    dist = None
    town = _seat(str(near_town_code)) if near_town_code else None
    if near_town_code and town is None:
        warnings.append(f"乡镇代码 {near_town_code!r} 不是漳州市的乡镇，未核对距离")
    disagrees = ""
    if town is not None:
        dist = round(_km(x, y, town.lon, town.lat), 3)
        disagrees = _off_town(x, y, hit, town, dist)
        # An estimated seat may be tens of km off (its precision bounds the county); past 12 km plus a few
        # km of seat uncertainty the point more likely belongs to another town, so it is still worth a look.
        limit = far_km if far_km is not None else TOWN_REACH_KM + min(town.precision_km, _SURE_SEAT_KM)
        if disagrees:
            warnings.append(f"坐标{disagrees}，与所写地址不符")
        elif town.county_code != hit.code:  # whatever the distance (walk W35: a far point was not said so)
            warnings.append(f"坐标落在{hit.name}，而登记的乡镇属于{town.county}（可能在县界附近）")
        elif dist > limit:
            warnings.append(f"坐标距{town.county}{town.name}驻地约 {dist:.1f} km，可能有误")
    message = "坐标有效" if not warnings else "；".join(warnings)
    return PointCheck(True, x, y, d, converted, swapped, hit.code, hit.name, hit.inside, dist, tuple(warnings), message,
                      disagrees)


def _off_town(x: float, y: float, hit, town: geodata.Town, dist: float) -> str:
    """Where a point lies against the town the row writes, when it cannot be that town's (walk W35: 117.2, 24.3 for
    漳浦县佛昙镇石门村 lies in 平和县): in another county beyond its border (the coast allowed the fallback's
    distance), or in the same county farther from the seat than the town reaches even at the seat's stated precision
    (an estimated seat's precision is tens of km: only the county decides then). ``""`` when the point may be the
    town's."""
    if town.county_code != hit.code:
        geom = county_polygons().get(town.county_code)
        beyond = distance_km(geom, x, y) if geom is not None else 0.0
        if beyond > (BORDER_KM if hit.inside else FALLBACK_KM):
            seat = f"，离{town.name}驻地约 {dist:.1f} km" if town.precision_km <= _SURE_SEAT_KM else ""
            return f"落在{hit.name}，而所写的{town.name}属{town.county}（该点离{town.county}约 {beyond:.1f} km{seat}）"
        return ""
    if dist > TOWN_REACH_KM + town.precision_km:
        return f"距所写的{town.county}{town.name}驻地约 {dist:.1f} km，远在该乡镇之外"
    return ""


_DMS = re.compile(r"^(?:东经|北纬|[EN])?(\d{1,3}(?:\.\d+)?)(?:[°度](?:(\d{1,2}(?:\.\d+)?)['′分](?:(\d{1,2}(?:\.\d+)?)"
                  r"(?:\"|″|′′|''|秒))?)?)?[EN]?$")


def _degrees(value: object) -> float | None:
    """A coordinate as registers write it: 117.43, "117.43", "１１７．４３", "117°25'48\"", "东经117度25分48秒"."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "").upper()
    try:
        return float(text)
    except ValueError:
        pass
    m = _DMS.match(text)
    if not m or not text:
        return None
    deg, minutes, seconds = (float(g) if g else 0.0 for g in m.groups())
    if minutes >= 60 or seconds >= 60:
        return None
    return deg + minutes / 60 + seconds / 3600


def _seat(code: str) -> geodata.Town | None:
    """The town (or farm/zone unit) whose seat a point is compared with; None for an unknown code."""
    code = code.strip()[:9]
    for u in geodata.special_units():
        if u.code == code:
            county = geodata.county_by_code(u.county_code)
            # A unit without its own coordinates is compared with the county seat, loosely.
            if u.lon is not None:
                lon, lat, prec = u.lon, u.lat, u.precision_km
            else:
                lon, lat, prec = county.lon, county.lat, 15.0
            return geodata.Town(code=u.code, code12=u.code + "000", name=u.name, county_code=u.county_code,
                                county=county.name, kind="", lon=lon, lat=lat,
                                precision_km=prec, nbs_code=u.code, village_count=0)
    try:
        return geodata.town_by_code(code)
    except UnknownPlaceError:
        return None


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    # Haversine; the mean Earth radius is plenty for a plausibility check.
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


__all__ = ["PointCheck", "datum_from_header", "validate_point"]
