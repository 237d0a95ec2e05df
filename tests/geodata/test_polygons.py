"""Tests of the county polygons and of the coordinates written by hand (seats, bases)."""

from __future__ import annotations

import json

import pytest

import geodata
from geodata.polygons import FALLBACK_KM, county_at, distance_km

# Town seats on the coast or on an island may fall outside the simplified polygons by a few km.
COAST_KM = 6.0


def test_geojson_has_11_named_features_and_is_a_copy():
    gj = geodata.county_geojson()
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 11
    assert {f["properties"]["code"] for f in gj["features"]} == {c.code for c in geodata.counties()}
    assert all(f["properties"]["name"].endswith(("区", "县")) for f in gj["features"])
    json.dumps(gj)
    gj["features"].clear()
    assert len(geodata.county_geojson()["features"]) == 11


def test_polygons_are_valid_and_do_not_overlap():
    polys = geodata.county_polygons()
    assert len(polys) == 11
    items = list(polys.items())
    for i, (code, g) in enumerate(items):
        assert g.is_valid and g.area > 0, code
        for other, h in items[i + 1:]:
            assert g.intersection(h).area < 1e-4 * min(g.area, h.area), (code, other)


@pytest.mark.parametrize("town", geodata.towns(), ids=lambda t: t.name)
def test_every_town_seat_is_in_its_county(town):
    polys = geodata.county_polygons()
    assert distance_km(polys[town.county_code], town.lon, town.lat) <= COAST_KM
    hit = county_at(town.lon, town.lat)
    assert hit.code == town.county_code


def test_no_two_towns_share_a_point():
    points = [(t.lon, t.lat) for t in geodata.towns()]
    assert len(set(points)) == len(points)


def test_county_seats_and_bases_are_inside_their_counties():
    polys = geodata.county_polygons()
    for c in geodata.counties():
        assert distance_km(polys[c.code], c.lon, c.lat) == 0, c.name
    for b in geodata.bases():
        assert county_at(b.lon, b.lat).code == b.county_code, b.name
        assert county_at(b.lon, b.lat).inside, b.name


def test_county_at_fallback_and_outside():
    inside = county_at(117.313, 24.363)
    assert (inside.name, inside.inside, inside.flagged) == ("平和县", True, False)
    coast = county_at(117.53, 23.665)  # 东山 铜陵, just off the simplified coast
    assert coast.code == "350626" and coast.flagged and 0 < coast.distance_km <= FALLBACK_KM
    far = county_at(118.6, 24.0)  # Taiwan Strait
    assert far.code is None and far.distance_km > FALLBACK_KM
