"""A register coordinate that disagrees with the written address (walk W35: W35-205 漳浦县佛昙镇石门村 with 117.2, 24.3,
a point in 平和县 71.8 km from 佛昙镇) is not trusted silently: the letter is 待核对 and placed by its address, the
note names the written place, where the point lies and how far; the point never becomes the village's learned point
for the next letter (W35-231, same village, was placed in 平和县 “to 0.3 km”). A point that agrees is used as before;
a village learned from one letter's point does not claim 0.3 km."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

import geodata
from planner.intake import register as intake
from planner.places.check_notes import check_reason, needs_check
from planner.places.gazetteer import register_places
from planner.places.points import validate_point
from planner.store.models import CaseRow
from planner.store.places import load_gazetteer, relocate_open_cases

TODAY = dt.date(2026, 11, 26)
HEADER = "编号,收件日期,办理期限,来源,问题类别,信访人,反映内容,地址,经度,纬度,坐标系,办理状态\n"
FOTAN = "350623102"  # 漳浦县佛昙镇 (its seat is a rough estimate: the county check decides)
SHIMEN = "350623102204"  # 佛昙镇石门村
XIAOXI = "350628100"  # 平和县小溪镇 (a seat known to 3 km)
XINQIAO = "350628100208"  # 小溪镇新桥村


def _register(*rows: tuple[str, str, str, str]) -> bytes:
    """(case_no, address, lon, lat) -> a register CSV."""
    lines = [HEADER] + [
        f"{no},2026-11-02,2026-12-31,来信,村务公开,匿名,反映村干部问题，请核查。,{addr},{lon},{lat},"
        f"{'WGS84' if lon else ''},待办\n"
        for no, addr, lon, lat in rows
    ]
    return "".join(lines).encode("utf-8")


def _cases(session) -> dict[str, CaseRow]:
    return {r.case_no: r for r in session.scalars(select(CaseRow))}


def test_a_point_in_another_county_disagrees_with_the_written_town_and_says_where_and_how_far():
    chk = validate_point(117.2, 24.3, near_town_code=FOTAN)
    assert chk.ok and chk.county == "平和县"
    assert chk.disagrees.startswith("落在平和县，而所写的佛昙镇属漳浦县（该点离漳浦县约 ") and "km" in chk.disagrees
    assert any("与所写地址不符" in w for w in chk.warnings)


def test_a_point_far_from_a_well_known_seat_of_its_own_county_disagrees():
    seat = geodata.town_by_code(XIAOXI)
    far = validate_point(117.05, 24.12, near_town_code=XIAOXI)  # 平和县, some 35 km from 小溪镇's seat
    assert far.county_code == seat.county_code and far.distance_to_town_km > 12 + seat.precision_km
    assert "距所写的平和县小溪镇驻地约" in far.disagrees
    near = validate_point(seat.lon + 0.03, seat.lat, near_town_code=XIAOXI)
    assert near.ok and near.disagrees == "" and near.warnings == ()


def test_the_off_address_point_is_not_used_the_letter_is_to_check_and_the_next_letter_is_not_placed_there(session):
    intake.import_register(
        session, _register(("W35-205", "漳浦县佛昙镇石门村", "117.2", "24.3")), filename="c.csv", today=TODAY
    )
    session.commit()
    intake.import_register(session, _register(("W35-231", "漳浦县佛昙镇石门村", "", "")), filename="d.csv", today=TODAY)
    session.commit()
    by = _cases(session)
    bad, nxt = by["W35-205"], by["W35-231"]
    note = bad.geocode_message
    assert needs_check(note), note
    assert "登记表坐标（117.2, 24.3）落在平和县，而所写的佛昙镇属漳浦县（该点离漳浦县约 " in note and "km）" in note
    assert "未采用" in note
    assert "平和县" in check_reason(note)
    # Placed by its address (the village of 佛昙镇), not in 平和县.
    assert bad.point_source != "register" and bad.village_code == SHIMEN
    assert geodata.county_at(bad.lon, bad.lat).code == "350623"
    # The next letter of the village is not placed on the bad point, nor claimed to 0.3 km.
    assert nxt.point_source != "register_median"
    assert geodata.county_at(nxt.lon, nxt.lat).code == "350623"
    assert SHIMEN not in load_gazetteer(session).by_code
    # Re-locating the open letters (a gazetteer import, a correction) keeps the reason: the register's point is gone.
    relocate_open_cases(session, load_gazetteer(session), who="t")
    session.commit()
    assert "登记表坐标（117.2, 24.3）落在平和县" in _cases(session)["W35-205"].geocode_message


def test_the_import_preview_lists_the_off_address_point_to_check(engine):
    from planner.intake.address_checks import address_preview
    from planner.store.database import session_factory

    preview = intake.read_register(
        _register(
            ("W35-205", "漳浦县佛昙镇石门村", "117.2", "24.3"), ("W35-201", "平和县小溪镇新桥村", "117.30", "24.36")
        ),
        filename="c.csv",
        today=TODAY,
    )
    s = session_factory(engine)()
    try:
        shown = address_preview(s, preview)
    finally:
        s.close()
    rows = {r["编号"]: r for r in shown.rows()}
    assert set(rows) == {"W35-205"} and shown.to_check == 1
    assert "待核对" in rows["W35-205"]["导入后"] and "落在平和县" in rows["W35-205"]["说明"]


def test_a_point_that_agrees_is_used_and_one_letter_teaches_the_village_to_a_km_not_0_3(session):
    intake.import_register(
        session, _register(("P1", "平和县小溪镇新桥村", "117.30", "24.36")), filename="p.csv", today=TODAY
    )
    session.commit()
    p1 = _cases(session)["P1"]
    assert p1.point_source == "register" and (p1.lon, p1.lat) == (117.30, 24.36)
    assert not needs_check(p1.geocode_message)
    place = load_gazetteer(session).by_code[XINQIAO]
    assert place.source == "register" and place.precision_km == 1.0  # one letter's point: not 0.3 km
    intake.import_register(session, _register(("P2", "平和县小溪镇新桥村", "", "")), filename="q.csv", today=TODAY)
    session.commit()
    p2 = _cases(session)["P2"]
    assert (p2.lon, p2.lat, p2.point_source, p2.precision_km) == (117.30, 24.36, "register_median", 1.0)
    assert "1 件信访件的登记表坐标" in p2.geocode_message


def test_points_kept_from_before_are_checked_again_before_they_teach_a_village():
    rows = [("350623", FOTAN, SHIMEN, "石门村", "佛昙镇", 117.2, 24.3)]  # stored before the check refused it
    assert register_places(rows) == []
    two = [("350628", XIAOXI, XINQIAO, "新桥村", "小溪镇", lon, 24.36) for lon in (117.300, 117.302)]
    (place,) = register_places(two)
    assert place.precision_km == pytest.approx(0.3)  # two letters agreeing within a few hundred metres
