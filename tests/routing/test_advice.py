"""Left-out visits name the constraint that blocks them and a change that lets them in; the change works."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from planner.domain import TeamMember
from planner.errors import InputError
from planner.routing import build_problem, solve
from planner.routing.advice import PlanRequest, apply_suggestion
from planner.routing.report import plan_document
from tests.routing.conftest import MONDAY, PLAIN, check_plan, team, visit


def _plan(visits, teams, request: PlanRequest, limit: float = 1.0):
    chosen = [t for t in teams if t.team_id in request.team_ids]
    return plan_document(list(visits), chosen, start_date=request.start_date, days=request.days,
                         time_limit_s=limit, travel=PLAIN, all_teams=teams)


def _one(doc, visit_id):
    (u,) = [u for u in doc.plan.unassigned if u.visit_id == visit_id]
    return u


def test_deadline_before_start_says_so_and_starting_earlier_plans_it():
    # The case: due 2026-12-02 (a Wednesday), plan starting Monday 2026-12-07.
    teams = [team("A")]
    visits = [visit("期限已过", 117.33, 24.37, 60, latest_date=dt.date(2026, 12, 2)), visit("普通", 117.35, 24.36, 60)]
    request = PlanRequest(MONDAY, 3, ("A",))
    doc = _plan(visits, teams, request)
    u = _one(doc, "期限已过")
    assert u.reason_code == "deadline_before_start"
    assert "期限 2026-12-02 早于规划开始日期 2026-12-07" in u.reason
    assert "不在任何检查组的可用日期内" not in u.reason
    (s,) = u.suggestions
    assert s.kind == "start_earlier" and s.start_date == dt.date(2026, 12, 2)
    assert s.days == 6, "12-02..12-09 holds six working days: the old last day stays in the horizon"
    assert "开始日期提前到 2026-12-02" in u.reason

    request2, visits2 = apply_suggestion(request, visits, s)
    again = _plan(visits2, teams, request2)
    assert again.plan.planned_visit_ids() == {"期限已过", "普通"}
    (route,) = [r for r in again.plan.routes if "期限已过" in r.visit_ids]
    assert route.date <= dt.date(2026, 12, 2)


def test_deadline_on_a_sunday_suggests_the_friday_before():
    visits = [visit("X", 117.33, 24.37, 60, latest_date=dt.date(2026, 12, 6))]
    doc = _plan(visits, [team("A")], PlanRequest(MONDAY, 2, ("A",)))
    (s,) = _one(doc, "X").suggestions
    assert s.start_date == dt.date(2026, 12, 4) and s.start_date.weekday() == 4


def test_earliest_date_after_the_horizon_suggests_more_days():
    visits = [visit("X", 117.33, 24.37, 60, earliest_date=MONDAY + dt.timedelta(days=9))]  # Wednesday next week
    request = PlanRequest(MONDAY, 3, ("A",))
    doc = _plan(visits, [team("A")], request)
    u = _one(doc, "X")
    assert u.reason_code == "earliest_after_end"
    assert "最早可走访日期 2026-12-16 晚于规划最后一天 2026-12-09" in u.reason
    (s,) = u.suggestions
    assert s.kind == "add_days" and s.days == 8
    request2, visits2 = apply_suggestion(request, visits, s)
    assert _plan(visits2, [team("A")], request2).plan.planned_visit_ids() == {"X"}


def test_pinned_team_outside_the_plan_can_be_added_or_unpinned():
    teams = [team("A"), team("B")]
    visits = [visit("P", 117.33, 24.37, 60, team_id="B"), visit("Q", 117.34, 24.36, 60)]
    request = PlanRequest(MONDAY, 1, ("A",))
    doc = _plan(visits, teams, request)
    u = _one(doc, "P")
    assert u.reason_code == "team_absent" and "指定的第B组未参加本次规划" in u.reason
    kinds = [s.kind for s in u.suggestions]
    assert kinds == ["add_team", "unpin_team"]
    for s in u.suggestions:
        r2, v2 = apply_suggestion(request, visits, s)
        assert _plan(v2, teams, r2).plan.planned_visit_ids() == {"P", "Q"}


def test_a_visit_pinned_to_a_team_the_user_may_not_add_names_it_and_offers_only_unpinning():
    # A leader of A plans; the case was pinned to the office's team B, which the leader may not add.
    visits = [visit("P", 117.33, 24.37, 60, team_id="B"), visit("Q", 117.34, 24.36, 60)]
    mine = [team("A")]
    doc = plan_document(visits, mine, start_date=MONDAY, days=1, time_limit_s=1.0, travel=PLAIN, all_teams=mine,
                        team_names={"B": "第二检查组"})
    u = _one(doc, "P")
    assert u.reason_code == "team_absent" and "指定的第二检查组未参加本次规划" in u.reason
    assert [s.kind for s in u.suggestions] == ["unpin_team"]
    request = PlanRequest(MONDAY, 1, ("A",))
    r2, v2 = apply_suggestion(request, visits, u.suggestions[0])
    assert _plan(v2, mine, r2).plan.planned_visit_ids() == {"P", "Q"}


def test_missing_skill_names_the_skill_and_a_team_outside_the_plan_that_has_it():
    a = team("A", members=(TeamMember("a1", "甲"),))
    b = team("B", members=(TeamMember("b1", "乙", skills=("forestry",)),))
    c = team("C", members=(TeamMember("c1", "丙", skills=("forestry",)),))
    visits = [visit("S", 117.33, 24.37, 60, skills=("forestry",), excluded_members=("c1",))]
    request = PlanRequest(MONDAY, 1, ("A",))
    doc = _plan(visits, [a, b, c], request)
    u = _one(doc, "S")
    assert u.reason_code == "no_skill" and "参加规划的检查组都不具备所需专长（林业）" in u.reason
    assert [(s.kind, s.team_id) for s in u.suggestions] == [("add_team", "B"), ("drop_skill", "")], "C has 丙 to 回避"
    r2, v2 = apply_suggestion(request, visits, u.suggestions[0])
    assert r2.team_ids == ("A", "B")
    assert _plan(v2, [a, b, c], r2).plan.planned_visit_ids() == {"S"}


def test_a_visit_without_a_window_that_no_longer_fits_today_is_not_offered_to_drop_a_window():
    """Walk D: a plan of today only, made at 14:20, left out a 90-minute visit an hour's drive away with
    "时间窗赶不上 … 建议：取消时间窗" — the visit has no window; what is short is the rest of today's shift."""
    from planner.routing.problem import PlanOptions

    visits = [visit("F", 117.9, 24.9, 90)]  # far from the base: about two hours there and back at PLAIN speed
    doc = plan_document(visits, [team("A")], start_date=MONDAY, days=1, time_limit_s=1.0, travel=PLAIN,
                        options=PlanOptions(not_before=((MONDAY, 15 * 60 + 30),)))
    u = _one(doc, "F")
    assert "时间窗" not in u.reason and "今天从 15:30 出发已来不及在收班前结束" in u.reason
    assert [s.kind for s in u.suggestions] == ["add_days"] and not any(s.kind == "drop_window" for s in u.suggestions)
    r2, v2 = apply_suggestion(PlanRequest(MONDAY, 1, ("A",)), visits, u.suggestions[0])
    assert r2.days == 2
    later = plan_document(v2, [team("A")], start_date=MONDAY, days=2, time_limit_s=1.0, travel=PLAIN,
                          options=PlanOptions(not_before=((MONDAY, 15 * 60 + 30),)))
    assert later.plan.planned_visit_ids() == {"F"}


