"""Read an office's place list: CSV/Excel tables and GIS files (Shapefile, GeoPackage, GeoJSON, KML)."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path

import geodata
from geodata import datum as _datum
from geodata.polygons import county_at
from planner.errors import InputError
from planner.places.gazetteer import DEFAULT_PRECISION_KM, LEVELS, Place
from planner.places.normalise import normalize
from planner.places.resolver import resolve

TABLE_SUFFIXES = (".csv", ".xlsx", ".xls")
GIS_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".zip")
#: Header spellings people use, mapped to the gazetteer's columns.
COLUMN_ALIASES = {
    "name": ("name", "名称", "地名", "标准名称", "村名", "mc", "xzqmc", "zlmc", "cjqymc"),
    "level": ("level", "级别", "层级", "类型"),
    "county": ("county", "县区", "县", "区县", "县（区）", "xian"),
    "town": ("town", "乡镇", "镇", "乡镇街道", "乡镇（街道）", "xiang", "xzmc"),
    "village": ("village", "村", "村社区", "村（社区）", "村居"),
    "lon": ("lon", "lng", "经度", "x", "longitude"),
    "lat": ("lat", "纬度", "y", "latitude"),
    "precision_km": ("precision_km", "精度", "精度km"),
}
_LEVEL_WORDS = {"乡镇": "town", "镇": "town", "乡": "town", "街道": "town", "村": "village", "行政村": "village",
                "社区": "community", "道路": "road", "路": "road", "地点": "poi", "兴趣点": "poi"}
MAX_ROWS = 50_000


def read_places(path: Path | str, *, datum: str = "wgs84", level: str | None = None,
                source: str = "imported") -> list[Place]:
    """Read places from a file and tie each to the built-in codes.

    Parameters
    ----------
    path
        CSV (UTF-8 or GBK) or Excel with columns ``name, level, county, town, village, lon, lat``
        (``precision_km`` optional); or a Shapefile (attributes decoded by its .cpg), GeoPackage,
        GeoJSON or KML with the same attributes and point or polygon geometry.
    datum
        Datum of the coordinates (``wgs84``, ``gcj02``, ``bd09``) when the file does not say (a GIS
        file's CRS is used when it has one).
    level
        Level of every row (``town|village|community|road|poi``) when the file has no ``level`` column.
    source
        ``imported`` for an office list, ``tianditu`` for online calibration.

    Returns
    -------
    list[Place]
        One place per row, WGS-84.

    Raises
    ------
    InputError
        Naming the file, row and column of the first bad value, or an unknown format.
    """
    path = Path(path)
    d = _datum.normalize_datum(datum)
    if level is not None and level not in LEVELS:
        raise InputError(f"--level：地名级别应为 {'、'.join(LEVELS)} 之一，收到 {level!r}")
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        records, header_row = _read_table(path), 2
    elif suffix in GIS_SUFFIXES:
        records, header_row = _read_gis(path, d), 1
        d = "wgs84"  # _read_gis already converted
    else:
        kinds = "、".join(TABLE_SUFFIXES + GIS_SUFFIXES)
        raise InputError(f"文件 {path.name!r} 的类型应为 {kinds} 之一，收到 {suffix!r}")
    if not records:
        raise InputError(f"文件 {path.name!r} 没有数据行")
    if len(records) > MAX_ROWS:
        raise InputError(f"文件 {path.name!r} 有 {len(records)} 行，超过上限 {MAX_ROWS} 行")
    out = []
    for i, rec in enumerate(records):
        out.append(_place(path.name, i + header_row, rec, d, level, source))
    return out


def _columns(path: Path, header: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for h in header:
        key = normalize(str(h)).lower()
        for col, names in COLUMN_ALIASES.items():
            if col not in found and key in {normalize(n).lower() for n in names}:
                found[col] = str(h)
    if "name" not in found:
        raise InputError(f"file {path.name!r}: no column 'name' (名称); columns are {list(map(str, header))!r}")
    return found


def _read_table(path: Path) -> list[dict]:
    import pandas as pd

    try:
        if path.suffix.lower() == ".csv":
            data = path.read_bytes()
            for enc in ("utf-8-sig", "gb18030"):
                try:
                    text = data.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            else:  # pragma: no cover - gb18030 decodes almost anything
                raise InputError(f"文件 {path.name!r} 不是 UTF-8 或 GBK 编码的文本")
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        else:
            df = pd.read_excel(path, dtype=str, keep_default_na=False)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"文件 {path.name!r} 无法按表格读取（{type(exc).__name__}：{exc}）") from exc
    cols = _columns(path, list(df.columns))
    for need in ("lon", "lat"):
        if need not in cols:
            raise InputError(f"文件 {path.name!r} 没有 {need!r}（{'经度' if need == 'lon' else '纬度'}）列；"
                             f"现有列：{list(map(str, df.columns))!r}")
    return [{k: row[v] for k, v in cols.items()} for row in df.to_dict("records")]


def _read_gis(path: Path, d: str) -> list[dict]:
    import geopandas as gpd

    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:
        raise InputError(f"文件 {path.name!r} 无法按 GIS 数据读取（{type(exc).__name__}：{exc}）") from exc
    if gdf.crs is not None:
        gdf = gdf.to_crs(4326)
    cols = _columns(path, [c for c in gdf.columns if c != "geometry"])
    out = []
    for i, row in enumerate(gdf.itertuples(index=False)):
        rec = {k: getattr(row, v) for k, v in cols.items()}
        geom = row.geometry
        if geom is None or geom.is_empty:
            raise InputError(f"文件 {path.name!r} 第 {i + 1} 个要素没有几何图形")
        if gdf.crs is None and d != "wgs84":
            from shapely.ops import transform

            geom = transform(lambda x, y, z=None: _convert(x, y, d), geom)
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            p = geom.representative_point()
            rec["boundary_wkt"] = geom.wkt
        elif geom.geom_type == "Point":
            p = geom
        else:
            raise InputError(f"文件 {path.name!r} 第 {i + 1} 个要素应为点或面，收到 {geom.geom_type}")
        rec["lon"], rec["lat"] = p.x, p.y
        out.append(rec)
    return out


def _convert(x, y, d: str):
    import numpy as np

    xs, ys = np.atleast_1d(x), np.atleast_1d(y)
    pts = [_datum.to_wgs84(float(a), float(b), d) for a, b in zip(xs, ys, strict=True)]
    return np.array([p[0] for p in pts]), np.array([p[1] for p in pts])


def _text(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v).strip()


def _number(fname: str, row: int, col: str, v: object) -> float:
    try:
        x = float(_text(v))
    except ValueError:
        raise InputError(f"文件 {fname!r} 第 {row} 行 {col!r} 列：不是数字：{v!r}") from None
    if not math.isfinite(x):
        raise InputError(f"文件 {fname!r} 第 {row} 行 {col!r} 列：不是有效数字：{v!r}")
    return x


def _place(fname: str, row: int, rec: dict, d: str, level: str | None, source: str) -> Place:
    name = _text(rec.get("name"))
    if not name:
        raise InputError(f"文件 {fname!r} 第 {row} 行 'name'（名称）列：为空")
    lvl = _text(rec.get("level")).lower() or level or ""
    lvl = _LEVEL_WORDS.get(lvl, lvl)
    if lvl not in LEVELS:
        raise InputError(f"文件 {fname!r} 第 {row} 行 'level'（级别）列：应为 {'、'.join(LEVELS)} 之一"
                         f"（或用 --level 指定），收到 {lvl!r}")
    lon, lat = _number(fname, row, "lon", rec.get("lon")), _number(fname, row, "lat", rec.get("lat"))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InputError(f"文件 {fname!r} 第 {row} 行 'lon'/'lat'（经度/纬度）列：超出范围 ({lon!r}, {lat!r})")
    if d != "wgs84":
        lon, lat = _datum.to_wgs84(lon, lat, d)
    hit = county_at(lon, lat)
    if hit.code is None:
        where = f"（位于{hit.neighbour}）" if hit.neighbour else ""
        raise InputError(f"文件 {fname!r} 第 {row} 行 'lon'/'lat'（经度/纬度）列：({lon:.5f}, {lat:.5f}) 不在漳州市"
                         f"{where}；请检查坐标系（--datum wgs84|gcj02|bd09）")
    county, town, village = _text(rec.get("county")), _text(rec.get("town")), _text(rec.get("village"))
    if lvl in ("village", "community") and not village:
        village = name
    if lvl == "town" and not town:
        town = name
    res = resolve(f"{county}{town}{village if lvl in ('village', 'community') else ''}")
    county_code = res.county_code or (hit.code if not county else "")
    if county and not res.county_code:
        raise InputError(f"文件 {fname!r} 第 {row} 行 'county'（县区）列：{county!r} 不是漳州市的县区")
    if res.county_code and res.county_code != hit.code and _outside_county(res.county_code, lon, lat):
        raise InputError(f"文件 {fname!r} 第 {row} 行 'lon'/'lat'（经度/纬度）列：({lon:.5f}, {lat:.5f}) 位于"
                         f"{hit.name}，不在{res.county}；请检查坐标或坐标系")
    town_code = res.town_code if not res.ambiguous else ""
    if lvl == "town" and not town_code:
        raise InputError(f"文件 {fname!r} 第 {row} 行 'town'（乡镇）列：{town!r} 不是"
                         f"{res.county or '漳州市'}的乡镇（{res.message}）")
    village_code = res.village_code if lvl in ("village", "community") and not res.ambiguous else ""
    prec_text = _text(rec.get("precision_km"))
    if prec_text:
        prec = _number(fname, row, "precision_km", prec_text)
    elif rec.get("boundary_wkt"):
        prec = _boundary_reach(rec["boundary_wkt"], lon, lat)
    else:
        prec = DEFAULT_PRECISION_KM[lvl]
    return Place(
        level=lvl, name=name, lon=round(lon, 7), lat=round(lat, 7), source=source, county_code=county_code,
        town_code=town_code, village_code=village_code,
        county=res.county or (geodata.county_by_code(county_code).name if county_code else ""),
        town=res.town if town_code else town, village=village if lvl in ("village", "community") else "",
        precision_km=round(prec, 3), boundary_wkt=str(rec.get("boundary_wkt") or ""), origin=fname,
    )


def _outside_county(county_code: str, lon: float, lat: float) -> bool:
    """True when a point is farther from the county than the simplified polygons can explain."""
    from geodata.polygons import county_polygons, distance_km

    return distance_km(county_polygons()[county_code], lon, lat) > geodata.COAST_MARGIN_KM


def _boundary_reach(wkt_text: str, lon: float, lat: float) -> float:
    """Farthest vertex of a boundary from its point (km): every place inside is at most that far."""
    from shapely import wkt

    geom = wkt.loads(wkt_text)
    best = 0.0
    for poly in getattr(geom, "geoms", (geom,)):
        for x, y in poly.exterior.coords:
            best = max(best, geodata.haversine_km(lon, lat, x, y))
    return best


__all__ = ["COLUMN_ALIASES", "GIS_SUFFIXES", "TABLE_SUFFIXES", "read_places"]
