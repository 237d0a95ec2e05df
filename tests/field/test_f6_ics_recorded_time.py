"""The calendar (.ics) of an officer's day with a stop recorded early and out of order (stop 6 recorded at 08:05).
Walk W26 found events moved to the moment a result was saved (overlapping, before the departure) and listed out of
the route's order: every event now keeps its planned time and the route's order, and its description says when its
result was recorded (已登记 08:05), as the phone list, the Excel, the PDF and the offline map say it."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from planner.field import render
from planner.field.recorded import with_outcomes
from tests.export.test_day import MONDAY, issued, plan_id, raw  # noqa: F401 (fixtures)
from tests.field.test_s49d_early_record_order import _early_day


def _events(data: bytes) -> list:
    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


def _seq(ev) -> int:
    return int(str(ev.get("summary")).split(".")[0])


def _local(ev, key: str) -> str:
    return f"{ev.decoded(key):%H:%M}"


def test_the_calendar_keeps_the_planned_time_and_says_the_recorded_one(session, plan_id, issued) -> None:  # noqa: F811
    (sheet,) = with_outcomes([_early_day(session, plan_id)], session, plan_id)
    evs = {_seq(e): e for e in _events(render("ics", sheet))}
    six, one, two = evs[6], evs[1], evs[2]
    # Stop 6, planned 15:20-15:55, recorded at 08:05: the event stays at 15:20 and says when it was recorded.
    assert (_local(six, "dtstart"), _local(six, "dtend")) == ("15:20", "15:55")
    assert six.decoded("dtstart").utcoffset() == dt.timedelta(hours=8)
    desc = str(six.get("description"))
    assert "走访 15:20-15:55；已登记 08:05" in desc
    assert "已登记 09:10" in str(one.get("description"))
    assert _local(one, "dtstart") == "08:55"
    # A stop still to visit keeps what the plan says.
    assert _local(two, "dtstart") == "09:56" and "走访 09:56-10:36" in str(two.get("description"))


def test_the_calendar_lists_the_stops_in_route_order(session, plan_id, issued) -> None:  # noqa: F811
    (sheet,) = with_outcomes([_early_day(session, plan_id)], session, plan_id)
    assert [_seq(e) for e in _events(render("ics", sheet))] == [1, 2, 3, 4, 5, 6]
