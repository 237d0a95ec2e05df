"""KML of itineraries (Google Earth, 奥维 Ovital, most GIS apps): placemarks per stop and the route line."""

from __future__ import annotations

from collections.abc import Iterable

import simplekml

from planner.domain import FIVE_QUESTIONS, hhmm
from planner.field.model import Itinerary
from planner.field.visit_times import at_minute, day_stops, when_text
from planner.office.privacy import escape_html


def to_kml(items: Itinerary | Iterable[Itinerary]) -> bytes:
    """Render itineraries as KML: one folder per team-day with the base, numbered stops and a LineString.

    Viewers such as Google Earth render ``<description>`` as HTML, so every text in a description (letters,
    team and member names) is HTML-escaped first (simplekml then XML-escapes the result): a ``<script>`` in a
    letter shows as text.

    Returns
    -------
    bytes
        UTF-8 KML 2.2.
    """
    its = [items] if isinstance(items, Itinerary) else list(items)
    kml = simplekml.Kml(name="带信下访行程")
    for it in its:
        folder = kml.newfolder(name=f"{it.team.name} {it.date.isoformat()}")
        base = folder.newpoint(name=f"驻地 {it.team.base_name}".strip(), coords=[(it.team.base_lon, it.team.base_lat)])
        base.description = escape_html(f"出发 {it.depart}，返回 {it.return_}；成员：{it.members_text()}")
        # In route order at their planned times, with the time window and when a result was recorded
        # (planner.field.visit_times).
        for s in day_stops(it):
            p = folder.newpoint(name=f"{s.seq}. {s.place()}", coords=[(s.lon, s.lat)])
            done = f"（{s.outcome}）" if s.outcome else ""  # as 行程 marks the stop once its outcome is recorded
            lines = [escape_html(f"{when_text(s)}{done}")]
            lines += [f"[{escape_html(c.case_no)}] {escape_html(c.summary)}" for c in s.cases]
            lines.append(escape_html("访前五问：" + " ".join(f"{i}.{q}" for i, q in enumerate(FIVE_QUESTIONS, 1))))
            p.description = "<br/>".join(lines)
            p.timestamp.when = f"{it.date.isoformat()}T{hhmm(at_minute(s))}:00+08:00"
        line = folder.newlinestring(  # the plan's line, as the offline map draws it
            name=f"{it.team.name} {it.date.isoformat()} 路线",
            coords=[(it.team.base_lon, it.team.base_lat), *((s.lon, s.lat) for s in it.stops),
                    (it.team.base_lon, it.team.base_lat)],
        )
        line.style.linestyle.width = 4
        line.style.linestyle.color = "ffd0761f"
    return kml.kml(format=True).encode("utf-8")
