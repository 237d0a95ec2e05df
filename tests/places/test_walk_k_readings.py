"""Walk K: how a written town or village that is not exactly a place's name is read, and said."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.intake import register as intake
from planner.places.gazetteer import Gazetteer, Place
from planner.places.resolver import resolve
from planner.store.places import save_places


def test_an_unknown_town_is_named_and_to_be_checked():
    r = resolve("漳浦县旧县镇")
    assert (r.county, r.town, r.precision) == ("漳浦县", "", "county")
    assert "漳浦县没有“旧县镇”" in r.message and "按县区定位" in r.message and "请核对" in r.message
    # A county written alone still reads as before.
    assert "请核对" not in resolve("漳浦县").message


@pytest.mark.parametrize("address, town, county", [
    ("诏安县城南", "南诏镇", "诏安县"), ("诏安县城北", "南诏镇", "诏安县"), ("平和县城南", "小溪镇", "平和县"),
    ("漳浦县城南", "绥安镇", "漳浦县"),
])
def test_the_county_town_is_said_to_be_read_as_the_seat(address, town, county):
    r = resolve(address)
    assert r.town == town and not r.ambiguous
    assert f"按“县城”读作{town}（{county}政府驻地）" in r.message


def test_same_named_villages_of_the_town_written_stay_at_the_town_and_name_both():
    r = resolve("龙海区角美镇东美")
    assert (r.town, r.village, r.ambiguous, r.precision) == ("角美镇", "", True, "town")
    assert "请补充乡镇" not in r.message
    assert "东美社区" in r.message and "东美村" in r.message and "请核对" in r.message
    # Either village may lie anywhere in the town: the bound is the town's territory, as for a village.
    assert r.precision_km == pytest.approx(resolve("龙海区角美镇东美村").precision_km)


def test_a_town_written_with_another_suffix_says_how_it_was_read():
    r = resolve("龙文区朝阳镇")
    assert r.town == "朝阳街道" and "“朝阳镇”读作朝阳街道" in r.message
    assert "读作" not in resolve("龙文区朝阳街道").message


ROAD = Place(level="road", name="胜利西路", lon=117.645, lat=24.513, source="imported", county_code="350602",
             county="芗城区", precision_km=3.0)


def test_a_road_of_the_office_list_reaches_its_county_not_a_village():
    r = resolve("漳州市胜利西路123号", Gazetteer.of([ROAD]))
    assert (r.county, r.town, r.village, r.precision) == ("芗城区", "", "", "county")
    assert r.coord_source == "imported" and "道路“胜利西路”" in r.message
    # Listed without its county: the county its point lies in, said and to be checked.
    bare = Place(level="road", name="将军大道", lon=117.655, lat=24.495, source="imported")
    r = resolve("将军大道605号", Gazetteer.of([bare]))
    assert (r.county, r.precision) == ("芗城区", "county") and "县区按该点所在的芗城区计，请核对" in r.message


def test_the_import_summary_counts_a_road_at_its_level(session):
    save_places(session, [ROAD], actor="coord1", origin="地名.csv")
    session.commit()
    data = ("编号,收件日期,办理期限,来源,问题类别,信访人,反映内容,被反映人,地址,办理状态\n"
            "R1,2026-11-02,2026-12-31,来信,惠农补贴,匿名,门店占道经营。,林某,漳州市胜利西路123号,待办\n")
    summary = intake.import_register(session, data.encode("utf-8"), filename="r.csv", today=dt.date(2026, 11, 26))
    assert dict(summary.geocoded) == {"county": 1}


def test_a_road_point_is_not_replaced_by_a_town_of_the_letter_body(session):
    # An address that reaches only the county takes its town from the letter body; a road point is better than that.
    save_places(session, [ROAD], actor="coord1", origin="地名.csv")
    session.commit()
    data = ("编号,收件日期,办理期限,来源,问题类别,信访人,反映内容,被反映人,地址,办理状态\n"
            "R2,2026-11-02,2026-12-31,来信,惠农补贴,匿名,芗城区浦南镇的门店占道经营。,林某,漳州市胜利西路123号,待办\n")
    intake.import_register(session, data.encode("utf-8"), filename="r.csv", today=dt.date(2026, 11, 26))
    session.commit()
    from sqlalchemy import select

    from planner.store.models import CaseRow

    row = session.scalars(select(CaseRow)).one()
    assert (row.point_source, row.lon, row.town) == ("imported", 117.645, "")
