"""Walk F: “前进村（山格镇）” resolved to 山格镇 only — the village was written first, its town after it in brackets,
and villages were looked for only after the town. A village of that very town named in full before it is the place;
a village of another town is not taken for it."""

from __future__ import annotations

import pytest

from planner.places.resolver import resolve


@pytest.mark.parametrize("address", ["前进村（山格镇）", "平和县前进村（山格镇）", "前进村(山格镇)3组"])
def test_a_village_written_before_its_town_is_found(address: str) -> None:
    res = resolve(address)
    assert (res.county, res.town, res.village, res.precision, res.ambiguous) == (
        "平和县", "山格镇", "前进村", "village", False)


def test_a_village_of_another_town_before_the_town_is_not_taken() -> None:
    # 塔下村 is a village of 南靖县书洋镇, not of 平和县山格镇.
    res = resolve("塔下村（平和县山格镇）")
    assert res.village != "塔下村"
    assert resolve("平和县山格镇").village == ""
