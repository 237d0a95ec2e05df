"""Walk 2 (F5): 选件 offered next Monday (12-14) as 出发日期 on Monday 2026-12-07 at 08:00, skipping the week's
letters due. Today is offered while its office day is ahead, else the next working day of the official calendar."""

from __future__ import annotations

import datetime as dt

from planner.selection.trip_start import default_start, is_working_day


def test_a_monday_morning_offers_today() -> None:
    assert default_start(dt.datetime(2026, 12, 7, 8, 0)) == dt.date(2026, 12, 7)


def test_after_the_office_day_the_next_working_day() -> None:
    assert default_start(dt.datetime(2026, 12, 7, 18, 0)) == dt.date(2026, 12, 8)
    assert default_start(dt.datetime(2026, 12, 7, 16, 0), day_end_min=16 * 60) == dt.date(2026, 12, 8)
    assert default_start(dt.datetime(2026, 12, 11, 17, 45)) == dt.date(2026, 12, 14)  # Friday evening: Monday


def test_weekends_and_holidays_follow_the_official_calendar() -> None:
    assert default_start(dt.datetime(2026, 12, 5, 9, 0)) == dt.date(2026, 12, 7)  # a Saturday
    # 国庆 2026: 10-01 .. 10-07 off; Saturday 10-10 is a 调休 working day.
    assert not is_working_day(dt.date(2026, 10, 1)) and is_working_day(dt.date(2026, 10, 10))
    assert default_start(dt.datetime(2026, 10, 1, 9, 0)) == dt.date(2026, 10, 8)
    assert default_start(dt.datetime(2026, 10, 10, 9, 0)) == dt.date(2026, 10, 10)
