"""与上一方案比较 after a re-plan that could not place two revisits read 移出：0 个 beside 未安排 +2 (walk W14): the
revisits were in no route of the previous plan (it held them as 待再访), so nothing was 移出. compare names them."""

from __future__ import annotations

import dataclasses

from planner.domain import Unassigned
from planner.routing import PlanOptions, build_problem, solve
from planner.routing.planio import PlanDocument
from planner.routing.report import changes_text, compare, kpis
from planner.routing.revisits import REVISIT_CODE
from tests.routing.conftest import CITY_BASE, MONDAY, PLAIN, team, visit


def test_revisits_the_new_plan_could_not_place_are_said_beside_the_stops_removed():
    visits = [visit(f"V{k}", CITY_BASE[0] + 0.01 * k, CITY_BASE[1]) for k in range(1, 4)]
    teams = [team("T1")]
    problem = build_problem(visits, teams, start_date=MONDAY, days=1, travel=PLAIN, options=PlanOptions())
    plan = solve(problem, time_limit_s=1, seed=0)
    routed = {s.visit_id for r in plan.routes for s in r.stops}
    assert routed == {"V1", "V2", "V3"}
    by_id = {v.visit_id: v for v in visits}
    extra = {"R1": visit("R1", CITY_BASE[0], CITY_BASE[1] + 0.01), "R2": visit("R2", CITY_BASE[0], CITY_BASE[1] + 0.02)}
    old_plan = dataclasses.replace(plan, unassigned=(*plan.unassigned, *(Unassigned(v, REVISIT_CODE, "待再访")
                                                                         for v in extra)))
    new_plan = dataclasses.replace(plan, unassigned=(*plan.unassigned, *(Unassigned(v, "capacity", "运力不够")
                                                                         for v in extra)))
    old = PlanDocument(old_plan, by_id | extra, {t.team_id: t for t in teams}, {})
    new = PlanDocument(new_plan, by_id | extra, {t.team_id: t for t in teams}, {})
    diff = compare(old, new)
    assert diff["removed"] == [] and diff["waiting_out"] == ["R1", "R2"]
    assert diff["delta"]["unassigned"] == kpis(new)["unassigned"] - kpis(old)["unassigned"] == 2
    assert changes_text(diff) == "调整组/日期：0 个；新排入：0 个；移出：0 个；待再访未能排入：2 个"
    # A plan compared with itself says nothing of them.
    assert compare(new, new)["waiting_out"] == [] and changes_text(compare(new, new)).endswith("移出：0 个")