def test_unreachable_window_names_the_times_and_dropping_it_plans_the_visit():
    visits = [visit("U", 117.34, 24.38, 30, window_start_min=3 * 60, window_end_min=4 * 60)]
    request = PlanRequest(MONDAY, 1, ("A",))
    doc = _plan(visits, [team("A")], request)
    u = _one(doc, "U")
    assert u.reason_code == "window_unreachable"
    assert "时间窗 03:00-04:00" in u.reason and "最早 08:" in u.reason
    (s,) = u.suggestions
    r2, v2 = apply_suggestion(request, visits, s)
    assert v2[0].window_start_min is None
    assert _plan(v2, [team("A")], r2).plan.planned_visit_ids() == {"U"}


def test_capacity_suggests_one_more_day_and_it_helps(overloaded_day):
    visits = overloaded_day.visits
    request = PlanRequest(MONDAY, 1, ("A",))
    doc = _plan(visits, [team("A")], request)
    left = doc.plan.unassigned
    assert left and all(u.reason_code == "capacity" for u in left)
    assert "1 个组日的运力不够" in left[0].reason
    s = next(s for s in left[0].suggestions if s.kind == "add_days")
    assert s.days == 2
    r2, v2 = apply_suggestion(request, visits, s)
    assert len(_plan(v2, [team("A")], r2).plan.unassigned) < len(left)


