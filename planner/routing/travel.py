"""Travel-time providers: offline straight-line model, matrix file, OSRM table service; integer seconds and metres."""

from __future__ import annotations

import csv
import json
import math
import urllib.request
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from planner.errors import InputError, XiafangWarning

EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True, slots=True)
class Point:
    """A node of a travel matrix: an id (visit id or ``team:<id>``) and a WGS-84 position."""

    node_id: str
    lon: float
    lat: float


@dataclass(frozen=True, slots=True, eq=False)
class TravelMatrix:
    """Square matrices of travel seconds and road metres between ``node_ids`` (row = from, column = to)."""

    node_ids: tuple[str, ...]
    travel_s: np.ndarray
    distance_m: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.node_ids)
        object.__setattr__(self, "node_ids", tuple(self.node_ids))
        for name in ("travel_s", "distance_m"):
            arr = np.asarray(getattr(self, name), dtype=np.int64)
            if arr.shape != (n, n):
                raise InputError(f"路程矩阵 {name} 应为 {n}x{n}，收到 {arr.shape!r}")
            if (arr < 0).any():
                raise InputError(f"路程矩阵 {name} 中不能有负数")
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    def index(self) -> dict[str, int]:
        """Row/column of each node id."""
        return {nid: i for i, nid in enumerate(self.node_ids)}


class TravelProvider(Protocol):
    """Anything that turns points into a :class:`TravelMatrix`."""

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:  # pragma: no cover - protocol
        """Travel seconds and metres between every pair of points."""


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _lonlat_terrain(lon: float, lat: float) -> str:
    # Without county polygons: the west (平和, 南靖 west) and north (华安) of Zhangzhou are hills.
    return "hill" if (lon < 117.45 and lat > 24.2) or lat > 24.75 else "plain"


def terrain_of(lon: float, lat: float) -> str:
    """``"plain"`` or ``"hill"`` for a point: the county's terrain class from ``geodata``, else a lon/lat rule."""
    try:
        from geodata import county_at, county_by_code

        hit = county_at(lon, lat)
        if hit.code is not None and hit.distance_km <= 15:
            return county_by_code(hit.code).terrain
    except Exception:
        pass
    return _lonlat_terrain(lon, lat)


@dataclass(frozen=True, slots=True)
class OfflineTravelModel:
    """Straight-line distance × circuity ÷ speed, by terrain class (no road data needed).

    The first ``local_km`` of road on a leg are driven at the terrain's rural speed, the rest at
    ``trunk_kmh`` (long legs use expressways and national roads). Defaults follow PRODUCT.md.
    """

    circuity: dict[str, float] = field(default_factory=lambda: {"plain": 1.25, "hill": 1.45})
    speed_kmh: dict[str, float] = field(default_factory=lambda: {"plain": 45.0, "hill": 32.0})
    trunk_kmh: float = 80.0
    local_km: float = 15.0
    terrain: Callable[[float, float], str] = terrain_of

    def __post_init__(self) -> None:
        for name in ("circuity", "speed_kmh"):
            table = getattr(self, name)
            for key in ("plain", "hill"):
                if key not in table or not table[key] > 0:
                    raise InputError(
                        f"路程模型 {name} 的 {key!r}（plain 平原、hill 山区）须为正数，收到 {table.get(key)!r}")
        if self.trunk_kmh <= 0 or self.local_km < 0:
            raise InputError(f"干线车速须为正数、乡道距离不能为负数，收到 {self.trunk_kmh!r}/{self.local_km!r}")

    def leg(self, a: Point, b: Point, ta: str, tb: str) -> tuple[int, int]:
        """Seconds and metres from ``a`` to ``b`` given their terrain classes."""
        straight = haversine_m(a.lon, a.lat, b.lon, b.lat)
        circ = (self.circuity[ta] + self.circuity[tb]) / 2
        road_m = straight * circ
        rural = (self.speed_kmh[ta] + self.speed_kmh[tb]) / 2
        local_m = min(road_m, self.local_km * 1000)
        seconds = local_m / (rural / 3.6) + (road_m - local_m) / (self.trunk_kmh / 3.6)
        return round(seconds), round(road_m)

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        """Offline travel matrix (symmetric)."""
        n = len(points)
        terr = [self.terrain(p.lon, p.lat) for p in points]
        t = np.zeros((n, n), dtype=np.int64)
        d = np.zeros((n, n), dtype=np.int64)
        for i in range(n):
            for j in range(i + 1, n):
                s, m = self.leg(points[i], points[j], terr[i], terr[j])
                t[i, j] = t[j, i] = s
                d[i, j] = d[j, i] = m
        return TravelMatrix(tuple(p.node_id for p in points), t, d)


