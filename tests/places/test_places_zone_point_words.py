"""Walk R, defect 2: 大地村 is counted under 仙都镇 but sits on 福建土楼（华安）旅游区's point; the estimate's words
name the point it really is, and the bound is measured from that point."""

from __future__ import annotations

import geodata
from planner.domain import Location
from planner.places import estimates
from planner.places.estimates import estimate_words
from planner.places.resolver import resolve


def _loc(address: str) -> Location:
    r = resolve(address)
    return Location(lon=r.lon, lat=r.lat, county=r.county, county_code=r.county_code, town=r.town,
                    town_code=r.town_code, village=r.village, village_code=r.village_code, precision=r.precision,
                    point_source=r.coord_source, precision_km=r.precision_km)


def test_zone_village_words_name_the_zone_point():
    loc = _loc("华安县仙都镇大地村")
    assert loc.town == "仙都镇" and loc.point_source == "unit_seat"
    unit = next(u for u in geodata.special_units() if u.name == "福建土楼（华安）旅游区")
    assert (loc.lon, loc.lat) == (unit.lon, unit.lat)
    words = estimate_words(loc)
    assert "仙都镇驻地" not in words
    assert words.startswith("点在福建土楼（华安）旅游区驻地，")
    # The bound holds from that point: the farthest point of 华安县 seen from the zone's point.
    assert loc.precision_km == geodata.territory_km("350629", loc.lon, loc.lat)


def test_ordinary_village_words_unchanged():
    loc = _loc("平和县山格镇土田村")
    assert estimates.point_name(loc) == "山格镇"
    # 山格镇's point is the built-in hand estimate: said so, as on every sheet (walk W13).
    assert estimate_words(loc).startswith("点在山格镇的大致位置，未核实到驻地，")


def test_a_village_bound_says_it_is_the_county_s():
    # Villages have no point and towns no outline: the bound is the farthest point of the county from the seat.
    loc = _loc("平和县山格镇土田村")
    assert loc.precision_km == geodata.territory_km("350628", loc.lon, loc.lat)
    assert estimate_words(loc) == (f"点在山格镇的大致位置，未核实到驻地，按全县区范围计，实际地点可能在 "
                                   f"{loc.precision_km:g} km 以内")
