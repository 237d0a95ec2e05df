"""iCalendar (.ics) of itineraries: one VEVENT per visit in Asia/Shanghai time; the team and its members are named in
the description.

A stop recorded on its day says when, as the phone list, the Excel, the PDF and the offline map say it
(:mod:`planner.field.visit_times`): its event starts at the recorded minute (for the planned length) and its
description reads ``已走访 08:05（原计划 15:06）``; the events follow the day's order of those sheets. A stop recorded
on a later day (补登) keeps its planned times and says ``已走访（12-08 补登，原计划 15:06）``.

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
from planner.field.visit_times import sheet_rows

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
        # Recorded stops by when they were recorded, then the rest as planned; the day's own stops only.
        for s in (r for r in sheet_rows(it) if r is not None and not r.put_off):
            ev = Event()
            ev.add("uid", f"{it.team.team_id}-{it.date.isoformat()}-{s.visit.visit_id}@xiafang")
            ev.add("dtstamp", stamp)
            length = max(s.stop.end_min - s.stop.start_min, 1)
            start = s.recorded.minute if s.recorded is not None and s.recorded.minute is not None \
                else s.stop.start_min
            ev.add("dtstart", _at(it.date, start))
            ev.add("dtend", _at(it.date, start + length))
            ev.add("summary", f"{s.seq}. 带信下访：{s.place()}")
            ev.add("location", vText(s.place()))
            ev.add("geo", (s.lat, s.lon))
            links = nav_links(s.lon, s.lat, s.name())
            when = s.recorded.text(s.start) if s.recorded is not None else f"到达 {s.arrive}，走访 {s.start}-{s.end}"
            lines = [*it.notices, f"检查组：{it.team.name}（{it.members_text()}）", when]
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
