"""GIS files for ArcGIS/QGIS: plan stops and cases as GeoPackage or zipped Shapefile (GBK .cpg), EPSG:4326."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from planner.errors import InputError
from planner.field.model import Itinerary

#: GIS formats: GeoPackage, or a zip holding one Shapefile (.shp .shx .dbf .prj .cpg).
GIS_FORMATS = ("gpkg", "shp")
CRS = "EPSG:4326"
#: Shapefile attribute names are at most 10 bytes; these short names keep them readable in GIS tools.
_STOP_FIELDS = ("team", "team_name", "date", "seq", "visit", "place", "arrive", "start", "end", "window", "case_nos",
                "summary", "deadline")
_CASE_FIELDS = ("case_no", "category", "status", "county", "town", "village", "precision", "prec_km",
                "pt_source", "deadline")


def stop_records(items: Itinerary | Iterable[Itinerary]) -> list[dict]:
    """One record per stop of the itineraries (identity already masked by the itinerary)."""
    from planner.field.visit_times import window_text
    from planner.office.privacy import safe_cell

    its = [items] if isinstance(items, Itinerary) else list(items)
    out = []
    for it in its:
        for s in it.stops:
            d = s.earliest_deadline()
            out.append({
                "team": it.team.team_id, "team_name": safe_cell(it.team.name), "date": it.date.isoformat(),
                "seq": s.seq, "visit": s.visit.visit_id, "place": safe_cell(s.place()), "arrive": s.arrive,
                "start": s.start, "end": s.end, "window": window_text(s.visit), "case_nos": "；".join(s.visit.case_nos),
                "summary": safe_cell(s.summaries())[:250], "deadline": d.isoformat() if d else "",
                "lon": s.lon, "lat": s.lat,
            })
    return out


def case_records(rows: Iterable[object]) -> list[dict]:
    """One record per case with a point: no petitioner field exists on the cases table, none is added."""
    from planner.office.privacy import safe_cell

    out = []
    for r in rows:
        if getattr(r, "lon", None) is None:
            continue
        out.append({
            "case_no": safe_cell(r.case_no), "category": safe_cell(r.category or ""), "status": r.status,
            "county": r.county, "town": r.town, "village": r.village, "precision": r.precision,
            "prec_km": getattr(r, "precision_km", None), "pt_source": getattr(r, "point_source", "") or "",
            "deadline": r.deadline.isoformat() if getattr(r, "deadline", None) else "",
            "lon": r.lon, "lat": r.lat,
        })
    return out


def write_gis(records: Sequence[Mapping], fmt: str, *, layer: str) -> bytes:
    """Write point records as a GIS file and return its bytes.

    Parameters
    ----------
    records
        Dicts with ``lon``/``lat`` (WGS-84) and attribute values.
    fmt
        ``gpkg`` (one layer) or ``shp`` (a zip with the Shapefile and a ``.cpg`` saying GBK).
    layer
        Layer / file stem (``stops``, ``cases``).

    Returns
    -------
    bytes

    Raises
    ------
    InputError
        Unknown format or no records.
    """
    import geopandas as gpd
    from shapely.geometry import Point

    fmt = str(fmt).lower()
    if fmt not in GIS_FORMATS:
        raise InputError(f"导出格式应为 {'、'.join(GIS_FORMATS)} 之一，收到 {fmt!r}")
    if not records:
        raise InputError("没有可导出的内容：没有一条记录有坐标")
    attrs = [{k: v for k, v in r.items() if k not in ("lon", "lat")} for r in records]
    if fmt == "shp":
        # GBK cannot hold every character (emoji, rare given names): say so with "?" rather than let GDAL garble it.
        attrs = [{k: _gbk(v) for k, v in a.items()} for a in attrs]
    gdf = gpd.GeoDataFrame(attrs, geometry=[Point(r["lon"], r["lat"]) for r in records], crs=CRS)
    with tempfile.TemporaryDirectory(prefix="xiafang-gis-") as tmp:
        if fmt == "gpkg":
            path = Path(tmp) / f"{layer}.gpkg"
            gdf.to_file(path, layer=layer, driver="GPKG", engine="pyogrio")
            return path.read_bytes()
        path = Path(tmp) / f"{layer}.shp"
        # GBK: what ArcGIS and QGIS on Chinese Windows read by default; the .cpg says so for the others.
        gdf.to_file(path, driver="ESRI Shapefile", engine="pyogrio", encoding="GBK")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for part in sorted(Path(tmp).iterdir()):
                zf.write(part, part.name)
        return buf.getvalue()


def _gbk(value: object) -> object:
    if isinstance(value, str):
        return value.encode("gbk", errors="replace").decode("gbk")
    return value


def plan_gis(items: Itinerary | Iterable[Itinerary], fmt: str) -> bytes:
    """Plan stops as a GIS file (``gpkg`` or zipped ``shp``)."""
    return write_gis(stop_records(items), fmt, layer="stops")


def cases_gis(rows: Iterable[object], fmt: str) -> bytes:
    """Cases (rows of the cases table) as a GIS file (``gpkg`` or zipped ``shp``)."""
    return write_gis(case_records(rows), fmt, layer="cases")


__all__ = ["CRS", "GIS_FORMATS", "case_records", "cases_gis", "plan_gis", "stop_records", "write_gis"]
