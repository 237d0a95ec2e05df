"""Walk W32: a left-out stop's reason speaks of the teams that may do it (专长, 回避, a pinned team), no other.

V009 (财务, window 08:30-09:00) read 「在班次内赶不上：最早 08:51 到达」: 08:51 is inside the window, the arrival of
the 平和 team, which has no 财务. V011, V016, V017 (财务) read 「排入的 V040 期限更晚或优先级更低」: V040 was a 林业
stop of that same team, on a day the 财务 stops could never use.
"""

from __future__ import annotations

import re

from planner.domain import hhmm
from planner.routing.report import plan_document
from tests.routing.conftest import MONDAY, PINGHE_BASE, PLAIN, team, visit

ZHANGPU_BASE = (117.611, 24.119)


def _teams(**finance):
    land = team("L", skills=("land", "forestry"), shift_start_min=8 * 60)
    money = team("F", base=ZHANGPU_BASE, skills=("finance",), shift_start_min=8 * 60 + 30, **finance)
    return [land, money]


def _left(doc, vid: str):
    (u,) = [u for u in doc.plan.unassigned if u.visit_id == vid]
    return u


def test_x6_a_window_missed_names_the_arrival_of_a_team_with_the_skill():
    # Next to 平和's base: the 平和 team (no 财务) is there by 08:30; the 漳浦 team (财务) comes after 09:00.
    near = visit(
        "V009",
        PINGHE_BASE[0] + 0.05,
        PINGHE_BASE[1] + 0.05,
        60,
        must=True,
        skills=("finance",),
        window_start_min=8 * 60 + 30,
        window_end_min=9 * 60,
    )
    doc = plan_document([near], _teams(), start_date=MONDAY, days=1, time_limit_s=1.0, travel=PLAIN)
    u = _left(doc, "V009")
    found = re.search(r"最早 (\d\d:\d\d) 到达", u.reason)
    assert found, u.reason
    assert found.group(1) > hhmm(9 * 60), u.reason  # the 财务 team's arrival: after the window, as the fact says


def test_x6_a_capacity_reason_names_no_stop_of_a_team_without_the_skill():
    # One 财务 team-day holding one stop: the lighter 财务 stop is left out. The 平和 team's 土地 stop (lighter
    # still) was not kept in its place: it is on a day the 财务 stop may not use.
    heavy = visit("F重", ZHANGPU_BASE[0] + 0.03, ZHANGPU_BASE[1] + 0.02, 45, priority=5, skills=("finance",))
    light = visit("F轻", ZHANGPU_BASE[0] + 0.04, ZHANGPU_BASE[1] + 0.03, 45, priority=4, skills=("finance",))
    land = visit("V040", PINGHE_BASE[0] + 0.02, PINGHE_BASE[1] + 0.02, 45, priority=1, skills=("land",))
    doc = plan_document(
        [heavy, light, land], _teams(max_visits_per_day=1), start_date=MONDAY, days=1, time_limit_s=1.0, travel=PLAIN
    )
    assert doc.plan.planned_visit_ids() >= {"F重", "V040"}
    u = _left(doc, "F轻")
    assert u.reason_code == "capacity", u.reason
    assert "V040" not in u.reason, u.reason
    assert "第L组不具备财务专长" in u.reason, u.reason


def test_x6_no_team_with_the_skill_is_said_as_such():
    v = visit(
        "V009",
        PINGHE_BASE[0] + 0.05,
        PINGHE_BASE[1] + 0.05,
        60,
        skills=("finance",),
        window_start_min=8 * 60 + 30,
        window_end_min=9 * 60,
    )
    doc = plan_document([v], _teams()[:1], start_date=MONDAY, days=1, time_limit_s=1.0, travel=PLAIN)
    u = _left(doc, "V009")
    assert u.reason_code == "no_skill", u.reason
    assert u.reason.startswith("参加规划的检查组都不具备所需专长（财务）"), u.reason
    assert "到达" not in u.reason, u.reason
