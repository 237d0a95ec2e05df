"""A re-plan during the day plans a team on from where it is (walk 2): the stop beside the one it has just visited
stays on its day, a locked stop keeps its time and place, each route keeps its shift, break and windows, the notes
name each team's cancelled days, and a plan is re-planned with the policy it was planned with."""

from __future__ import annotations

import dataclasses
import datetime as dt

from planner.domain import Plan, Route, Stop, Team, Visit
from planner.routing.history import done_parts
from planner.routing.planio import PlanDocument, plan_from_json, plan_to_json
from planner.routing.problem import PlanOptions, not_before_now
from planner.routing.replan import day_notes, replan_document
from planner.routing.report import HOLD_MIN

MONDAY = dt.date(2026, 12, 7)
T1 = Team("T1", "第一检查组", 117.647, 24.513, base_name="漳州市纪委监委")
T2 = Team("T2", "第二检查组", 117.647, 24.513, base_name="漳州市纪委监委")
#: 中圳村 and 云山村 are one point 70 minutes from the base; 吴宅村 and 坂美村 one point on the way back.
VISITS = (
    Visit("V1", 117.64806, 25.02333, 60, label="华安县仙都镇中圳村", case_nos=("ZZ-66",)),
    Visit("V2", 117.64806, 25.02333, 60, priority=5, label="华安县仙都镇云山村", case_nos=("ZZ-69",)),
    Visit("V3", 117.912, 24.515, 60, label="龙海区角美镇吴宅村", case_nos=("ZZ-7",)),
    Visit("V4", 117.912, 24.515, 60, label="龙海区角美镇坂美村", case_nos=("ZZ-30",)),
)
WINDOWS = {"V1": (540, 600), "V2": (600, 720), "V3": (780, 900), "V4": (900, 960)}


def _options(at: dt.time, policy: str = "balanced") -> PlanOptions:
    now = dt.datetime.combine(MONDAY, at)
    return PlanOptions(policy=policy, not_before=not_before_now(MONDAY, now), today=MONDAY)


def _first() -> PlanDocument:
    """Monday's plan: team 1 goes 中圳村, 云山村, then 吴宅村 and 坂美村 in the afternoon."""
    pinned = [dataclasses.replace(v, team_id="T1", date=MONDAY, window_start_min=WINDOWS[v.visit_id][0],
                                  window_end_min=WINDOWS[v.visit_id][1]) for v in VISITS]
    doc, _ = replan_document(pinned, [T1], start_date=MONDAY, days=1, options=_options(dt.time(8, 0)),
                             time_limit_s=2.0)
    assert doc.plan.route_for("T1", MONDAY).visit_ids == ("V1", "V2", "V3", "V4")
    return dataclasses.replace(doc, visits={v.visit_id: v for v in VISITS})


def _replan(first: PlanDocument, policy: str = "balanced") -> tuple[PlanDocument, list[str]]:
    """中圳村 recorded, 坂美村 locked, re-planned at 08:25."""
    kept = done_parts(first, ["V1"], ["V4"])
    return replan_document(list(VISITS), [T1], start_date=MONDAY, days=1, previous=first, locked=["V4"], kept=kept,
                           options=_options(dt.time(8, 25), policy), time_limit_s=2.0)


def _feasible(doc: PlanDocument) -> None:
    """Shift, lunch break, windows and times of every route."""
    for r in doc.plan.routes:
        team = doc.teams[r.team_id]
        assert team.shift_start_min <= r.depart_min and r.return_min <= team.shift_end_min
        prev = r.depart_min
        for s in r.stops:
            v = doc.visits[s.visit_id]
            assert prev <= s.arrive_min <= s.start_min and s.end_min == s.start_min + v.service_min
            if v.window_start_min is not None:
                assert v.window_start_min <= s.start_min <= v.window_end_min
            prev = s.end_min
        if r.stops and team.has_break and r.break_start_min is not None:
            assert team.break_earliest_min <= r.break_start_min <= team.break_latest_min
            assert r.break_end_min - r.break_start_min == team.break_min
            gaps = [(a, b) for a, b in zip([r.depart_min, *(s.end_min for s in r.stops)],
                                           [*(s.arrive_min for s in r.stops), r.return_min], strict=True)]
            assert any(a <= r.break_start_min and r.break_end_min <= b + 1 for a, b in gaps)  # not during a visit


