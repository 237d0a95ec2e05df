"""Office gazetteer in the database (SQLite and PostgreSQL): import, export, precedence, corrections, audit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from sqlalchemy import select

import geodata
from geodata import datum
from planner.cli import main
from planner.errors import InputError, PermissionDenied
from planner.intake import register as intake
from planner.office.security import Actor
from planner.places.catalogue import export_rows
from planner.places.office_files import read_places
from planner.store.models import AuditRow, CaseRow
from planner.store.places import correct_point, load_gazetteer, relocate_open_cases, save_places

TODAY = dt.date(2026, 11, 26)
HEADER = ("编号,收件日期,办理期限,来源,问题类别,信访人,联系电话,身份证号,反映内容,被反映人,被反映单位,"
          "地址,经度,纬度,坐标系,办理状态\n")


def _register(*rows: tuple[str, str, str, str, str]) -> bytes:
    """(case_no, address, lon, lat, status) -> a register CSV as offices write it."""
    lines = [HEADER] + [
        f"{no},2026-11-02,2026-12-31,来信,惠农补贴,匿名,,,村干部克扣补贴款，请核查。,林某,村委会,"
        f"{addr},{lon},{lat},{'WGS84' if lon else ''},{st}\n"
        for no, addr, lon, lat, st in rows
    ]
    return "".join(lines).encode("utf-8")


def _town_file(tmp_path, shift: float = 0.004):
    """A BD-09 town list as an office would export it from Baidu Maps, and the WGS-84 truth."""
    truth, rows = {}, []
    for i, t in enumerate(geodata.towns()):
        lon, lat = t.lon + shift * ((i % 3) - 1), t.lat + shift * ((i % 5) - 2) / 2
        truth[t.code] = (lon, lat)
        bx, by = datum.wgs84_to_bd09(lon, lat)
        rows.append({"name": t.name, "level": "town", "county": t.county, "town": t.name, "village": "",
                     "lon": f"{bx:.7f}", "lat": f"{by:.7f}"})
    path = tmp_path / "乡镇驻地_百度.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path, truth


def test_bd09_town_gazetteer_through_the_cli(tmp_path, monkeypatch, capsys):
    """Imported BD-09 towns: every exported town within 50 m of the truth; CLI geocode and a register import
    carry those points."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'office.db'}")
    path, truth = _town_file(tmp_path)
    assert main(["gazetteer", "import", str(path), "--datum", "bd09"]) == 0
    out = tmp_path / "places.csv"
    assert main(["gazetteer", "export", "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == ["level", "code", "name", "county", "town", "village", "lon", "lat", "precision_km",
                             "source"]
    towns = {r["code"]: r for r in rows if r["level"] == "town" and r["code"] in truth}
    assert len(towns) == 123
    worst = max(geodata.haversine_km(float(r["lon"]), float(r["lat"]), *truth[c]) for c, r in towns.items())
    assert worst < 0.05
    assert {r["source"] for r in towns.values()} == {"imported"}
    assert len(rows) >= 123 + 2135  # towns, units and every village
    capsys.readouterr()
    assert main(["geocode", "华安县仙都镇"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["coord_source"] == "town_seat" and "（本单位地名库）" in got["message"]  # the town's point (walk W35)
    assert geodata.haversine_km(got["lon"], got["lat"], *truth["350629105"]) < 0.05

    from planner.store.database import get_engine

    engine = get_engine()
    intake.import_register(engine, _register(("C1", "华安县仙都镇先锋村", "", "", "待办")), filename="r.csv",
                           today=TODAY)
    with engine.connect() as conn:
        lon, lat, src = conn.execute(select(CaseRow.lon, CaseRow.lat, CaseRow.point_source)).one()
    assert (lon, lat) == pytest.approx(truth["350629105"], abs=1e-6) and src == "town_seat"


def test_import_errors_name_file_row_and_column(tmp_path):
    bad = tmp_path / "村.csv"
    bad.write_text("name,level,county,town,village,lon,lat\n土田村,village,平和县,山格镇,,117.4,abc\n",
                   encoding="utf-8")
    with pytest.raises(InputError, match=r"'村.csv' 第 2 行 'lat'"):
        read_places(bad)
    far = tmp_path / "far.csv"
    far.write_text("name,level,county,town,village,lon,lat\n土田村,village,平和县,山格镇,,118.08,24.45\n",
                   encoding="utf-8")
    with pytest.raises(InputError, match="不在漳州市"):
        read_places(far)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,level,county,town,village,lon,lat\n山格镇,town,平和县,山格镇,,117.65,24.51\n",
                     encoding="utf-8")
    with pytest.raises(InputError, match="位于芗城区，不在平和县"):
        read_places(wrong)
    nolevel = tmp_path / "nolevel.csv"
    nolevel.write_text("name,county,lon,lat\n将军大道,芗城区,117.655,24.495\n", encoding="utf-8")
    with pytest.raises(InputError, match="'level'（级别）列"):
        read_places(nolevel)
    (road,) = read_places(nolevel, level="road")
    assert (road.level, road.county_code, road.code) == ("road", "350602", "")


def test_store_load_and_audit(session):
    places = read_places_from_rows([("土田村", "village", "平和县", "山格镇", "", 117.41, 24.38)])
    assert save_places(session, places, actor="coord1", origin="村点.csv") == 1
    session.commit()
    gaz = load_gazetteer(session)
    assert gaz.by_code["350628101210"].source == "imported"
    audit = session.scalars(select(AuditRow).where(AuditRow.action == "gazetteer_import")).one()
    assert audit.username == "coord1" and audit.detail["file"] == "村点.csv" and audit.detail["places"] == 1
    rows = {r.code: r for r in export_rows(gaz)}
    assert rows["350628101210"].source == "imported" and rows["350628101201"].source == "builtin"


def read_places_from_rows(rows):
    from planner.places.office_files import _place

    return [_place("t.csv", i + 2, dict(zip(("name", "level", "county", "town", "village", "lon", "lat"), r,
                                            strict=True)), "wgs84", None, "imported")
            for i, r in enumerate(rows)]


def test_correcting_a_village_moves_its_open_cases_and_later_letters(session):
    data = _register(
        ("A1", "平和县山格镇土田村", "", "", "待办"),
        ("A2", "平和县山格镇土田村3组", "", "", "已办结"),
        ("A3", "平和县山格镇土田村", "117.4300", "24.3900", "待办"),
        ("A4", "平和县山格镇白楼村", "", "", "待办"),
    )
    intake.import_register(session, data, filename="r.csv", today=TODAY)
    session.commit()
    leader = Actor("lead1", "leader")
    with pytest.raises(PermissionDenied):
        correct_point(session, Actor("off1", "officer"), lon=117.41, lat=24.38, village_code="350628101210")
    res = correct_point(session, leader, lon=117.41, lat=24.38, village_code="350628101210", note="现场核实")
    session.commit()
    assert res["cases_moved"] == 1
    by = {r.case_no: r for r in session.scalars(select(CaseRow))}
    assert (by["A1"].lon, by["A1"].lat, by["A1"].point_source) == (117.41, 24.38, "corrected")
    assert by["A2"].point_source == "town_seat"  # closed: left as it was
    assert by["A3"].point_source == "register" and by["A3"].lon == pytest.approx(117.43)
    assert by["A4"].point_source == "town_seat"  # another village
    intake.import_register(session, _register(("A5", "山格镇土田村", "", "", "待办")), filename="r2.csv", today=TODAY)
    session.commit()
    new = session.scalars(select(CaseRow).where(CaseRow.case_no == "A5")).one()
    assert (new.lon, new.lat, new.point_source) == (117.41, 24.38, "corrected")
    audit = session.scalars(select(AuditRow).where(AuditRow.action == "place_correct")).one()
    assert audit.username == "lead1" and audit.detail["village_code"] == "350628101210"


def test_correcting_one_case_and_register_medians(session):
    data = _register(
        ("B1", "平和县山格镇土田村", "117.40", "24.38", "待办"),
        ("B2", "平和县山格镇土田村", "117.42", "24.38", "待办"),
        ("B3", "平和县山格镇土田村", "", "", "待办"),
    )
    intake.import_register(session, data, filename="r.csv", today=TODAY)
    session.commit()
    # Register points taught the village: its median is now the village's point.
    gaz = load_gazetteer(session)
    assert gaz.by_code["350628101210"].source == "register"
    assert relocate_open_cases(session, gaz, who="t") == 1
    b3 = session.scalars(select(CaseRow).where(CaseRow.case_no == "B3")).one()
    assert (b3.lon, b3.lat, b3.point_source) == (pytest.approx(117.41), pytest.approx(24.38), "register_median")
    # B3's borrowed point does not count as a register point of its own (the median would feed on itself).
    assert load_gazetteer(session).by_code["350628101210"].origin == "2 个登记点"
    correct_point(session, Actor("c1", "coordinator"), lon=117.5, lat=24.4, datum="gcj02", case_no="B3")
    session.commit()
    b3 = session.scalars(select(CaseRow).where(CaseRow.case_no == "B3")).one()
    assert b3.point_source == "case_corrected"
    assert (b3.lon, b3.lat) == pytest.approx(datum.gcj02_to_wgs84(117.5, 24.4))
    with pytest.raises(InputError, match="不在漳州市范围内"):
        correct_point(session, Actor("c1", "coordinator"), lon=118.09, lat=24.45, case_no="B3")


def test_a_village_correction_moves_letters_placed_on_the_register_median(session):
    # Two letters give their own coordinates; a third from the same village borrows their median. When a person
    # corrects the village, the borrowed point follows; the letters' own register points stay.
    intake.import_register(session, _register(
        ("M1", "平和县山格镇土田村", "117.40", "24.38", "待办"),
        ("M2", "平和县山格镇土田村", "117.42", "24.38", "待办"),
    ), filename="m1.csv", today=TODAY)
    session.commit()
    intake.import_register(session, _register(("M3", "平和县山格镇土田村2组", "", "", "待办")),
                           filename="m2.csv", today=TODAY)
    session.commit()
    m3 = session.scalars(select(CaseRow).where(CaseRow.case_no == "M3")).one()
    assert m3.point_source == "register_median" and m3.lon == pytest.approx(117.41)
    res = correct_point(session, Actor("lead1", "leader"), lon=117.45, lat=24.37, village_code="350628101210")
    session.commit()
    by = {r.case_no: r for r in session.scalars(select(CaseRow))}
    assert res["cases_moved"] == 1
    assert (by["M3"].lon, by["M3"].lat, by["M3"].point_source) == (117.45, 24.37, "corrected")
    assert (by["M1"].lon, by["M1"].point_source) == (pytest.approx(117.40), "register")
