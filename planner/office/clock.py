"""Beijing time for people: stored times are UTC, every history, audit and plan-history line shows them at UTC+8.

The database keeps naive UTC (:func:`utc_now`, which ``models._now`` uses); Zhangzhou reads 北京时间.
:func:`show_time` is the one place a stored time becomes text, and :func:`local_today` the one place "today" is
decided, so a record made at 01:30 UTC reads 09:30 and an officer working before 08:00 sees today's date, not
yesterday's.

``XIAFANG_CLOCK`` (:data:`CLOCK_ENV`, training sessions, demos, walks) sets an office clock that starts at a given
moment and runs on. It is one clock per database: the real time at which it started is anchored in the database by
the first process that writes there with that setting, and every later process on the database (a second server,
the CLI's backup and restore, a restart) continues that clock instead of starting its own
(:mod:`planner.office.clock_anchor`, called where audit rows, sign-ins, backups and restores are written). Without
the setting the real time applies and nothing is read or stored.
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


#: ``XIAFANG_CLOCK`` (北京时间, e.g. ``2026-12-07T09:00``): the office clock of training sessions, demos and the
#: browser walks (a plan for today leaves no earlier than now, so a walk at 17:00 would have no route). It starts at
#: that moment and runs on — one clock per database, not per process (see :mod:`planner.office.clock_anchor`).
CLOCK_ENV = "XIAFANG_CLOCK"
#: ``(setting, offset from the real time)`` the process runs on; set when it first reads the setting and replaced by
#: the database's anchor (:func:`follow`) once :func:`planner.office.clock_anchor.share` has read it.
_clock_offset: tuple[str, dt.timedelta] | None = None


def _real_now() -> dt.datetime:
    """The machine's real time (aware, Beijing time); the one reading of it, so tests can move it."""
    return dt.datetime.now(LOCAL_TZ)


def clock_setting() -> str:
    """The :data:`CLOCK_ENV` setting as given ("" when unset: the real clock)."""
    return os.environ.get(CLOCK_ENV, "").strip()


def clock_start(setting: str) -> dt.datetime | None:
    """The moment a :data:`CLOCK_ENV` setting names (aware; naive text is 北京时间), None when it names none."""
    try:
        start = dt.datetime.fromisoformat(setting)
    except ValueError:
        return None
    return start if start.tzinfo is not None else start.replace(tzinfo=LOCAL_TZ)


def follow(setting: str, offset: dt.timedelta) -> None:
    """Run this process's office clock ``offset`` ahead of the real time while :data:`CLOCK_ENV` is ``setting``
    (the offset the database's anchor gives every process, :mod:`planner.office.clock_anchor`)."""
    global _clock_offset
    _clock_offset = (setting, offset)


def clock_offset() -> dt.timedelta:
    """How far the office clock runs ahead of the real time (0 without :data:`CLOCK_ENV`)."""
    local_now()
    return _clock_offset[1] if _clock_offset is not None and clock_setting() else dt.timedelta(0)


def local_now() -> dt.datetime:
    """Now in Beijing time (aware); on the office clock set by :data:`CLOCK_ENV` when that is set."""
    global _clock_offset
    real = _real_now()
    pinned = os.environ.get(CLOCK_ENV, "").strip()
    if not pinned:
        return real
    if _clock_offset is None or _clock_offset[0] != pinned:
        start = clock_start(pinned)
        if start is None:
            logging.getLogger(__name__).warning(
                "%s=%r 不是日期时间（应写作 2026-12-07T09:00），按实际时间", CLOCK_ENV, pinned)
            _clock_offset = (pinned, dt.timedelta(0))
            return real
        _clock_offset = (pinned, start - real)  # until the database's anchor is read (clock_anchor.share)
    return real + _clock_offset[1]


def utc_now() -> dt.datetime:
    """Now as the database stores it (naive UTC), on the office clock: with :data:`CLOCK_ENV` set, a record made at
    the office's 09:30 reads 09:30 in every history, audit and plan line, and sessions age on the same clock."""
    return local_now().astimezone(dt.UTC).replace(tzinfo=None)


def local_today() -> dt.date:
    """Today's date in Zhangzhou, whatever the server's own time zone (a UTC server is a day behind before 08:00)."""
    return local_now().date()
