"""Walk W26: a 3-day trip of 第一检查组 (14 stops from 南靖 and 平和, one locked, one with a time window) put four
overdue 必访 letters on day 3 while day 1 visited letters due 12-19, 01-01 and 01-02 — swapping the days cost
nothing. Any route holding a 必访 tied with any other and the earliest deadline still ahead settled it; and a team
with a locked visit was not re-ordered at all.

Checked here on generated instances, not one answer: within what the constraints allow the more urgent day never
comes after a less urgent one that it could trade with (the rule written out independently below), locked visits
keep their day, and every constraint of the plan holds (:func:`tests.routing.conftest.check_plan`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from planner.routing import build_problem, solve
from planner.routing.dayorder import urgent_first
from planner.routing.problem import PlanOptions, Vehicle
from planner.routing.schedule import INF, quick_check
from planner.routing.solve import day_shape, stop_spec
from tests.routing.conftest import PINGHE_BASE, PLAIN, check_plan, team, visit

START = dt.date(2026, 12, 8)
DAYS = [START + dt.timedelta(days=d) for d in range(3)]
# Places in 南靖 (山城, 靖城, 龙山) and 平和 (小溪, 山格, 文峰, 坂仔): the day clusters of the generated trips.
PLACES = [(117.36, 24.52), (117.42, 24.48), (117.30, 24.57), (117.31, 24.37), (117.43, 24.37), (117.375, 24.325),
          (117.27, 24.45)]


def _key(v):
    """One visit's urgency as the walk expects it: overdue (必访 with its passed deadline dropped) first, then the
    earliest deadline, 必访 before the others at one deadline; a routine visit counts for nothing."""
    if v.must and v.latest_date is None:
        return (0, dt.date.min, 0)
    if v.latest_date is None:
        return None
    return (1, v.latest_date, 0 if v.must else 1)


def _more_urgent(x, y) -> bool:
    """Whether the day of visits ``x`` is strictly more urgent than the day ``y``: its most urgent visit is, or on
    a tie its next one, and so on (a day that runs out of urgent visits first is the less urgent); routes alike
    in that by the larger priority sum."""
    kx = sorted(k for v in x if (k := _key(v)) is not None)
    ky = sorted(k for v in y if (k := _key(v)) is not None)
    for a, b in zip(kx, ky, strict=False):
        if a != b:
            return a < b
    if len(kx) != len(ky):
        return len(kx) > len(ky)
    return sum(v.priority for v in x) > sum(v.priority for v in y)


def _date_ok(v, d) -> bool:
    return (v.date is None or v.date == d) and (v.earliest_date is None or d >= v.earliest_date) \
        and (v.latest_date is None or d <= v.latest_date)


def _check_order(problem, plan) -> None:
    """No two movable days of a team could trade routes (dates allow it, each fits the other's day by the
    project's schedule check) and put a strictly more urgent day earlier."""
    by_id = {v.visit_id: i for i, v in enumerate(problem.visits)}
    vehicles = {(veh.team.team_id, veh.date): veh for veh in problem.vehicles()}
    travel = problem.travel_min()

    def fits(veh, idx) -> bool:
        return all(_date_ok(problem.visits[i], veh.date) for i in idx) and quick_check(
            [stop_spec(problem, i) for i in idx], veh.depot, travel, day_shape(veh)) < INF

    days = sorted(((r.team_id, r.date), [by_id[s.visit_id] for s in r.stops]) for r in plan.routes)
    movable = [(tk, idx) for tk, idx in days if not any(problem.visits[i].locked for i in idx)]
    for p, (ta, ia) in enumerate(movable):
        for tb, ib in movable[p + 1:]:
            if ta[0] != tb[0]:
                continue
            va, vb = vehicles[ta], vehicles[tb]
            if _more_urgent([problem.visits[i] for i in ib], [problem.visits[i] for i in ia]):
                assert not (fits(va, ib) and fits(vb, ia)), (
                    f"{tb[1]} ({[problem.visits[i].visit_id for i in ib]}) is more urgent than {ta[1]} "
                    f"({[problem.visits[i].visit_id for i in ia]}) and the two could trade days")


def _trip(seed: int, *, lock: bool):
    """14 stops in three clusters around :data:`PLACES`, a day's work each, of three kinds in a random order:
    several overdue 必访 letters; one overdue letter with letters due after the trip; routine letters, some due
    later still. One visit may be locked on a day, one has a time window, one a 最早日期."""
    rnd = random.Random(seed)
    centres = rnd.sample(PLACES, 3)
    kinds = rnd.sample(["overdue", "mixed", "routine"], 3)
    visits = []
    for n in range(14):
        c = n % 3
        lon, lat = centres[c]
        kind, j = kinds[c], n // 3
        kw = {}
        if kind == "overdue" and j < rnd.randint(2, 5):
            kw["must"] = True  # overdue: 选件 dropped the passed deadline
        elif kind == "mixed":
            if j == 0:
                kw["must"] = True
            else:
                kw["latest_date"] = START + dt.timedelta(days=rnd.randint(8, 30))
        elif kind == "routine" and rnd.random() < 0.4:
            kw["latest_date"] = START + dt.timedelta(days=rnd.randint(20, 40))
        visits.append(visit(f"S{n:02d}", lon + rnd.uniform(-0.015, 0.015), lat + rnd.uniform(-0.015, 0.015),
                            rnd.choice([60, 75, 80]), priority=rnd.randint(1, 5), **kw))
    w = rnd.randrange(14)
    visits[w] = dataclasses.replace(visits[w], window_start_min=14 * 60, window_end_min=16 * 60)
    e = rnd.randrange(14)
    visits[e] = dataclasses.replace(visits[e], earliest_date=DAYS[1])  # 最早日期
    if lock:
        k = rnd.randrange(14)
        visits[k] = dataclasses.replace(visits[k], locked=True, team_id="A", date=DAYS[rnd.randint(0, 2)],
                                        earliest_date=None)
    return visits


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("lock", [False, True])
def test_generated_trips_put_the_more_urgent_days_first(seed, lock):
    visits = _trip(seed, lock=lock)
    # Also with a first day that starts late (a plan made that morning): a swap must fit the day's schedule.
    for options in (PlanOptions(), PlanOptions(not_before=((DAYS[0], 11 * 60),))):
        problem = build_problem(visits, [team("A", base=PINGHE_BASE)], start_date=START, days=3, travel=PLAIN,
                                options=options)
        plan = solve(problem, time_limit_s=1, seed=seed)
        check_plan(problem, plan)
        _check_order(problem, plan)
        for v in problem.visits:
            if v.locked:
                route = next((r for r in plan.routes if v.visit_id in r.visit_ids), None)
                assert route is not None and (route.team_id, route.date) == (v.team_id, v.date)


def _walk_days():
    # Day 1: one overdue 必访 and letters due 12-19, 01-01, 01-02; day 3: four overdue 必访 letters; day 2 routine.
    # A day's work each (two do not fit one day).
    one = [visit("D1", 117.36, 24.52, 80, must=True), visit("D2", 117.37, 24.52, 80, latest_date=dt.date(2026, 12, 19)),
           visit("D3", 117.38, 24.52, 80, latest_date=dt.date(2027, 1, 1)),
           visit("D4", 117.39, 24.52, 80, latest_date=dt.date(2027, 1, 2))]
    two = [visit(f"R{j}", 117.27, 24.45 + 0.01 * j, 100, priority=5) for j in range(3)]
    three = [visit(f"O{j}", 117.43 + 0.01 * j, 24.37, 80, must=True) for j in range(4)]
    return one, two, three


def test_four_overdue_letters_go_before_a_day_of_one_overdue_and_later_deadlines():
    one, two, three = _walk_days()
    visits = one + two + three
    vehicles = [Vehicle(k, team("A"), d, 0) for k, d in enumerate(DAYS)]
    routes = [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9, 10]]
    out = urgent_first(vehicles, routes, visits, lambda k, r: True)
    assert out == [[7, 8, 9, 10], [0, 1, 2, 3], [4, 5, 6]]
    # A locked visit holds its day (day 1 here); the team's other days are still ordered: the overdue day first.
    locked = [dataclasses.replace(v, locked=True, team_id="A", date=DAYS[0]) if v.visit_id == "R0" else v
              for v in visits]
    routes = [[4, 5, 6], [0, 1, 2, 3], [7, 8, 9, 10]]
    assert urgent_first(vehicles, routes, locked, lambda k, r: True) == [[4, 5, 6], [7, 8, 9, 10], [0, 1, 2, 3]]
    # A swap the day's schedule check refuses is not made.
    assert urgent_first(vehicles, [[0, 1, 2, 3], [7, 8, 9, 10], []], visits,
                        lambda k, r: not (k == 0 and r == [7, 8, 9, 10])) == [[0, 1, 2, 3], [7, 8, 9, 10], []]