def test_every_reason_of_the_constraint_week_names_a_fact_not_a_category(pinghe_week):
    plan = solve(pinghe_week, time_limit_s=2, seed=0)
    check_plan(pinghe_week, plan)
    for u in plan.unassigned:
        assert u.suggestions or u.reason_code in ("no_skill", "excluded", "infeasible_must"), u
    text = {u.visit_id: u.reason for u in plan.unassigned}
    assert text["O日期外"].startswith("期限 2026-12-04 早于规划开始日期 2026-12-07")
    assert "回避" in text["E全回避"] and "林一" in text["E全回避"]
    assert text["F必访无专长"].startswith("必访点无法排入：") and "水利" in text["F必访无专长"]


def test_group_conflict_can_be_split():
    visits = [visit("G1", 117.33, 24.37, 60, group="g", date=MONDAY),
              visit("G2", 117.34, 24.37, 60, group="g", date=MONDAY + dt.timedelta(days=1))]
    request = PlanRequest(MONDAY, 2, ("A",))
    doc = _plan(visits, [team("A")], request)
    u = _one(doc, "G1")
    assert u.reason_code == "group_conflict"
    s = next(s for s in u.suggestions if s.kind == "drop_group")
    r2, v2 = apply_suggestion(request, visits, s)
    assert all(not v.group for v in v2)
    assert _plan(v2, [team("A")], r2).plan.planned_visit_ids() == {"G1", "G2"}


def test_apply_rejects_unknown_changes():
    request = PlanRequest(MONDAY, 1, ("A",))
    from planner.domain import Suggestion

    with pytest.raises(InputError, match="不认识的调整建议类型"):
        apply_suggestion(request, [], Suggestion("teleport", "x"))
    with pytest.raises(InputError, match="不在走访点中"):
        apply_suggestion(request, [], Suggestion("unpin_team", "x", "nope"))
    with pytest.raises(InputError, match="工作日数"):
        dataclasses.replace(request, days=0)


def test_status_words_are_chinese(pinghe_three):
    plan = solve(pinghe_three, time_limit_s=1, seed=0)
    assert plan.status == "feasible" and plan.status_label == "可行"
    assert "feasible" not in plan.summary() and plan.summary().startswith("可行：")
    empty = build_problem([], [team("A")], start_date=MONDAY, days=1, travel=PLAIN)
    assert solve(empty, time_limit_s=1).status_label == "最优"


def test_request_changes_are_grouped_once_for_all_their_visits(overloaded_day):
    from planner.routing.advice import grouped_suggestions

    visits = [*overloaded_day.visits, visit("P", 117.33, 24.37, 60, team_id="B")]
    doc = _plan(visits, [team("A"), team("B")], PlanRequest(MONDAY, 1, ("A",)))
    groups = grouped_suggestions(doc.plan.unassigned)
    kinds = [s.kind for s, _ids in groups]
    assert kinds.count("add_days") == 1, "one button for every visit that one more day would let in"
    (ids,) = [ids for s, ids in groups if s.kind == "add_days"]
    assert len(ids) == len([u for u in doc.plan.unassigned if u.reason_code == "capacity"]) > 1
    s, ids = groups[0]
    assert (s.kind, s.team_id) == ("add_team", "B"), "第B组 would take the pinned visit and the overflow: most visits"
    assert ("unpin_team", ("P",)) in [(s.kind, ids) for s, ids in groups]


def test_capacity_of_the_only_team_with_the_skill_names_the_restriction_and_relaxing_it_plans_the_visit():
    # The walk's case: only 第A组 has the 专长 the letters need; 第B组 has none and its 乙 must 回避 one visit.
    a = team("A", members=(TeamMember("a1", "甲", skills=("forestry",)),))
    b = team("B", members=(TeamMember("b1", "乙"),))
    spots = [(117.33, 24.37), (117.35, 24.36), (117.36, 24.40), (117.30, 24.42), (117.38, 24.33), (117.31, 24.30),
             (117.40, 24.38), (117.28, 24.36)]
    visits = [visit(f"S{k}", lon, lat, 120, skills=("forestry",)) for k, (lon, lat) in enumerate(spots)]
    request = PlanRequest(MONDAY, 1, ("A", "B"))
    doc = _plan(visits, [a, b], request)
    left = [u for u in doc.plan.unassigned if u.reason_code == "capacity"]
    assert left, "one team-day of 8 two-hour visits cannot take them all"
    u = left[0]
    assert "只有第A组能走访（第B组不具备林业专长）" in u.reason
    assert "2 个组日的运力不够" not in u.reason
    kinds = [s.kind for s in u.suggestions]
    assert "drop_skill" in kinds and "add_days" in kinds
    drop = next(s for s in u.suggestions if s.kind == "drop_skill")
    assert drop.label == "不要求林业专长"
    r2, v2 = apply_suggestion(request, visits, drop)
    again = _plan(v2, [a, b], r2)
    assert u.visit_id in again.plan.planned_visit_ids()
    route_of = {s.visit_id: r.team_id for r in again.plan.routes for s in r.stops}
    assert route_of[u.visit_id] in ("A", "B")


