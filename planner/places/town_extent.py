"""How far a village of a town may be from the town's point, from what the office knows of that town.

A letter naming a village the office has no point for sits on its town's point. The built-in tables hold no town
outlines and no village points, so the only true bound they give is the county's (``geodata.territory_km``: 29–90 km).
The office's gazetteer may know better:

* a **town boundary** (a ``town`` place with ``boundary_wkt``): the village is in the town, so it is no farther than
  the boundary's farthest vertex — an exact bound;
* the town's **villages with points** (imported, corrected, 天地图, register medians): when at least half of the
  town's villages of the built-in table (and at least :data:`MIN_VILLAGES`) have one, the town's extent is the
  farthest of them from the point (each plus its own ``precision_km``, which covers its boundary when one was
  imported), plus a margin: the widest gap between a known village and its nearest known neighbour (at least
  :data:`MIN_MARGIN_KM`). A village of the town lies among the others, no farther out than the town's villages lie
  apart.

Either bound is never larger than the county's, which stays the answer when neither is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import geodata

#: Fewest of a town's villages with points before their spread stands for the town's extent.
MIN_VILLAGES = 3
#: Share of a town's listed villages that must have a point of the office's.
MIN_SHARE = 0.5
#: Smallest margin beyond the farthest known village (km): a village is not a point.
MIN_MARGIN_KM = 1.0
_VILLAGE_LEVELS = ("village", "community")


@dataclass(frozen=True, slots=True)
class TownReach:
    """How far anything of ``town_code`` may be from a point (``km``), and what says so (``basis``, in words)."""

    km: float
    basis: str
    villages: int = 0  # villages with points the bound was taken from (0 for a town boundary)


@lru_cache(maxsize=1)
def _listed() -> tuple[Mapping[str, str], Mapping[str, int]]:
    """village code -> its ordinary town's code, and town code -> how many real villages the built-in table lists."""
    town_of: dict[str, str] = {}
    counts: dict[str, int] = {}
    for v in geodata.villages():
        if v.town_code and not v.virtual:
            town_of[v.code] = v.town_code
            counts[v.town_code] = counts.get(v.town_code, 0) + 1
    return town_of, counts


def town_of_village(village_code: str) -> str:
    """The ordinary town the built-in table files ``village_code`` under (``""`` for a farm's or zone's village)."""
    return _listed()[0].get(village_code, "")


def villages_by_town(places: Iterable[object]) -> dict[str, tuple[object, ...]]:
    """The office's village points grouped by the built-in town of their village code."""
    out: dict[str, list[object]] = {}
    for p in places:
        if p.level in _VILLAGE_LEVELS and p.village_code:
            town = town_of_village(p.village_code)
            if town:
                out.setdefault(town, []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def _farthest_vertex_km(wkt_text: str, lon: float, lat: float) -> float:
    from shapely import wkt

    geom = wkt.loads(wkt_text)
    parts = getattr(geom, "geoms", [geom])
    return max(geodata.haversine_km(lon, lat, x, y) for part in parts for x, y in part.exterior.coords)


def town_reach(town_code: str, lon: float, lat: float, *, town_place: object = None,
               villages: Iterable[object] = ()) -> TownReach | None:
    """How far a village of ``town_code`` may be from ``(lon, lat)``, or None when the office does not know the town.

    Parameters
    ----------
    town_code
        The built-in town.
    lon, lat
        The point the letter is placed on (the town's point, WGS-84).
    town_place
        The office's place for the town (its boundary counts when it has one).
    villages
        The office's places of villages of that town (:func:`villages_by_town`).

    Returns
    -------
    TownReach | None
        The bound (rounded up to 0.1 km) and its basis; None when neither a boundary nor enough villages are known.
    """
    if town_place is not None and getattr(town_place, "boundary_wkt", "") and town_place.level == "town":
        far = _farthest_vertex_km(town_place.boundary_wkt, lon, lat)
        return TownReach(round(far + 0.05, 1), "按本单位地名库的乡镇边界计")
    known = {p.village_code: p for p in villages}
    total = _listed()[1].get(town_code, 0)
    if len(known) < MIN_VILLAGES or len(known) < MIN_SHARE * total:
        return None
    pts = list(known.values())
    far = max(geodata.haversine_km(lon, lat, p.lon, p.lat) + float(p.precision_km or 0.0) for p in pts)
    gap = max(min(geodata.haversine_km(p.lon, p.lat, q.lon, q.lat) for q in pts if q is not p) for p in pts)
    margin = max(gap, MIN_MARGIN_KM)
    return TownReach(round(far + margin + 0.05, 1),
                     f"按本单位地名库该乡镇 {len(pts)} 个村（社区）的点位计（最远 {far:.1f} km，另加村间距 "
                     f"{margin:.1f} km）", len(pts))


__all__ = ["MIN_MARGIN_KM", "MIN_SHARE", "MIN_VILLAGES", "TownReach", "town_of_village", "town_reach",
           "villages_by_town"]
