"""Cadres paying themselves from the collective's money, told in other words at one village (issue 18, run 75).

误工补贴 / 加班费 / 过节费 / 值班补贴 share no matter word, and such letters' likeness is near zero; the practice
(违规发放津贴补贴) is read from what the letter says was done (``practices.practice_cores``). At one village the letters
are one matter, with the reason said; at two villages each village's cadres are their own matter; money of
villagers a cadre took, or kin favoured with a programme's money, is not this practice."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.analysis import Letter, analyse
from planner.analysis.practices import SELF_PAY, practice_cores
from planner.analysis.textmine import mine

DAY = dt.date(2026, 10, 5)
FILL = [
    ("龙海区紫泥镇锦田村", "锦田村的垃圾站建在水源边上，臭气熏天，夏天苍蝇成群。"),
    ("南靖县书洋镇田中村", "田中村村委会把村里的山林卖给老板，价钱很低，村民不知情。"),
    ("平和县九峰镇黄田村", "黄田村低保评审不公开，有车有房的人家也吃低保。"),
    ("东山县铜陵镇大澳村", "大澳村渔船燃油补贴被村干部冒领，渔民没拿到钱。"),
]
AT_ONE_VILLAGE = [
    ("华安县仙都镇大地村", "大地村的村干部每月给自己发误工补贴，每人五六百，村民代表会从来没讨论过。"),
    ("华安县仙都镇大地村", "我们大地村两委用集体收入给自己发加班费，端午中秋还各发一千块过节费。"),
    ("华安县仙都镇", "大地村支书和主任自己开会定了个值班补贴，钱从村里的山林承包款里出。"),
]


@pytest.mark.parametrize("text", [
    "村干部给自己发误工补贴，一个月好几百",
    "两委拿集体的钱给自己发加班费",
    "反映村干部发过节费的事",
    "支书和主任自己开会定了个值班补贴",
    "村干部开一次会领一百块开会补助，村里的集体收入一大半发给他们自己了",
    "村干部中秋国庆自行发放慰问金给村干部本人",  # walk W9
])
def test_the_practice_is_read_however_it_is_told(text) -> None:
    assert practice_cores(text) == (SELF_PAY,)
    assert SELF_PAY in mine(text).cores


@pytest.mark.parametrize("text", [
    "村干部拿走了我们修路的误工补贴",  # villagers' money taken: gone astray, not paid to oneself
    "村干部领走了村民的误工补贴",
    "村主任发给村民的过节费只有五十",
    "给自己的亲戚发危房改造补助",  # favouring kin with a programme's money
    "危房改造补助都发给他们自己的亲戚",
    "村会计把我们的高龄补贴领走了",
    "慰问金给本人签字领取",  # the recipient signs for it
    "村干部发慰问金只发给亲戚",  # favouring kin
])
def test_villagers_money_and_favoured_kin_are_not_the_practice(text) -> None:
    assert practice_cores(text) == ()
    assert SELF_PAY not in mine(text).cores


def test_one_villages_letters_in_other_words_are_one_matter_with_the_reason() -> None:
    rows = [*AT_ONE_VILLAGE[:1], *FILL, *AT_ONE_VILLAGE[1:]]
    letters = [Letter(f"S{k}", t, DAY + dt.timedelta(days=k), address=a) for k, (a, t) in enumerate(rows)]
    res = analyse(letters)
    ids = ["S0", f"S{len(rows) - 2}", f"S{len(rows) - 1}"]
    assert len({res.issue_of[i] for i in ids}) == 1
    others = {res.issue_of[f"S{k}"] for k in range(1, 1 + len(FILL))}
    assert res.issue_of["S0"] not in others
    # Explained: the practice is the term the letters share (their own words share none).
    for other in ids[1:]:
        assert SELF_PAY in res.explain("S0", other).shared_terms


def test_an_allowance_and_a_festival_gift_to_themselves_at_one_village_are_one_matter() -> None:
    rows = [("漳浦县盘陀镇和美村", "和美村村委自己给自己发补贴，名目叫误工费"), *FILL,
            ("漳浦县盘陀镇和美村", "和美村干部中秋国庆自行发放慰问金给村干部本人")]
    letters = [Letter(f"H{k}", t, DAY + dt.timedelta(days=k), address=a) for k, (a, t) in enumerate(rows)]
    res = analyse(letters)
    assert res.issue_of["H0"] == res.issue_of[f"H{len(rows) - 1}"]


def test_two_villages_cadres_paying_themselves_are_two_matters() -> None:
    rows = [AT_ONE_VILLAGE[0], *FILL,
            ("南靖县和溪镇乐土村", "乐土村书记给自己和会计发交通补贴，买摩托车的钱也从村里出。")]
    letters = [Letter(f"T{k}", t, DAY + dt.timedelta(days=k), address=a) for k, (a, t) in enumerate(rows)]
    res = analyse(letters)
    assert res.issue_of["T0"] != res.issue_of[f"T{len(rows) - 1}"]
