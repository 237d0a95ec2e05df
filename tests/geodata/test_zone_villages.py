"""Villages filed under a farm or zone (旅游区, 开发区, 管委会 …) written under the town people know."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

import geodata
from planner.places import resolver
from planner.places.gazetteer import Gazetteer, Place
from planner.places.resolver import resolve

# Words that name a unit which holds villages but is not a town.
ZONE_WORDS = ("旅游区", "开发区", "管委会", "工业园", "工业区", "集中区", "农场", "林场", "盐场", "良种场", "茶果场",
              "奶牛场", "示范区", "试验区", "招商局")

ZONE_VILLAGES = tuple(v for v in geodata.villages() if v.in_special_unit)
TOWNS_BY_COUNTY: dict[str, tuple[geodata.Town, ...]] = {}
for _t in geodata.towns():
    TOWNS_BY_COUNTY[_t.county_code] = (*TOWNS_BY_COUNTY.get(_t.county_code, ()), _t)
LISTED_TOWNS = {v.town_code for v in geodata.villages() if v.town_code}


def _county_name(code: str) -> str:
    return geodata.county_by_code(code).name


def test_every_unit_holding_villages_outside_a_town_is_a_farm_or_zone():
    units = {v.unit_code: v.unit_name for v in ZONE_VILLAGES}
    assert (len(units), len(ZONE_VILLAGES)) == (24, 84)
    assert set(units) == {u.code for u in geodata.special_units()}
    assert all(any(w in name for w in ZONE_WORDS) for name in units.values()), units
    assert not any(any(w in t.name for w in ZONE_WORDS) for t in geodata.towns())
    # Each is the only village of its county with its name: nothing else can be meant.
    names = Counter((v.county_code, v.name) for v in geodata.villages())
    assert all(names[(v.county_code, v.name)] == 1 for v in ZONE_VILLAGES)


def test_independent_walk_dadi_under_xiandu():
    v = next(v for v in ZONE_VILLAGES if v.name == "大地村")
    r = resolve("华安县仙都镇大地村")
    # Counted under the town the letter writes and the office knows (仙都镇); 国家统计局's unit stays in ``unit``.
    assert (r.county, r.town, r.town_code, r.village, r.village_code, r.unit, r.unit_code) == (
        "华安县", "仙都镇", "350629105", "大地村", v.code, "福建土楼（华安）旅游区", "350629400")
    assert v.usual_town_code == "350629105" and v.usual_town_basis == "office"
    assert (r.precision, r.ambiguous, r.coord_source) == ("village", False, "unit_seat")
    # Its own (unit) point and the bound that point can keep, not the county seat.
    assert (r.lon, r.lat, r.precision_km) == (v.lon, v.lat, v.precision_km)
    # Walk M: the unit's point had been put 25 km south-west of 二宜楼 (in 大地村, east of 仙都镇); it is now within the
    # few kilometres of 仙都镇's GeoNames point.
    xiandu = resolve("华安县仙都镇")
    assert geodata.haversine_km(r.lon, r.lat, xiandu.lon, xiandu.lat) < 5
    assert r.message.split("；")[0] == "大地村属于福建土楼（华安）旅游区，地址写作仙都镇"
    assert "不属于" not in r.message


@pytest.mark.parametrize("address", [
    "仙都镇大地村", "华安仙都大地村", "华安县仙都镇大地村5组", "福建省漳州市华安县仙都镇大地村村委会",
    "华安县仙都镇大地社区",
])
def test_dadi_written_other_ways(address):
    r = resolve(address)
    assert (r.town, r.unit, r.village, r.precision, r.ambiguous) == (
        "仙都镇", "福建土楼（华安）旅游区", "大地村", "village", False)
    assert r.message.startswith("大地村属于福建土楼（华安）旅游区，地址写作仙都镇；")


def test_walk_every_zone_village_under_every_town_of_its_county():
    """84 villages x the towns of their county: each resolves to itself, on its own point, with the note, counted
    under the town written (the unit kept in ``unit``) — except a village whose usual town the office named
    (大地村: 仙都镇), which under any other town is a mismatch to check, as for an ordinary village."""
    checked = 0
    for v in ZONE_VILLAGES:
        for t in TOWNS_BY_COUNTY[v.county_code]:
            address = f"{_county_name(v.county_code)}{t.name}{v.name}"
            r = resolve(address)
            if v.usual_town_code and t.code != v.usual_town_code:
                assert r.ambiguous and not r.village and r.town_code == t.code, (address, r)
                usual = geodata.town_by_code(v.usual_town_code).name
                assert r.message.startswith(f"乡镇与村不符：{v.name}不属于{t.name}（属{usual}），请核对"), address
                checked += 1
                continue
            counted = (t.code, v.unit_code) if t.code in LISTED_TOWNS else (v.unit_code, "")
            assert (r.town_code, r.unit_code) == counted, (address, r)
            got = (r.village_code, r.unit_code or r.town_code, r.precision, r.ambiguous, r.lon, r.lat,
                   r.precision_km)
            if v.coord_source == "county_seat" and t.lon is not None:
                # A unit without a point of its own: the town written, bounded by the county, not the county seat.
                want = (t.lon, t.lat, geodata.territory_km(v.county_code, t.lon, t.lat))
            else:
                want = (v.lon, v.lat, v.precision_km)
            assert got == (v.code, v.unit_code, "village", False, *want), (address, r)
            assert r.precision_km >= geodata.territory_km(v.county_code, r.lon, r.lat) - 1e-9
            if t.code in LISTED_TOWNS:
                head = r.message.split("；")[0]
                assert head.startswith(f"{v.name}属于{v.unit_name}，地址写作{t.name}"), address
                # Where the office has not named the village's usual town, the note says the count follows the letter.
                assert ("尚未核实" in head or "虚拟" in head) == (not v.usual_town_code), address
            else:
                # A town created after the village list (东岳街道) already says where the list files it.
                assert f"该村属{v.unit_name}" in r.message, address
            checked += 1
    assert checked > 800


@pytest.mark.parametrize(("address", "village", "unit"), [
    # 宝山社区 of 莆美镇 lies inside the longer name the address writes.
    ("云霄县莆美镇益宝山村", "益宝山村", "云陵工业开发区"),
    ("龙文区蓝田街道蓝田经济开发区社区", "蓝田经济开发区社区", "蓝田开发区"),
])
def test_a_longer_zone_village_name_wins_over_a_town_village_inside_it(address, village, unit):
    r = resolve(address)
    assert (r.village, r.unit, r.ambiguous) == (village, unit, False)
    assert r.town == address[3:address.index(village)]  # counted under the town written


def test_a_village_of_the_named_town_still_wins():
    r = resolve("云霄县莆美镇宝山社区")
    assert (r.town, r.village, r.ambiguous) == ("莆美镇", "宝山社区", False)
    assert "地址写作" not in r.message


def test_a_village_of_another_ordinary_town_stays_a_mismatch():
    """The town written is kept (counted and labelled there), the village is not guessed, and the point's bound
    covers both readings: here the county seat's, tighter than 小溪's seat plus the distance to 山格's territory."""
    r = resolve("平和县小溪镇土田村")
    assert r.ambiguous and r.precision == "town" and r.town == "小溪镇" and not r.village
    assert r.message.startswith("乡镇与村不符：土田村不属于小溪镇（属山格镇），请核对")
    county = resolve("平和县")
    # 山格's own point is an estimate as wide as the county: the county seat, bounded by the county, is the tighter
    # honest point; its bound covers both readings since both lie in the county.
    assert resolve("平和县山格镇土田村").precision_km > county.precision_km
    assert (r.lon, r.lat, r.precision_km) == (county.lon, county.lat, county.precision_km)
    # Walk W13: whose seat and how far off, as 地址核对's 导入后 says it.
    assert r.coord_source == "county_seat"
    assert f"坐标暂取平和县政府驻地（按全县区范围计，实际地点可能在 {r.precision_km:g} km 以内）" in r.message


