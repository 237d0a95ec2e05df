"""Walk 1 (fixer F3): a bare name several places carry is kept to be checked with every candidate named and a bound
that holds for all; a zone written after its county reads as well as alone; 漳州市区 names both districts; landmark
and old names read as their town; a letter placed from its text names the other towns the text names."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

import geodata
from planner.intake import register as intake
from planner.intake.address_checks import needs_check
from planner.places.resolver import other_towns, resolve
from planner.store.models import CaseRow

TODAY = dt.date(2026, 11, 26)


# ---- a 村 and a 社区 of one stem in different towns (康山村 of 华安县, 康山社区 of 芗城区)

@pytest.mark.parametrize(("written", "kept", "other"), [
    ("康山村", "康山村", "康山社区"),
    ("康山社区", "康山社区", "康山村"),
    ("漳州市康山村委会", "康山村", "康山社区"),
])
def test_bare_village_with_a_same_stem_place_of_the_other_kind_is_to_be_checked(written, kept, other):
    res = resolve(written)
    assert res.village == kept  # the kind written is the likelier
    assert res.ambiguous and needs_check(res.message)
    first = res.message.split("；")[0]  # what survives where only the note's first part is kept
    assert other in first and kept in first and needs_check(first)
    assert any(other in c for c in res.candidates) and any(kept in c for c in res.candidates)
    # The bound holds whichever was meant: it reaches the whole county of each candidate from the point.
    codes = {c.split("(")[1][:6] for c in res.candidates}
    for code in codes:
        assert res.precision_km >= geodata.territory_km(code, res.lon, res.lat) - 0.1, (code, res.precision_km)


def test_a_county_settles_the_same_stem_village():
    res = resolve("华安县康山村")
    assert res.village == "康山村" and not res.ambiguous and "康山社区" not in res.message


def test_village_and_community_of_one_town_stay_as_before():
    # 东美村 and 东美社区 are both of 角美镇: the town is certain, 村 written reads the 村.
    res = resolve("东美村")
    assert res.village == "东美村" and not res.ambiguous


# ---- a town and a village of one stem (马坑乡 of 华安县; 马坑村 of 漳浦县 and 诏安县)

def test_bare_town_name_that_villages_elsewhere_carry_is_to_be_checked():
    res = resolve("马坑")
    assert res.town == "马坑乡" and res.ambiguous and needs_check(res.message)
    first = res.message.split("；")[0]
    assert "马坑村" in first and "漳浦县" in first and "诏安县" in first and needs_check(first)
    assert len(res.candidates) == 3
    for code in {c.split("(")[1][:6] for c in res.candidates}:
        assert res.precision_km >= geodata.territory_km(code, res.lon, res.lat) - 0.1


@pytest.mark.parametrize("written", ["马坑乡", "华安县马坑", "华安县马坑乡"])
def test_town_written_with_its_kind_or_county_is_settled(written):
    res = resolve(written)
    assert res.town == "马坑乡" and not res.ambiguous and not needs_check(res.message)


# ---- a zone after its county reads at least as well as alone

@pytest.mark.parametrize(("alone", "with_county"), [
    ("马洋溪", "长泰区马洋溪"),
    ("马洋溪旅游区", "长泰县马洋溪旅游区"),
    ("常山农场", "漳州市云霄县常山农场"),
])
def test_zone_with_its_county_reads_as_the_zone_alone(alone, with_county):
    bare, full = resolve(alone), resolve(with_county)
    assert bare.town_code and full.town_code == bare.town_code and full.precision == "town"
    assert full.ambiguous == bare.ambiguous


def test_zone_of_several_units_with_its_county_lists_them():
    res = resolve("漳浦县古雷开发区")
    assert res.county == "漳浦县" and res.ambiguous and len(res.candidates) == len(resolve("古雷开发区").candidates)


def test_zone_village_reads_after_a_short_county_and_the_zone_short_name():
    res = resolve("长泰马洋溪十里村")
    assert (res.town, res.village) == ("马洋溪生态旅游区", "十里村")


# ---- 漳州市区

@pytest.mark.parametrize("written", ["漳州市区", "漳州市区延安北路", "福建省漳州市区大同路18号"])
def test_city_proper_names_both_districts_to_be_checked(written):
    res = resolve(written)
    assert res.ambiguous and needs_check(res.message) and "待核对" in res.message
    assert res.message.startswith("漳州市区：芗城区或龙文区")
    assert res.precision == "county" and res.lon is not None
    assert res.precision_km >= geodata.territory_km("350603", res.lon, res.lat) - 0.1
    assert res.precision_km >= geodata.territory_km("350602", res.lon, res.lat) - 0.1


def test_city_proper_with_a_town_reads_the_town():
    res = resolve("漳州市区芝山街道")
    assert res.town == "芝山街道" and not res.message.startswith("漳州市区：")


# ---- landmark and old names

@pytest.mark.parametrize(("written", "town"), [
    ("南靖县云水谣景区门口", "书洋镇"), ("华安二宜楼", "仙都镇"), ("龙海市角尾", "角美镇"), ("二宜楼附近", "仙都镇"),
])
def test_landmark_and_old_names_read_as_their_town_and_say_so(written, town):
    res = resolve(written)
    assert res.town == town and res.precision == "town"
    assert "按内置旧称、俗称表读作" + town in res.message


def test_alias_rows_name_their_source():
    for a in geodata.aliases():
        if a.alias in ("云水谣", "二宜楼", "角尾"):
            assert "本项目撰写" in a.note
    assert [a.code for a in geodata.aliases() if a.alias == "漳州市区"] == ["350602", "350603"]


# ---- other towns a letter's text names

def test_other_towns_of_a_text_are_listed_in_order():
    text = "信访人称原在诏安县官陂镇任职，后调往东山县铜陵镇，现居平和县小溪镇，铜陵镇的事没人管"
    res = resolve(text)
    assert res.town == "官陂镇"
    assert other_towns(text, res) == ["东山县铜陵镇", "平和县小溪镇"]
    assert other_towns("诏安县官陂镇大边村，官陂镇政府", resolve("诏安县官陂镇大边村")) == []


HEADER = "编号,收件日期,办理期限,来源,问题类别,信访人,反映内容,被反映人,地址,办理状态\n"


def _register(*rows: tuple[str, str, str]) -> bytes:
    return "".join([HEADER] + [f"{no},2026-11-02,2026-12-31,来信,其他,匿名,{content},林某,{a},待办\n"
                               for no, content, a in rows]).encode("utf-8")


def test_import_keeps_the_candidates_and_the_other_towns(session):
    intake.import_register(session, _register(
        ("F3-1", "低保评定不公。", "康山社区"),
        ("F3-2", "被反映人曾任诏安县官陂镇副镇长，现任东山县铜陵镇镇长，强占土地。", ""),
        ("F3-3", "道路破损无人修。", "漳州市区胜利东路"),
        ("F3-4", "征地补偿款未发放。", "马坑"),
    ), filename="f3.csv", today=TODAY)
    session.commit()
    cases = {r.case_no: r for r in session.scalars(select(CaseRow)) if r.case_no.startswith("F3-")}
    assert needs_check(cases["F3-1"].geocode_message) and "康山村" in cases["F3-1"].geocode_message
    first, *_ = cases["F3-2"].geocode_message.split("；")
    assert cases["F3-2"].town == "官陂镇" and "东山县铜陵镇" in first and needs_check(first)
    assert cases["F3-3"].county == "芗城区" and "芗城区或龙文区" in cases["F3-3"].geocode_message
    assert cases["F3-3"].precision_km >= geodata.territory_km("350603", cases["F3-3"].lon, cases["F3-3"].lat) - 0.1
    assert cases["F3-4"].town == "马坑乡" and needs_check(cases["F3-4"].geocode_message)