@dataclass(frozen=True, slots=True)
class MatrixFileTravel:
    """A matrix from a CSV file ``from,to,seconds,meters``; pairs not in the file come from ``fallback``."""

    path: Path
    fallback: TravelProvider | None = None

    def read(self) -> dict[tuple[str, str], tuple[int, int]]:
        """The pairs in the file.

        Raises
        ------
        InputError
            On a missing column or a bad number (the message names the row).
        """
        pairs: dict[tuple[str, str], tuple[int, int]] = {}
        with open(self.path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = {"from", "to", "seconds"} - set(reader.fieldnames or ())
            if missing:
                raise InputError(f"路程矩阵文件 {self.path} 缺少列 {sorted(missing)!r}")
            for row_no, row in enumerate(reader, start=2):
                try:
                    sec = round(float(row["seconds"]))
                    met = round(float(row.get("meters") or 0))
                except ValueError:
                    raise InputError(
                        f"路程矩阵文件 {self.path} 第 {row_no} 行：seconds、meters 列须为数字，收到 "
                        f"{row['seconds']!r}/{row.get('meters')!r}"
                    ) from None
                if sec < 0 or met < 0:
                    raise InputError(f"路程矩阵文件 {self.path} 第 {row_no} 行：时间或距离为负数 {sec!r}/{met!r}")
                pairs[(row["from"].strip(), row["to"].strip())] = (sec, met)
        return pairs

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        """Matrix from the file; raises when a pair is missing and there is no fallback."""
        pairs = self.read()
        base = self.fallback.matrix(points) if self.fallback is not None else None
        n = len(points)
        t = np.zeros((n, n), dtype=np.int64)
        d = np.zeros((n, n), dtype=np.int64)
        for i, a in enumerate(points):
            for j, b in enumerate(points):
                if i == j:
                    continue
                got = pairs.get((a.node_id, b.node_id))
                if got is None and base is None:
                    raise InputError(f"路程矩阵文件 {self.path} 中没有从 {a.node_id!r} 到 {b.node_id!r} 的时间")
                t[i, j], d[i, j] = got if got is not None else (base.travel_s[i, j], base.distance_m[i, j])
        return TravelMatrix(tuple(p.node_id for p in points), t, d)


def _http_get_json(url: str, timeout_s: float) -> dict:
    with urllib.request.urlopen(url, timeout=timeout_s) as resp:
        return json.loads(resp.read().decode("utf-8"))


@dataclass(frozen=True, slots=True)
class OsrmTravel:
    """An OSRM server's table service (``/table/v1/driving/...?annotations=duration,distance``).

    ``fetch`` is injectable so tests replay recorded responses without a network.
    """

    base_url: str
    profile: str = "driving"
    timeout_s: float = 30.0
    fetch: Callable[[str, float], dict] = _http_get_json
    fallback: TravelProvider | None = None  # used (with a warning) when the server cannot be reached

    def url_for(self, points: Sequence[Point]) -> str:
        """The table request URL for the points."""
        coords = ";".join(f"{p.lon:.6f},{p.lat:.6f}" for p in points)
        return f"{self.base_url.rstrip('/')}/table/v1/{self.profile}/{coords}?annotations=duration,distance"

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        """Matrix from the OSRM response.

        Raises
        ------
        InputError
            If the server answers with an error code or unreachable pairs.
        """
        try:
            data = self.fetch(self.url_for(points), self.timeout_s)
        except (OSError, ValueError) as exc:
            # An optional online service: a closed network must not stop planning when an offline model is given.
            if self.fallback is not None:
                warnings.warn(f"OSRM {self.base_url!r} unreachable ({type(exc).__name__}); using the offline model",
                              XiafangWarning, stacklevel=2)
                return self.fallback.matrix(points)
            raise InputError(
                f"OSRM 服务器 {self.base_url!r} 无法访问 (unreachable: {type(exc).__name__}: {exc})") from None
        if data.get("code") != "Ok":
            raise InputError(
                f"路网服务 OSRM {self.base_url!r} 返回错误 {data.get('code')!r}：{data.get('message', '')}")
        dur, dist = data.get("durations"), data.get("distances")
        if dur is None or dist is None:
            raise InputError(f"路网服务 OSRM {self.base_url!r} 的回复缺少时间或距离")
        n = len(points)
        t = np.zeros((n, n), dtype=np.int64)
        d = np.zeros((n, n), dtype=np.int64)
        for i in range(n):
            for j in range(n):
                if dur[i][j] is None or dist[i][j] is None:
                    raise InputError(f"路网服务 OSRM 找不到从 {points[i].node_id!r} 到 {points[j].node_id!r} 的道路")
                t[i, j] = round(dur[i][j])
                d[i, j] = round(dist[i][j])
        return TravelMatrix(tuple(p.node_id for p in points), t, d)
