"""Maps draw estimated points as estimates: one '≈n' marker per shared seat and a dashed circle of its bound."""

from __future__ import annotations

import datetime as dt

import folium

from planner.domain import Location, PetitionCase
from planner.field.map_layers import case_map, estimated_groups
from planner.places.estimates import county_wide
from planner.places.resolver import resolve


def _case(no: str, address: str, **point) -> PetitionCase:
    r = resolve(address)
    loc = Location(lon=r.lon, lat=r.lat, county=r.county, county_code=r.county_code, town=r.town,
                   town_code=r.town_code, village=r.village, village_code=r.village_code, precision=r.precision,
                   point_source=r.coord_source, precision_km=r.precision_km)
    if point:
        loc = Location(**{**{f: getattr(loc, f) for f in loc.__slots__}, **point})
    return PetitionCase(case_no=no, received_date=dt.date(2026, 11, 2), content="反映问题", location=loc)


def test_cases_sharing_a_seat_are_one_estimated_point():
    cases = [_case("A", "平和县山格镇土田村"), _case("B", "平和县山格镇白楼村"),
             _case("C", "平和县山格镇土田村", lon=117.41, lat=24.38, point_source="register", precision_km=None)]
    groups = estimated_groups(cases)
    assert [[c.case_no for c in g] for g in groups.values()] == [["A", "B"]]
    assert cases[0].location.estimated and not cases[2].location.estimated

    cm = case_map(cases, today=dt.date(2026, 11, 26))
    circles = [ch for ch in _walk(cm.map) if isinstance(ch, folium.Circle)]
    # Walk U: the villages' bound is the whole county from the seat: a circle that wide only redraws the county (and
    # covered most of the city), so none is drawn; the marker's words still state it.
    assert county_wide(cases[0].location) and circles == []
    icons = [ch for ch in _walk(cm.map) if isinstance(ch, folium.DivIcon)]
    assert len(icons) == 1 and "≈2" in icons[0].options["html"]
    html = cm.map.get_root().render()
    assert "\\u2248" in html or "≈" in html


def _walk(el):
    for ch in el._children.values():
        yield ch
        yield from _walk(ch)


def test_visit_briefs_say_when_the_point_is_a_shared_estimate():
    from planner.selection.ranking import build_visits

    cases = [_case("A", "平和县山格镇土田村"),
             _case("C", "平和县山格镇白楼村", lon=117.41, lat=24.38, point_source="corrected", precision_km=0.5)]
    built = build_visits(cases, today=dt.date(2026, 11, 26))
    briefs = {b.case_nos: b for b in built.briefs}
    assert "估计点" in briefs[("A",)].checklist[3] and "km" in briefs[("A",)].checklist[3]
    assert "估计点" not in briefs[("C",)].checklist[3]


def test_basemap_town_dots_say_when_the_seat_is_an_estimate():
    from planner.field.maps import base_map

    html = base_map().get_root().render()
    assert "驻地位置为估计" in html or "\\u9a7b\\u5730\\u4f4d\\u7f6e\\u4e3a\\u4f30\\u8ba1" in html
