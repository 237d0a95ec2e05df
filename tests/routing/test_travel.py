"""Travel-time providers: offline model, matrix file, OSRM with a recorded response."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from planner.errors import InputError
from planner.routing import MatrixFileTravel, OfflineTravelModel, OsrmTravel, Point
from planner.routing.travel import haversine_m, terrain_of

DATA = Path(__file__).parent / "data"
PTS = [Point("team:A", 117.652, 24.512), Point("V1", 117.313, 24.363), Point("V2", 117.534, 25.004)]


def test_offline_model_is_circuity_over_speed():
    model = OfflineTravelModel(terrain=lambda lon, lat: "plain", local_km=1000)
    m = model.matrix(PTS[:2])
    straight = haversine_m(PTS[0].lon, PTS[0].lat, PTS[1].lon, PTS[1].lat)
    assert m.distance_m[0, 1] == round(straight * 1.25)
    assert m.travel_s[0, 1] == round(straight * 1.25 / (45 / 3.6))
    assert (m.travel_s == m.travel_s.T).all() and (np.diag(m.travel_s) == 0).all()


def test_hills_are_slower_than_plains():
    hill = OfflineTravelModel(terrain=lambda lon, lat: "hill").matrix(PTS[:2])
    plain = OfflineTravelModel(terrain=lambda lon, lat: "plain").matrix(PTS[:2])
    assert hill.travel_s[0, 1] > plain.travel_s[0, 1] and hill.distance_m[0, 1] > plain.distance_m[0, 1]


@pytest.mark.parametrize(("lon", "lat", "terrain"), [(117.313, 24.363, "hill"), (117.652, 24.512, "plain"),
                                                     (117.534, 25.004, "hill"), (117.614, 24.117, "plain")])
def test_terrain_of_real_places(lon, lat, terrain):
    assert terrain_of(lon, lat) == terrain


def test_matrix_file_with_fallback(tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("from,to,seconds,meters\nteam:A,V1,1000,20000\n", encoding="utf-8")
    m = MatrixFileTravel(f, fallback=OfflineTravelModel()).matrix(PTS)
    assert m.travel_s[0, 1] == 1000 and m.distance_m[0, 1] == 20000
    assert m.travel_s[1, 0] > 0  # from the fallback
    with pytest.raises(InputError, match="没有从 'V1' 到 'team:A' 的时间"):
        MatrixFileTravel(f).matrix(PTS[:2])


def test_matrix_file_bad_number_names_the_row(tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("from,to,seconds,meters\nteam:A,V1,abc,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"第 2 行.*'abc'"):
        MatrixFileTravel(f).matrix(PTS[:2])


def test_osrm_recorded_response():
    recorded = json.loads((DATA / "osrm_table.json").read_text(encoding="utf-8"))
    urls = []

    def fetch(url, timeout):
        urls.append(url)
        return recorded

    m = OsrmTravel("http://osrm.local:5000", fetch=fetch).matrix(PTS)
    assert urls[0].startswith("http://osrm.local:5000/table/v1/driving/117.652000,24.512000;")
    assert "annotations=duration,distance" in urls[0]
    assert m.travel_s[0, 1] == 2711 and m.distance_m[1, 2] == 98765


def test_osrm_error_is_reported():
    osrm = OsrmTravel("http://osrm.local", fetch=lambda url, t: {"code": "InvalidQuery", "message": "bad"})
    with pytest.raises(InputError, match="InvalidQuery"):
        osrm.matrix(PTS)