def test_walk_ordinary_villages_under_another_town_are_never_taken():
    """Every village of an ordinary town, written under another town of its county: no zone note, no guess."""
    seen = Counter()
    for v in geodata.villages():
        if v.in_special_unit:
            continue
        others = [t for t in TOWNS_BY_COUNTY[v.county_code] if t.code != v.town_code and t.code in LISTED_TOWNS]
        t = others[int(v.code[-3:]) % len(others)]
        r = resolve(f"{_county_name(v.county_code)}{t.name}{v.name}")
        assert "地址写作" not in r.message, (t.name, v.name, r)
        assert r.village_code != v.code or r.ambiguous, (t.name, v.name, r)
        seen[r.ambiguous] += 1
    assert seen[True] > 2000


def _second(monkeypatch, name: str) -> geodata.Village:
    """The village table with a second village of ``name``, under the ordinary town 湖林乡 of 华安县."""
    hulin = next(t for t in geodata.towns() if t.name == "湖林乡")
    zone = next(v for v in ZONE_VILLAGES if v.name == name)
    extra = dataclasses.replace(zone, code=hulin.code + "299", town_code=hulin.code, unit_code=hulin.code,
                                unit_name=hulin.name, lon=hulin.lon, lat=hulin.lat, coord_source="town_seat",
                                usual_town_code="", usual_town_basis="")
    table = (*geodata.villages(), extra)
    monkeypatch.setattr(geodata, "villages", lambda: table)
    resolver._index.cache_clear()
    return extra


