"""行程 on a phone (walk 1, 390×844): the day's map opened with the base's 驻 cut at the left edge and stop 4 at the
right. The first view must hold every marker whole: each point far enough inside the map that its marker (26 px,
centred on it) and a few pixels around it are shown, on the phone's map (366 × 340 px on a 390-px screen)."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest

from planner.domain import Route, Stop, Team, Visit
from planner.field.map_layers import route_map

MAP_W, MAP_H = 366, 340  # the 行程 map on a 390-px phone: the page's width less its 12-px sides; height=340
MARKER_HALF = 13  # the stop and base markers are 26 px, centred on their point


def _pixels(m, lat: float, lon: float) -> tuple[float, float]:
    """Where a point is drawn in a MAP_W × MAP_H view of ``m``'s first view (Web Mercator, Leaflet's maths)."""
    zoom = m.options["zoom"]
    c_lat, c_lon = m.location
    world = 256 * 2**zoom

    def y(la: float) -> float:
        return world * (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2

    x = (lon - c_lon) / 360 * world + MAP_W / 2
    return x, y(lat) - y(c_lat) + MAP_H / 2


def _day(rng: random.Random, spread_km: float) -> tuple[Route, dict[str, Visit], dict[str, Team]]:
    base = (117.65 + rng.uniform(-0.1, 0.1), 24.51 + rng.uniform(-0.1, 0.1))
    deg = spread_km / 100
    visits = {f"V{i}": Visit(f"V{i}", base[0] + rng.uniform(-deg, deg), base[1] + rng.uniform(-deg, deg) / 2, 60,
                             label=f"村{i}") for i in range(1, 5)}
    stops = tuple(Stop(vid, 540 + 90 * k, 540 + 90 * k, 600 + 90 * k, 900, 10_000) for k, vid in enumerate(visits))
    team = Team("T1", base_lon=base[0], base_lat=base[1], name="第一检查组", base_name="驻地")
    route = Route("T1", dt.date(2026, 12, 7), 510, 1000, stops, 3600, 40_000)
    return route, visits, {"T1": team}


@pytest.mark.parametrize("seed", range(12))
def test_every_marker_of_the_phone_map_is_whole_at_first_view(seed: int) -> None:
    rng = random.Random(seed)
    route, visits, teams = _day(rng, rng.choice((8, 20, 45, 70)))
    m = route_map([route], visits, teams, fit_px=(330, 300))  # as 行程 draws it
    points = [(teams["T1"].base_lat, teams["T1"].base_lon), *((v.lat, v.lon) for v in visits.values())]
    for lat, lon in points:
        x, y = _pixels(m, lat, lon)
        room = min(x, MAP_W - x, y, MAP_H - y)
        assert room >= MARKER_HALF + 12, f"point ({lat:.4f}, {lon:.4f}) drawn {room:.0f} px from the map's edge"