def test_unpinning_a_visit_no_planned_team_could_take_also_drops_the_skill_so_one_click_plans_it():
    a = team("A", members=(TeamMember("a1", "甲"),))
    t5 = team("E", members=(TeamMember("e1", "戊", skills=("land",)),))
    visits = [visit("P", 117.33, 24.37, 60, team_id="E", skills=("land",))]
    request = PlanRequest(MONDAY, 1, ("A",))
    doc = plan_document(visits, [a], start_date=MONDAY, days=1, time_limit_s=1.0, travel=PLAIN, all_teams=[a],
                        team_names={"E": "第五检查组"})
    u = _one(doc, "P")
    (s,) = u.suggestions
    assert s.kind == "release" and "取消指定检查组并不要求" in s.label
    r2, v2 = apply_suggestion(request, visits, s)
    assert _plan(v2, [a, t5], r2).plan.planned_visit_ids() == {"P"}


def test_a_skill_no_team_has_can_be_dropped_for_one_visit():
    a = team("A", members=(TeamMember("a1", "甲"),))
    visits = [visit("S", 117.33, 24.37, 60, skills=("land",)), visit("Q", 117.34, 24.36, 60)]
    request = PlanRequest(MONDAY, 1, ("A",))
    u = _one(_plan(visits, [a], request), "S")
    assert u.reason_code == "no_skill"
    (s,) = [s for s in u.suggestions if s.kind == "drop_skill"]
    r2, v2 = apply_suggestion(request, visits, s)
    assert _plan(v2, [a], r2).plan.planned_visit_ids() == {"S", "Q"}


def test_a_suggestion_says_what_may_go_in_not_what_will() -> None:
    """M9: '可排入 … 等 7 个走访点' promised 7 and the re-plan placed 6: the text must not promise a count."""
    from planner.routing.advice import promise_text

    places = [f"村{i}" for i in range(7)]
    text = promise_text(places)
    assert "可能排入" in text and "等 7 个走访点" in text and "以规划结果为准" in text
    assert not text.startswith("可排入")
    assert promise_text(["上洋村"]) == "重新规划后可能排入：上洋村"


def test_a_deadline_already_past_is_said_so_and_the_start_never_moves_before_today():
    """Walk G: due 2026-12-02, today 2026-12-04, plan from 12-14: the suggestion offered 开始日期提前到 2026-12-02 and
    the plan made for a past day could be saved. Now the reason says the deadline has passed and the suggestion
    starts the plan today."""
    from planner.routing import PlanOptions

    today = dt.date(2026, 12, 4)
    teams = [team("A")]
    visits = [visit("已过期", 117.33, 24.37, 60, latest_date=dt.date(2026, 12, 2)),
              visit("指定旧日", 117.34, 24.36, 60, date=dt.date(2026, 12, 3)), visit("普通", 117.35, 24.36, 60)]
    problem = build_problem(visits, teams, start_date=dt.date(2026, 12, 14), days=3, travel=PLAIN,
                            options=PlanOptions(today=today))
    plan = solve(problem, time_limit_s=1, seed=0)
    check_plan(problem, plan)
    by = {u.visit_id: u for u in plan.unassigned}
    late = by["已过期"]
    assert late.reason_code == "deadline_before_start"
    assert "期限 2026-12-02 已过（今天 2026-12-04）" in late.reason
    (s,) = late.suggestions
    assert s.kind == "drop_deadline" and "取消已过的期限 2026-12-02" in s.label
    assert all(x.start_date is None or x.start_date >= today for u in plan.unassigned for x in u.suggestions)
    # Re-walk H: the suggestion must really let it in (starting today could not: the deadline is before today).
    request, adopted = apply_suggestion(PlanRequest(dt.date(2026, 12, 14), 3, ("A",)), visits, s)
    again = solve(build_problem(adopted, teams, start_date=request.start_date, days=request.days, travel=PLAIN,
                                options=PlanOptions(today=today)), time_limit_s=1, seed=0)
    assert "已过期" in again.planned_visit_ids()
    pinned = by["指定旧日"]
    assert "已过" in pinned.reason and [x.kind for x in pinned.suggestions] == ["unpin_date"]
    # A plan that already starts today has nothing earlier to offer.
    problem2 = build_problem(visits, teams, start_date=today, days=3, travel=PLAIN, options=PlanOptions(today=today))
    plan2 = solve(problem2, time_limit_s=1, seed=0)
    assert not [x for u in plan2.unassigned for x in u.suggestions if x.kind == "start_earlier"]


