"""One kind of unit taking money for one service at several places, under different names (issue 18, run 73, dev6).

派出所 and 户口: 加急费 at one station, a 红包 at another, 代办费 or 手续费 at a third is one practice; how the money
was taken is no object of its own (户口、红包 / 户口、代办费 was refused as 对象不同). A station's other business
(a theft reported, a noisy road) stays apart."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.evidence import _own_objects, _unit_charges

DAY = dt.date(2026, 9, 1)
FILL = [
    ("龙海区紫泥镇锦田村", "锦田村的垃圾站建在水源边上，臭气熏天，夏天苍蝇成群。"),
    ("南靖县书洋镇田中村", "田中村村委会把村里的山林卖给老板，价钱很低，村民不知情。"),
    ("平和县九峰镇黄田村", "黄田村低保评审不公开，有车有房的人家也吃低保。"),
    ("诏安县四都镇", "四都镇中学食堂饭菜质量差，价格又高，学生吃不饱。"),
]


def _issues(rows: list[tuple[str, str]]) -> list[str]:
    letters = [Letter(f"L{k}", t, DAY + dt.timedelta(days=4 * k), address=a) for k, (a, t) in enumerate(rows + FILL)]
    res = analyse(letters)
    return [res.issue_of[f"L{k}"] for k in range(len(rows))]


def test_how_the_money_was_taken_is_no_object_of_its_own():
    assert not _own_objects(("户口",), ("户口", "红包"), ("户口", "代办费"))
    assert _own_objects(("保证金",), ("桉树", "保证金"), ("建房", "保证金"))  # two objects: two matters


def test_a_station_charging_for_one_service_under_other_names():
    assert _unit_charges(("户口",), ("户口",), ("户口", "红包"), "户籍室办理户口迁移时收取加急费二百元。",
                         "迁户口，辅警说要包了五百块红包才给盖章。")
    assert not _unit_charges(("户口",), ("户口",), ("户口",), "户籍室办理户口迁移时收取加急费二百元。",
                             "户口迁移要等两个月，窗口态度很差。")  # no money asked on one side


def test_one_practice_at_three_stations_and_the_station_s_other_business_apart():
    got = _issues([
        ("漳浦县旧镇镇", "反映旧镇派出所户籍室办理户口迁移时收取“加急费”二百元，不交则称需等待两个月。"),
        ("诏安县四都镇", "我老婆从广东嫁过来迁户口，四都派出所的辅警说要请他们所里喝茶，包了五百块红包才给盖章。"),
        ("云霄县东厦镇洲渡村", "儿子大学毕业户口迁回来，去东厦派出所，说落户要交落户手续费六百元，上户口根本不收钱。"),
        ("南靖县南坑镇", "我家被偷了一台摩托车和一些现金，报到南坑派出所半年了没有结果，民警说没有线索。"),
    ])
    assert got[0] == got[1] == got[2]
    assert got[3] != got[0]
