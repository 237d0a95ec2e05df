"""jieba's dictionary holds 地被 (ground cover) and 花被: in a letter 香蕉地被征用 is 地 + 被, and a group's
keyword read「地被」 (walk S). Such words are cut apart; 植被 (vegetation, a word of 毁林 letters) is kept."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.textmine import mine


def test_a_noun_and_the_passive_are_two_words():
    assert "地被" not in mine("浦南镇溪园村的香蕉地被征用建物流园，补偿价低于标准。").tokens
    assert "花被" not in mine("村里种的花被人拔走了").tokens
    assert "植被" in mine("山上的植被被砍光了，水土流失严重").tokens


def test_no_group_is_labelled_with_it():
    day = dt.date(2026, 11, 2)
    letters = [
        Letter("a", "浦南镇溪园村的香蕉地被征用建物流园，补偿价低于标准。", day, address="芗城区浦南镇溪园村"),
        Letter("b", "溪园村香蕉地被征用建物流园，每亩补偿比标准低。", day, address="芗城区浦南镇溪园村"),
    ]
    res = analyse(letters)
    assert res.issue_of["a"] == res.issue_of["b"]
    assert "地被" not in res.cluster(res.issue_of["a"]).label
