"""A group of one village's cadres paying themselves (滥发补贴) is titled by the practice and its village
(村干部滥发补贴 · 大地村): the letters share no word of it (误工补贴 / 加班费 / 过节费), so a title of their words read
补贴、山林、加班费 and two villages' groups could not be told apart. Its hotspot reads 村干部滥发补贴（大地村）."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse
from planner.field.map_layers import hotspot_place
from planner.store import clusters as store
from planner.store.models import CaseRow, ClusterRow

DAY = dt.date(2026, 10, 5)
ROWS = [
    ("华安县仙都镇大地村", "大地村的村干部每月给自己发误工补贴，每人五六百，村民代表会从来没讨论过。"),
    ("龙海区紫泥镇锦田村", "锦田村的垃圾站建在水源边上，臭气熏天，夏天苍蝇成群。"),
    ("南靖县书洋镇田中村", "田中村村委会把村里的山林卖给老板，价钱很低，村民不知情。"),
    ("平和县九峰镇黄田村", "黄田村低保评审不公开，有车有房的人家也吃低保。"),
    ("东山县铜陵镇大澳村", "大澳村渔船燃油补贴被村干部冒领，渔民没拿到钱。"),
    ("华安县仙都镇大地村", "我们大地村两委用集体收入给自己发加班费，端午中秋还各发一千块过节费。"),
    ("华安县仙都镇", "大地村支书和主任自己开会定了个值班补贴，钱从村里的山林承包款里出。"),
    ("漳浦县盘陀镇和美村", "和美村村委自己给自己发补贴，名目叫误工费"),
    ("漳浦县盘陀镇和美村", "和美村干部中秋国庆自行发放慰问金给村干部本人"),
]
DADI, HEMEI = ("S0", "S5", "S6"), ("S7", "S8")


def _letters() -> list[Letter]:
    return [Letter(f"S{k}", t, DAY + dt.timedelta(days=k), address=a) for k, (a, t) in enumerate(ROWS)]


def test_a_villages_self_pay_group_is_titled_by_the_practice_and_the_village() -> None:
    res = analyse(_letters())
    dadi, hemei = res.cluster(res.issue_of["S0"]), res.cluster(res.issue_of["S7"])
    assert set(dadi.case_nos) == set(DADI) and set(hemei.case_nos) == set(HEMEI)
    assert dadi.label == "村干部滥发补贴 · 大地村"
    assert hemei.label == "村干部滥发补贴 · 和美村"
    hotspot = res.cluster(res.hotspot_of["S0"])
    assert hotspot.label == "村干部滥发补贴（大地村）" and hotspot_place(hotspot.label) == "大地村"
    # Other groups keep the words their letters write.
    assert "滥发补贴" not in res.cluster(res.issue_of["S1"]).label
    assert "垃圾站" in res.cluster(res.issue_of["S1"]).label


def test_a_group_the_practice_is_not_most_of_keeps_its_words() -> None:
    from planner.analysis import Decision, apply_decision

    # A leader puts a 滥发补贴 letter and the 山林 letter with the 垃圾站 letter: not what the group is about.
    first = analyse(_letters())
    res = apply_decision(first, Decision("move", letter_ids=("S0", "S2"), target=first.issue_of["S1"]))
    cluster = res.cluster(res.issue_of["S0"])
    assert set(cluster.case_nos) == {"S0", "S1", "S2"}
    assert "滥发补贴" not in cluster.label and cluster.label != "（无关键词）"


def test_two_villages_merged_by_a_leader_name_both(session) -> None:
    from planner.analysis import Decision

    letters = _letters()
    for lt in letters:
        session.add(CaseRow(case_no=lt.letter_id, received_date=lt.received_date,
                            deadline=lt.received_date + dt.timedelta(days=60), content=lt.text,
                            address_text=lt.address))
    session.flush()
    first = store.recluster(session, letters)
    res = store.decide(session, first, Decision("merge", source=first.issue_of["S7"], target=first.issue_of["S0"]),
                       who="组长甲")
    session.commit()
    label = res.cluster(res.issue_of["S7"]).label
    assert label.startswith("村干部滥发补贴 · ") and "大地村" in label and "和美村" in label
    assert session.get(ClusterRow, res.issue_of["S7"]).label == label
    assert session.get(ClusterRow, first.issue_of["S0"]).label == label  # the stored title is the one shown
