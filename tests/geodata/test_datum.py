"""Tests of WGS-84 / GCJ-02 / BD-09 conversion, cross-checked against prcoords."""

from __future__ import annotations

import math

import prcoords
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata import datum
from geodata.errors import BadCoordinateError

LON = st.floats(116.8, 118.3)
LAT = st.floats(23.4, 25.3)


def _metres(a, b) -> float:
    dy = (a[1] - b[1]) * 110_574
    dx = (a[0] - b[0]) * 111_320 * math.cos(math.radians(a[1]))
    return math.hypot(dx, dy)


@settings(max_examples=200, deadline=None)
@given(LON, LAT)
def test_forward_matches_prcoords(lon, lat):
    ref = prcoords.wgs_gcj(prcoords.Coords(lat, lon))
    assert _metres(datum.wgs84_to_gcj02(lon, lat), (ref.lon, ref.lat)) < 0.001
    ref_bd = prcoords.wgs_bd(prcoords.Coords(lat, lon))
    assert _metres(datum.wgs84_to_bd09(lon, lat), (ref_bd.lon, ref_bd.lat)) < 0.001


@settings(max_examples=200, deadline=None)
@given(LON, LAT)
def test_round_trips_within_one_centimetre(lon, lat):
    assert _metres(datum.gcj02_to_wgs84(*datum.wgs84_to_gcj02(lon, lat)), (lon, lat)) < 0.01
    assert _metres(datum.bd09_to_wgs84(*datum.wgs84_to_bd09(lon, lat)), (lon, lat)) < 0.01
    assert _metres(datum.bd09_to_gcj02(*datum.gcj02_to_bd09(lon, lat)), (lon, lat)) < 0.01


@settings(max_examples=100, deadline=None)
@given(LON, LAT)
def test_inverse_matches_prcoords_exact_inverse(lon, lat):
    ref = prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon))
    assert _metres(datum.gcj02_to_wgs84(lon, lat), (ref.lon, ref.lat)) < 0.01


def test_gcj_shift_around_zhangzhou_is_500_to_650_m():
    p = (117.65, 24.51)
    assert 500 < _metres(datum.wgs84_to_gcj02(*p), p) < 650


@pytest.mark.parametrize(
    ("name", "expected"),
    [("WGS84", "wgs84"), ("GPS", "wgs84"), ("天地图", "wgs84"), ("高德", "gcj02"), ("GCJ-02", "gcj02"),
     ("腾讯", "gcj02"), ("百度", "bd09"), ("BD-09", "bd09")],
)
def test_normalize_datum(name, expected):
    assert datum.normalize_datum(name) == expected


def test_bad_input():
    with pytest.raises(BadCoordinateError, match="不认识的坐标系 'utm'"):
        datum.normalize_datum("utm")
    with pytest.raises(BadCoordinateError, match="nan"):
        datum.wgs84_to_gcj02(float("nan"), 24.0)
