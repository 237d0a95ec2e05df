"""Plan stops as GeoPackage and zipped Shapefile: read back by geopandas with EPSG:4326 and the plan's values."""

from __future__ import annotations

import io
import zipfile

import geopandas as gpd
import pytest

from planner.errors import InputError
from planner.field import FORMATS, render
from tests.export.conftest import expected_route


def _read(data: bytes, fmt: str, tmp_path) -> gpd.GeoDataFrame:
    if fmt == "gpkg":
        path = tmp_path / "stops.gpkg"
        path.write_bytes(data)
        return gpd.read_file(path)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = sorted(zf.namelist())
        assert names == ["stops.cpg", "stops.dbf", "stops.prj", "stops.shp", "stops.shx"]
        assert zf.read("stops.cpg").decode().strip().upper() in ("GBK", "CP936")
        zf.extractall(tmp_path)
    return gpd.read_file(tmp_path / "stops.shp")


@pytest.mark.parametrize("fmt", ["gpkg", "shp"])
def test_plan_stops_round_trip_with_crs(fmt, day, raw_plan, tmp_path):
    gdf = _read(render(fmt, day), fmt, tmp_path)
    assert gdf.crs.to_epsg() == 4326
    stops = expected_route(raw_plan, "T1", "2026-12-07")["stops"]
    assert list(gdf["seq"]) == list(range(1, len(stops) + 1))
    visits = {v["id"]: v for v in raw_plan["visits"]}
    for (_, row), stop in zip(gdf.iterrows(), stops, strict=True):
        v = visits[stop["visit"]]
        assert row["visit"] == stop["visit"]
        assert (row.geometry.x, row.geometry.y) == pytest.approx((v["lon"], v["lat"]), abs=1e-7)
    assert all("平和" in p for p in gdf["place"])  # Chinese survives GBK


def test_gis_cells_are_neutralised_like_other_exports(hostile_day, tmp_path):
    gdf = _read(render("gpkg", hostile_day), "gpkg", tmp_path)
    for col in ("summary", "place", "team_name"):
        assert not any(str(v).startswith(("=", "+", "-", "@")) for v in gdf[col])


def test_gis_formats_are_listed_and_refuse_nothing():
    assert FORMATS["gpkg"][0] == "gpkg" and FORMATS["shp"][0] == "shp.zip"
    from planner.field.gis import write_gis

    with pytest.raises(InputError, match="没有一条记录有坐标"):
        write_gis([], "gpkg", layer="x")
    with pytest.raises(InputError, match="导出格式"):
        write_gis([{"lon": 117.0, "lat": 24.0}], "dxf", layer="x")


def test_characters_gbk_cannot_hold_become_question_marks(tmp_path):
    from planner.field.gis import write_gis

    data = write_gis([{"lon": 117.3, "lat": 24.3, "summary": "反映问题😀"}], "shp", layer="stops")
    gdf = _read(data, "shp", tmp_path)
    assert gdf.loc[0, "summary"] == "反映问题?"
