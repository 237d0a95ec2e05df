"""Walk U: a letter naming only a town says 只定位到乡镇，村未知 and no radius, whatever its seat's bound."""

from __future__ import annotations

import datetime as dt
import re

import folium
import pytest

from planner.domain import Location, PetitionCase
from planner.field.map_layers import approximate_layers
from planner.field.model import estimate_note
from planner.places.estimates import estimate_words, shared_point_words
from planner.places.resolver import resolve


def _loc(address: str) -> Location:
    r = resolve(address)
    return Location(
        lon=r.lon,
        lat=r.lat,
        county=r.county,
        county_code=r.county_code,
        town=r.town,
        town_code=r.town_code,
        village=r.village,
        village_code=r.village_code,
        precision=r.precision,
        point_source=r.coord_source,
        precision_km=r.precision_km,
    )


# 角美镇's seat is a hand estimate (a county-wide bound), 杜浔镇's a GeoNames point (3 km): the same kind of letter.
TOWNS = ["龙海区角美镇", "漳浦县杜浔镇"]


@pytest.mark.parametrize("address", TOWNS)
def test_town_only_words_give_no_radius_and_say_the_village_is_unknown(address):
    loc = _loc(address)
    note = estimate_note(loc.precision_km, town=loc.town)
    assert "只定位到乡镇" in note and "村未知" in note and "km" not in note
    words = estimate_words(loc)
    assert "只定位到乡镇" in words and "村未知" in words and "实际地点可能在" not in words
    assert "实际地点可能在" not in shared_point_words([loc])


def test_the_two_kinds_of_seat_are_worded_alike_apart_from_the_point():
    a, b = (_loc(x) for x in TOWNS)
    assert a.precision_km > 30 and b.precision_km > 30  # both bound the town, not the seat (walk W35: not 3 km)
    na, nb = estimate_note(a.precision_km, town=a.town), estimate_note(b.precision_km, town=b.town)
    assert na.replace(a.town, "X").split("（")[0] == nb.replace(b.town, "X").split("（")[0]


def _circles(cases):
    m = folium.Map()
    for layer in approximate_layers(cases, lambda lon, lat: (lat, lon)):
        layer.add_to(m)
    return re.findall(r"L\.circle\(", m.get_root().render())


def _case(no, address):
    return PetitionCase(case_no=no, received_date=dt.date(2026, 11, 2), content="反映问题", location=_loc(address))


def test_the_map_draws_no_city_wide_circle_for_town_or_county_wide_bounds():
    assert _circles([_case("T1", "龙海区角美镇"), _case("T2", "平和县南胜镇")]) == []
    # A village on its town's seat is bounded by the whole county: its circle would only redraw the county.
    assert _circles([_case("V1", "平和县文峰镇三平村")]) == []
