"""Manual reorder: times recomputed like the solver, violations listed."""

from __future__ import annotations

import pytest

from planner.errors import InputError
from planner.routing import solve
from planner.routing.reorder import reorder, unassign
from tests.routing.conftest import MONDAY, check_plan


def test_reverse_order_recomputes_times(pinghe_three):
    plan = solve(pinghe_three, time_limit_s=1)
    route = plan.routes[0]
    res = reorder(pinghe_three, plan, route.team_id, route.date, list(reversed(route.visit_ids)))
    assert res.plan.routes[0].visit_ids == tuple(reversed(route.visit_ids))
    assert res.ok
    check_plan(pinghe_three, res.plan)


def test_overfull_day_lists_violations(overloaded_day):
    plan = solve(overloaded_day, time_limit_s=1)
    all_ids = [v.visit_id for v in overloaded_day.visits]
    res = reorder(overloaded_day, plan, "A", MONDAY, all_ids)
    assert not res.ok
    assert any("超过下班时间" in v or "午休" in v for v in res.violations)
    assert not res.plan.unassigned  # everything is now on the route, by hand


def test_unassign_and_errors(pinghe_three):
    plan = solve(pinghe_three, time_limit_s=1)
    res = unassign(pinghe_three, plan, "山格")
    assert "山格" not in res.plan.planned_visit_ids()
    assert [u.reason_code for u in res.plan.unassigned] == ["manual"]
    with pytest.raises(InputError, match="'无此点'"):
        reorder(pinghe_three, plan, "A", MONDAY, ["无此点"])
    with pytest.raises(InputError, match="不出行"):
        reorder(pinghe_three, plan, "Z", MONDAY, [])
