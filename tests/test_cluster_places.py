"""Hotspot places read from a letter's text are real towns or villages, not any word ending in 路/村/学校/市场."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.analysis import Letter, analyse
from planner.analysis.textmine import mine


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("金山镇某某村水泥路说是四米五宽，实际三米多。", [("金山镇", "town")]),  # 水泥路: a kind of road
        ("坂仔镇村道硬化报了两公里。这条路是村里到东坑那边的。", [("坂仔镇", "town")]),  # 这条路: pointed at
        ("仙都镇虚报工程量，老路刷一层水泥就算新修的。", [("仙都镇", "town")]),
        ("霞葛镇中心小学学生营养餐缩水。", [("霞葛镇", "town")]),
        ("芦溪镇学校营养改善计划的钱被挪用。", [("芦溪镇", "town")]),  # the town's school: the town
        ("和平乡中学营养餐供应商跟校长关系好。", [("和平乡", "town")]),
        ("旧镇镇农贸市场收摊位费。", [("旧镇镇", "town")]),
        ("蓝田这边旧村改造拆了两年，过渡费一直拖着不发。", [("蓝田街道", "town")]),
        ("天宝镇批地建房村书记要收红包。", [("天宝镇", "town")]),  # a verb phrase + 村 is no village
    ],
)
def test_generic_words_ending_like_a_place_are_not_places(text, places):
    assert [(p.name, p.level) for p in mine(text).places] == places


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("平和县山格镇土田村林农反映。", "土田村"),
        ("东山县杏陈镇前何村危改补助冒领。", "前何村"),
        ("岩溪镇珪后村村民反映。", "珪后村"),
        ("魅力之城小区门口夜市扰民。", "魅力之城小区"),
        ("万家丽路晚上施工。", "万家丽路"),
    ],
)
def test_named_villages_estates_and_roads_are_still_places(text, name):
    assert name in [p.name for p in mine(text).places]


def test_hotspot_of_a_town_school_is_the_town():
    letters = [
        Letter("a", "芦溪镇学校营养改善计划的钱被挪用，食堂饭菜很差。", dt.date(2026, 1, 1), address="平和县芦溪镇"),
        Letter("b", "芦溪镇学生营养餐的钱被挪用，孩子吃不饱。", dt.date(2026, 2, 1), address="平和县芦溪镇"),
    ]
    res = analyse(letters)
    labels = {res.hotspot_of[x].split("@", 1)[1] for x in ("a", "b")}
    assert labels == {"芦溪镇"}


@pytest.mark.parametrize(
    ("text", "village"),
    [
        ("白水镇山美村支书大办婚宴收礼金。", "山美村"),  # jieba: 山美 + 村支书
        ("郭坑院后村干部办寿宴大操大办。", "院后村"),  # 院后 + 村干部
        ("白水金鳌村里的塘承包合同一签三十年。", "金鳌村"),  # 金鳌 + 村里
    ],
)
def test_a_gazetteer_village_glued_to_a_village_word_is_found(text, village):
    assert village in [p.name for p in mine(text).places]


def test_a_village_word_after_no_village_name_is_no_place():
    assert mine("镇里村干部收钱，我们村里没人管。").places == ()


@pytest.mark.parametrize("text", ["蓝田街道有个小区物业乱收停车费。", "金山镇一所幼儿园收了三千元保证金。"])
def test_a_place_introduced_as_some_place_is_not_named(text):
    assert all(p.level == "town" for p in mine(text).places)
