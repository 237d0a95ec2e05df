"""A village name with 边 or 近 in it (田边村, 溪边村) that the town written does not hold is named in the note like any
other (walk W21: 龙文区朝阳街道田边村 read only 已识别到乡镇, and the itinerary, PDF, Excel and .ics told officers
"信中只写到朝阳街道…村未知"); words about a place (政府旁边的村, 附近村, 周边村) still name no village."""

from __future__ import annotations

import pytest

from planner.places import resolver as geocode


@pytest.mark.parametrize(("address", "village"), [
    ("龙文区朝阳街道田边村", "田边村"),
    ("漳州市龙文区朝阳镇田边村", "田边村"),
    ("龙文区朝阳街道溪边村", "溪边村"),
])
def test_an_unlisted_village_with_bian_is_named(address: str, village: str) -> None:
    r = geocode.resolve(address)
    assert r.town == "朝阳街道" and not r.village_code
    assert f"朝阳街道没有“{village}”" in r.message and "请核对村名" in r.message


@pytest.mark.parametrize("address", ["龙文区朝阳街道政府旁边的村", "龙文区朝阳街道附近村", "龙文区朝阳街道周边村"])
def test_words_about_a_place_name_no_village(address: str) -> None:
    r = geocode.resolve(address)
    assert r.town == "朝阳街道" and "没有“" not in r.message
