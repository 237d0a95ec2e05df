"""A village named bare (我们田螺坑的景区收入) by a letter whose address stops at the town is read as the village
that other letters of the register name at that town (田螺坑村), so its letters are one place (issue 18: dev4's
hotspot misses). A common word, a name inside a longer one, or a name two villages share is not read."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.evidence import _PlaceInfo, _with_learned_villages

DAY = dt.date(2026, 3, 2)


def _info(villages=(), towns=("t:350627108",), names=None) -> _PlaceInfo:
    return _PlaceInfo(list(villages), list(towns), ["350627"], dict(names or {}))


def _letter(text: str) -> Letter:
    return Letter("x", text, DAY)


def test_a_bare_name_takes_the_village_the_register_names_at_that_town():
    infos = [_info(["n:田螺坑"], names={"n:田螺坑": "田螺坑村"}), _info()]
    letters = [_letter("田螺坑村土楼门票的分成，三年没发。"), _letter("我们田螺坑的景区收入，分红被村干部扣着。")]
    got = _with_learned_villages(letters, infos)
    assert got[1].villages == ["n:田螺坑"] and got[1].names["n:田螺坑"] == "田螺坑村"
    assert got[0] == infos[0]


def test_only_at_the_same_town_and_only_one_village():
    other_town = _info(towns=("t:350627101",))
    infos = [_info(["n:田螺坑"], names={"n:田螺坑": "田螺坑村"}), other_town]
    letters = [_letter("田螺坑村土楼门票。"), _letter("我们田螺坑的景区收入。")]
    assert _with_learned_villages(letters, infos)[1].villages == []
    # Two villages named bare in one letter: which one it is about is not known.
    infos = [_info(["n:田螺坑"], names={"n:田螺坑": "田螺坑村"}), _info(["n:河坑"], names={"n:河坑": "河坑村"}),
             _info()]
    letters = [_letter("田螺坑村土楼。"), _letter("河坑村土楼。"), _letter("田螺坑和河坑的门票收入都不公开。")]
    assert _with_learned_villages(letters, infos)[2].villages == []


def test_a_name_inside_a_longer_one_and_common_words_are_not_read():
    infos = [_info(["n:南山"], names={"n:南山": "南山村"}), _info(["n:新南山"], names={"n:新南山": "新南山村"}),
             _info()]
    letters = [_letter("南山村的路没修。"), _letter("新南山村的低保不公。"), _letter("新南山那边的低保名单不公示。")]
    assert _with_learned_villages(letters, infos)[2].villages == ["n:新南山"]  # not also 南山村
    infos = [_info(["n:大地"], names={"n:大地": "大地村"}), _info()]
    letters = [_letter("大地村门票。"), _letter("洪水淹了大地上的庄稼。")]
    assert _with_learned_villages(letters, infos)[1].villages == []  # 大地 is a word of the dictionary
    infos = [_info(["n:浦南"], names={"n:浦南": "浦南社区"}), _info()]
    letters = [_letter("浦南社区的路灯坏了。"), _letter("芗城区浦南镇的中学要求统一购买教辅书。")]
    assert _with_learned_villages(letters, infos)[1].villages == []  # the town 浦南镇, not its 浦南社区


def test_the_letters_become_one_place_in_the_analysis():
    letters = [
        Letter("a", "田螺坑村土楼门票的分成，每年说给村民分红，这三年一分钱都没发。", DAY,
               address="南靖县书洋镇田螺坑村"),
        Letter("b", "我们田螺坑的景区收入，村民那份分红被村干部扣着，账目不公开。", DAY, address="南靖县书洋镇"),
        Letter("c", "书洋镇卫生院看病排队太久，医生态度差。", DAY, address="南靖县书洋镇"),
    ]
    res = analyse(letters)
    st = res._state
    assert st.place_info[1].villages == st.place_info[0].villages != []
    assert st.place_info[2].villages == []


def test_the_explanation_names_the_learned_village_as_the_shared_place():
    # The link's explanation reads the places the analysis read: the village learned from the register, not only
    # the town the second letter's address gives (stop 36 noticed 地点相同：书洋镇 for two letters of 田螺坑村).
    letters = [
        Letter("a", "田螺坑村土楼门票的分成，每年说给村民分红，这三年一分钱都没发。", DAY,
               address="南靖县书洋镇田螺坑村"),
        Letter("b", "我们田螺坑的景区收入，村民那份分红被村干部扣着，账目不公开。", DAY, address="南靖县书洋镇"),
    ]
    res = analyse(letters)
    assert res.explain("a", "b").same_place == "田螺坑村"
    assert "地点相同：田螺坑村" in res.explain("a", "b").reasons()
