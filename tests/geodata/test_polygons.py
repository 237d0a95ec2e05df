"""Tests of the county polygons and of the coordinates written by hand (seats, bases)."""

from __future__ import annotations

import json

import pytest

import geodata
from geodata.polygons import FALLBACK_KM, county_at, distance_km, neighbour_at

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


def test_neighbouring_land_is_not_zhangzhou():
    cases = [(118.09, 24.48, "厦门市思明区"), (117.98, 24.49, "厦门市海沧区"), (117.0, 23.67, "潮州市饶平县")]
    for lon, lat, name in cases:
        hit = county_at(lon, lat)
        assert hit.code is None and hit.neighbour == name and hit.distance_km <= FALLBACK_KM
    assert county_at(117.313, 24.363).neighbour == ""


def test_no_seat_or_base_lies_in_a_neighbouring_city():
    points = [(t.name, t.lon, t.lat) for t in geodata.towns()]
    points += [(b.name, b.lon, b.lat) for b in geodata.bases()]
    points += [(u.name, u.lon, u.lat) for u in geodata.special_units() if u.lon is not None]
    assert [p[0] for p in points if neighbour_at(p[1], p[2])] == []


def test_neighbour_polygons_do_not_overlap_zhangzhou():
    from shapely.ops import unary_union

    from geodata.polygons import _neighbours

    own = unary_union(list(geodata.county_polygons().values()))
    assert len(_neighbours()) >= 10
    for _code, name, geom, _prepared in _neighbours():
        assert not name.startswith("漳州")
        assert geom.intersection(own).area < 1e-4 * geom.area, name
