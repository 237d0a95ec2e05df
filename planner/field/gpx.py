"""GPX 1.1 of itineraries: a waypoint per stop (and the base) and a route line in visiting order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import gpxpy.gpx

from planner.field.model import TZ_NAME, Itinerary

_TZ = ZoneInfo(TZ_NAME)


def _utc(day: dt.date, minutes: int) -> dt.datetime:
    # GPX times are UTC by convention; keep the instant, not the wall clock.
    local = dt.datetime.combine(day, dt.time(0, 0), tzinfo=_TZ) + dt.timedelta(minutes=minutes)
    return local.astimezone(dt.UTC)


def to_gpx(items: Itinerary | Iterable[Itinerary]) -> bytes:
    """Render itineraries as GPX: waypoints ``<seq>. <place>`` with the arrival time, and one ``<rte>`` per day.

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
        for s in it.stops:
            name = f"{s.seq}. {s.place()}"
            wpt = gpxpy.gpx.GPXWaypoint(
                latitude=s.lat, longitude=s.lon, name=name, time=_utc(it.date, s.stop.arrive_min), symbol="Waypoint"
            )
            done = f"【{s.outcome}】" if s.outcome else ""  # as 行程 marks the stop once its outcome is recorded
            wpt.description = f"{done}{tag} 到达 {s.arrive}，走访 {s.start}-{s.end}。{s.summaries()}"
            wpt.type = s.visit.visit_type.label
            doc.waypoints.append(wpt)
            rte.points.append(
                gpxpy.gpx.GPXRoutePoint(
                    latitude=s.lat, longitude=s.lon, name=name, time=_utc(it.date, s.stop.arrive_min)
                )
            )
        rte.points.append(
            gpxpy.gpx.GPXRoutePoint(latitude=it.team.base_lat, longitude=it.team.base_lon, name="返回")
        )
        doc.routes.append(rte)
    return doc.to_xml(version="1.1").encode("utf-8")
