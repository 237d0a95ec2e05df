"""One company named on both sides doing one thing is one matter wherever the letters were written (walk S: 金鑫砂石
dredging the 北溪 in 华安, 龙文 and 芗城, told four ways, came out as three groups), and the explanation says the
shared place at the level both letters share (同一县区：华安县, not 地点相同 beside 不同地点 among the doubts)."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.companies import _company_name, _same_company
from planner.commands.cluster import geocode_letters

DAY = dt.date(2026, 9, 3)


def _sand() -> list[Letter]:
    return geocode_letters([
        Letter("s1", "华安县丰山镇九龙江北溪河段，金鑫砂石公司夜间开采砂船作业，河床挖深，"
               "岸边竹林塌方，镇里有人给其通风报信。",
               DAY, address="华安县丰山镇浦西村", reported_units=("金鑫砂石有限公司",), petitioner_key="p1"),
        Letter("s2", "反映郭坑镇扶摇村附近北溪河道被非法采砂，砂场是金鑫公司的，运砂车压坏村道，"
               "村民多次向镇里反映无人处理。",
               DAY, address="龙文区郭坑镇扶摇村", petitioner_key="p2"),
        Letter("s3", "九龙江北溪华安段至浦南段长期存在盗采河砂问题，涉事企业金鑫砂石，当地监管部门失职，群众意见很大。",
               DAY, address="华安县"),
        # The same company about another matter, and another company about the same matter: not this one.
        Letter("w1", "金鑫砂石公司拖欠工人工资三个月，老板说没钱，工人去讨薪被赶出来。", DAY, address="长泰区陈巷镇",
               petitioner_key="p4"),
        Letter("o1", "南靖县船场镇船场溪有人非法采砂，宏达公司的挖机天天在河里挖。", DAY, address="南靖县船场镇",
               petitioner_key="p5"),
    ])


def test_the_distinctive_names_match_by_prefix_and_in_the_text():
    assert _company_name("金鑫砂石有限公司") == "金鑫砂石" and _company_name("金鑫公司") == "金鑫"
    assert _same_company(frozenset({"金鑫砂石"}), frozenset({"金鑫"}), "", "") == "金鑫砂石"
    assert _same_company(frozenset({"金鑫砂石"}), frozenset(), "", "涉事企业金鑫砂石") == "金鑫砂石"
    assert _same_company(frozenset({"金鑫砂石"}), frozenset({"宏达"}), "", "宏达公司") == ""
    assert _same_company(frozenset({"金鑫"}), frozenset(), "", "金鑫") == ""  # two characters: only as a company


def test_one_company_one_matter_across_counties():
    res = analyse(_sand())
    assert res.issue_of["s1"] == res.issue_of["s2"] == res.issue_of["s3"]
    assert res.issue_of["w1"] != res.issue_of["s1"]  # the company's wages: another matter
    assert res.issue_of["o1"] != res.issue_of["s1"]  # sand dredged by another company
    assert len(set(res.cluster(res.issue_of["s1"]).county_codes)) >= 2


def test_the_shared_place_is_said_at_its_level():
    res = analyse(_sand())
    reasons = res.explain("s1", "s3").reasons()
    assert "同一县区：华安县" in reasons, reasons
    assert not any(r.startswith("地点相同") for r in reasons)
    one_village = geocode_letters([
        Letter("v1", "华安县丰山镇浦西村的路灯坏了半年没人修。", DAY, address="华安县丰山镇浦西村"),
        Letter("v2", "浦西村路灯坏了，村里说没钱修。", DAY, address="华安县丰山镇浦西村"),
        Letter("v3", "丰山镇的路灯坏了很久。", DAY, address="华安县丰山镇"),
    ])
    res = analyse(one_village)
    assert res.explain("v1", "v2").same_place_said == "地点相同"
    assert res.explain("v1", "v3").same_place_said == "同一乡镇"  # a village on one side, the town on the other
