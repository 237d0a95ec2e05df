"""GPX 1.1 of itineraries: a waypoint per stop (and the base) and a route line in visiting order.

The waypoints follow the route, each stamped with its planned arrival, recorded or not; its description says the
time window and when a result was recorded (``到达 14:40，走访 14:49-15:30（约定时段 14:30-15:30）；已登记 08:05``,
:mod:`planner.field.visit_times`); the route keeps the plan's line (as the offline map draws it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import gpxpy.gpx

from planner.field.model import TZ_NAME, Itinerary
from planner.field.visit_times import at_minute, day_stops, when_text

_TZ = ZoneInfo(TZ_NAME)


def _utc(day: dt.date, minutes: int) -> dt.datetime:
    # GPX times are UTC by convention; keep the instant, not the wall clock.
    local = dt.datetime.combine(day, dt.time(0, 0), tzinfo=_TZ) + dt.timedelta(minutes=minutes)
    return local.astimezone(dt.UTC)


def to_gpx(items: Itinerary | Iterable[Itinerary]) -> bytes:
    """Render itineraries as GPX: waypoints ``<seq>. <place>`` with the planned arrival time, and one
    ``<rte>`` per day.

    Returns
    -------
    bytes
        UTF-8 GPX 1.1 XML (WGS-84, as GPX requires).
    """
    its = [items] if isinstance(items, Itinerary) else list(items)
    doc = gpxpy.gpx.GPX()
    doc.creator = "Xiafang 下访"
    doc.name = "带信下访行程"
    for it in its:
        tag = f"{it.team.name} {it.date.isoformat()}"
        base = gpxpy.gpx.GPXWaypoint(
            latitude=it.team.base_lat, longitude=it.team.base_lon, name=f"驻地 {it.team.base_name}".strip(),
            time=_utc(it.date, it.route.depart_min), symbol="Flag",
        )
        base.description = f"{tag} 出发 {it.depart}，返回 {it.return_}"
        doc.waypoints.append(base)
        rte = gpxpy.gpx.GPXRoute(name=tag, description=f"{it.members_text()}；午休 {it.break_text() or '无'}")
        rte.points.append(
            gpxpy.gpx.GPXRoutePoint(latitude=it.team.base_lat, longitude=it.team.base_lon, name="出发")
        )
        for s in day_stops(it):  # in route order, at their planned times
            wpt = gpxpy.gpx.GPXWaypoint(latitude=s.lat, longitude=s.lon, name=f"{s.seq}. {s.place()}",
                                        time=_utc(it.date, at_minute(s)), symbol="Waypoint")
            done = f"【{s.outcome}】" if s.outcome else ""  # as 行程 marks the stop once its outcome is recorded
            wpt.description = f"{done}{tag} {when_text(s)}。{s.summaries()}"
            wpt.type = s.visit.visit_type.label
            doc.waypoints.append(wpt)
        for s in it.stops:  # the plan's line, as the offline map draws it
            rte.points.append(
                gpxpy.gpx.GPXRoutePoint(
                    latitude=s.lat, longitude=s.lon, name=f"{s.seq}. {s.place()}", time=_utc(it.date, at_minute(s))
                )
            )
        rte.points.append(
            gpxpy.gpx.GPXRoutePoint(latitude=it.team.base_lat, longitude=it.team.base_lon, name="返回")
        )
        doc.routes.append(rte)
    return doc.to_xml(version="1.1").encode("utf-8")
