"""路线规划's stops table: each stop, then the drive home with the lunch when the break falls on it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from planner.domain import Route, Stop
from planner.routing.report import route_rows

DAY = dt.date(2026, 12, 7)


def _doc(route: Route) -> SimpleNamespace:
    return SimpleNamespace(plan=SimpleNamespace(routes=[route]), visits={}, teams={})


def test_a_lunch_on_the_drive_home_has_its_row():
    """Walk review: a break taken after the last stop, on the way back, was in no row of the table."""
    stops = (Stop("V1", 540, 540, 600, 1800, 20_000), Stop("V2", 640, 640, 700, 2400, 30_000))
    route = Route("T1", DAY, 510, 850, stops, travel_s=1800 + 2400 + 3600, distance_m=95_000,
                  break_start_min=720, break_end_min=780)
    rows = route_rows(_doc(route))
    assert [r["走访点"] for r in rows] == ["V1", "V2", "返回驻地"]
    assert [r["序号"] for r in rows] == ["1", "2", ""]  # text: a number column showed "None" on the drive home
    assert all(r["途中"] == "" for r in rows[:2])
    home = rows[-1]
    assert (home["到达"], home["车程(分)"], home["途中"], home["序号"]) == ("14:10", 60, "午休 12:00-13:00", "")


def test_a_lunch_between_stops_stays_on_the_stop_it_precedes():
    stops = (Stop("V1", 540, 540, 700, 1800, 20_000), Stop("V2", 800, 800, 860, 2400, 30_000))
    route = Route("T1", DAY, 510, 930, stops, travel_s=1800 + 2400 + 3600, distance_m=95_000,
                  break_start_min=720, break_end_min=780)
    rows = route_rows(_doc(route))
    assert [r["途中"] for r in rows] == ["", "午休 12:00-13:00", ""]
    assert rows[-1]["走访点"] == "返回驻地" and rows[-1]["到达"] == "15:30"
