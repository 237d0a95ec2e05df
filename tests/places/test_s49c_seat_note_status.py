"""A letter of 角美镇 (龙海区) said in its place note 坐标为所在乡镇驻地 while every sheet called the same point
角美镇的大致位置，未核实到驻地: 角美镇's point is a hand estimate, not its seat. The resolver's notes now say what the
point is by its real status: a hand estimate as the sheets say it, a GeoNames seat still 乡镇驻地."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

import geodata
from planner.intake.register import import_register
from planner.places.estimates import seat_point
from planner.places.resolver import resolve
from planner.store.database import session_factory
from planner.store.models import CaseRow

JIAOMEI = "龙海区角美镇东美村3组"  # 角美镇: a hand-estimated point


def _seat_town_village() -> str:
    """A village of a town whose point is its GeoNames seat, written with its county and town."""
    seated = {t.code: t for t in geodata.towns() if t.source == "geonames"}
    v = next(v for v in geodata.villages() if v.town_code in seated and v.coord_source == "town_seat"
             and v.name.endswith("村") and resolve(f"{seated[v.town_code].county}{seated[v.town_code].name}{v.name}")
             .village_code == v.code)
    t = seated[v.town_code]
    return f"{t.county}{t.name}{v.name}"


def test_a_village_on_an_estimated_town_point_says_so_once() -> None:
    r = resolve(JIAOMEI)
    assert (r.town, r.village, r.coord_source) == ("角美镇", "东美村", "town_seat")
    assert geodata.town_by_code(r.town_code).source == "estimate"
    point = seat_point(r.coord_source, town=r.town, town_code=r.town_code, lon=r.lon, lat=r.lat)
    assert point == "角美镇的大致位置，未核实到驻地"  # the sheets' words for the point
    assert r.message == f"已识别到村（社区）；坐标为{point}，非村委会位置"
    assert "驻地，" not in r.message.replace("未核实到驻地", "")  # no 坐标为所在乡镇驻地 beside it
    assert resolve("龙海区角美镇").message == f"已识别到乡镇（街道），坐标为{point}"


def test_a_village_on_a_geonames_seat_keeps_the_seat_words() -> None:
    r = resolve(_seat_town_village())
    assert r.precision == "village" and geodata.town_by_code(r.town_code).source == "geonames"
    assert r.message == "已识别到村（社区）；坐标为所在乡镇驻地，非村委会位置"
    assert "未核实" not in r.message


def test_the_imported_letter_keeps_the_one_note(engine) -> None:
    register = ("编号,收件日期,信访人,问题发生地,反映内容\n"
                f"J-1,2026-09-28,匿名,{JIAOMEI},村里集体土地被低价出租\n")
    import_register(engine, register.encode("utf-8"), filename="j.csv", today=dt.date(2026, 12, 7))
    with session_factory(engine)() as s:
        note = s.scalar(select(CaseRow.geocode_message).where(CaseRow.case_no == "J-1"))
    assert "角美镇的大致位置，未核实到驻地" in note and "所在乡镇驻地" not in note, note
