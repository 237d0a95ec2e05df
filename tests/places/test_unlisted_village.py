"""Walk G: an address whose village the built-in table does not hold (a natural village, a merged or renamed one,
a misspelling) resolved to the town with the town's usual message, as if no village had been written. It now
names the village not found and asks for a check; words that only look like a village (农村, 某村) do not."""

from __future__ import annotations

import pytest

from planner.places.resolver import _index, resolve


def _villages_named(name: str) -> list:
    return [v for v in _index().village.values() if v.name == name]


@pytest.mark.parametrize(("address", "town", "village"), [
    ("平和县山格镇龙凤岗村", "山格镇", "龙凤岗村"),
    ("平和县山格镇龙凤岗村五组后山", "山格镇", "龙凤岗村"),
    ("南靖县书洋镇龙凤岗社区", "书洋镇", "龙凤岗社区"),
])
def test_a_village_not_in_the_table_is_named_and_left_to_check(address, town, village):
    assert not _villages_named(village), "the case needs a name the table does not hold"
    r = resolve(address)
    assert (r.precision, r.town, r.village) == ("town", town, "")
    assert f"{town}没有“{village}”" in r.message and "请核对" in r.message
    assert r.precision_km is not None and r.precision_km > 0


@pytest.mark.parametrize("address", ["平和县山格镇农村道路", "平和县山格镇某村村民", "平和县山格镇一个村",
                                     "平和县山格镇政府旁边的村", "平和县山格镇"])
def test_words_that_only_look_like_a_village_keep_the_town_message(address):
    r = resolve(address)
    assert r.precision == "town"
    assert "没有“" not in r.message and "请核对" not in r.message


def test_a_village_of_the_table_is_still_found():
    r = resolve("平和县山格镇隆庆村")
    assert (r.precision, r.village) == ("village", "隆庆村")


def test_a_register_point_keeps_the_village_not_found_from_the_letter():
    """Walk (行程): a letter placed by the register's point while its content names a village the table does not hold
    lost that village from its note, so the field sheets could not name it: the note keeps it."""
    from types import SimpleNamespace

    from planner.field.model import CaseInfo
    from planner.places.estimates import written_village
    from planner.places.letters import locate_letters

    seat = resolve("漳浦县旧镇镇")
    row = SimpleNamespace(values={"address_text": "", "content": "我是漳浦县旧镇镇后江村村民，反映村道损坏",
                                  "lon": seat.lon + 0.01, "lat": seat.lat + 0.01, "datum": "wgs84"})
    loc = locate_letters([row])[0]
    assert (loc["town"], loc["village"], loc["point_source"]) == ("旧镇镇", "", "register")
    note = str(loc["geocode_message"])
    assert note.startswith("地址栏为空，地点取自反映内容，请核对") and note.endswith("坐标取自登记表；坐标有效")
    assert written_village(note).name == "后江村"
    case = CaseInfo.from_json("X1", {"county": loc["county"], "town": loc["town"], "place_note": note})
    assert case.place_text() == "漳浦县旧镇镇后江村（村表无此村，待核对）"
