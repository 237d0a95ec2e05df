"""The basemap's town seats come from the office gazetteer: an imported or corrected town moves its dot, and only
the towns still on a hand-written estimate are drawn (and labelled) as approximate."""

from __future__ import annotations

import geodata
from planner.field.maps import base_map, town_dots
from planner.places.gazetteer import Gazetteer, Place
from planner.store.places import correct_point, load_gazetteer

ESTIMATED = next(t for t in geodata.towns() if t.source == "estimate")
OTHER_ESTIMATED = next(t for t in geodata.towns() if t.source == "estimate" and t.code != ESTIMATED.code)


def _town_place(town: geodata.Town, lon: float, lat: float, source: str) -> Place:
    return Place(level="town", name=town.name, lon=lon, lat=lat, source=source, county_code=town.county_code,
                 town_code=town.code, county=town.county, town=town.name)


def _dot(dots, code: str):
    return next(d for d in dots if d.code == code)


def test_without_an_office_gazetteer_estimates_are_approximate() -> None:
    dots = town_dots()
    assert len(dots) == len(geodata.towns())
    for town in geodata.towns():
        d = _dot(dots, town.code)
        assert (d.lon, d.lat) == (town.lon, town.lat)
        assert d.approximate == (town.source == "estimate")
        assert ("驻地位置为估计" in d.label) == (town.source == "estimate")
    assert f"{ESTIMATED.precision_km:g} km" in _dot(dots, ESTIMATED.code).label


def test_an_imported_or_corrected_town_moves_and_is_no_longer_approximate() -> None:
    point = (ESTIMATED.lon + 0.021, ESTIMATED.lat - 0.013)
    gaz = Gazetteer.of([_town_place(ESTIMATED, *point, "imported"),
                        _town_place(ESTIMATED, point[0] + 0.004, point[1], "corrected")])  # a person's point wins
    d = _dot(town_dots(gaz), ESTIMATED.code)
    assert (d.lon, d.lat) == (point[0] + 0.004, point[1])
    assert not d.approximate and "人工校准" in d.label and "估计" not in d.label
    assert _dot(town_dots(gaz), OTHER_ESTIMATED.code).approximate  # towns the office did not place stay estimates


def test_a_village_point_does_not_move_its_town() -> None:
    village = next(v for v in geodata.villages() if v.town_code == ESTIMATED.code)
    gaz = Gazetteer.of([Place(level="village", name=village.name, lon=ESTIMATED.lon + 0.05, lat=ESTIMATED.lat,
                              source="corrected", county_code=village.county_code, town_code=ESTIMATED.code,
                              village_code=village.code)])
    d = _dot(town_dots(gaz), ESTIMATED.code)
    assert (d.lon, d.lat, d.approximate) == (ESTIMATED.lon, ESTIMATED.lat, True)


def test_map_html_draws_the_corrected_seat_and_marks_the_rest_approximate(session) -> None:
    from planner.office.security import Actor

    fixed = (ESTIMATED.lon + 0.03, ESTIMATED.lat + 0.01)
    correct_point(session, Actor("coord", "coordinator"), lon=fixed[0], lat=fixed[1], town_code=ESTIMATED.code)
    session.flush()
    gaz = load_gazetteer(session)
    html = base_map(gazetteer=gaz).get_root().render()
    label = f"{ESTIMATED.county}{ESTIMATED.name}（驻地：人工校准）"
    assert f'[{round(fixed[1], 6)},{round(fixed[0], 6)},"{label}",0]' in html
    assert f'[{ESTIMATED.lat},{ESTIMATED.lon},' not in html  # the estimate is gone, not drawn twice
    other = _dot(town_dots(gaz), OTHER_ESTIMATED.code)
    assert f'[{round(other.lat, 6)},{round(other.lon, 6)},"{other.label}",1]' in html
    assert "xf-town-approx" in html
    plain = base_map().get_root().render()
    assert f'[{round(ESTIMATED.lat, 6)},{round(ESTIMATED.lon, 6)},' in plain and label not in plain
