"""Timing of a fixed order: the break adds to the travel it interrupts, and violations are listed."""

from __future__ import annotations

import numpy as np
import pytest

from planner.routing.schedule import INF, DayShape, StopSpec, quick_check, schedule

# Node 0 = base, nodes 1..3 = stops; 20 minutes between any two places.
T = np.full((4, 4), 20) - 20 * np.eye(4, dtype=int)
LUNCH = DayShape(510, 1050, 690, 750, 90)


def stops(*services, windows=None):
    windows = windows or [(0, 1440)] * len(services)
    return [StopSpec(k + 1, s, *windows[k]) for k, s in enumerate(services)]


def test_break_between_two_stops_adds_to_travel():
    # 08:30 +20 -> 08:50..11:20, break 11:30 at the earliest -> arrive = 11:30 + 90 (>= 11:20 + 20 + 90).
    t = schedule(stops(150, 60), 0, T, LUNCH)
    assert t.feasible and t.break_gap == 1
    assert t.break_start == 690
    assert t.arrive[1] == max(t.end[0] + 20 + 90, 690 + 90) == 790
    assert t.ret == t.end[1] + 20


def test_break_after_a_long_morning_visit_when_travel_fits():
    t = schedule(stops(200, 60), 0, T, LUNCH)  # ends 12:10, break 12:10-13:40, arrive 12:10+20+90
    assert t.break_start == 730 and t.arrive[1] == 730 + 20 + 90


def test_no_placement_is_a_violation():
    # A visit of 08:50-14:10 covers the whole break window.
    t = schedule(stops(320), 0, T, LUNCH)
    assert not t.feasible and t.violations
    assert quick_check(stops(320), 0, T, LUNCH) == INF


def test_window_and_departure_delay():
    t = schedule(stops(30, windows=[(600, 660)]), 0, T, LUNCH)
    assert t.start[0] == 600 and t.arrive[0] == 600 and t.depart == 580  # leave later instead of waiting


@pytest.mark.parametrize(("limit", "ok"), [(2, True), (1, False)])
def test_max_visits(limit, ok):
    shape = DayShape(510, 1050, 690, 750, 90, max_visits=limit)
    assert (quick_check(stops(30, 30), 0, T, shape) < INF) is ok


def test_quick_check_agrees_with_schedule():
    rng = np.random.default_rng(7)
    for _ in range(300):
        n = int(rng.integers(1, 4))
        sv = [int(x) for x in rng.integers(20, 200, n)]
        ws = []
        for _k in range(n):
            a = int(rng.integers(480, 1000))
            ws.append((a, a + int(rng.integers(0, 300))))
        s = stops(*sv, windows=ws)
        t = schedule(s, 0, T, LUNCH)
        q = quick_check(s, 0, T, LUNCH)
        assert t.feasible == (q < INF)
        if t.feasible:
            assert t.ret == q
