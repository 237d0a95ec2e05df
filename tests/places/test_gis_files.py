"""GIS round trip: village boundaries (GBK Shapefile, GeoPackage) assign cases; cases export with EPSG:4326."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import Point, box
from sqlalchemy import select

from planner.cli import main
from planner.intake import register as intake
from planner.places.office_files import read_places
from planner.store.database import get_engine
from planner.store.models import CaseRow

TODAY = dt.date(2026, 11, 26)
HEADER = ("编号,收件日期,办理期限,来源,问题类别,信访人,联系电话,身份证号,反映内容,被反映人,被反映单位,"
          "地址,经度,纬度,坐标系,办理状态\n")
# Two village boundaries of 平和县山格镇 as an office's 三调 layer would hold them (squares for the test).
VILLAGES = [("土田村", box(117.40, 24.36, 117.43, 24.39)), ("白楼村", box(117.43, 24.36, 117.46, 24.39))]


def _layer() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"村名": [n for n, _ in VILLAGES], "县区": ["平和县"] * 2, "乡镇": ["山格镇"] * 2, "level": ["village"] * 2},
        geometry=[g for _, g in VILLAGES], crs="EPSG:4326",
    )


@pytest.fixture()
def office_db(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'office.db'}")
    return tmp_path


def test_shapefile_with_gbk_attributes_is_read_through_its_cpg(tmp_path):
    path = tmp_path / "村界.shp"
    _layer().rename(columns={"村名": "name"}).to_file(path, encoding="GBK", engine="pyogrio")
    assert (tmp_path / "村界.cpg").read_text().strip().upper() in ("GBK", "CP936")
    assert "土田村".encode("gbk") in (tmp_path / "村界.dbf").read_bytes()  # really GBK on disk
    places = read_places(path)
    assert [p.name for p in places] == ["土田村", "白楼村"]
    tutian = places[0]
    assert (tutian.village_code, tutian.level, tutian.source) == ("350628101210", "village", "imported")
    assert box(117.40, 24.36, 117.43, 24.39).contains(Point(tutian.lon, tutian.lat))
    # The precision of a boundary's point reaches its farthest corner (the square's half-diagonal).
    assert 2.0 < tutian.precision_km < 3.0


@pytest.mark.parametrize("kind", ["shp", "gpkg"])
def test_boundaries_assign_cases_and_cases_export_with_crs(kind, office_db):
    tmp = office_db
    layer = _layer().rename(columns={"村名": "name"})
    if kind == "shp":
        src = tmp / "villages.shp"
        layer.to_file(src, encoding="GBK", engine="pyogrio")
    else:
        src = tmp / "villages.gpkg"
        layer.to_crs(4490).to_file(src, layer="村界", engine="pyogrio")  # CGCS2000: converted on import
    assert main(["gazetteer", "import", str(src)]) == 0
    # Register points inside the boundaries; the addresses name only the town (or the wrong village).
    rows = [
        ("G1", "平和县山格镇", "117.41", "24.37"),
        ("G2", "平和县山格镇土田村", "117.45", "24.37"),  # the point lies in 白楼村's boundary
        ("G3", "平和县山格镇白楼村", "", ""),  # no point: the village's boundary point
    ]
    data = HEADER + "".join(
        f"{no},2026-11-02,2026-12-31,来信,惠农补贴,匿名,,,反映补贴问题。,林某,村委会,"
        f"{a},{x},{y},{'WGS84' if x else ''},待办\n"
        for no, a, x, y in rows
    )
    intake.import_register(get_engine(), data.encode("utf-8"), filename="r.csv", today=TODAY)
    with get_engine().connect() as conn:
        got = {r.case_no: r for r in conn.execute(select(CaseRow.case_no, CaseRow.village, CaseRow.village_code,
                                                         CaseRow.lon, CaseRow.lat, CaseRow.point_source))}
    assert (got["G1"].village, got["G1"].point_source) == ("土田村", "register")
    assert got["G2"].village == "白楼村"
    assert got["G3"].point_source == "imported"
    assert box(117.43, 24.36, 117.46, 24.39).contains(Point(got["G3"].lon, got["G3"].lat))

    for fmt in ("gpkg", "shp"):
        out = tmp / f"cases_{fmt}.{'gpkg' if fmt == 'gpkg' else 'zip'}"
        assert main(["export-cases", "--format", fmt, "--out", str(out)]) == 0
        if fmt == "gpkg":
            back = gpd.read_file(out)
        else:
            with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as zf:
                zf.extractall(tmp / "shp")
            back = gpd.read_file(tmp / "shp" / "cases.shp")
        assert back.crs.to_epsg() == 4326
        assert sorted(back["case_no"]) == ["G1", "G2", "G3"]
        by = back.set_index("case_no")
        assert by.loc["G1", "village"] == "土田村"
        assert (by.loc["G1"].geometry.x, by.loc["G1"].geometry.y) == pytest.approx((117.41, 24.37))
        assert not {"name", "phone", "id_number", "petitioner"} & set(back.columns)


@pytest.mark.parametrize(("suffix", "driver"), [("kml", "KML"), ("geojson", "GeoJSON")])
def test_kml_and_geojson_points(suffix, driver, tmp_path):
    g = gpd.GeoDataFrame({"name": ["将军大道"], "county": ["芗城区"], "level": ["road"]},
                         geometry=[Point(117.655, 24.495)], crs="EPSG:4326")
    path = tmp_path / f"roads.{suffix}"
    g.to_file(path, driver=driver, engine="pyogrio")
    (road,) = read_places(path)
    assert (road.name, road.level, road.county_code, road.code) == ("将军大道", "road", "350602", "")
    assert (road.lon, road.lat) == pytest.approx((117.655, 24.495))
