"""The reason given for a stop left out is the real one ("never guess silently"):

* a stop whose deadline fell on a plan day already gone (a re-plan on Wednesday of a plan begun on Monday) says its
  deadline has passed, not that the teams do not go out on its days;
* a stop ruled out by a team's daily driving limit or visit cap names that limit, not 「班次内排不下」;
* a same-day group whose stops fit one by one but not together names the group and its total against the shift;
* a stop whose visit the shift holds but the lunch break cannot be placed around names the break, not the shift;
* a stop left out while a team-day it may use stays empty says the search stopped before placing it (how it ended
  comes from OR-Tools: its time limit or its solution cap), not that a trip for it alone costs too much.
"""

from __future__ import annotations

import datetime as dt

from planner.routing.problem import PlanOptions
from planner.routing.report import plan_document
from tests.routing.conftest import MONDAY, PLAIN, team, visit

TUESDAY, WEDNESDAY = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)


def _left(doc, vid: str):
    (u,) = [u for u in doc.plan.unassigned if u.visit_id == vid]
    return u


def test_a_deadline_on_a_day_gone_is_said_to_have_passed():
    visits = [visit("Late", 117.33, 24.37, 60, latest_date=TUESDAY), visit("X", 117.36, 24.40, 60)]
    doc = plan_document(visits, [team("A")], start_date=MONDAY, days=5, time_limit_s=1.0, travel=PLAIN,
                        options=PlanOptions(today=WEDNESDAY))
    assert {r.date for r in doc.plan.routes} == {WEDNESDAY}
    u = _left(doc, "Late")
    assert u.reason_code == "deadline_passed"
    assert u.reason.startswith(f"期限 {TUESDAY.isoformat()} 已过（今天 {WEDNESDAY.isoformat()}）"), u.reason
    assert "不出行" not in u.reason
    assert [s.kind for s in u.suggestions] == ["drop_deadline"]


def test_a_deadline_today_after_the_shift_is_not_told_as_teams_staying_home():
    """Today is the deadline but every shift is over: the days it may use are gone, not days off."""
    visits = [visit("Today", 117.33, 24.37, 60, latest_date=WEDNESDAY), visit("X", 117.36, 24.40, 60)]
    doc = plan_document(visits, [team("A")], start_date=WEDNESDAY, days=3, time_limit_s=1.0, travel=PLAIN,
                        options=PlanOptions(today=WEDNESDAY, not_before=((WEDNESDAY, 18 * 60),)))
    u = _left(doc, "Today")
    assert u.reason_code == "deadline_passed"
    assert "已收班" in u.reason and "不出行" not in u.reason, u.reason


FAR, NEAR = visit("Far", 117.45, 24.45, 60), visit("X", 117.32, 24.37, 30)


def _plan(visits, teams, days=1, **kw):
    return plan_document(visits, teams, start_date=MONDAY, days=days, time_limit_s=1.0, travel=PLAIN,
                         all_teams=teams, **kw)


def test_a_stop_beyond_the_daily_driving_limit_names_the_limit():
    u = _left(_plan([FAR, NEAR], [team("A", max_drive_min=20)]), "Far")
    assert u.reason_code == "day_limit"
    assert u.reason.startswith("第A组每日车程上限 20 分钟，往返这一点约 "), u.reason
    assert "班次" not in u.reason


def test_a_visit_cap_of_none_is_named():
    u = _left(_plan([FAR, NEAR], [team("A", max_visits_per_day=0)]), "Far")
    assert u.reason_code == "day_limit"
    assert u.reason.startswith("第A组每日最多走访 0 个走访点"), u.reason
    assert "班次" not in u.reason


def test_each_team_is_named_with_what_rules_it_out():
    """One team's driving limit, the other's shift: both facts, each for its team."""
    short = team("B", shift_start_min=8 * 60 + 30, shift_end_min=9 * 60, break_earliest_min=None,
                 break_latest_min=None)
    u = _left(_plan([FAR, NEAR], [team("A", max_drive_min=20), short]), "Far")
    assert u.reason_code == "day_limit"
    assert u.reason.startswith("第A组每日车程上限 20 分钟"), u.reason
    assert "其余检查组：往返车程约" in u.reason and "班次内排不下" in u.reason, u.reason


NO_BREAK = {"break_earliest_min": None, "break_latest_min": None}


def _group(service: int):
    return [visit("G1", 117.33, 24.37, service, group="同村"), visit("G2", 117.335, 24.372, service, group="同村"),
            visit("X", 117.36, 24.40, 60)]


