"""选件's default 出发日期: today while today's office day is still ahead, else the next working day."""

from __future__ import annotations

import datetime as dt

#: The end of an office day when no team going says otherwise (a team's default shift, planner.domain.Team).
OFFICE_DAY_END_MIN = 17 * 60 + 30


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day in the official calendar (``chinese_calendar``: 调休 Saturdays work, 法定
    节假日 do not), as deadlines count them (:func:`planner.intake.deadlines.add_workdays`); a year the calendar does
    not hold, or the package missing: Monday to Friday."""
    try:
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day))
    except (ImportError, NotImplementedError):
        return day.weekday() < 5


def default_start(now: dt.datetime, day_end_min: int = OFFICE_DAY_END_MIN) -> dt.date:
    """The trip's first day offered: today when it is a working day and ``now`` is before the office day ends
    (``day_end_min``, minutes after midnight: the latest shift of the teams going), else the next working day.

    Walk 2: on Monday 2026-12-07 at 08:00 the page offered the next Monday (12-14), skipping the 16 letters due
    that week."""
    today = now.date()
    if is_working_day(today) and now.hour * 60 + now.minute < day_end_min:
        return today
    day = today + dt.timedelta(days=1)
    for _ in range(60):  # the longest holiday run is far shorter
        if is_working_day(day):
            return day
        day += dt.timedelta(days=1)
    return day
