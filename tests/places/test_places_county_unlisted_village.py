"""An address naming a county and a village but no town (云霄县白石头村, 平和县钟腾村).

A village of the county's table (钟腾村, one of that name in 平和县) is placed. One the table lacks was placed at the
county seat with “仅识别到县区”, as if no village had been written, and not counted as to be checked: the note now
names it and asks for a check, as after a town (山格镇没有“龙凤岗村”…, tests/places/test_unlisted_village.py).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from planner.places.estimates import written_village
from planner.places.resolver import _index, resolve


def _in_county(name: str, county: str) -> list:
    idx = _index()
    return [v for v in idx.village.values() if v.name == name and v.county_code == county]


def test_a_village_of_the_county_table_is_placed():
    pinghe = resolve("平和县").county_code
    assert len(_in_county("钟腾村", pinghe)) == 1, "the case needs a name unique in the county"
    r = resolve("平和县钟腾村")
    assert (r.precision, r.town, r.village, r.ambiguous) == ("village", "霞寨镇", "钟腾村", False)
    assert "请核对" not in r.message


@pytest.mark.parametrize("address", ["云霄县白石头村", "云霄县白石头村5号"])
def test_a_village_the_county_lacks_is_named_and_left_to_check(address):
    yunxiao = resolve("云霄县").county_code
    assert not _in_county("白石头村", yunxiao), "the case needs a name the county's table does not hold"
    r = resolve(address)
    assert (r.precision, r.county, r.town, r.coord_source) == ("county", "云霄县", "", "county_seat")
    assert "云霄县没有“白石头村”" in r.message and "请核对村名" in r.message
    assert "仅识别到县区" not in r.message
    w = written_village(r.message)
    assert (w.name, w.town, w.county) == ("白石头村", "", "云霄县")
    assert w.not_found() == "信中写的白石头村不在云霄县的村表中（可能是自然村、已并村或写法不同）"
    assert "到镇后" not in w.ask() and "云霄县" in w.ask()


@pytest.mark.parametrize("address", ["云霄县某村", "云霄县农村道路", "云霄县政府旁边的村", "云霄县",
                                     "云霄县村民反映村道损坏", "云霄县村干部挪用村"])
def test_words_that_only_look_like_a_village_keep_the_county_message(address):
    r = resolve(address)
    assert r.precision == "county"
    assert r.message == "仅识别到县区，坐标为县区政府驻地"


def test_the_field_sheets_name_the_village_once_with_the_county():
    from planner.field.model import CaseInfo, estimate_note

    r = resolve("云霄县白石头村")
    case = CaseInfo.from_json("X1", {"county": r.county, "town": "", "place_note": r.message})
    assert case.place_text() == "云霄县白石头村（村表无此村，待核对）"
    note = estimate_note(r.precision_km, written=case.written, seat="云霄县")
    assert "信中写的白石头村不在云霄县的村表中" in note and "到镇后" not in note


def test_the_import_counts_it_as_to_be_checked(engine):
    from planner.intake.register import import_register
    from planner.store.database import session_scope
    from planner.store.models import CaseRow

    data = ("编号,来信日期,地址,反映内容\n"
            "W-1,2026-08-20,云霄县白石头村,村道损坏无人修\n"
            "W-2,2026-08-20,平和县钟腾村,村道损坏无人修\n").encode()
    summary = import_register(engine, data, filename="r.csv", today=dt.date(2026, 12, 1))
    assert summary.geocoded.get("check") == 1
    with session_scope(engine) as s:
        got = {r.case_no: (r.precision, r.village, r.geocode_message) for r in s.scalars(select(CaseRow))}
    assert got["W-1"][0] == "county" and "云霄县没有“白石头村”" in got["W-1"][2]
    assert got["W-2"][:2] == ("village", "钟腾村")


def test_a_town_from_the_content_keeps_the_village_the_address_wrote():
    from planner.places.letters import locate_letters

    row = SimpleNamespace(values={"address_text": "云霄县白石头村", "content": "我是云霄县莆美镇村民，反映村道损坏"})
    loc = locate_letters([row])[0]
    assert loc["town"] == "莆美镇"
    note = str(loc["geocode_message"])
    assert note.startswith("地址只写到县区（云霄县），乡镇、村取自反映内容，请核对")
    assert written_village(note).name == "白石头村"
    assert "村民反映村" not in note


def test_a_sentence_after_the_town_is_not_a_village_not_found():
    """“莆美镇村民，反映村道……” (a letter's content) read as the village “村民反映村” that 莆美镇 lacks."""
    r = resolve("我是云霄县莆美镇村民，反映村道损坏")
    assert (r.precision, r.town) == ("town", "莆美镇")
    assert "没有“" not in r.message and "请核对" not in r.message
