"""Walk W35: a town's bare name glued to a landmark (漳浦县佛昙中学旁) is read as that town, said so, with the town's
bound; a letter naming only a town states a bound that covers the town, whether its point is the built-in seat (华安县
湖林乡: not the GeoNames seat's 3 km) or a calibrated one (龙文区郭坑镇 after 地名校准: not the calibration's 0.5 km,
and no note that calls the point both 大致位置，未核实到驻地 and 人工校准)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

import geodata
from planner.intake import register as intake
from planner.office.security import Actor
from planner.places.check_notes import needs_check
from planner.places.gazetteer import Gazetteer, Place
from planner.places.resolver import resolve
from planner.store.models import CaseRow
from planner.store.places import correct_point

GUOKENG = "350603103"  # 龙文区郭坑镇 (its built-in point is a hand estimate)
HULIN = "350629203"  # 华安县湖林乡 (a GeoNames seat, 3 km)

LANDMARKS = [
    ("漳浦县佛昙中学旁", "佛昙镇", "佛昙中学"),
    ("平和县九峰中学旁", "九峰镇", "九峰中学"),
    ("诏安县官陂中学", "官陂镇", "官陂中学"),
    ("南靖县书洋中学旁", "书洋镇", "书洋中学"),
    ("龙海区港尾中学", "港尾镇", "港尾中学"),
    ("云霄县火田中学旁", "火田镇", "火田中学"),
    ("平和县坂仔中学", "坂仔镇", "坂仔中学"),
    ("长泰区岩溪中学", "岩溪镇", "岩溪中学"),
    ("漳浦县旧镇中学旁", "旧镇镇", "旧镇中学"),  # 旧镇 is also the phrase "old town"
    ("漳浦旧镇中学旁", "旧镇镇", "旧镇中学"),
    ("长泰区岩溪中心小学对面", "岩溪镇", "岩溪中心小学"),
    ("芗城区浦南市场", "浦南镇", "浦南市场"),
    ("华安县湖林卫生院", "湖林乡", "湖林卫生院"),
    ("平和县九峰派出所", "九峰镇", "九峰派出所"),
]


@pytest.mark.parametrize(("address", "town", "landmark"), LANDMARKS)
def test_a_town_stem_glued_to_a_landmark_is_read_as_that_town_and_said_so(address, town, landmark):
    r = resolve(address)
    assert (r.precision, r.town, r.village, r.ambiguous) == ("town", town, "", False), r.message
    t = geodata.town_by_code(r.town_code)
    assert (r.lon, r.lat, r.precision_km) == (t.lon, t.lat, t.territory_km)  # the town's point and bound
    assert r.message.startswith(f"按“{landmark}”中的“{t.core}”读作{town}（地址未写乡镇，乡镇取自该地名）")
    assert "没有“" not in r.message and not needs_check(r.message)


@pytest.mark.parametrize(
    ("address", "level"),
    [
        ("佛昙中学", "none"),  # no county written: a school's name alone places nothing
        ("云霄县和平路", "county"),  # 和平路 is a street of the county town, not in 和平乡
        ("诏安县建设路5号", "county"),
        ("龙文区朝阳路", "county"),
        ("芗城区九峰中学", "county"),  # 九峰镇 is of 平和县, not of the county written
    ],
)
def test_no_town_from_ordinary_words_or_from_another_county(address, level):
    r = resolve(address)
    assert r.precision == level and not r.town, r.message
    assert "读作" not in r.message


def test_written_towns_and_villages_read_as_before():
    assert resolve("漳浦县旧镇").message == "已识别到乡镇（街道），坐标为旧镇镇的大致位置，未核实到驻地"
    r = resolve("漳浦县佛昙镇中学旁")
    assert r.town == "佛昙镇" and "读作" not in r.message
    v = resolve("漳浦县佛昙镇石门村小学")
    assert (v.town, v.village) == ("佛昙镇", "石门村") and "读作" not in v.message


def test_a_town_only_letter_is_bounded_by_the_town_not_by_the_seat():
    r = resolve("华安县湖林乡")
    t = geodata.town_by_code(HULIN)
    assert t.precision_km == 3.0  # the seat's own error
    assert r.precision_km == t.territory_km == geodata.territory_km(t.county_code, t.lon, t.lat) > 50
    # The same bound as a village of the town on the same point: both may be anywhere in the town.
    village = resolve("华安县湖林乡大坪村")
    assert (village.lon, village.lat, village.precision_km) == (r.lon, r.lat, r.precision_km)


def _calibrated(**kw) -> Gazetteer:
    return Gazetteer.of(
        [
            Place(
                level="town",
                name="郭坑镇",
                lon=117.78,
                lat=24.58,
                source="corrected",
                county_code="350603",
                town_code=GUOKENG,
                county="龙文区",
                town="郭坑镇",
                precision_km=0.5,
                **kw,
            )
        ]
    )


def test_a_calibrated_town_point_bounds_the_town_and_the_note_does_not_contradict_itself():
    r = resolve("龙文区郭坑镇", _calibrated())
    assert (r.lon, r.lat, r.coord_source) == (117.78, 24.58, "town_seat") and r.estimated
    assert r.precision_km == geodata.territory_km("350603", 117.78, 24.58) > 0.5
    assert r.message == "已识别到乡镇（街道），坐标为郭坑镇驻地（人工校准）"
    # A village the table lacks and a town read from a landmark say the same of the point, once.
    for address in ("龙文区郭坑镇后江村", "龙文区郭坑中学"):
        m = resolve(address, _calibrated()).message
        assert "大致位置" not in m and "未核实到驻地" not in m and m.count("坐标为") == 1, m
        assert "坐标为郭坑镇驻地（人工校准）" in m


def test_a_town_boundary_of_the_office_bounds_a_town_only_letter_exactly():
    square = "POLYGON((117.74 24.55, 117.82 24.55, 117.82 24.61, 117.74 24.61, 117.74 24.55))"
    r = resolve("龙文区郭坑镇", _calibrated(boundary_wkt=square))
    far = max(geodata.haversine_km(117.78, 24.58, x, y) for x, y in ((117.74, 24.55), (117.82, 24.61)))
    assert far <= r.precision_km <= far + 0.2
    assert "郭坑镇的范围按本单位地名库的乡镇边界计" in r.message


def _register(*rows: tuple[str, str]) -> bytes:
    lines = ["编号,收件日期,办理期限,反映内容,地址,办理状态\n"] + [
        f"{no},2026-11-02,2026-12-31,反映村干部问题，请核查。,{addr},待办\n" for no, addr in rows
    ]
    return "".join(lines).encode("utf-8")


def test_stored_letters_after_a_town_calibration_state_the_towns_bound(session):
    intake.import_register(
        session,
        _register(("H1", "华安县湖林乡"), ("G1", "龙文区郭坑镇")),
        filename="a.csv",
        today=dt.date(2026, 11, 26),
    )
    session.commit()
    correct_point(session, Actor("coord", "coordinator"), lon=117.78, lat=24.58, town_code=GUOKENG)
    session.commit()
    intake.import_register(
        session,
        _register(("G2", "龙文区郭坑镇"), ("J1", "漳浦县佛昙中学旁")),
        filename="b.csv",
        today=dt.date(2026, 11, 27),
    )
    session.commit()
    rows = {r.case_no: r for r in session.scalars(select(CaseRow))}
    assert rows["H1"].precision_km == geodata.town_by_code(HULIN).territory_km
    whole = geodata.territory_km("350603", 117.78, 24.58)
    for no in ("G1", "G2"):  # the open letter moved by the calibration, and the new one
        g = rows[no]
        assert (g.lon, g.lat, g.point_source, g.precision_km) == (117.78, 24.58, "town_seat", whole), no
        assert g.geocode_message == "已识别到乡镇（街道），坐标为郭坑镇驻地（人工校准）"
    j = rows["J1"]
    assert (j.town, j.precision) == ("佛昙镇", "town") and "佛昙中学" in j.geocode_message
