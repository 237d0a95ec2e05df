"""The calendar (.ics) of an officer's day kept the PLANNED times of a stop recorded early and out of order (walk:
stop 6 recorded at 08:05 read 15:20-15:55 in the phone's calendar), while the phone list, the Excel, the PDF and the
offline map said 已走访 08:05（原计划 15:20）. The calendar now says it too: the event starts when the stop was
recorded, its description says 已走访 08:05（原计划 15:20）, and the events follow the day's order of the other sheets.
A stop not recorded keeps its planned times."""

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


def test_the_calendar_says_the_recorded_time_of_a_stop_recorded_early(session, plan_id, issued) -> None:  # noqa: F811
    (sheet,) = with_outcomes([_early_day(session, plan_id)], session, plan_id)
    evs = {_seq(e): e for e in _events(render("ics", sheet))}
    six, one, two = evs[6], evs[1], evs[2]
    # Stop 6, planned 15:20-15:55, recorded at 08:05: the event sits at 08:05 for the planned 35 minutes.
    assert (_local(six, "dtstart"), _local(six, "dtend")) == ("08:05", "08:40")
    assert six.decoded("dtstart").utcoffset() == dt.timedelta(hours=8)
    desc = str(six.get("description"))
    assert "已走访 08:05（原计划 15:20）" in desc
    assert "走访 15:20-15:55" not in desc
    assert "已走访 09:10（原计划 08:55）" in str(one.get("description"))
    assert _local(one, "dtstart") == "09:10"
    # A stop still to visit keeps what the plan says.
    assert _local(two, "dtstart") == "09:56" and "走访 09:56-10:36" in str(two.get("description"))


def test_the_calendar_lists_the_stops_in_the_order_of_the_day_sheets(session, plan_id, issued) -> None:  # noqa: F811
    (sheet,) = with_outcomes([_early_day(session, plan_id)], session, plan_id)
    assert [_seq(e) for e in _events(render("ics", sheet))] == [6, 1, 2, 3, 4, 5]
