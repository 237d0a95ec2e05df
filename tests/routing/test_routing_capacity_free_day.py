"""A stop left out while a team-day it may use stays empty says that day is free and that the search stopped
before placing it (code ``search_stopped``) — never 「运力不够」 or 「都已排满」, nor that a trip for it alone weighed
more than its priority (7ae0c0f said so; the drop penalty exceeds any lone trip, so that is never the reason). The
solver reaches it only when its search ends first, so it is checked on :func:`planner.routing.advice.explain`
directly, with the vehicles the plan used."""

from __future__ import annotations

import datetime as dt

from planner.routing import build_problem
from planner.routing.advice import explain
from tests.routing.conftest import MONDAY, PLAIN, team, visit


def _problem(days: int, teams=("A",)):
    visits = [visit("S0", 117.33, 24.37, 60), visit("L", 117.40, 24.40, 60, priority=2)]
    problem = build_problem(visits, [team(t) for t in teams], start_date=MONDAY, days=days, travel=PLAIN)
    return problem, problem.vehicles()


def test_an_allowed_day_left_empty_is_named_as_free():
    problem, vehicles = _problem(2)
    assert [v.date for v in vehicles] == [MONDAY, MONDAY + dt.timedelta(days=1)]
    code, fact, sugg = explain(problem, vehicles, 1, "capacity", used=1, allowed=[0, 1], busy={0}, ended="time",
                               search_s=4.75)
    tuesday = (MONDAY + dt.timedelta(days=1)).isoformat()
    assert code == "search_stopped"
    assert fact == (f"可走访它的组日中 第A组 {tuesday}还空着；求解时间（4.75 秒）用完时还没来得及排入它，不是运力不够；"
                    "再规划一次可能排入")
    assert "排满" not in fact and "成本" not in fact
    assert not sugg, "no 增加一个工作日: a usable day is empty"


def test_a_search_stopped_by_its_solution_cap_says_so():
    problem, vehicles = _problem(2)
    code, fact, _sugg = explain(problem, vehicles, 1, "capacity", used=1, allowed=[0, 1], busy={0},
                                ended="solutions")
    assert code == "search_stopped" and "搜索到设定的方案数上限停下时还没来得及排入它" in fact, fact


def test_many_free_days_are_counted_after_the_first_three():
    problem, vehicles = _problem(3, teams=("A", "B"))
    assert len(vehicles) == 6
    allowed = list(range(6))
    code, fact, _sugg = explain(problem, vehicles, 1, "capacity", used=1, allowed=allowed, busy={0})
    free = [f"{vehicles[k].team.name} {vehicles[k].date.isoformat()}" for k in allowed[1:4]]
    assert code == "search_stopped"
    assert "搜索结束时还没来得及排入它" in fact, fact
    assert fact.startswith(f"可走访它的组日中 {'、'.join(free)}等 5 个还空着")


def test_a_free_day_is_not_told_as_only_some_teams_being_full():
    """With a free day the 「只有…能走访…排不下」 wording (all allowed days full) must not replace the fact."""
    problem, vehicles = _problem(2, teams=("A", "B"))
    allowed = [k for k, veh in enumerate(vehicles) if veh.team.team_id == "A"]
    code, fact, _sugg = explain(problem, vehicles, 1, "capacity", used=1, allowed=allowed, busy={allowed[0]})
    assert code == "search_stopped"
    assert fact.startswith("可走访它的组日中 第A组") and "排不下" not in fact