@pytest.fixture
def second_shangyuan(monkeypatch):
    """A second 上苑村 (a zone village whose usual town nobody named), under 湖林乡."""
    yield _second(monkeypatch, "上苑村")
    monkeypatch.undo()
    resolver._index.cache_clear()


@pytest.fixture
def second_dadi(monkeypatch):
    """A second 大地村, under 湖林乡: the office knows the zone's 大地村 under 仙都镇."""
    yield _second(monkeypatch, "大地村")
    monkeypatch.undo()
    resolver._index.cache_clear()


def test_a_name_shared_with_an_ordinary_town_village_is_not_taken(second_shangyuan):
    r = resolve("华安县仙都镇上苑村")
    assert r.ambiguous and not r.village and "地址写作" not in r.message
    assert "不属于仙都镇" in r.message
    assert any(second_shangyuan.code in c for c in r.candidates)


def test_a_shared_name_is_taken_under_the_town_the_office_named(second_dadi):
    """The office files the zone's 大地村 under 仙都镇: 仙都镇大地村 is that one, 湖林乡大地村 the other."""
    r = resolve("华安县仙都镇大地村")
    assert (r.village_code, r.town, r.unit, r.ambiguous) == ("350629400201", "仙都镇", "福建土楼（华安）旅游区", False)
    r = resolve("华安县湖林乡大地村")
    assert (r.village_code, r.town, r.unit, r.ambiguous) == (second_dadi.code, "湖林乡", "", False)


def test_the_note_survives_an_office_point_for_the_village():
    v = next(v for v in ZONE_VILLAGES if v.name == "大地村")
    gaz = Gazetteer.of([Place(level="village", name="大地村", lon=117.43, lat=24.88, source="imported",
                              county_code=v.county_code, town_code=v.unit_code, village_code=v.code,
                              precision_km=0.5)])
    r = resolve("华安县仙都镇大地村", gaz)
    assert (r.lon, r.lat, r.precision_km) == (117.43, 24.88, 0.5)
    assert r.message.startswith("大地村属于福建土楼（华安）旅游区，地址写作仙都镇；")


def test_a_mismatch_keeps_the_written_towns_point_when_its_bound_covering_both_readings_is_tighter():
    import geodata

    r = resolve("诏安县南诏镇潭光村")  # 潭光村 is a village of 西潭镇
    assert r.ambiguous and r.town == "南诏镇" and not r.village and r.coord_source == "town_seat"
    assert r.precision_km < resolve("诏安县").precision_km
    other = resolve("诏安县西潭镇")
    town_bound = resolve("诏安县西潭镇潭光村").precision_km  # anywhere in 西潭's territory, seen from its point
    assert r.precision_km >= geodata.haversine_km(r.lon, r.lat, other.lon, other.lat) + town_bound - 0.1
    assert "坐标暂取南诏镇驻地" in r.message


@pytest.mark.parametrize(("address", "unit"), [
    ("云霄县常山开发区", "常山华侨经济开发区"),
    ("云霄县常山经济开发区", "常山华侨经济开发区"),
    ("常山华侨农场三分场", "常山华侨经济开发区"),
    ("云陵工业区", "云陵工业开发区"),
    ("云霄县云陵开发区", "云陵工业开发区"),
    ("长泰开发区", "长泰经济开发区"),
])
def test_a_zone_written_short_or_by_its_old_name(address, unit):
    """Offices write 常山开发区 or the old 常山华侨农场 for 常山华侨经济开发区; it had read as the county alone."""
    r = resolve(address)
    assert (r.town, r.precision, r.ambiguous) == (unit, "town", False)


def test_the_message_names_the_point_that_stands_for_a_zone_village():
    """Walk C: the message said 坐标为所属农场/开发区或县区驻地 — the reader had to guess which. Every village filed
    under a farm or zone now names its point: the unit's (约) when it has one, else the county government's."""
    units = {u.code: u for u in geodata.special_units()}
    seen = set()
    for v in geodata.villages():
        if v.town_code:  # an ordinary village: its unit is its town
            continue
        county = next(c for c in geodata.counties() if c.code == v.county_code)
        r = resolve(f"{county.name}{v.name}")
        if r.village_code != v.code:
            continue  # a name shared with another village of the county: ambiguous, checked elsewhere
        unit = units[v.unit_code]
        expected = f"{unit.name}驻地（约）" if unit.lon is not None else f"{county.name}政府驻地"
        assert f"坐标为{expected}，非村委会位置" in r.message, (v.name, r.message)
        assert "或县区驻地" not in r.message
        seen.add(r.coord_source)
    assert "unit_seat" in seen
