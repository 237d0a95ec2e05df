"""Every place the resolver knows, as rows: built-in towns and villages with the office's places over them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

import geodata
from planner.places.gazetteer import Gazetteer
from planner.places.town_extent import TownReach, town_reach

#: Columns of ``gazetteer export``.
COLUMNS = ("level", "code", "name", "county", "town", "village", "lon", "lat", "precision_km", "source")


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    """One exported place (WGS-84)."""

    level: str
    code: str
    name: str
    county: str
    town: str
    village: str
    lon: float
    lat: float
    precision_km: float
    source: str  # builtin | geonames | imported | corrected | register | tianditu


def export_rows(gazetteer: Gazetteer) -> list[CatalogueRow]:
    """Return every town, unit and village with its effective point, then the office's extra places.

    Parameters
    ----------
    gazetteer
        The office gazetteer (``planner.store.places.load_gazetteer``); empty for the built-in tables only.

    Returns
    -------
    list[CatalogueRow]
        Towns, farms/zones, villages in code order, then roads, buildings and unlisted villages.
    """
    counties = {c.code: c.name for c in geodata.counties()}
    out: list[CatalogueRow] = []
    town_point: dict[str, tuple[float, float, float, str]] = {}
    reach: dict[str, TownReach | None] = {}
    for t in geodata.towns():
        p = gazetteer.by_code.get(t.code)
        if p is not None:
            lon, lat, prec, src = p.lon, p.lat, p.precision_km, p.source
        else:
            lon, lat, prec, src = t.lon, t.lat, t.precision_km, "geonames" if t.source == "geonames" else "builtin"
        town_point[t.code] = (lon, lat, prec, src)
        out.append(CatalogueRow("town", t.code, t.name, t.county, t.name, "", lon, lat, prec, src))
    for u in geodata.special_units():
        lon, lat = (u.lon, u.lat) if u.lon is not None else (geodata.county_by_code(u.county_code).lon,
                                                               geodata.county_by_code(u.county_code).lat)
        prec = geodata.territory_km(u.county_code, lon, lat)
        town_point[u.code] = (lon, lat, prec, "builtin")
        out.append(CatalogueRow("town", u.code, u.name, counties[u.county_code], u.name, "", lon, lat, prec,
                                "builtin"))
    for v in geodata.villages():
        level = "community" if v.kind == "社区" else "village"
        p = gazetteer.by_code.get(v.code)
        unit = v.town_code or v.unit_code
        if p is not None:
            lon, lat, prec, src = p.lon, p.lat, p.precision_km, p.source
        else:
            tl, tt, _tp, tsrc = town_point.get(unit, (v.lon, v.lat, 0.0, "builtin"))
            # The village sits on its town's point: it may be anywhere in the town's known extent (the office's
            # boundary or village points), else anywhere in the county around it — as a letter naming it states.
            lon, lat, src = tl, tt, "builtin" if tsrc == "geonames" else tsrc
            prec = geodata.territory_km(v.county_code, lon, lat)
            if v.town_code and gazetteer:
                if v.town_code not in reach:
                    reach[v.town_code] = town_reach(v.town_code, lon, lat,
                                                    town_place=gazetteer.by_code.get(v.town_code),
                                                    villages=gazetteer.town_villages.get(v.town_code, ()))
                if reach[v.town_code] is not None:
                    prec = min(prec, reach[v.town_code].km)
        out.append(CatalogueRow(level, v.code, v.name, counties[v.county_code], v.unit_name, v.name,
                                lon, lat, round(prec, 1), src))
    for p in gazetteer.named:
        out.append(CatalogueRow(p.level, "", p.name, p.county, p.town, p.village, p.lon, p.lat, p.precision_km,
                                p.source))
    return out


def write_csv(rows: list[CatalogueRow]) -> bytes:
    """CSV bytes (UTF-8 with BOM for Excel), formula-like cells neutralised."""
    from planner.office.privacy import safe_row

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for r in rows:
        # Every cell, codes and sources included: an imported gazetteer's values reach them.
        w.writerow(safe_row([r.level, r.code, r.name, r.county, r.town, r.village, f"{r.lon:.7f}", f"{r.lat:.7f}",
                             f"{r.precision_km:g}", r.source]))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    """A town or village as the 地名校准 page lists it: how well its point is known and how many cases it moves."""

    level: str  # town | village | community
    code: str
    name: str
    county: str
    town: str
    lon: float
    lat: float
    precision_km: float
    source: str
    open_cases: int


def calibration_rows(gazetteer: Gazetteer, case_places: Sequence[tuple[str, str, bool]], *,
                     only_with_cases: bool = True) -> list[CalibrationRow]:
    """Towns and villages by how far off their point may be, with the open cases each affects.

    Parameters
    ----------
    gazetteer
        The office gazetteer.
    case_places
        ``(town_code, village_code, is_open)`` of the cases whose point is an estimate or a gazetteer point.
    only_with_cases
        Leave out places no open case sits on.

    Returns
    -------
    list[CalibrationRow]
        Largest ``precision_km × open cases`` first: fixing those moves the most cases the farthest.
    """
    by_town: dict[str, int] = {}
    by_village: dict[str, int] = {}
    for town_code, village_code, is_open in case_places:
        if not is_open:
            continue
        if village_code:
            by_village[village_code] = by_village.get(village_code, 0) + 1
        if town_code:
            by_town[town_code] = by_town.get(town_code, 0) + 1
    out = []
    for r in export_rows(gazetteer):
        n = by_village.get(r.code, 0) if r.level in ("village", "community") else by_town.get(r.code, 0)
        if r.level not in ("town", "village", "community") or not r.code or (only_with_cases and n == 0):
            continue
        out.append(CalibrationRow(r.level, r.code, r.name, r.county, r.town, r.lon, r.lat, r.precision_km,
                                  r.source, n))
    return sorted(out, key=lambda r: (-r.precision_km * max(r.open_cases, 1), -r.open_cases, r.code))
