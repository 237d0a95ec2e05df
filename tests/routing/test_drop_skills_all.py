"""A plan leaving out 必访 visits is not reported as plain 可行, and the visits left out only for a 专长 no planned
team has get one 不要求这些专长（N 个走访点）button, not one per visit (walk B M3: 28 必访 left out, 29 buttons)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from planner.domain import Plan, Suggestion, Unassigned, Visit
from planner.routing.advice import (
    PlanRequest,
    apply_suggestion,
    drop_skills_suggestion,
    grouped_suggestions,
    plan_summary,
    status_text,
)

VISITS = {f"V{i}": Visit(f"V{i}", 117.3, 24.4, 30, must=i < 3, skills=("forestry",) if i else ("finance",))
          for i in range(4)}


def _out(vid: str, code: str = "no_skill") -> Unassigned:
    return Unassigned(vid, code, "参加规划的检查组都不具备所需专长",
                      (Suggestion("drop_skill", "不要求林业专长", vid),) if code == "no_skill" else ())


def test_status_says_how_many_must_visits_were_not_placed() -> None:
    import datetime as dt

    from planner.domain import Route, Stop

    route = Route("A", dt.date(2026, 12, 7), 510, 600, (Stop("V2", 540, 540, 570, 600, 1000),), 1200, 2000)
    plan = Plan(status="feasible", objective=0, routes=(route,),
                unassigned=(_out("V0"), _out("V1"), _out("V3")))
    # Walk W13: 「可行，但 2 个必访点未排入」 called a plan that fails its 必访 letters 可行.
    assert status_text(plan, VISITS) == "不满足必访要求（2 个必访点未排入）"
    assert plan_summary(plan, VISITS).startswith("不满足必访要求（2 个必访点未排入）：1 个走访点")
    none_must = dataclasses.replace(plan, unassigned=(_out("V3"),))
    assert status_text(none_must, VISITS) == "可行"
    # Re-walk N3: "无法排出，但 8 个必访点未排入" read as a contradiction.
    nothing = dataclasses.replace(plan, status="infeasible")
    assert status_text(nothing, VISITS) == "无法排出（2 个必访点未排入）"
    # Walk J: a plan with no visit in it (all held by another plan) read 最优，但 1 个必访点未排入.
    empty = dataclasses.replace(plan, status="optimal", routes=())
    assert status_text(empty, VISITS) == "没有排入任何走访点（2 个必访点未排入）"
    assert status_text(dataclasses.replace(empty, unassigned=(_out("V3"),)), VISITS) == "没有排入任何走访点"


def test_one_suggestion_drops_the_skills_of_every_visit_blocked_only_by_them() -> None:
    must = Unassigned("V2", "infeasible_must",
                      "必访点无法排入：参加规划的检查组都不具备所需专长（林业）。建议：不要求林业专长",
                      (Suggestion("drop_skill", "不要求林业专长", "V2"),))
    unassigned = (_out("V0"), _out("V1"), must, _out("V3", "capacity"))
    suggestion, ids = drop_skills_suggestion(unassigned)
    assert suggestion.label == "不要求这些专长（3 个走访点）" and ids == ("V0", "V1", "V2")
    assert grouped_suggestions(unassigned)[0] == (suggestion, ids)  # listed first, above the per-visit buttons
    request = PlanRequest(dt.date(2026, 12, 7), 3, ("T1",))
    same, visits = apply_suggestion(request, tuple(VISITS.values()), suggestion)
    assert same == request
    assert [v.skills for v in visits] == [(), (), (), ("forestry",)]
    assert drop_skills_suggestion(unassigned[:1]) is None  # one visit: its own button says it
