"""Office gazetteer without a database: precedence of sources, roads, boundaries, register medians."""

from __future__ import annotations

import pytest

import geodata
from planner.errors import InputError
from planner.places.gazetteer import Gazetteer, Place, median_point, register_places
from planner.places.resolver import resolve, resolve_many

SHANGE = geodata.town_by_code("350628101")  # 平和县山格镇


def _village(source: str, lon: float, lat: float, code: str = "350628101210") -> Place:
    return Place(level="village", name="土田村", lon=lon, lat=lat, source=source, county_code="350628",
                 town_code="350628101", village_code=code, precision_km=0.5)


def test_empty_gazetteer_changes_nothing():
    assert resolve("平和县山格镇土田村", Gazetteer.of([])) == resolve("平和县山格镇土田村")


def test_village_point_replaces_the_town_seat():
    gaz = Gazetteer.of([_village("imported", 117.41, 24.38)])
    r = resolve("平和县山格镇土田村", gaz)
    assert (r.lon, r.lat, r.coord_source, r.precision_km) == (117.41, 24.38, "imported", 0.5)
    assert not r.estimated and r.point_key == ""
    # Another village of the same town still sits on the (estimated) seat.
    other = resolve("平和县山格镇白楼村", gaz)
    assert (other.lon, other.lat) == (SHANGE.lon, SHANGE.lat) and other.estimated


@pytest.mark.parametrize(("sources", "winner"), [
    (("imported", "corrected"), "corrected"),
    (("corrected", "imported"), "corrected"),
    (("register", "imported"), "imported"),
    (("tianditu", "register"), "tianditu"),
])
def test_stronger_source_wins(sources, winner):
    places = [_village(s, 117.40 + i / 100, 24.38) for i, s in enumerate(sources)]
    assert resolve("平和县山格镇土田村", Gazetteer.of(places)).coord_source == winner


def test_town_point_serves_its_villages_with_the_territory_bound():
    town = Place(level="town", name="山格镇", lon=117.42, lat=24.37, source="imported", county_code="350628",
                 town_code="350628101", precision_km=0.3)
    gaz = Gazetteer.of([town])
    t = resolve("平和县山格镇", gaz)
    # A letter naming only the town may be anywhere in it: the office's point is the town's seat, its bound the
    # town's (the county's farthest point, towns having no outline), not the point's own 0.3 km (walk W35).
    assert (t.lon, t.lat, t.coord_source) == (117.42, 24.37, "town_seat") and t.precision_km >= 20
    assert t.message == "已识别到乡镇（街道），坐标为山格镇驻地（本单位地名库）"
    v = resolve("平和县山格镇土田村", gaz)
    assert (v.lon, v.lat) == (117.42, 24.37)
    # The village is somewhere in the town: its precision is still the territory bound, not the seat's.
    assert v.precision_km >= 20 and v.coord_source == "town_seat"


def test_bare_road_without_the_road_says_the_county_is_unknown():
    r = resolve("将军大道605号")
    assert r.precision == "none" and r.county_code == "" and r.lon is None
    assert "县区不明" in r.message and "将军大道" in r.message


def test_bare_road_in_the_office_gazetteer_resolves_to_county_and_town():
    road = Place(level="road", name="将军大道", lon=117.655, lat=24.495, source="imported", county_code="350602",
                 town_code="350602003", precision_km=2.0)
    r = resolve("将军大道605号", Gazetteer.of([road]))
    assert (r.county, r.town, r.coord_source) == ("芗城区", "新桥街道", "imported")
    assert (r.lon, r.lat, r.precision_km) == (117.655, 24.495, 2.0)
    # A road of another county is not taken for an address that names its county.
    assert resolve("漳浦县将军大道5号", Gazetteer.of([road])).county == "漳浦县"
    assert resolve("漳浦县将军大道5号", Gazetteer.of([road])).town == ""


def test_boundary_assigns_points():
    square = "POLYGON ((117.40 24.36, 117.44 24.36, 117.44 24.40, 117.40 24.40, 117.40 24.36))"
    p = Place(level="village", name="土田村", lon=117.42, lat=24.38, source="imported", county_code="350628",
              town_code="350628101", village_code="350628101210", boundary_wkt=square)
    gaz = Gazetteer.of([p])
    assert gaz.place_at(117.41, 24.37) == p
    assert gaz.place_at(117.50, 24.37) is None


def test_register_points_teach_the_village_median():
    rows = [("350628", "350628101", "350628101210", "土田村", "山格镇", lon, 24.38)
            for lon in (117.40, 117.41, 117.42, 117.43)]
    (place,) = register_places(rows)
    assert place.source == "register" and place.village_code == "350628101210"
    assert place.lon == pytest.approx(117.415) and place.lat == pytest.approx(24.38)
    assert place.precision_km == pytest.approx(geodata.haversine_km(117.415, 24.38, 117.40, 24.38), abs=0.01)
    # A point outside the written town's county (117.90 lies beyond 平和县, walk W35) teaches nothing.
    (again,) = register_places([*rows, ("350628", "350628101", "350628101210", "土田村", "山格镇", 117.90, 24.38)])
    assert again == place
    r = resolve_many(["平和县山格镇土田村"], Gazetteer.of([place]))[0]
    assert r.coord_source == "register_median" and r.lon == pytest.approx(117.415)  # not this letter's own point


def test_median_of_nothing_is_refused():
    with pytest.raises(InputError, match="没有坐标点"):
        median_point([])


@pytest.mark.parametrize(("kw", "match"), [
    ({"level": "city"}, "地名级别"), ({"source": "guess"}, "地名来源"), ({"name": " "}, "须有名称"),
    ({"lon": float("nan")}, "超出范围"), ({"precision_km": -1.0}, "精度"),
])
def test_bad_places_are_refused(kw, match):
    base = {"level": "village", "name": "土田村", "lon": 117.4, "lat": 24.3, "source": "imported"}
    with pytest.raises(InputError, match=match):
        Place(**{**base, **kw})
