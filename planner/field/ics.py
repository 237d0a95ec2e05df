"""iCalendar (.ics) of itineraries: one VEVENT per visit in Asia/Shanghai time; the team and its members are named in
the description.

Every event keeps its stop's planned time and route number, in route order, recorded or not (walk W26: events moved
to the moment a result was saved overlapped before the day's departure); its description says the time window
(``约定时段 14:30-15:30``) and when a result was recorded (``已登记 08:05``, :mod:`planner.field.visit_times`). A
stop recorded 改期 on its day (nobody to visit there that day) is marked in its title (``【已改期，约定 12-10】``)
and ``STATUS:CANCELLED``: it stays on its day, where the plan still has it, until a re-plan puts it on another day.

Members are not ATTENDEEs: the plan has no e-mail addresses, and calendar apps offer to send invitations to whatever
address an ATTENDEE carries. The VTIMEZONE is written here (Beijing time is +08:00 all year, no daylight saving since
1991) rather than by icalendar's ``add_missing_timezones``, which adds an English COMMENT line to the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneStandard, vText

from planner.domain import FIVE_QUESTIONS
from planner.field.model import TZ_NAME, Itinerary
from planner.field.navlinks import nav_links
from planner.field.visit_times import day_stops, when_text

_TZ = ZoneInfo(TZ_NAME)


def _at(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=_TZ) + dt.timedelta(minutes=minutes)


def _vtimezone() -> Timezone:
    """VTIMEZONE of Asia/Shanghai: one STANDARD observance, +08:00, no DST."""
    std = TimezoneStandard()
    std.add("dtstart", dt.datetime(1970, 1, 1))
    std.add("tzoffsetfrom", dt.timedelta(hours=8))
    std.add("tzoffsetto", dt.timedelta(hours=8))
    std.add("tzname", "CST")
    tz = Timezone()
    tz.add("tzid", TZ_NAME)
    tz.add_component(std)
    return tz


def to_ics(items: Itinerary | Iterable[Itinerary], *, stamp: dt.datetime | None = None) -> bytes:
    """Render one or more itineraries as an iCalendar file.

    Parameters
    ----------
    items
        One itinerary or several (a whole plan).
    stamp
        DTSTAMP of the events (UTC); now when None. Fixed stamps give byte-identical files.

    Returns
    -------
    bytes
        UTF-8 iCalendar text with a VTIMEZONE for Asia/Shanghai.
    """
    its = [items] if isinstance(items, Itinerary) else list(items)
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//Xiafang 下访//Zhangzhou field visits//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "带信下访行程")
    cal.add("x-wr-timezone", TZ_NAME)
    cal.add_component(_vtimezone())
    for it in its:
        for s in day_stops(it):  # the day's own stops in route order, at their planned times
            ev = Event()
            ev.add("uid", f"{it.team.team_id}-{it.date.isoformat()}-{s.visit.visit_id}@xiafang")
            ev.add("dtstamp", stamp)
            ev.add("dtstart", _at(it.date, s.stop.start_min))
            ev.add("dtend", _at(it.date, s.stop.start_min + max(s.stop.end_min - s.stop.start_min, 1)))
            put_off = s.outcome.startswith("已改期")
            ev.add("summary", (f"【{s.outcome}】" if put_off else "") + f"{s.seq}. 带信下访：{s.place()}")
            if put_off:
                ev.add("status", "CANCELLED")
            ev.add("location", vText(s.place()))
            ev.add("geo", (s.lat, s.lon))
            links = nav_links(s.lon, s.lat, s.name())
            lines = [*it.notices, f"检查组：{it.team.name}（{it.members_text()}）", when_text(s)]
            if s.outcome:  # as 行程 marks the stop once its outcome is recorded
                lines.append(f"走访结果：{s.outcome}")
            if note := s.estimate_text():
                lines.append(note)
            for c in s.cases:
                due = c.deadline.isoformat() if c.deadline else "—"
                lines.append(f"[{c.case_no}] {c.summary}（办理期限 {due}）")
                if c.confidential:
                    lines.append(f"  {c.confidential_text()}")
                if c.repeats:
                    lines.append(f"  {c.repeats_text()}")
                if c.systemic:
                    lines.append(f"  {c.systemic_text()}")
                if c.petitioner_text():
                    lines.append(f"  信访人：{c.petitioner_text()}")
            lines.append("访前五问：")
            lines.extend(f"  {i}. {q}" for i, q in enumerate(FIVE_QUESTIONS, 1))
            lines.append(f"高德导航：{links.amap_web}")
            lines.append(f"百度导航：{links.baidu_web}")
            ev.add("description", "\n".join(lines))
            ev.add("url", links.amap_web)
            ev.add("categories", ["带信下访", it.team.name])
            cal.add_component(ev)
    return cal.to_ical()
