"""Walk W14, 地址核对: two slips read without a word, or not read at all.

* ``召安县秀篆镇寨坪村``: 召安县 (for 诏安县) was read as 诏安县 silently; every other reading the resolver takes
  (书阳镇 for 书洋镇, 锦宅 confirming 脚美镇) is said in the place note, so this one is too.
* ``龙海区角美真东美村``: 真 for 镇 after the bare town name left the letter at 角美镇 ("没有真东美村"); a village of
  that very town right after the slip settles the reading, which is said. Without such a village (角美真, 角美真兴村)
  nothing changes, and a character that does not sound like the suffix (大白石村) stays part of the name.
"""

from __future__ import annotations

import pytest

from planner.places.resolver import resolve


@pytest.mark.parametrize(("address", "written", "county", "town"), [
    ("召安县秀篆镇寨坪村", "召安县", "诏安县", "秀篆镇"),
    ("福建省漳州市召安县深桥镇", "召安县", "诏安县", "深桥镇"),
    ("彰浦县绥安镇", "彰浦县", "漳浦县", "绥安镇"),
])
def test_a_county_written_one_character_off_is_read_and_said(address: str, written: str, county: str,
                                                              town: str) -> None:
    res = resolve(address)
    assert (res.county, res.town) == (county, town)
    assert res.message.startswith(f"“{written}”读作{county}（漳州市没有“{written}”，其后的{town}属{county}）；")


@pytest.mark.parametrize("address", ["诏安县秀篆镇寨坪村", "龙海市角美镇", "长泰县武安镇", "漳州市芗城区东铺头街道"])
def test_a_county_written_right_or_by_a_former_name_gets_no_reading(address: str) -> None:
    assert "读作" not in resolve(address).message


def test_a_zone_villages_note_stays_first_before_the_county_reading() -> None:
    res = resolve("华按县仙都镇大地村")
    assert res.village == "大地村"
    first, second = res.message.split("；")[:2]
    assert first == "大地村属于福建土楼（华安）旅游区，地址写作仙都镇"
    assert second.startswith("“华按县”读作华安县")


def test_a_town_suffix_written_with_a_homophone_before_a_village_of_it_is_that_village() -> None:
    res = resolve("龙海区角美真东美村")
    assert (res.county, res.town, res.village, res.precision, res.ambiguous) == (
        "龙海区", "角美镇", "东美村", "village", False)
    assert res.address == "龙海区角美真东美村"
    assert res.message.startswith("“角美真”按同音字读作角美镇（“真”为“镇”之误）；")
    assert "没有" not in res.message.split("；", 1)[1]


@pytest.mark.parametrize("address", ["龙海区角美真", "龙海区角美真兴村"])
def test_without_a_village_of_that_town_after_it_the_suffix_slip_is_not_taken(address: str) -> None:
    res = resolve(address)
    assert res.town == "角美镇" and not res.village
    assert "按同音字读作" not in res.message


def test_a_character_that_does_not_sound_like_the_suffix_stays_part_of_the_name() -> None:
    res = resolve("龙海区角美大东美村")  # 大 is not 镇: a name the table lacks, not 东美村
    assert not res.village and "按同音字读作" not in res.message
