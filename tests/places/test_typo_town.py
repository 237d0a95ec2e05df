"""A town written one character off (书阳镇 for 书洋镇) is read as the one town of the county that close, and said so.

Found in a browser walk: a register's 南靖县书阳镇 resolved to the county only, so the letter sat on the county seat
with no hint of the town the writer meant. The reading is stated, never silent: without a village of that town to
confirm it the letter stays to be checked and its precision covers the whole county.
"""

from __future__ import annotations

import geodata
import pytest

from planner.places.resolver import resolve


def _county_bound(res) -> float:  # noqa: ANN001
    return geodata.territory_km(res.county_code, res.lon, res.lat)


@pytest.mark.parametrize(("address", "town"), [
    ("南靖县书阳镇", "书洋镇"), ("龙海区脚美镇", "角美镇"), ("长泰区岩西镇", "岩溪镇"), ("平和县小西镇", "小溪镇"),
])
def test_a_town_one_character_off_is_the_likely_reading_to_check(address: str, town: str) -> None:
    res = resolve(address)
    assert (res.town, res.precision, res.ambiguous) == (town, "town", True)
    written = address[3:]
    assert f"“{written}”按一字之差读作{town}" in res.message and "请核对" in res.message
    # The bound holds whichever place of the county was meant.
    assert res.precision_km is not None and res.precision_km >= _county_bound(res) - 0.5
    assert any(town in c for c in res.candidates) and len(res.candidates) == 2


def test_a_village_of_that_town_confirms_the_reading() -> None:
    res = resolve("龙海区脚美镇锦宅")
    assert (res.town, res.village, res.ambiguous) == ("角美镇", "锦宅村", False)
    assert res.message.startswith("“脚美镇”按一字之差读作角美镇")


def test_correct_names_and_villages_named_in_full_are_unchanged() -> None:
    assert resolve("南靖县书洋镇").message == "已识别到乡镇（街道），坐标为乡镇驻地"
    # The full village name already placed it; no typo note is needed there.
    res = resolve("南靖县书阳镇塔下村")
    assert (res.town, res.village) == ("书洋镇", "塔下村") and "一字之差" not in res.message


def test_no_reading_when_no_town_or_several_towns_are_that_close() -> None:
    far = resolve("南靖县天空镇")  # two characters off every town
    assert (far.precision, far.town, far.ambiguous) == ("county", "", False)
    # 中溪镇 is one character off both 大溪镇 and 小溪镇 of 平和县: no reading is preferred.
    both = resolve("平和县中溪镇")
    assert (both.precision, both.town) == ("county", "")
    # Another county's town is not a reading: 书洋镇 is in 南靖县, not 平和县.
    other = resolve("平和县书阳镇")
    assert other.town != "书洋镇"
