"""The one place that converts coordinates between WGS-84, GCJ-02 (Amap/Tencent) and BD-09 (Baidu).

There is deliberately no ``looks_gcj02(lon, lat)``: around Zhangzhou the GCJ-02 shift is 550-600 m,
smaller than the stated precision of our town seats (1-6 km), so a point alone cannot tell its datum.
Use the register's 坐标系 column or header (``datum_from_text``) instead.
"""

from __future__ import annotations

import math
import re

from geodata.errors import BadCoordinateError

# Krasovsky 1940 ellipsoid constants of the published GCJ-02 obfuscation.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0

#: Datum names accepted by ``to_wgs84`` / ``from_wgs84``.
DATUMS = ("wgs84", "gcj02", "bd09")

# Iterate until the forward transform of the estimate is this close to the target (degrees);
# 1e-10 deg is about 0.01 mm, far below the 1 cm contract.
_TOL_DEG = 1e-10
_MAX_ITER = 30


def _delta(lon: float, lat: float) -> tuple[float, float]:
    x, y = lon - 105.0, lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
            + (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
            + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlon, dlat


def _check(lon: float, lat: float) -> tuple[float, float]:
    lon, lat = float(lon), float(lat)
    if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise BadCoordinateError(f"坐标（经度, 纬度）= ({lon!r}, {lat!r}) 不是有效的经纬度")
    return lon, lat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Convert WGS-84 to GCJ-02 (the datum of Amap/高德 and Tencent maps).

    The offset is applied everywhere (no "outside China" cut-off): this library only handles Zhangzhou.

    Parameters
    ----------
    lon, lat
        WGS-84 degrees.

    Returns
    -------
    tuple[float, float]
        GCJ-02 ``(lon, lat)``.

    Raises
    ------
    BadCoordinateError
        When the coordinate is not finite or out of range.
    """
    lon, lat = _check(lon, lat)
    dlon, dlat = _delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """Convert GCJ-02 to BD-09 (Baidu).

    Parameters
    ----------
    lon, lat
        GCJ-02 degrees.

    Returns
    -------
    tuple[float, float]
        BD-09 ``(lon, lat)``.
    """
    lon, lat = _check(lon, lat)
    z = math.hypot(lon, lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def _invert(forward, lon: float, lat: float) -> tuple[float, float]:
    # Fixed-point iteration: the forward maps are near-translations (Jacobian ≈ identity),
    # so subtracting the residual converges geometrically, in a handful of steps.
    x, y = lon, lat
    for _ in range(_MAX_ITER):
        fx, fy = forward(x, y)
        ex, ey = fx - lon, fy - lat
        x, y = x - ex, y - ey
        if abs(ex) < _TOL_DEG and abs(ey) < _TOL_DEG:
            break
    return x, y


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Convert GCJ-02 to WGS-84 by iterative inversion (round trip error below 1 mm).

    Parameters
    ----------
    lon, lat
        GCJ-02 degrees.

    Returns
    -------
    tuple[float, float]
        WGS-84 ``(lon, lat)``.
    """
    lon, lat = _check(lon, lat)
    return _invert(wgs84_to_gcj02, lon, lat)


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Convert BD-09 to GCJ-02 by iterative inversion of ``gcj02_to_bd09``.

    Parameters
    ----------
    lon, lat
        BD-09 degrees.

    Returns
    -------
    tuple[float, float]
        GCJ-02 ``(lon, lat)``.
    """
    lon, lat = _check(lon, lat)
    return _invert(gcj02_to_bd09, lon, lat)


def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """Convert WGS-84 to BD-09 (Baidu).

    Parameters
    ----------
    lon, lat
        WGS-84 degrees.

    Returns
    -------
    tuple[float, float]
        BD-09 ``(lon, lat)``.
    """
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Convert BD-09 to WGS-84 (iterative inversion through GCJ-02).

    Parameters
    ----------
    lon, lat
        BD-09 degrees.

    Returns
    -------
    tuple[float, float]
        WGS-84 ``(lon, lat)``.
    """
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def to_wgs84(lon: float, lat: float, datum: str) -> tuple[float, float]:
    """Convert a point in ``datum`` ('wgs84', 'gcj02' or 'bd09', aliases allowed) to WGS-84.

    Raises
    ------
    BadCoordinateError
        When the datum is unknown.
    """
    d = normalize_datum(datum)
    if d == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if d == "bd09":
        return bd09_to_wgs84(lon, lat)
    return _check(lon, lat)


def from_wgs84(lon: float, lat: float, datum: str) -> tuple[float, float]:
    """Convert a WGS-84 point to ``datum`` ('wgs84', 'gcj02' or 'bd09', aliases allowed).

    Raises
    ------
    BadCoordinateError
        When the datum is unknown.
    """
    d = normalize_datum(datum)
    if d == "gcj02":
        return wgs84_to_gcj02(lon, lat)
    if d == "bd09":
        return wgs84_to_bd09(lon, lat)
    return _check(lon, lat)


_DATUM_WORDS = (
    # Order matters: 百度 before 高德 is irrelevant, but "bd09" must not match inside other words.
    ("bd09", ("bd09", "bd-09", "bd", "baidu", "百度")),
    ("gcj02", ("gcj02", "gcj-02", "gcj", "amap", "gaode", "高德", "腾讯", "tencent", "qq地图", "火星")),
    ("wgs84", ("wgs84", "wgs-84", "wgs", "gps", "cgcs2000", "cgcs", "天地图", "北斗", "tianditu")),
)


def normalize_datum(datum: str) -> str:
    """Return 'wgs84', 'gcj02' or 'bd09' for a datum name such as '高德', 'GCJ-02', 'baidu', 'GPS'.

    Raises
    ------
    BadCoordinateError
        When the name is not a known datum.
    """
    found = datum_from_text(str(datum))
    if found is None:
        raise BadCoordinateError(
            f"不认识的坐标系 {datum!r}；可用 wgs84（GPS/天地图）、gcj02（高德/腾讯）、bd09（百度）")
    return found


def datum_from_text(text: str) -> str | None:
    """Return the datum a column header or register note names, or None.

    Parameters
    ----------
    text
        A header such as ``"经度(高德)"``, ``"百度坐标"``, ``"lng_gcj02"``, or a 坐标系 cell ``"WGS84"``.

    Returns
    -------
    str | None
        'wgs84', 'gcj02', 'bd09', or None when the text names no datum (the caller decides the default).
    """
    t = re.sub(r"[\s_（）()\[\]【】:：]", "", str(text)).lower()
    for name, words in _DATUM_WORDS:
        for w in words:
            if len(w) <= 3 and w.isascii():
                # Short ASCII tags ("bd", "gcj", "gps") only count as whole tokens or at the ends.
                if re.search(rf"(^|[^a-z]){w}([^a-z]|$)", re.sub(r"[^a-z0-9\-]", " ", str(text).lower())):
                    return name
            elif w in t:
                return name
    return None
