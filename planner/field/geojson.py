"""GeoJSON of itineraries: the base, a Point per stop (in order, with times) and the route LineString."""

from __future__ import annotations

import json
from collections.abc import Iterable

from planner.domain import hhmm
from planner.field.model import Itinerary
from planner.field.visit_times import at_minute, day_stops, window_text


def to_geojson_dict(items: Itinerary | Iterable[Itinerary]) -> dict:
    """Build a GeoJSON FeatureCollection (RFC 7946, WGS-84 lon/lat).

    Each feature's ``properties`` carry ``kind`` (``base``/``stop``/``route``), ``team``, ``date``, and for stops
    ``seq``, ``visit``, ``place``, ``arrive``, ``start``, ``end``, ``case_nos``, ``summary``, ``deadline``.

    The stops come in route order (``order``: 1, 2, …; :mod:`planner.field.visit_times`) with their planned times,
    recorded or not (``planned_arrive``, ``planned_start`` and ``planned_end`` say the same); ``window`` is the
    visit's time window (``约定时段 14:30-15:30``, else null), ``recorded`` when a result was recorded
    (``已登记 08:05``, else null) and ``outcome`` what was recorded (``已改期，约定 12-10``, else null).
    """
    its = [items] if isinstance(items, Itinerary) else list(items)
    feats: list[dict] = []
    for it in its:
        common = {"team": it.team.team_id, "team_name": it.team.name, "date": it.date.isoformat()}
        base = [it.team.base_lon, it.team.base_lat]
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": base},
                "properties": {**common, "kind": "base", "name": it.team.base_name, "depart": it.depart,
                               "return": it.return_},
            }
        )
        for order, s in enumerate(day_stops(it), 1):
            d = s.earliest_deadline()
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                    "properties": {
                        **common, "kind": "stop", "seq": s.seq, "order": order, "visit": s.visit.visit_id,
                        "place": s.place(), "arrive": hhmm(at_minute(s)), "start": s.start, "end": s.end,
                        "window": window_text(s.visit) or None,
                        "recorded": s.recorded.text() if s.recorded is not None else None,
                        "outcome": s.outcome or None,
                        "planned_arrive": s.arrive, "planned_start": s.start, "planned_end": s.end,
                        "case_nos": list(s.visit.case_nos), "summary": s.summaries(),
                        "deadline": d.isoformat() if d else None, "break_before": s.break_before,
                    },
                }
            )
        line = [base, *([s.lon, s.lat] for s in it.stops), base]  # the plan's line, as the offline map draws it
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {**common, "kind": "route", "depart": it.depart, "return": it.return_,
                               "distance_m": it.route.distance_m, "travel_s": it.route.travel_s,
                               "break": it.break_text() or None},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def to_geojson(items: Itinerary | Iterable[Itinerary]) -> bytes:
    """GeoJSON as UTF-8 bytes (Chinese kept readable)."""
    return json.dumps(to_geojson_dict(items), ensure_ascii=False, indent=1).encode("utf-8")
