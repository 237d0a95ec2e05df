"""Beijing time for people: stored times are UTC, every history, audit and plan-history line shows them at UTC+8.

The database keeps naive UTC (:func:`utc_now`, which ``models._now`` uses); Zhangzhou reads 北京时间. :func:`show_time` is the one place a stored
time becomes text, and :func:`local_today` the one place "today" is decided, so a record made at 01:30 UTC reads
09:30 and an officer working before 08:00 sees today's date, not yesterday's.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: The office's time zone.
TZ_NAME = "Asia/Shanghai"
try:
    LOCAL_TZ: dt.tzinfo = ZoneInfo(TZ_NAME)
except ZoneInfoNotFoundError:  # no tz database (bare Windows without tzdata): China has kept UTC+8 since 1991
    LOCAL_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


def to_local(value: dt.datetime) -> dt.datetime:
    """``value`` in Beijing time (aware); a naive value is taken as UTC, which is how the database stores it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(LOCAL_TZ)


def show_time(value: object, *, seconds: bool = False) -> str:
    """A stored time as people in Zhangzhou write it: ``2026-12-07 09:30`` (北京时间).

    Parameters
    ----------
    value
        A datetime (naive = UTC, or aware), an ISO 8601 string of one, a date (shown as the date), or None.
    seconds
        Add the seconds (``09:30:05``), for audit exports.

    Returns
    -------
    str
        ``""`` for None or an empty string; text that is not a time is returned unchanged.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return to_local(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


#: ``XIAFANG_CLOCK`` (北京时间, e.g. ``2026-12-07T09:00``): the office clock starts at that moment when the server
#: first reads it and runs on from there — for training sessions and demos that plan "today" at a fixed hour, and
#: for the browser walks (a plan for today leaves no earlier than now, so a walk at 17:00 would have no route).
CLOCK_ENV = "XIAFANG_CLOCK"
_clock_offset: tuple[str, dt.timedelta] | None = None


def local_now() -> dt.datetime:
    """Now in Beijing time (aware); on the clock set by :data:`CLOCK_ENV` when that is set."""
    global _clock_offset
    real = dt.datetime.now(LOCAL_TZ)
    pinned = os.environ.get(CLOCK_ENV, "").strip()
    if not pinned:
        return real
    if _clock_offset is None or _clock_offset[0] != pinned:
        try:
            start = dt.datetime.fromisoformat(pinned)
        except ValueError:
            logging.getLogger(__name__).warning("%s=%r 不是日期时间（应写作 2026-12-07T09:00），按实际时间", CLOCK_ENV, pinned)
            _clock_offset = (pinned, dt.timedelta(0))
            return real
        start = start if start.tzinfo is not None else start.replace(tzinfo=LOCAL_TZ)
        _clock_offset = (pinned, start - real)
    return real + _clock_offset[1]


def utc_now() -> dt.datetime:
    """Now as the database stores it (naive UTC), on the office clock: with :data:`CLOCK_ENV` set, a record made at
    the office's 09:30 reads 09:30 in every history, audit and plan line, and sessions age on the same clock."""
    return local_now().astimezone(dt.UTC).replace(tzinfo=None)


def local_today() -> dt.date:
    """Today's date in Zhangzhou, whatever the server's own time zone (a UTC server is a day behind before 08:00)."""
    return local_now().date()