def test_a_group_too_long_for_one_day_names_the_group_and_its_total():
    doc = _plan(_group(300), [team("A", **NO_BREAK)])
    for vid in ("G1", "G2"):
        u = _left(doc, vid)
        assert u.reason_code == "group_too_long", u.reason
        head = "同日组「同村」的 2 个走访点须由同一组在同一天走访：合计核查 600 分钟加车程至少约 "
        assert u.reason.startswith(head), u.reason
        assert "08:30-17:30 共 540 分钟，一天排不下" in u.reason, u.reason
        assert "往返车程" not in u.reason and "运力" not in u.reason
        assert [s.kind for s in u.suggestions] == ["drop_group"]


def test_a_group_too_long_with_the_lunch_break_and_a_free_day_is_not_told_as_cost_or_capacity():
    """Each 240-minute stop fits a day alone (lunch at the base first); together they do not, the second day
    stays empty: the group is the reason, not 「出一趟车的成本」 or 「排满」."""
    doc = _plan(_group(240), [team("A")], days=2)
    u = _left(doc, "G1")
    assert u.reason_code == "group_too_long", u.reason
    assert "合计核查 480 分钟" in u.reason and "除去午休 90 分钟只剩 450 分钟" in u.reason, u.reason
    assert "还空着" not in u.reason and "排满" not in u.reason


def test_a_group_over_the_visit_cap_names_the_cap():
    doc = _plan(_group(30), [team("A", max_visits_per_day=1)], days=2)
    u = _left(doc, "G1")
    assert u.reason_code == "group_too_long", u.reason
    assert "第A组每日最多走访 1 个走访点，一天排不下" in u.reason, u.reason


def test_the_search_says_how_it_ended():
    import importlib

    from planner.routing.ortools_adapter import RoutingSpec, SearchSettings, solve_spec
    from tests.routing.conftest import make_pinghe_week

    solve_mod = importlib.import_module("planner.routing.solve")
    seen = []

    def spy(spec: RoutingSpec, settings: SearchSettings, **kw):
        out = solve_spec(spec, settings, **kw)
        seen.append(out.ended)
        return out

    problem = make_pinghe_week()
    import planner.routing.ortools_adapter as adapter

    real, adapter.solve_spec = adapter.solve_spec, spy
    try:
        solve_mod.solve(problem, time_limit_s=1.0)
        assert seen[-1] == "time"
        solve_mod.solve(problem, time_limit_s=5.0, max_solutions=3)
        assert seen[-1] == "solutions"
    finally:
        adapter.solve_spec = real


def test_a_stop_left_out_beside_an_empty_day_is_told_as_the_search_stopping(monkeypatch):
    """Force the end of a search that left a stop out with a free day (the solver's own search never does on a
    plan this small): the plan's reason says the time ran out, with the plan's time limit."""
    import importlib

    solve_mod = importlib.import_module("planner.routing.solve")
    real = solve_mod._to_plan

    def drop_last(problem, vehicles, routes, elig, penalties, objective, runtime, ended=None, search_s=None):
        routes = [list(r) for r in routes]
        for r in routes:
            if "L" in [problem.visits[i].visit_id for i in r]:
                r[:] = [i for i in r if problem.visits[i].visit_id != "L"]
        return real(problem, vehicles, routes, elig, penalties, objective, runtime, "time", search_s)

    monkeypatch.setattr(solve_mod, "_to_plan", drop_last)
    visits = [visit("S0", 117.33, 24.37, 60), visit("L", 117.40, 24.40, 60, priority=2)]
    doc = _plan(visits, [team("A")], days=2)
    u = _left(doc, "L")
    assert u.reason_code == "search_stopped", u.reason
    assert "还空着；求解时间（1 秒）用完时还没来得及排入它" in u.reason, u.reason
    assert "增加一个工作日" not in u.reason and "成本" not in u.reason


def test_a_visit_the_lunch_break_cannot_go_around_names_the_break():
    """300 minutes and a 22-minute round trip fit 08:30-17:30; the 90-minute lunch starting 11:30-12:30 does not fit
    before or after it."""
    u = _left(_plan([visit("Long", 117.36, 24.40, 300), NEAR], [team("A")]), "Long")
    assert u.reason_code == "window_unreachable"
    assert "班次放得下，但第A组的午休须在 11:30-12:30 间开始、歇 90 分钟，不能与核查重叠" in u.reason, u.reason
    assert "班次内排不下" not in u.reason
    # Without the break the same visit goes in: the break is the reason.
    doc = _plan([visit("Long", 117.36, 24.40, 300), NEAR], [team("A", **NO_BREAK)])
    assert not doc.plan.unassigned