def test_the_stop_beside_the_one_just_visited_stays_on_the_teams_day() -> None:
    first = _first()
    new, notes = _replan(first)
    day = new.plan.route_for("T1", MONDAY)
    assert "V2" in day.visit_ids, notes
    assert day.visit_ids[0] == "V1" and day.stops[0] == first.plan.route_for("T1", MONDAY).stops[0]  # as visited
    v1_end = day.stops[0].end_min
    assert all(s.start_min >= v1_end for s in day.stops[1:])  # nothing planned before what happened
    assert day.stops[1].travel_s == 0  # from where the team is (the same village), not from the base
    assert not any(n.startswith("V2 ") for n in notes)
    _feasible(new)


def test_a_locked_stop_keeps_its_time_and_place_among_the_days_stops() -> None:
    first = _first()
    was = first.plan.route_for("T1", MONDAY)
    new, _ = _replan(first)
    day = new.plan.route_for("T1", MONDAY)
    (old,) = [s for s in was.stops if s.visit_id == "V4"]
    (now,) = [s for s in day.stops if s.visit_id == "V4"]
    assert abs(now.start_min - old.start_min) <= HOLD_MIN
    assert day.visit_ids.index("V4") == was.visit_ids.index("V4")


def test_a_stop_dropped_off_a_day_under_way_is_told_with_the_teams_real_time_left() -> None:
    """A short shift: after 中圳村 the team cannot also reach the afternoon; what it drops is said with the time
    it really had (from its last visit, not from its base)."""
    short = dataclasses.replace(T1, shift_end_min=14 * 60 + 30)
    first = _first()
    first = dataclasses.replace(first, teams={"T1": short})
    kept = done_parts(first, ["V1"])
    new, notes = replan_document(list(VISITS), [short], start_date=MONDAY, days=1, previous=first, kept=kept,
                                 options=_options(dt.time(8, 25)), time_limit_s=2.0)
    _feasible(new)
    day = new.plan.route_for("T1", MONDAY)
    assert "V2" in day.visit_ids  # 10:40-11:40 beside 中圳村, lunch, home by 14:20
    for vid in {"V3", "V4"} - set(day.visit_ids):
        (note,) = [n for n in notes if n.startswith(f"{vid} ")]
        assert "从最后走访点 10:40 出发，14:30 前返回驻地" in note


def _doc(routes: dict[tuple[str, dt.date], tuple[str, ...]]) -> PlanDocument:
    rs = tuple(Route(t, d, 510, 1000, tuple(Stop(v, 540 + 70 * k, 540 + 70 * k, 600 + 70 * k, 600, 1000)
                                            for k, v in enumerate(ids)), 1200, 2000)
               for (t, d), ids in routes.items())
    visits = {v.visit_id: v for v in (*VISITS, Visit("V5", 117.6, 24.4, 60, label="南靖县山城镇碧候村"))}
    return PlanDocument(Plan("feasible", rs, start_date=MONDAY, days=3), visits, {"T1": T1, "T2": T2})


def test_the_notes_name_each_teams_cancelled_days_and_where_their_stops_went() -> None:
    tue, wed = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)
    before = _doc({("T1", MONDAY): ("V1",), ("T2", MONDAY): ("V3",), ("T2", tue): ("V5",), ("T2", wed): ("V4",)})
    after = _doc({("T1", MONDAY): ("V1", "V4"), ("T2", MONDAY): ("V5", "V3")})
    notes = day_notes(before, after, MONDAY)
    (t2,) = [n for n in notes if n.startswith("第二检查组")]
    assert "12-08 行程已取消" in t2 and "12-09 行程已取消" in t2
    assert "V5 南靖县山城镇碧候村（改到第二检查组 12-07）" in t2
    assert "V4 龙海区角美镇坂美村（改到第一检查组 12-07）" in t2
    (t1,) = [n for n in notes if n.startswith("第一检查组")]
    assert "12-07 新增 V4" in t1


def test_a_saved_plan_keeps_the_policy_it_was_planned_with(session) -> None:
    """Plan #1 was planned 均衡: opened again, it says so (路线规划 re-plans it that way)."""
    from planner.store.plans import open_plan, save_plan
    from planner.store.teams import save_team

    save_team(session, T1)
    first = _first()
    assert first.policy == "balanced"
    back = plan_from_json(plan_to_json(first.plan, visits=first.visits.values(), teams=first.teams.values(),
                                       policy=first.policy))
    assert back.policy == "balanced"
    pid = save_plan(session, first, name="", who="admin")
    session.commit()
    assert open_plan(session, pid).doc.policy == "balanced"
    new, _ = _replan(open_plan(session, pid).doc, policy="distance")
    assert new.policy == "distance"
