"""A written name that only begins (or ends) with a village's name is not that village (云霄县白石头 is not 白石村).

Reported: “云霄县白石头” (no 村) was placed at 火田镇白石村 with no check asked, while “云霄县白石头村” was named and
asked to be checked (7010e43). A bare name was read as the village wherever the text went on after it; a name with
its suffix (大白石村) was read as the village its tail spells (白石村). Both now place the letter at the level that is
certain (county or town), name what was written and ask for a check (counted 地址需核对). The exact bare name (钟腾,
白石: the only village of the county or town so called) is still placed, and so is a bare name that ends at a mark,
a digit, a word of where or who (附近, 3组, 的村民), a hamlet with its marker (上河尾厝社) or a road (官园人民路).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from planner.intake.address_checks import needs_check
from planner.places.estimates import written_village
from planner.places.letters import locate_letters
from planner.places.normalise import breaks, normalize
from planner.places.resolver import _index, resolve


def _villages(name: str, county: str = "", town: str = "") -> list:
    return [v for v in _index().village.values()
            if v.name == name and (not county or v.county_code == county) and (not town or v.town_code == town)]


def test_the_case_holds():
    yunxiao = resolve("云霄县").county_code
    assert len(_villages("白石村", yunxiao)) == 1, "白石村 must be the only one of that name in 云霄县"
    assert not _villages("白石头村", yunxiao) and not _villages("大白石村", yunxiao)


@pytest.mark.parametrize("address", ["云霄县白石头", "云霄县白石头社", "漳州市云霄县白石头（来信地址）"])
def test_a_longer_bare_name_after_the_county_is_named_and_checked(address):
    r = resolve(address)
    assert (r.precision, r.county, r.town, r.village) == ("county", "云霄县", "", "")
    assert "云霄县没有“白石头”" in r.message and "不是白石村" in r.message
    assert needs_check(r.message)
    w = written_village(r.message)
    assert (w.name, w.town, w.county) == ("白石头", "", "云霄县")


@pytest.mark.parametrize("address", ["云霄县火田镇白石头", "火田镇白石头", "云霄县火田镇白石头3组",
                                     "云霄县火田镇白石头附近"])
def test_a_longer_bare_name_after_the_town_is_named_and_checked(address):
    r = resolve(address)
    assert (r.precision, r.town, r.village) == ("town", "火田镇", "")
    assert "火田镇没有“白石头”" in r.message and "请核对村名" in r.message
    assert (written_village(r.message).name, written_village(r.message).town) == ("白石头", "火田镇")


@pytest.mark.parametrize(("address", "town", "written"), [
    ("云霄县火田镇大白石村", "火田镇", "大白石村"),
    ("云霄县大白石村", "", "大白石村"),
])
def test_a_name_with_a_suffix_is_not_read_as_the_village_its_tail_spells(address, town, written):
    r = resolve(address)
    assert (r.town, r.village) == (town, "")
    assert f"没有“{written}”" in r.message and needs_check(r.message)


@pytest.mark.parametrize(("text", "town", "written"), [
    ("我是云霄县火田镇白石头人，反映村道一直没修", "火田镇", "白石头"),
    ("云霄县白石头的村民反映村道损坏", "", "白石头"),
])
def test_letter_text_is_read_alike(text, town, written):
    r = resolve(text)
    assert (r.county, r.town, r.village) == ("云霄县", town, "")
    assert f"没有“{written}”" in r.message and needs_check(r.message)


def test_a_letter_placed_from_its_content_is_not_put_in_the_other_village():
    (loc,) = locate_letters([SimpleNamespace(values={
        "address_text": "", "content": "我是云霄县火田镇白石头人，反映村道一直没修，请领导来看看。"})])
    assert (loc["town"], loc["village"], loc["precision"]) == ("火田镇", "", "town")
    assert "白石头" in loc["geocode_message"] and needs_check(loc["geocode_message"])


@pytest.mark.parametrize(("address", "town", "village"), [
    ("平和县钟腾", "霞寨镇", "钟腾村"),  # tests/places/test_places_county_unlisted_village.py: 钟腾村 is unique
    ("平和县霞寨镇钟腾", "霞寨镇", "钟腾村"),
    ("平和县钟腾3组", "霞寨镇", "钟腾村"),
    ("平和县钟腾附近", "霞寨镇", "钟腾村"),
    ("平和县霞寨镇钟腾的村民反映", "霞寨镇", "钟腾村"),
    ("云霄县白石", "火田镇", "白石村"),
    ("云霄县火田镇白石三组", "火田镇", "白石村"),
    ("云霄县白石村", "火田镇", "白石村"),
    ("平和县崎岭乡新南", "崎岭乡", "新南村"),
    # A space or mark ends the name (the resolver reads the text without them).
    ("福建省 漳州市  龙海 海澄镇 合浦 （来信地址）", "海澄镇", "合浦村"),
    ("漳州市，龙海市，东泗，太江，(具体门牌不详)", "东泗乡", "太江村"),
    # A hamlet with its marker, a shop named after the village.
    ("下河乡上河尾厝社15号", "下河乡", "上河村"),
    ("诏安县西潭镇新安加油站对面", "西潭镇", "新安村"),
])
def test_the_exact_bare_name_is_still_placed(address, town, village):
    r = resolve(address)
    assert (r.precision, r.town, r.village, r.ambiguous) == ("village", town, village, False)
    assert not needs_check(r.message)


def test_a_road_after_a_bare_name_keeps_the_candidates():
    r = resolve("漳州市官园人民路279号")
    assert r.ambiguous and len(r.candidates) > 1


def test_breaks_are_positions_in_the_normalised_text():
    text = "龙海 海澄镇，合浦（来信地址）"
    s = normalize(text)
    assert s == "龙海海澄镇合浦来信地址"
    assert sorted(breaks(text)) == [2, 5, 7, 11]
