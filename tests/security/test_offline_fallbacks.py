"""The optional online parts (OSRM, tiles) may be unreachable: planning and maps keep working offline."""

from __future__ import annotations

import socket

import pytest

from planner.errors import InputError, XiafangWarning
from planner.routing.travel import OfflineTravelModel, OsrmTravel, Point

POINTS = [Point("team:T1", 117.647, 24.513), Point("V1", 117.30, 24.36), Point("V2", 117.61, 24.12)]


def _closed_port() -> str:
    # A port nothing listens on: connecting is refused at once, like a closed government network.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_unreachable_osrm_without_fallback_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="无法访问"):
        OsrmTravel(_closed_port(), timeout_s=2).matrix(POINTS)


def test_unreachable_osrm_falls_back_to_the_offline_model() -> None:
    offline = OfflineTravelModel()
    with pytest.warns(XiafangWarning, match="unreachable"):
        got = OsrmTravel(_closed_port(), timeout_s=2, fallback=offline).matrix(POINTS)
    want = offline.matrix(POINTS)
    assert got.node_ids == want.node_ids
    assert (got.travel_s == want.travel_s).all() and (got.distance_m == want.distance_m).all()


def test_maps_with_tiles_switched_on_still_draw_the_offline_basemap() -> None:
    import datetime as dt

    from planner.field.map_layers import case_map
    from planner.field.maps import MapTiles

    online = case_map([], today=dt.date(2026, 12, 1), tiles=MapTiles(osm=True)).map.get_root().render()
    offline = case_map([], today=dt.date(2026, 12, 1)).map.get_root().render()
    # The tile layer is an extra; the county polygons from shipped data stay, so an unreachable tile server
    # leaves a usable map.
    assert "tile.openstreetmap.org" in online and "tile.openstreetmap.org" not in offline
    for html in (online, offline):
        assert "平和县" in html and "诏安县" in html
