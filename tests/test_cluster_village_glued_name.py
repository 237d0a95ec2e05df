"""A village jieba cuts in two (新 + 南村) is read whole when the gazetteer holds the whole name (新南村): the letters'
place key is 新南, not 南村, so a 新南村 letter and a 南村 letter of one issue are two places, not one hotspot."""

from __future__ import annotations

import datetime as dt

import geodata
from planner.analysis import Letter, analyse
from planner.analysis.textmine import mine

DAY = dt.date(2026, 3, 2)


def test_the_gazetteer_holds_both_names():
    names = {v.name for v in geodata.villages()}
    assert "新南村" in names  # the premise of the tests below


def test_a_village_cut_in_two_is_read_whole():
    for text in ("新南村的低保名额被村干部亲戚占了", "我们新南村的路灯坏了", "东山县樟塘镇新南村"):
        villages = [(p.key, p.name) for p in mine(text).places if p.level == "village"]
        assert villages == [("新南", "新南村")], (text, villages)
    # The shorter name alone stays itself, and other villages are unchanged.
    assert [p.name for p in mine("南村的路灯坏了").places if p.level == "village"] == ["南村"]
    assert [p.name for p in mine("岩溪镇珪后村的村支书").places if p.level == "village"] == ["珪后村"]


def test_two_villages_of_one_matter_are_two_hotspots():
    letters = [
        Letter("a", "新南村林业站收取桉树砍伐保证金，每亩八百元，一直不退还。", DAY),
        Letter("b", "新南村林业站收取桉树砍伐保证金，每亩八百元，砍了两年还不退。", DAY),
        Letter("c", "南村林业站收取桉树砍伐保证金，每亩八百元，至今没有退还。", DAY),
    ]
    res = analyse(letters)
    assert res.hotspot_of["a"] == res.hotspot_of["b"]
    assert res.hotspot_of["c"] != res.hotspot_of["a"]