def test_starting_earlier_counts_every_visit_a_later_start_would_let_in():
    """Walk G: 开始日期提前到 12-08 said it might let in 1 visit and 提前到 12-09 said 2, listed 12-09 first; starting
    on 12-08 lets in all three. The earlier start now names them all and comes first."""
    from planner.routing.advice import grouped_suggestions

    teams = [team("A")]
    visits = [visit("八日", 117.33, 24.37, 60, latest_date=dt.date(2026, 12, 8)),
              visit("九日甲", 117.34, 24.36, 60, latest_date=dt.date(2026, 12, 9)),
              visit("九日乙", 117.35, 24.36, 60, latest_date=dt.date(2026, 12, 9))]
    doc = _plan(visits, teams, PlanRequest(dt.date(2026, 12, 14), 2, ("A",)))
    starts = [(s.start_date, set(ids)) for s, ids in grouped_suggestions(doc.plan.unassigned)
              if s.kind == "start_earlier"]
    assert starts[0] == (dt.date(2026, 12, 8), {"八日", "九日甲", "九日乙"})
    assert (dt.date(2026, 12, 9), {"九日甲", "九日乙"}) in starts


def test_a_missing_skill_and_a_deadline_before_the_start_are_both_named():
    """Re-walk H: a visit needing 林业 and due before the start read only 不具备所需专长; giving it a team with
    the skill would still have left it out. Both blocking facts are named, with a suggestion for each."""
    a = team("A", members=(TeamMember("a1", "甲"),))
    visits = [visit("S", 117.33, 24.37, 60, skills=("forestry",), latest_date=MONDAY - dt.timedelta(days=3))]
    request = PlanRequest(MONDAY, 2, ("A",))
    u = _one(_plan(visits, [a], request), "S")
    assert u.reason_code == "no_skill"
    assert "不具备所需专长（林业）" in u.reason
    assert f"；另外期限 {(MONDAY - dt.timedelta(days=3)).isoformat()} 早于规划开始日期" in u.reason
    assert {"drop_skill", "start_earlier"} <= {s.kind for s in u.suggestions}
    # Without the deadline the reason is the skill alone.
    only = _one(_plan([dataclasses.replace(visits[0], latest_date=None)], [a], request), "S")
    assert "另外" not in only.reason


def test_a_visit_due_within_a_plan_that_starts_today_left_out_for_capacity_can_be_made_a_must():
    """Walk I: a row read only 运力不够…被舍弃, no 建议: its deadline falls inside the plan, and the plan starts
    today, so neither starting earlier nor adding days at the end is offered. 设为必访 lets it in."""
    from planner.routing import PlanOptions

    spots = [(117.33 + 0.01 * i, 24.37) for i in range(9)]
    # The others are due today too (walk W21: a visit due within the plan goes before any due later).
    visits = [visit(f"P{i}", lon, lat, 60, priority=5, latest_date=MONDAY) for i, (lon, lat) in enumerate(spots)]
    visits.append(visit("期限内", 117.36, 24.40, 60, priority=1, latest_date=MONDAY))
    request = PlanRequest(MONDAY, 1, ("A",))
    opts = PlanOptions(today=MONDAY)
    doc = plan_document(list(visits), [team("A")], start_date=MONDAY, days=1, time_limit_s=1, travel=PLAIN,
                        all_teams=[team("A")], options=opts)
    u = _one(doc, "期限内")
    assert u.reason_code == "capacity"
    assert [s.kind for s in u.suggestions] == ["make_must"] and "建议：设为必访" in u.reason
    _request, visits2 = apply_suggestion(request, visits, u.suggestions[0])
    assert next(v for v in visits2 if v.visit_id == "期限内").must
    again = plan_document(list(visits2), [team("A")], start_date=MONDAY, days=1, time_limit_s=1, travel=PLAIN,
                          all_teams=[team("A")], options=opts)
    assert "期限内" in again.plan.planned_visit_ids()
