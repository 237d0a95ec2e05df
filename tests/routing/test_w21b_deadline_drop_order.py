"""Walk W21: with more letters than room, the plan keeps the letters due first (and the ones 选件 ranks higher).

选件 gave all 24 chosen visits priority 5 and every deadline within a week of the start doubled a drop penalty all of
them had doubled: the plan left out 深桥村 (due on the first day) and letters due the second day while planning
letters due a week later, each 「按优先级 5 和路程被舍弃」. These tests check invariants on small built instances:
with room for k of n visits, no visit is dropped for one due later (or ranked lower) unless the days it may use
cannot hold it, and its reason then names the later ones kept.
"""

from __future__ import annotations

import datetime as dt

from planner.domain import Location, PetitionCase, Precision
from planner.routing import build_problem, solve
from planner.selection.ranking import build_visits, rank_cases
from tests.routing.conftest import MONDAY, PINGHE_BASE, PLAIN, check_plan, team, visit

FAR = 0.22  # degrees from the base: about 25 km, 40 minutes' drive — easy to reach, dearer than a near stop
NEAR = 0.02


def _latest(v) -> dt.date:
    return v.latest_date or dt.date.max


def _kept_dropped(problem, plan):
    kept = plan.planned_visit_ids()
    optional = [v for v in problem.visits if not v.must]
    return [v for v in optional if v.visit_id in kept], [v for v in optional if v.visit_id not in kept]


def _at(dx: float, dy: float = 0.0) -> tuple[float, float]:
    return PINGHE_BASE[0] + dx, PINGHE_BASE[1] + dy


def test_w21b_room_for_k_keeps_the_earliest_deadlines_not_the_nearest():
    # Two days of two visits each (room for 4 of 7), one priority: the letters due on the trip's days stand far from
    # the base, those due later (all within a week: the old penalty doubled them alike) stand next to it.
    far = [visit(f"F{i}", *_at(FAR * (1 if i % 2 else -1), 0.01 * i), 45, priority=3,
                 latest_date=MONDAY + dt.timedelta(days=i // 2)) for i in range(3)]
    near = [visit(f"N{i}", *_at(NEAR, 0.005 * i), 45, priority=3,
                  latest_date=MONDAY + dt.timedelta(days=3 + i)) for i in range(4)]
    problem = build_problem(far + near, [team("A", max_visits_per_day=2)], start_date=MONDAY, days=2, travel=PLAIN)
    plan = solve(problem, time_limit_s=2, seed=0)
    check_plan(problem, plan)
    kept, dropped = _kept_dropped(problem, plan)
    assert len(kept) == 4 and dropped
    assert max(map(_latest, kept)) <= min(map(_latest, dropped)), (
        [(v.visit_id, v.latest_date) for v in kept], [(v.visit_id, v.latest_date) for v in dropped])
    # Each kept visit is on or before its deadline day.
    day = {s.visit_id: r.date for r in plan.routes for s in r.stops}
    assert all(day[v.visit_id] <= _latest(v) for v in kept)


def test_w21b_due_within_the_trip_goes_before_a_higher_priority_due_next_week():
    # One day, one visit: a priority-1 letter due today (far) against a priority-5 letter due in five days (near).
    today = visit("T今天", *_at(FAR), 45, priority=1, latest_date=MONDAY)
    later = visit("L下周", *_at(NEAR), 45, priority=5, latest_date=MONDAY + dt.timedelta(days=5))
    problem = build_problem([today, later], [team("A", max_visits_per_day=1)], start_date=MONDAY, days=1,
                            travel=PLAIN)
    plan = solve(problem, time_limit_s=1, seed=0)
    check_plan(problem, plan)
    assert plan.planned_visit_ids() == {"T今天"}
    (u,) = plan.unassigned
    assert "期限 12月12日" in u.reason, u.reason


def test_w21b_after_the_trip_sooner_deadline_first_at_equal_priority():
    # Both due after the single day, both within urgent_days: the one due two days later than the other goes.
    soon = visit("S", *_at(FAR), 45, priority=3, latest_date=MONDAY + dt.timedelta(days=2))
    late = visit("L", *_at(NEAR), 45, priority=3, latest_date=MONDAY + dt.timedelta(days=6))
    problem = build_problem([soon, late], [team("A", max_visits_per_day=1)], start_date=MONDAY, days=1,
                            travel=PLAIN)
    plan = solve(problem, time_limit_s=1, seed=0)
    assert plan.planned_visit_ids() == {"S"}


def test_w21b_day_one_visit_its_day_cannot_hold_names_the_later_ones_kept():
    # Day 1 is full with two 必访 stops (two visits a day); X, due on day 1, may use no other day: the letters due
    # later are planned on day 2, and X's reason says its days could not hold it and names them.
    musts = [visit(f"M{i}", *_at(NEAR, 0.01 * i), 45, must=True, date=MONDAY) for i in range(2)]
    x = visit("X", *_at(FAR), 45, priority=4, latest_date=MONDAY)
    later = [visit(f"L{i}", *_at(-NEAR, 0.01 * i), 45, priority=3, latest_date=MONDAY + dt.timedelta(days=4))
             for i in range(2)]
    problem = build_problem([*musts, x, *later], [team("A", max_visits_per_day=2)], start_date=MONDAY, days=2,
                            travel=PLAIN)
    plan = solve(problem, time_limit_s=2, seed=0)
    check_plan(problem, plan)
    assert {"M0", "M1", "L0", "L1"} == plan.planned_visit_ids()
    (u,) = plan.unassigned
    assert u.visit_id == "X" and "能走访它的组日放不下它" in u.reason and "L0、L1" in u.reason, u.reason
    assert "期限更晚或优先级更低" in u.reason and "单程车程约" in u.reason, u.reason


def _case(no: str, severity: int, due: dt.date, category: str = "其他") -> PetitionCase:
    loc = Location(117.30 + 0.05 * int(no[-1]), 24.36, "平和县", "350628", "山格镇", "350628103", f"村{no}",
                   f"35062810320{no[-1]}", Precision.VILLAGE)
    return PetitionCase(case_no=no, received_date=due - dt.timedelta(days=60), deadline=due, content="反映问题",
                        category=category, location=loc, address_text=f"平和县山格镇村{no}", severity=severity)


def test_w21b_selection_priorities_follow_the_ranking_not_all_five():
    # W21's chosen letters: 特急 / 紧急 / 一般, all due within the three days of the trip (none overdue).
    today, start = dt.date(2026, 12, 7), dt.date(2026, 12, 8)
    cases = [_case("C1", 5, dt.date(2026, 12, 9)), _case("C2", 4, dt.date(2026, 12, 9)),
             _case("C3", 3, dt.date(2026, 12, 9)), _case("C4", 4, dt.date(2026, 12, 13))]
    ranked = rank_cases(cases, today=today)
    prio = {v.case_nos[0]: v.priority for v in build_visits(ranked, today=today, start=start).visits}
    assert prio["C1"] > prio["C2"] > prio["C3"], prio
    assert len(set(prio.values())) >= 3, prio
    # An overdue letter stays 必访 and at least 4.
    old = _case("C5", 3, dt.date(2026, 12, 1))
    (v,) = build_visits(rank_cases([old], today=today), today=today, start=start).visits
    assert v.must and v.priority >= 4
