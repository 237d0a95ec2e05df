"""One public programme named by whom or what it is for, in other words (issue 18, run 78).

水毁农田修复补助 / 灾后重建补助 / 救灾款 are one disaster-relief programme; 孤儿补助 / 困境儿童生活补助 /
事实无人抚养儿童补贴 one orphans' allowance; 沼气池 / 户用沼气 one biogas programme. Letters at other towns
saying its money was docked or drawn falsely are one matter. The flood itself, a petitioner who says he is an
old Party member, or a village doctor as the one who acted name no programme."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.analysis import Letter, analyse
from planner.analysis.textmine import mine

DAY = dt.date(2026, 10, 5)
FILL = [
    ("龙海区紫泥镇锦田村", "锦田村的垃圾站建在水源边上，臭气熏天，夏天苍蝇成群。"),
    ("南靖县书洋镇田中村", "田中村村委会把村里的山林卖给老板，价钱很低，村民不知情。"),
    ("平和县九峰镇黄田村", "黄田村低保评审不公开，有车有房的人家也吃低保。"),
    ("东山县铜陵镇大澳村", "大澳村渔船燃油补贴被村干部冒领，渔民没拿到钱。"),
    ("云霄县莆美镇", "莆美镇卫生院看病收红包，医生开大处方。"),
]


def _issues(texts: list[tuple[str, str]]) -> dict[str, str]:
    rows = [*texts, *FILL]
    letters = [Letter(f"P{k:02d}", t, DAY + dt.timedelta(days=k), address=a, petitioner_key=f"p{k}")
               for k, (a, t) in enumerate(rows)]
    res = analyse(letters)
    return {lt.letter_id: res.issue_of[lt.letter_id] for lt in letters}


@pytest.mark.parametrize("told", [
    [("华安县华丰镇", "镇里报了水毁农田修复补助，每亩一千二，村干部说先扣三百，到手只有九百。"),
     ("长泰县岩溪镇", "台风过后报灾后重建补助，到手比公示的少一半，村里说扣了管理费。"),
     ("平和县霞寨镇", "去年的救灾款到现在没到账，镇民政办说早就拨下来了。")],
    [("龙海区海澄镇", "我外孙女爸妈都不在了，孤儿补助一个月一千多，村会计把卡扣着，钱每个月都被取走。"),
     ("云霄县列屿镇", "列屿镇民政所说困境儿童生活补助要扣百分之十管理费，扣了也不给收据。"),
     ("漳浦县绥安镇", "孩子能领事实无人抚养儿童补贴，村里的儿童主任说帮忙代领，领了半年一分钱没给孩子。")],
])
def test_one_programme_in_other_names_is_one_matter(told) -> None:
    issues = _issues(told)
    assert len({issues[f"P{k:02d}"] for k in range(len(told))}) == 1, issues
    assert all(issues[f"P{k:02d}"] != issues["P00"] for k in range(len(told), len(told) + len(FILL)))


def test_the_programme_names_are_one_matter_word() -> None:
    assert "救灾" in mine("镇里报了水毁农田修复补助，村干部先扣三百。").cores
    assert "救灾" in mine("灾后重建补助到手少了一半。").cores
    assert "孤儿" in mine("困境儿童生活补助被扣了百分之十。").cores
    assert "沼气" in mine("户用沼气的补贴被村会计领走了。").cores


@pytest.mark.parametrize("text", [
    "去年发洪水把我家的田淹了，村干部占了我家的宅基地。",  # the flood is a setting, not a programme
    "我是一名老党员，反映村支书打牌赌博。",  # who writes, not a programme
    "村医给人打针用了过期药，卫生院说是他个人行为。",  # who acted
])
def test_a_setting_or_a_person_names_no_programme(text) -> None:
    cores = set(mine(text).cores)
    assert not cores & {"救灾", "老党员补贴", "村医补助"}, cores
