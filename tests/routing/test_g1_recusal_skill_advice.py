"""A visit left out because every team with its 专长 has someone to 回避 says which team and who, and, when a team
without the 专长 has nobody to 回避, offers 不要求…专长 so that team can take it (user walk of 规划: no button)."""

from __future__ import annotations

from planner.domain import TeamMember
from planner.routing.advice import PlanRequest, apply_suggestion, grouped_suggestions
from planner.routing.report import plan_document
from tests.routing.conftest import MONDAY, PLAIN, team, visit

#: 第A组 has the 林业 专长 (甲) and 乙, whom the visits must 回避; 第B组 has no 专长 and nobody to 回避.
A = team("A", members=(TeamMember("a1", "甲", skills=("forestry",)), TeamMember("a2", "乙")))
B = team("B", members=(TeamMember("b1", "丙"), TeamMember("b2", "丁")))
C = team("C", skills=("forestry",), members=(TeamMember("c1", "戊"),))


def _plan(visits, teams, request: PlanRequest):
    chosen = [t for t in teams if t.team_id in request.team_ids]
    return plan_document(list(visits), chosen, start_date=request.start_date, days=request.days,
                         time_limit_s=1.0, travel=PLAIN, all_teams=chosen)


def _forest(vid: str, k: int, excluded=("a2",), **kw):
    return visit(vid, 117.33 + 0.01 * k, 24.37, 45, skills=("forestry",), excluded_members=excluded, **kw)


def test_skill_only_in_a_team_with_someone_to_recuse_offers_dropping_the_skill_and_it_plans_them():
    visits = [_forest("S0", 0), _forest("S1", 1), _forest("S2", 2, must=True)]
    request = PlanRequest(MONDAY, 1, ("A", "B"))
    doc = _plan(visits, [A, B], request)
    assert doc.plan.planned_visit_ids() == set()
    by_id = {u.visit_id: u for u in doc.plan.unassigned}
    assert by_id["S0"].reason_code == "excluded" and by_id["S2"].reason_code == "infeasible_must"
    for u in by_id.values():
        # Which team has the 专长, who in it must 回避, and why the other team may not go as things stand.
        assert "具备林业专长的只有第A组，其中乙须回避" in u.reason, u.reason
        assert "第B组无须回避的人员，但不具备林业专长" in u.reason, u.reason
        (s,) = [s for s in u.suggestions if s.kind == "drop_skill"]
        assert s.label == "不要求林业专长，可由第B组走访" and s.label in u.reason
    # One click for all three, first among the buttons.
    every, ids = grouped_suggestions(doc.plan.unassigned)[0]
    assert every.kind == "drop_skills" and set(ids) == {"S0", "S1", "S2"}
    r2, v2 = apply_suggestion(request, visits, every)
    after = _plan(v2, [A, B], r2)
    assert after.plan.planned_visit_ids() == {"S0", "S1", "S2"}
    assert {r.team_id for r in after.plan.routes if r.stops} == {"B"}
    # One visit's own button lets that one in too.
    r3, v3 = apply_suggestion(request, visits, by_id["S1"].suggestions[0])
    assert "S1" in _plan(v3, [A, B], r3).plan.planned_visit_ids()


def test_every_team_with_the_skill_is_named_with_whom_it_must_recuse():
    visits = [_forest("S0", 0, excluded=("a2", "c1"))]
    doc = _plan(visits, [A, B, C], PlanRequest(MONDAY, 1, ("A", "B", "C")))
    (u,) = doc.plan.unassigned
    assert u.reason.startswith("具备林业专长的第A组、第C组都有须回避的人员（第A组：乙须回避；第C组：戊须回避）；"
                               "第B组无须回避的人员，但不具备林业专长"), u.reason
    assert [s.label for s in u.suggestions] == ["不要求林业专长，可由第B组走访"]


def test_no_skill_suggestion_when_every_team_has_someone_to_recuse():
    """Dropping the 专长 would not let it in: it is not offered, and the reason still says who must 回避."""
    visits = [_forest("S0", 0, excluded=("a2", "b1")), _forest("S1", 1, excluded=("a2", "b1"))]
    doc = _plan(visits, [A, B], PlanRequest(MONDAY, 1, ("A", "B")))
    for u in doc.plan.unassigned:
        assert u.reason_code == "excluded"
        assert u.reason == "具备林业专长的只有第A组，其中乙须回避", u.reason
        assert not u.suggestions
    assert grouped_suggestions(doc.plan.unassigned) == []


def test_a_visit_pinned_to_the_team_with_the_skill_names_who_must_recuse():
    visits = [_forest("P", 0, team_id="A")]
    doc = _plan(visits, [A, B, C], PlanRequest(MONDAY, 1, ("A", "B", "C")))
    (u,) = doc.plan.unassigned
    assert u.reason == "指定的第A组中乙须回避。建议：取消指定检查组", u.reason  # 第C组 has the 专长 and no one to 回避
