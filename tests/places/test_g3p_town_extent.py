"""A letter naming a village whose point is unknown sits on its town's point; its stated bound is the town's extent
where the office's places give it (a town boundary, or at least half the town's villages with points), not the
county's 29–90 km, and it still covers every known village point of the town. Without such places (the built-in
tables alone: no town outlines, no village points) the county's bound stays."""

from __future__ import annotations

import datetime as dt
import math
import random

import geodata
from planner.domain import Location
from planner.field.model import estimate_note
from planner.places import resolver
from planner.places.estimates import estimate_words, shared_point_words, town_extent
from planner.places.gazetteer import Gazetteer, Place
from planner.places.town_extent import town_reach

TODAY = dt.date(2026, 12, 1)


def _real_villages(town: geodata.Town) -> list[geodata.Village]:
    return [v for v in geodata.villages() if v.town_code == town.code and not v.virtual]


def _around(rng: random.Random, lon: float, lat: float, radius_km: float) -> tuple[float, float]:
    r, a = radius_km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    return (round(lon + r * math.cos(a) / (111.32 * math.cos(math.radians(lat))), 6),
            round(lat + r * math.sin(a) / 110.57, 6))


def _places(town: geodata.Town, villages: list[geodata.Village], rng: random.Random, radius_km: float) -> list[Place]:
    return [Place(level="village", name=v.name, lon=x, lat=y, source="imported", county_code=v.county_code,
                  town_code=town.code, village_code=v.code, village=v.name, town=town.name,
                  precision_km=round(rng.uniform(0.3, 1.5), 2))
            for v in villages for x, y in [_around(rng, town.lon, town.lat, radius_km)]]


def _resolve_each(town: geodata.Town, villages: list[geodata.Village], gaz: Gazetteer):
    county = geodata.county_by_code(town.county_code).name
    for v in villages:
        res = resolver.resolve(f"{county}{town.name}{v.name}", gaz)
        if res.village_code == v.code and not res.ambiguous and res.coord_source == "town_seat":
            yield v, res


def test_every_town_states_its_known_extent_and_it_covers_every_known_village_point() -> None:
    rng = random.Random(20261205)
    checked = towns = 0
    for town in geodata.towns():
        villages = _real_villages(town)
        if len(villages) < 4:
            continue
        known = _places(town, villages[1:], rng, rng.uniform(2.0, 9.0))
        gaz = Gazetteer.of(known)
        county_km = geodata.territory_km(town.county_code, town.lon, town.lat)
        seen = False
        for _v, res in _resolve_each(town, villages[:1], gaz):
            seen = True
            assert res.precision_km < county_km, town.name
            assert res.precision_km <= county_km
            for p in known:  # the bound reaches every known village of the town (and its own precision)
                assert geodata.haversine_km(res.lon, res.lat, p.lon, p.lat) + p.precision_km <= res.precision_km
            assert town_extent(res.message) == town.name, res.message
        towns += 1
        checked += seen
    assert checked >= 0.9 * towns and towns >= 100


def test_the_built_in_tables_alone_keep_the_county_bound() -> None:
    for town in geodata.towns():
        villages = _real_villages(town)[:2]
        for _v, res in _resolve_each(town, villages, Gazetteer()):
            assert res.precision_km == town.territory_km
            assert not town_extent(res.message)


