"""Tests of the Zhangzhou gazetteer tables (geodata): counts, codes, aliases, zones, samples."""

from __future__ import annotations

import dataclasses
import re

import pytest

import geodata
from geodata.errors import UnknownPlaceError
from geodata.samples import STYLES, sample_addresses

PRODUCT_CODES = {
    "350602": "芗城区", "350603": "龙文区", "350604": "龙海区", "350605": "长泰区", "350622": "云霄县",
    "350623": "漳浦县", "350624": "诏安县", "350626": "东山县", "350627": "南靖县", "350628": "平和县",
    "350629": "华安县",
}


def test_counties_match_the_product_brief():
    assert {c.code: c.name for c in geodata.counties()} == PRODUCT_CODES
    assert geodata.county_by_code("350681").name == "龙海区"
    assert geodata.county_by_code("350625").name == "长泰区"
    with pytest.raises(UnknownPlaceError, match="'350101'"):
        geodata.county_by_code("350101")


def test_terrain_and_circuity():
    by = {c.name: c for c in geodata.counties()}
    for hilly in ("平和县", "华安县", "南靖县"):
        assert by[hilly].terrain == "hill" and 1.4 <= by[hilly].circuity <= 1.5
    assert by["芗城区"].terrain == "plain" and by["芗城区"].circuity == 1.25


def test_towns_have_unique_codes_and_consistent_parents():
    towns = geodata.towns()
    assert len(towns) == 123
    assert len({t.code for t in towns}) == 123
    codes = set(PRODUCT_CODES)
    for t in towns:
        assert re.fullmatch(r"3506\d{5}", t.code) and t.code12 == t.code + "000"
        assert t.county_code in codes and t.code.startswith(t.county_code)
        assert t.kind in ("街道", "镇", "乡", "民族乡")
        # A stated precision bounds the seat's error (tests/geodata/test_town_points.py checks how).
        assert 0 < t.precision_km <= t.territory_km <= 80
        assert t.source in ("geonames", "estimate")
    assert geodata.town_by_code("350628101000").name == "山格镇"


def test_villages_count_codes_and_borrowed_coordinates():
    villages = geodata.villages()
    assert len(villages) == 2135
    assert len({v.code for v in villages}) == 2135
    towns = {t.code: t for t in geodata.towns()}
    for v in villages:
        assert re.fullmatch(r"3506\d{8}", v.code)
        assert v.code.startswith(v.unit_code)
        if v.town_code:
            t = towns[v.town_code]
            assert (v.lon, v.lat, v.coord_source) == (t.lon, t.lat, "town_seat")
            # On its town's point, a village may be anywhere in the town: it says so.
            assert v.precision_km == t.territory_km
        else:
            assert v.coord_source in ("unit_seat", "county_seat")
    assert sum(1 for v in villages if v.town_code) >= 2000
    assert sum(t.village_count for t in towns.values()) == sum(1 for v in villages if v.town_code)


def test_village_names_are_what_people_write():
    names = {v.name for v in geodata.villages()}
    assert "土田村" in names and "金宝社区" in names
    assert not any(n.endswith(("委会", "委员会")) for n in names)


def test_objects_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        geodata.towns()[0].lon = 0.0  # type: ignore[misc]


def test_aliases_and_zones_point_to_real_units():
    town_codes = {t.code for t in geodata.towns()}
    unit_codes = {u.code for u in geodata.special_units()}
    for a in geodata.aliases():
        assert (a.code in town_codes) if a.level == "town" else (a.code in PRODUCT_CODES)
    names = {z.name for z in geodata.zones()}
    assert {"漳州台商投资区", "漳州高新区", "古雷港经济开发区", "常山华侨经济开发区"} <= names
    for z in geodata.zones():
        assert z.unit_code in town_codes | unit_codes
    assert "漳州台商投资区" in geodata.town_by_code("350604101").zones  # 角美镇


def test_bases_one_city_and_one_per_county():
    bases = geodata.bases()
    assert [b.level for b in bases].count("city") == 1
    assert sorted(b.county_code for b in bases if b.level == "county") == sorted(PRODUCT_CODES)


def test_samples_are_deterministic_and_cover_styles():
    a = sample_addresses(200, seed=1)
    assert a == sample_addresses(200, seed=1)
    assert {s.style for s in sample_addresses(500, seed=2)} == set(STYLES)
