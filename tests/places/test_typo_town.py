"""A town or village written with one character that sounds the same (书阳镇 for 书洋镇, 三坪村 for 三平村) is read as
the one place of the county (or town) written that way, and said so.

Found in browser walks: a register's 南靖县书阳镇 resolved to the county only, and 三坪村 (registry 三平村) to its town
only, with no hint of the place the writer meant. The reading is stated, never silent: a town without a village of it
to confirm the reading stays to be checked and its precision covers the whole county. A different character that
does not sound the same (塔上村, 五都镇) is another place, not a slip, and gets no reading.
"""

from __future__ import annotations

import pytest

import geodata
from planner.places.resolver import _sound_alike, resolve


def _county_bound(res) -> float:
    return geodata.territory_km(res.county_code, res.lon, res.lat)


@pytest.mark.parametrize(("address", "town"), [
    ("南靖县书阳镇", "书洋镇"), ("龙海区脚美镇", "角美镇"), ("长泰区岩西镇", "岩溪镇"), ("平和县小西镇", "小溪镇"),
])
def test_a_town_written_with_a_homophone_is_the_likely_reading_to_check(address: str, town: str) -> None:
    res = resolve(address)
    assert (res.town, res.precision, res.ambiguous) == (town, "town", True)
    written = address[3:]
    assert f"“{written}”按同音字读作{town}" in res.message and "请核对" in res.message
    # The bound holds whichever place of the county was meant.
    assert res.precision_km is not None and res.precision_km >= _county_bound(res) - 0.5
    assert any(town in c for c in res.candidates) and len(res.candidates) == 2


def test_a_village_of_that_town_confirms_the_reading() -> None:
    res = resolve("龙海区脚美镇锦宅")
    assert (res.town, res.village, res.ambiguous) == ("角美镇", "锦宅村", False)
    assert res.message.startswith("“脚美镇”按同音字读作角美镇")


def test_a_village_written_with_a_homophone_in_its_town_is_read_and_said() -> None:
    res = resolve("平和县文峰镇三坪村")
    assert (res.town, res.village, res.precision, res.ambiguous) == ("文峰镇", "三平村", "village", False)
    assert res.message.startswith("“三坪村”按同音字读作三平村（文峰镇没有“三坪村”")


def test_a_village_by_its_sound_in_the_whole_county_is_to_be_checked() -> None:
    res = resolve("平和县三坪村")
    assert (res.town, res.village, res.ambiguous) == ("文峰镇", "三平村", True)
    assert "按同音字读作文峰镇三平村" in res.message and "请核对" in res.message
    assert res.precision_km is not None and res.precision_km >= _county_bound(res) - 0.5


def test_correct_names_and_villages_named_in_full_are_unchanged() -> None:
    assert resolve("南靖县书洋镇").message == "已识别到乡镇（街道），坐标为书洋镇的大致位置，未核实到驻地"
    # The full village name places it and confirms the reading, which is still said (stop 38: a written part the
    # tables lack is never dropped silently).
    res = resolve("南靖县书阳镇塔下村")
    assert (res.town, res.village, res.ambiguous) == ("书洋镇", "塔下村", False)
    assert res.message.startswith("“书阳镇”按同音字读作书洋镇")


@pytest.mark.parametrize("address", ["南靖县天空镇", "诏安县五都镇", "平和县中溪镇"])
def test_no_reading_for_a_different_character_that_does_not_sound_the_same(address: str) -> None:
    res = resolve(address)
    assert (res.precision, res.town, res.ambiguous) == ("county", "", False)


def test_no_village_reading_for_a_different_sound_and_none_from_another_county() -> None:
    assert not _sound_alike("塔上村", "塔下村") and _sound_alike("三坪村", "三平村")
    near = resolve("南靖县书洋镇塔上村")
    assert (near.town, near.village, near.precision) == ("书洋镇", "", "town")
    # 书洋镇 is in 南靖县, not 平和县.
    assert resolve("平和县书阳镇").town != "书洋镇"
