"""A letter whose address placed it nowhere, placed by hand on 案件地图 (“只改本件”), gets the county its point lies
in: it used to keep an empty county, so it still read “地点：未定位”, fell out of every county figure and out of
选件's county filter although it sat on the map (found on the walk)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.intake import register as intake
from planner.office.security import Actor
from planner.store.models import CaseRow
from planner.store.places import correct_point

COORD = Actor("coord1", "coordinator")
DATA = ("编号,收件日期,反映内容,地址\n"
        "U1,2026-11-02,反映村里补贴不公开。,\n"
        "U2,2026-11-02,反映村里补贴不公开。,平和县山格镇土田村\n").encode()


def _row(session, no: str) -> CaseRow:
    return session.scalars(select(CaseRow).where(CaseRow.case_no == no)).one()


def test_an_unplaced_letter_corrected_by_hand_gets_the_county_of_its_point(session) -> None:
    intake.import_register(session, DATA, filename="r.csv", today=dt.date(2026, 11, 26))
    assert _row(session, "U1").county_code == ""
    correct_point(session, COORD, lon=117.05, lat=24.58, case_no="U1")  # 南靖县书洋镇
    row = _row(session, "U1")
    assert (row.county_code, row.county, row.lon, row.point_source) == ("350627", "南靖县", 117.05, "case_corrected")
    assert row.town_code == "" and row.village_code == ""  # only what the point tells for sure


def test_a_placed_letter_keeps_its_county_when_its_point_is_moved(session) -> None:
    intake.import_register(session, DATA, filename="r.csv", today=dt.date(2026, 11, 26))
    correct_point(session, COORD, lon=117.05, lat=24.58, case_no="U2")
    row = _row(session, "U2")
    assert (row.county_code, row.town) == ("350628", "山格镇")