def test_too_few_known_villages_or_one_outside_the_town_keep_the_county_bound() -> None:
    town = next(t for t in geodata.towns() if t.name == "山格镇")
    villages = _real_villages(town)
    rng = random.Random(7)
    few = _places(town, villages[1:1 + (len(villages) - 1) // 2 - 1], rng, 4.0)  # under half of the town
    (_, res), = _resolve_each(town, villages[:1], Gazetteer.of(few))
    assert res.precision_km == town.territory_km
    assert town_reach(town.code, town.lon, town.lat, villages=few) is None
    enough = _places(town, villages[1:], rng, 4.0)
    (_, res), = _resolve_each(town, villages[:1], Gazetteer.of(enough))
    assert res.precision_km < 12


def test_a_town_boundary_of_the_office_bounds_its_villages_exactly() -> None:
    town = next(t for t in geodata.towns() if t.name == "山格镇")
    ring = [_around(random.Random(k), town.lon, town.lat, 6.0) for k in range(8)]
    ring = sorted(ring, key=lambda p: math.atan2(p[1] - town.lat, p[0] - town.lon))
    wkt = "POLYGON((" + ", ".join(f"{x} {y}" for x, y in [*ring, ring[0]]) + "))"
    gaz = Gazetteer.of([Place(level="town", name=town.name, lon=town.lon, lat=town.lat, source="imported",
                              county_code=town.county_code, town_code=town.code, town=town.name, precision_km=0.5,
                              boundary_wkt=wkt)])
    (_, res), = _resolve_each(town, _real_villages(town)[:1], gaz)
    far = max(geodata.haversine_km(town.lon, town.lat, x, y) for x, y in ring)
    assert far <= res.precision_km <= far + 0.1
    assert "乡镇边界" in res.message


def _located(res) -> Location:
    return Location(lon=res.lon, lat=res.lat, county=res.county, county_code=res.county_code, town=res.town,
                    town_code=res.town_code, village=res.village, village_code=res.village_code,
                    precision=res.precision, point_source=res.coord_source, precision_km=res.precision_km)


def test_views_name_the_town_not_the_county_for_such_a_bound() -> None:
    town = next(t for t in geodata.towns() if t.name == "山格镇")
    villages = _real_villages(town)
    gaz = Gazetteer.of(_places(town, villages[1:], random.Random(3), 4.0))
    (_, res), = _resolve_each(town, villages[:1], gaz)
    loc = _located(res)
    words = estimate_words(loc)
    assert f"按山格镇的已知范围计，实际地点可能在 {res.precision_km:g} km 以内" in words and "全县区" not in words
    assert "按山格镇的已知范围计" in shared_point_words([loc])
    note = estimate_note(res.precision_km, village=res.village, town=res.town, town_bound=town_extent(res.message))
    assert "按山格镇的已知范围计" in note and "全县区" not in note
    (_, plain), = _resolve_each(town, villages[:1], Gazetteer())
    assert "按全县区范围计" in estimate_words(_located(plain))


def test_an_import_after_the_office_places_states_the_town_bound(engine) -> None:
    from sqlalchemy import select

    from planner.intake.register import import_register
    from planner.store.database import session_scope
    from planner.store.models import CaseRow
    from planner.store.places import save_places

    town = next(t for t in geodata.towns() if t.name == "山格镇")
    villages = _real_villages(town)
    with session_scope(engine) as s:
        save_places(s, _places(town, villages[1:], random.Random(5), 4.0), actor="coord1", origin="村点.csv")
    body = f"信件编号,来信日期,反映地址,内容摘要\nE-1,2026-10-08,平和县山格镇{villages[0].name},反映村务不公开\n"
    import_register(engine, body.encode("utf-8"), filename="r.csv", today=TODAY)
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == "E-1")).one()
        assert row.village_code == villages[0].code and row.point_source == "town_seat"
        assert row.precision_km < 12 < town.territory_km
        assert town_extent(row.geocode_message) == "山格镇"


def test_the_place_list_states_the_same_bound_for_the_village_without_a_point() -> None:
    from planner.places.catalogue import export_rows

    town = next(t for t in geodata.towns() if t.name == "山格镇")
    villages = _real_villages(town)
    gaz = Gazetteer.of(_places(town, villages[1:], random.Random(9), 4.0))
    (_, res), = _resolve_each(town, villages[:1], gaz)
    row = next(r for r in export_rows(gaz) if r.code == villages[0].code)
    assert row.precision_km == res.precision_km < town.territory_km
    plain = next(r for r in export_rows(Gazetteer()) if r.code == villages[0].code)
    assert plain.precision_km == town.territory_km
