"""Walk 3 (F7): 关联分析 says which letters a leader placed by hand; labels take no tail of a place's name nor a bare
公司 as 被反映对象; route maps show every stop number where two stops share a point."""

from __future__ import annotations

import datetime as dt
import re

from planner.analysis.clustering import Decision, Letter, analyse
from planner.domain import Route, Stop, Team, Visit
from planner.field import map_layers
from planner.store.cluster_marks import manual_marks
from planner.store.clusters import record_decision


def test_f7_hand_placed_letters_are_marked(session) -> None:
    record_decision(session, Decision("move", letter_ids=("W3-071",), target="I0004"), who="zuzhang1")
    record_decision(session, Decision("link", letter_ids=("W3-010", "W3-012"), target="I0004"), who="zuzhang1")
    record_decision(session, Decision("link", letter_ids=("W3-020", "W3-021")), who="zuzhang1")
    record_decision(session, Decision("unlink", letter_ids=("W3-020", "W3-021")), who="zuzhang1")
    session.commit()
    marks = manual_marks(session, ["W3-010", "W3-012", "W3-071", "W3-020", "W3-021", "W3-030"])
    assert marks["W3-071"].startswith("人工加入（zuzhang1，")
    assert re.search(r"\d{4}-\d{2}-\d{2}）$", marks["W3-071"])
    assert marks["W3-012"].startswith("人工确认（与 W3-010")
    assert marks["W3-010"].startswith("人工确认（与 W3-012")
    assert not {"W3-020", "W3-021", "W3-030"} & set(marks)  # a rejected pair and an engine's letter: no mark


def _letters() -> list[Letter]:
    d = dt.date(2026, 10, 1)
    return [
        Letter("A1", "璞山村有人冒领去世老人的高龄补贴和养老金，村里的人都知道。", d, address="南靖县梅林镇璞山村"),
        Letter("A2", "璞山村村干部帮已经去世的老人冒领高龄补贴，家属不知情。", d, address="南靖县梅林镇璞山村"),
        Letter("A3", "璞山村高龄补贴被冒领，去世老人名字还在名单上。", d, address="南靖县梅林镇璞山村"),
        Letter("B1", "招山村土地流转给公司种茶，租金拖欠两年没付。", d, address="华安县仙都镇招山村"),
        Letter("B2", "招山村的土地流转租金被拖欠，公司一直不给钱。", d, address="华安县仙都镇招山村"),
    ]


def test_f7_labels_take_no_tail_of_a_place_and_no_bare_company() -> None:
    result = analyse(_letters())
    groups = {c.case_nos[0]: c for c in result.issues if c.size >= 2}
    assert {"A1", "B1"} <= set(groups)
    for c in groups.values():
        words = [*c.label.split("、"), *c.key_terms]
        assert "山村" not in words, c
        assert "公司" not in c.reported, c
    assert "高龄补贴" in groups["A1"].label


def test_f7_stops_at_one_point_show_both_numbers() -> None:
    team = Team("T1", "第一组", 117.647, 24.513, base_name="市纪委监委")
    visits = {
        "V1": Visit("V1", 117.35, 24.35, 60, label="梅林镇<璞山村>", case_nos=("A1",)),
        "V2": Visit("V2", 117.30, 24.30, 45, label="小溪镇", case_nos=("A2",)),
        "V3": Visit("V3", 117.35, 24.35, 45, label="梅林镇", case_nos=("A3",)),
    }
    route = Route("T1", dt.date(2026, 12, 7), 510, 1000,
                  (Stop("V1", 560, 560, 620, 3000, 40000), Stop("V2", 680, 680, 725, 1200, 9000),
                   Stop("V3", 740, 740, 785, 1200, 9000)), 5400, 90000)
    page = map_layers.route_map([route], visits, {"T1": team}).get_root().render()
    numbers = [n.replace("\\u00b7", "·") for n in
               re.findall(r'xf-stop\\" style=\\"--c:#\w+[^"\\]*\\"\\u003e((?:\d|\\u00b7)+)\\u003c', page)]
    assert sorted(numbers) == ["1·3", "2"]
    assert "第 1、3 站在同一地点" in page
    assert "梅林镇&lt;璞山村&gt;" in page and "梅林镇<璞山村>" not in page
