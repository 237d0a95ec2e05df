"""The capacity fact's third case (7ae0c0f): a stop left out while a team-day it may use stays empty says that day is
free and that a trip for it alone weighed more than its priority — never 「运力不够」 or 「都已排满」. The solver
reaches it only when its search ends first (the drop penalty exceeds any lone trip), so it is checked on
:func:`planner.routing.advice.explain` directly, with the vehicles the plan used."""

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
    code, fact, _sugg = explain(problem, vehicles, 1, "capacity", used=1, allowed=[0, 1], busy={0})
    tuesday = (MONDAY + dt.timedelta(days=1)).isoformat()
    assert code == "capacity"
    assert fact == (f"可走访它的组日中 第A组 {tuesday}还空着，但单为这一点出一趟车的路程和出车成本高于"
                    "优先级 2 的分量，被舍弃")
    assert "运力不够" not in fact and "排满" not in fact


def test_many_free_days_are_counted_after_the_first_three():
    problem, vehicles = _problem(3, teams=("A", "B"))
    assert len(vehicles) == 6
    allowed = list(range(6))
    code, fact, _sugg = explain(problem, vehicles, 1, "capacity", used=1, allowed=allowed, busy={0})
    free = [f"{vehicles[k].team.name} {vehicles[k].date.isoformat()}" for k in allowed[1:4]]
    assert code == "capacity"
    assert fact.startswith(f"可走访它的组日中 {'、'.join(free)}等 5 个还空着")


def test_a_free_day_is_not_told_as_only_some_teams_being_full():
    """With a free day the 「只有…能走访…排不下」 wording (all allowed days full) must not replace the fact."""
    problem, vehicles = _problem(2, teams=("A", "B"))
    allowed = [k for k, veh in enumerate(vehicles) if veh.team.team_id == "A"]
    code, fact, _sugg = explain(problem, vehicles, 1, "capacity", used=1, allowed=allowed, busy={allowed[0]})
    assert code == "capacity"
    assert fact.startswith("可走访它的组日中 第A组") and "排不下" not in fact
