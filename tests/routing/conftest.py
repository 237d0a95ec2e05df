"""Small named planning instances and an independent plan checker for the routing tests."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from planner.domain import Plan, Team, TeamMember, Visit
from planner.routing import OfflineTravelModel, PlanningProblem, build_problem

MONDAY = dt.date(2026, 12, 7)
PLAIN = OfflineTravelModel(terrain=lambda lon, lat: "plain")

# Real places: 平和县城 (小溪), 山格, 文峰, 坂仔, 南胜; 漳州市区; 漳浦.
PINGHE_BASE = (117.313, 24.363)
CITY_BASE = (117.652, 24.512)


def team(tid: str, base=PINGHE_BASE, **kw) -> Team:
    """A team with a 90-minute lunch break starting 11:30-12:30, shift 08:30-17:30."""
    return Team(tid, f"第{tid}组", base[0], base[1], base_name="驻地", **kw)


def visit(vid: str, lon: float, lat: float, service: int = 45, **kw) -> Visit:
    """A visit with defaults."""
    return Visit(vid, lon, lat, service, **kw)


@pytest.fixture
def pinghe_three() -> PlanningProblem:
    return make_pinghe_three()


def make_pinghe_three() -> PlanningProblem:
    """Three visits in 平和, one team, a lunch break, one day."""
    visits = [
        visit("山格", 117.43, 24.37, 90),
        visit("文峰", 117.375, 24.325, 120),
        visit("坂仔", 117.27, 24.45, 90),
    ]
    return build_problem(visits, [team("A")], start_date=MONDAY, days=1, travel=PLAIN)


@pytest.fixture
def pinghe_week() -> PlanningProblem:
    return make_pinghe_week()


def make_pinghe_week() -> PlanningProblem:
    """Two 平和 teams (one with a forestry expert), three days, visits with every kind of constraint."""
    a = team("A", members=(TeamMember("a1", "林一", skills=("林业",)), TeamMember("a2", "陈二")))
    b = team("B", base=(117.36, 24.34), members=(TeamMember("b1", "黄三"), TeamMember("b2", "吴四")),
             max_visits_per_day=4)
    pts = [(117.43, 24.37), (117.375, 24.325), (117.27, 24.45), (117.25, 24.28), (117.33, 24.40),
           (117.40, 24.30), (117.29, 24.33), (117.45, 24.42), (117.35, 24.46), (117.31, 24.25)]
    visits = [visit(f"V{i}", lon, lat, 60, priority=1 + i % 5) for i, (lon, lat) in enumerate(pts)]
    visits += [
        visit("W窗", 117.38, 24.39, 60, window_start_min=14 * 60, window_end_min=15 * 60),
        visit("S林", 117.30, 24.42, 60, skills=("林业",)),
        visit("X回避", 117.41, 24.35, 45, excluded_members=("a1",)),
        visit("P指定", 117.28, 24.38, 45, team_id="B", date=MONDAY + dt.timedelta(days=1)),
        visit("D日期", 117.34, 24.31, 45, earliest_date=MONDAY + dt.timedelta(days=2)),
        visit("G1", 117.44, 24.33, 40, group="同村"),
        visit("G2", 117.445, 24.335, 40, group="同村"),
        visit("M必访", 117.26, 24.36, 60, must=True),
        # Unplannable, each for one reason:
        visit("N无专长", 117.32, 24.35, 30, skills=("水利",)),
        visit("E全回避", 117.32, 24.36, 30, skills=("林业",), excluded_members=("a1",)),
        visit("O日期外", 117.33, 24.37, 30, latest_date=MONDAY - dt.timedelta(days=3)),
        visit("U时窗", 117.34, 24.38, 30, window_start_min=3 * 60, window_end_min=4 * 60),
        visit("F必访无专长", 117.35, 24.39, 30, must=True, skills=("水利",)),
    ]
    return build_problem(visits, [a, b], start_date=MONDAY, days=3, travel=PLAIN)


@pytest.fixture
def overloaded_day() -> PlanningProblem:
    return make_overloaded_day()


def make_overloaded_day() -> PlanningProblem:
    """One team, one day, far more work than fits: low priorities must give way."""
    visits = []
    for i in range(14):
        prio = 5 if i < 3 else 1
        visits.append(visit(f"C{i}", 117.30 + 0.012 * i, 24.30 + 0.01 * (i % 4), 60, priority=prio))
    return build_problem(visits, [team("A")], start_date=MONDAY, days=1, travel=PLAIN)


def check_plan(problem: PlanningProblem, plan: Plan) -> None:
    """Independently check every invariant of a plan against its problem (times recomputed from the matrix)."""
    ids = [v.visit_id for v in problem.visits]
    by_id = {v.visit_id: v for v in problem.visits}
    teams = {t.team_id: t for t in problem.teams}
    node = {nid: i for i, nid in enumerate(problem.matrix.node_ids)}
    routed = [s.visit_id for r in plan.routes for s in r.stops]
    left = [u.visit_id for u in plan.unassigned]
    assert sorted(routed + left) == sorted(ids), "each visit exactly once: routed or unassigned"
    assert all(u.reason_code and u.reason for u in plan.unassigned)
    where: dict[str, tuple[str, dt.date]] = {}
    for r in plan.routes:
        t = teams[r.team_id]
        assert r.date in problem.dates
        assert not t.available_dates or r.date in t.available_dates
        start = max(t.shift_start_min, problem.options.start_on(r.date))  # today: not before now
        assert r.depart_min >= start and r.return_min <= t.shift_end_min
        if t.max_visits_per_day is not None:
            assert len(r.stops) <= t.max_visits_per_day
        legs = []
        prev = node[f"team:{t.team_id}"]
        for s in r.stops:
            legs.append(math.ceil(problem.matrix.travel_s[prev, node[s.visit_id]] / 60))
            assert s.travel_s == problem.matrix.travel_s[prev, node[s.visit_id]]
            assert s.distance_m == problem.matrix.distance_m[prev, node[s.visit_id]]
            prev = node[s.visit_id]
        home = math.ceil(problem.matrix.travel_s[prev, node[f"team:{t.team_id}"]] / 60)
        if t.max_drive_min is not None:
            assert sum(legs) + home <= t.max_drive_min
        brk = None
        if t.has_break and start <= t.break_latest_min:  # a day starting after lunch time has no break
            assert r.break_start_min is not None, "a team with a break takes it"
            assert t.break_earliest_min <= r.break_start_min <= t.break_latest_min
            assert r.break_end_min - r.break_start_min == t.break_min
            brk = (r.break_start_min, r.break_end_min)
        t_prev = r.depart_min
        if brk and brk[1] <= r.depart_min:
            brk_used = True
        else:
            brk_used = False
        for k, s in enumerate(r.stops):
            v = by_id[s.visit_id]
            need = t_prev + legs[k]
            if brk and not brk_used and brk[0] >= t_prev and brk[1] <= s.start_min:
                need += t.break_min  # the break falls between the two stops: it adds to the travel time
                assert s.arrive_min >= brk[1]
                brk_used = True
            assert s.arrive_min >= need, f"{s.visit_id}: arrives {s.arrive_min} before {need}"
            assert s.start_min >= s.arrive_min and s.end_min == s.start_min + v.service_min
            if v.window_start_min is not None:
                assert v.window_start_min <= s.start_min <= v.window_end_min
            if brk:
                assert s.end_min <= brk[0] or s.start_min >= brk[1], "the break never overlaps a visit"
            t_prev = s.end_min
            where[s.visit_id] = (r.team_id, r.date)
            # Skills, 回避, pins, date windows.
            assert set(v.skills) <= t.all_skills()
            assert not set(v.excluded_members) & t.member_ids()
            assert not v.team_id or v.team_id == r.team_id
            assert v.date is None or v.date == r.date
            assert v.earliest_date is None or r.date >= v.earliest_date
            assert v.latest_date is None or r.date <= v.latest_date
        need = t_prev + home
        if brk and not brk_used and brk[0] >= t_prev and brk[1] <= r.return_min:
            need += t.break_min
        assert r.return_min >= need or (brk and not brk_used and brk[0] >= r.return_min)
    groups: dict[str, set] = {}
    for v in problem.visits:
        if v.group and v.visit_id in where:
            groups.setdefault(v.group, set()).add(where[v.visit_id])
    assert all(len(s) == 1 for s in groups.values()), "a same-day group is done by one team on one day"
    for v in problem.visits:
        if v.group:
            members = [w.visit_id for w in problem.visits if w.group == v.group]
            assert all(m in where for m in members) or not any(m in where for m in members)
