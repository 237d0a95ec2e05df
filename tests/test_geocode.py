"""Tests of the address resolver (planner.places.resolver): labelled set, writing styles, ambiguity, points, CLI."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

import geodata
from geodata import datum
from planner import cli
from planner.errors import InputError
from planner.places.resolver import normalize, resolve, resolve_many, validate_point

LABELLED = Path(__file__).parent / "data" / "addresses_labelled.csv"


def _labelled() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_labelled_set_is_large_and_varied():
    rows = _labelled()
    assert len(rows) >= 300
    assert len({r["style"] for r in rows}) >= 15
    assert sum(r["ambiguous"] == "1" for r in rows) >= 10
    assert sum(r["style"] == "hand" for r in rows) >= 80


def test_labelled_accuracy_and_no_confident_wrong_answer():
    rows = _labelled()
    results = resolve_many(r["address"] for r in rows)
    hits = {"county": [0, 0], "town": [0, 0], "village": [0, 0]}
    wrong, missed_ambiguity = [], []
    for row, res in zip(rows, results, strict=True):
        for level in hits:
            want = row[f"{level}_code"]
            if want:
                hits[level][1] += 1
                hits[level][0] += getattr(res, f"{level}_code") == want
        got = (res.county_code, res.town_code, res.village_code)
        want = (row["county_code"], row["town_code"], row["village_code"])
        # Confident wrong: not flagged ambiguous, yet a code that contradicts the label or claims more.
        if not res.ambiguous and any(g and g != w for g, w in zip(got, want, strict=True)):
            wrong.append((row["address"], got, want))
        if row["ambiguous"] == "1" and not res.ambiguous:
            missed_ambiguity.append(row["address"])
    rate = {k: ok / n for k, (ok, n) in hits.items()}
    assert rate["county"] >= 0.99, rate
    assert rate["town"] >= 0.97, rate
    assert rate["village"] >= 0.95, rate
    assert wrong == []
    assert missed_ambiguity == []


@pytest.mark.parametrize(
    ("address", "county", "town", "village"),
    [
        ("平和县山格镇土田村", "平和县", "山格镇", "土田村"),
        ("福建省漳州市平和县山格镇土田村3组", "平和县", "山格镇", "土田村"),
        ("漳州平和山格土田", "平和县", "山格镇", "土田村"),
        ("平和县　山格镇　土田村１２号", "平和县", "山格镇", "土田村"),
        ("龙海市角美镇东山村", "龙海区", "角美镇", "东山村"),
        ("角美街道东山村", "龙海区", "角美镇", "东山村"),
        ("长泰县武安镇", "长泰区", "武安镇", ""),
        ("漳浦县赤岭乡", "漳浦县", "赤岭畲族乡", ""),
        ("芗城区石亭镇", "芗城区", "石亭街道", ""),
        ("平和县小溪镇新桥路5号", "平和县", "小溪镇", ""),
        ("云霄县城关", "云霄县", "云陵镇", ""),
        ("华安县人民政府", "华安县", "", ""),
    ],
)
def test_writing_styles(address, county, town, village):
    r = resolve(address)
    assert (r.county, r.town, r.village) == (county, town, village)
    assert not r.ambiguous
    assert r.precision == ("village" if village else "town" if town else "county")


def test_village_coordinate_is_the_town_seat_and_says_so():
    r = resolve("平和县山格镇土田村")
    seat = geodata.town_by_code(r.town_code)
    assert (r.lon, r.lat) == (seat.lon, seat.lat)
    assert r.coord_source == "town_seat"
    assert ("乡镇驻地" if seat.source == "geonames" else "山格镇的大致位置，未核实到驻地") in r.message
    assert len(r.village_code) == 12 and r.village_code.startswith("350628")


@pytest.mark.parametrize("address", ["东山村", "仙都村", "南坑"])
def test_ambiguous_names_list_candidates_and_claim_nothing_specific(address):
    r = resolve(address)
    assert r.ambiguous
    assert len(r.candidates) >= 2
    assert r.village_code == ""
    assert "请补充" in r.message


def test_ambiguous_village_in_one_county_keeps_the_county():
    # 东山村 exists in 3 counties; with a county given it is unique.
    r = resolve("漳浦县东山村")
    assert (r.county, r.town, r.village, r.ambiguous) == ("漳浦县", "石榴镇", "东山村", False)


def test_county_short_name_inside_a_village_name_is_not_a_county():
    r = resolve("龙文社区")  # a community in 平和县文峰镇, not 龙文区
    assert r.county_code != "350603"


def test_town_from_another_county_is_not_answered_confidently():
    r = resolve("华安县山格镇")  # 山格镇 is in 平和县
    assert r.ambiguous and r.town_code == "" and r.county_code == ""
    assert any("平和县山格镇" in c for c in r.candidates)


def test_other_cities_are_not_resolved():
    for address in ("厦门市海沧区新阳街道", "龙岩市永定区湖坑镇", ""):
        r = resolve(address)
        assert r.precision == "none" and r.lon is None


def test_long_text_and_unit_names_with_brackets():
    r = resolve("平和县山格镇土田村" + "很长的反映内容" * 20_000)
    assert r.village == "土田村"
    assert resolve("华安县福建土楼（华安）旅游区").town == "福建土楼（华安）旅游区"


def test_normalize_full_width_and_spaces():
    assert normalize("ＡＢ１２　平和 县，山格") == "AB12平和县山格"


def test_resolve_many_matches_resolve_and_handles_missing():
    addresses = ["平和县山格镇土田村", None, float("nan"), "平和县山格镇土田村"]
    out = resolve_many(addresses)
    assert out[0] == resolve("平和县山格镇土田村") == out[3]
    assert out[1].precision == out[2].precision == "none"


# ---- rules found by the independent set (tests/data/addresses_independent.csv)


@pytest.mark.parametrize(
    ("address", "town", "village"),
    [
        ("漳浦县城", "绥安镇", ""),  # 县城 = the county-seat town
        ("长泰县城", "武安镇", ""),
        ("漳浦县城北社区", "绥安镇", "城北社区"),  # ...unless 城 begins a village name
        ("平和县城东村3号", "九峰镇", "城东村"),  # 城东村 of 九峰, not "the county town, 东村"
        ("东山县城南社区旁边", "铜陵镇", "城南社区"),
        ("步文街道办事处-浦东-161号", "步文街道", "浦东社区"),  # the village starts after 办事处
        ("龙海区石码街道920社区", "石码街道", "九二零社区"),  # Arabic digits for numbered communities
        ("古雷镇新港城第12社区", "古雷镇", "新港城第十二社区"),
        ("台商投资区双第农场天城管区", "双第华侨农场", "双第华侨农场天城管区生活区"),  # 管区 of a farm
        ("漳浦县赤岭佘族乡石椅村", "赤岭畲族乡", "石椅村"),  # 佘 typed for 畲
        ("漳浦县佛昙政府附近", "佛昙镇", ""),  # the town's government is the town
        ("平和县文峰街上", "文峰镇", ""),
        ("云霄县和平乡坎顶小学旁", "和平乡", "坎顶村"),  # a school named after its village
        ("漳州招商局经济技术开发区凌波社区", "招商局漳州开发区", "凌波社区"),
        ("龍海市角美鎮東美村", "角美镇", "东美村"),  # traditional characters
    ],
)
def test_writing_styles_found_by_the_independent_set(address, town, village):
    r = resolve(address)
    assert (r.town, r.village) == (town, village)
    assert not r.ambiguous


@pytest.mark.parametrize(
    "address",
    [
        "福建省漳州市芗城区延安北路8号",  # 延安社区 exists; 延安北路 is a road
        "南安市官桥镇土田村",  # an unknown county head: elsewhere, whatever village follows
        "安溪县城厢镇东山村",
        "福建省漳平市西园镇",
    ],
)
def test_roads_and_other_cities_claim_no_village(address):
    r = resolve(address)
    assert r.village_code == "" and not r.ambiguous


@pytest.mark.parametrize(
    ("address", "county"),
    [
        ("东风", "平和县"),  # a bare name of two villages: ambiguous, not silence
        ("漳州市，城西，(具体门牌不详)", ""),
        ("平和县山格镇土田（靠近白楼村）", "平和县"),  # bare name after the town vs a full name later
        ("平和县小溪镇土田村", "平和县"),  # 土田村 belongs to 山格镇, not 小溪镇
        ("漳州市大埔村", ""),  # two villages of Zhangzhou, not 大埔县 of Guangdong
        ("云霄县城外5组", "云霄县"),  # "outside the county town" or the village 城外村 of 列屿镇
    ],
)
def test_conflicting_or_bare_names_are_ambiguous(address, county):
    r = resolve(address)
    assert r.ambiguous and len(r.candidates) >= 2
    assert r.county == county and r.village_code == ""


def test_traditional_map_never_touches_an_official_name():
    from planner.places.normalise import _TRAD

    names = [t.name for t in geodata.towns()] + [v.name for v in geodata.villages()]
    names += [c.name for c in geodata.counties()] + [u.name for u in geodata.special_units()]
    assert [n for n in names if n.translate(_TRAD) != n] == []


# ---- points


def test_validate_point_inside():
    t = geodata.town_by_code("350628101")
    chk = validate_point(t.lon, t.lat, near_town_code=t.code)
    assert chk.ok and chk.county_code == "350628" and not chk.swapped and not chk.converted
    assert chk.distance_to_town_km == pytest.approx(0, abs=1e-6)
    assert chk.warnings == ()


def test_validate_point_swapped():
    chk = validate_point(24.363, 117.313)
    assert chk.ok and chk.swapped and (chk.lon, chk.lat) == (117.313, 24.363)


@pytest.mark.parametrize("name", ["gcj02", "高德", "bd09", "百度"])
def test_validate_point_converts_gcj_and_bd(name):
    d = datum.normalize_datum(name)
    lon, lat = datum.from_wgs84(117.313, 24.363, d)
    chk = validate_point(lon, lat, datum=name)
    assert chk.converted and chk.ok
    assert chk.lon == pytest.approx(117.313, abs=1e-9) and chk.lat == pytest.approx(24.363, abs=1e-9)


def test_validate_point_far_from_named_town_warns():
    chk = validate_point(117.534, 25.004, near_town_code="350628101")  # 华安 seat vs 平和 山格镇
    assert chk.ok and chk.distance_to_town_km > 50
    assert any("落在华安县，而所写的山格镇属平和县" in w and "与所写地址不符" in w for w in chk.warnings)


def test_validate_point_unknown_town_code_is_a_warning_not_an_error():
    chk = validate_point(117.313, 24.363, near_town_code="350699999")
    assert chk.ok and chk.distance_to_town_km is None
    assert any("350699999" in w for w in chk.warnings)


def test_validate_point_outside_and_garbage():
    assert not validate_point(118.09, 24.48 + 1.0).ok  # well north-east, outside Zhangzhou
    assert not validate_point("abc", "24.3").ok
    with pytest.raises(InputError, match="不认识的坐标系 'mercator'"):
        validate_point(117.3, 24.3, datum="mercator")


@pytest.mark.parametrize(
    ("lon", "lat", "where"),
    [(118.09, 24.48, "厦门市思明区"), (117.98, 24.49, "厦门市海沧区"), (117.0, 23.67, "潮州市饶平县")],
)
def test_validate_point_in_a_neighbouring_city_is_not_a_coastal_fallback(lon, lat, where):
    # Within 15 km of 龙海/诏安, but on land of another city: not "at sea off Zhangzhou".
    chk = validate_point(lon, lat)
    assert not chk.ok and chk.county_code == ""
    assert where in chk.message
    assert not validate_point(lat, lon).ok  # swapped, still Xiamen/饶平


def test_validate_point_swapped_gcj02_is_swapped_then_converted():
    lon, lat = datum.from_wgs84(117.313, 24.363, "gcj02")
    chk = validate_point(lat, lon, datum="高德")
    assert chk.ok and chk.swapped and chk.converted and chk.county_code == "350628"
    assert (chk.lon, chk.lat) == (pytest.approx(117.313, abs=1e-9), pytest.approx(24.363, abs=1e-9))


def test_validate_point_gcj02_declared_differs_from_taking_it_as_wgs84():
    # The same numbers read as GCJ-02 move about 550-600 m around Zhangzhou (PRODUCT.md).
    lon, lat = 117.43, 24.37
    as_gcj = validate_point(lon, lat, datum="gcj02")
    as_wgs = validate_point(lon, lat)
    shift_m = math.hypot((as_gcj.lon - lon) * 101_000, (as_gcj.lat - lat) * 110_600)
    assert 400 < shift_m < 800
    assert as_wgs.lon == lon and not as_wgs.converted


def test_validate_point_near_and_far_from_named_town():
    seat = geodata.town_by_code("350627100")
    chk = validate_point(seat.lon + 0.02, seat.lat, near_town_code=seat.code)
    assert chk.ok and chk.distance_to_town_km < 5 and chk.warnings == ()
    far = validate_point(117.5, 24.45, near_town_code=seat.code)  # in 平和县, 16 km from 山城镇
    assert far.ok and far.county_code == "350628" and any("与所写地址不符" in w for w in far.warnings)
    assert far.disagrees.startswith("落在平和县，而所写的山城镇属南靖县（该点离南靖县约 ")


@pytest.mark.parametrize(
    ("lon", "lat"),
    [("１１７．４３", "２４．３７"), (" 117.43 ", "24.37\u3000"), ("117°25'48\"", "24°22'12\""),
     ("东经117度25分48秒", "北纬24度22分12秒"), ("117°25′48″", "24°22′12″"), ("E117.43", "N24.37")],
)
def test_validate_point_reads_coordinates_as_registers_write_them(lon, lat):
    chk = validate_point(lon, lat)
    assert chk.ok and chk.county_code == "350628"
    assert (chk.lon, chk.lat) == (pytest.approx(117.43, abs=1e-9), pytest.approx(24.37, abs=1e-9))


@pytest.mark.parametrize(
    ("lon", "lat"), [(True, False), ("117,43", "24,37"), ("117°75'", "24"), (None, 24.3), ("", "")]
)
def test_validate_point_rejects_what_is_not_a_coordinate(lon, lat):
    chk = validate_point(lon, lat)
    assert not chk.ok and chk.lon is None and "不是数字" in chk.message


def test_validate_point_truncated_coordinates_are_warned_about():
    chk = validate_point(117, 24)
    assert chk.ok and any("0.1 度" in w for w in chk.warnings)
    assert not any("0.1 度" in w for w in validate_point(117.43, 24.37).warnings)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("经度(高德)", "gcj02"), ("百度坐标", "bd09"), ("lng_gcj02", "gcj02"), ("GPS纬度", "wgs84"), ("经度", None)],
)
def test_datum_from_header(header, expected):
    from planner.places.resolver import datum_from_header

    assert datum_from_header(header) == expected


# ---- CLI


def test_cli_single_address_prints_json(capsys):
    assert cli.main(["geocode", "平和县山格镇土田村"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["village"] == "土田村" and out["precision"] == "village"
    assert {"county", "county_code", "town", "town_code", "village_code", "lon", "lat", "message"} <= set(out)


def test_cli_csv_keeps_columns_and_appends_fields(tmp_path):
    src = tmp_path / "a.csv"
    src.write_text("编号,address,county\nA1,平和县山格镇土田村,=1+1\nA2,东山村,\n", encoding="gbk")
    dst = tmp_path / "r.csv"
    assert cli.main(["geocode", "--input", str(src), "--column", "address", "--output", str(dst)]) == 0
    raw = dst.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0]["编号"] == "A1" and rows[0]["county"] == "'=1+1"  # input kept, formula neutralised
    assert rows[0]["county_resolved"] == "平和县" and rows[0]["village"] == "土田村"
    assert rows[1]["ambiguous"] == "是" and "；" in rows[1]["candidates"]


def test_cli_errors(tmp_path, capsys):
    src = tmp_path / "a.csv"
    src.write_text("x\n1\n", encoding="utf-8")
    assert cli.main(["geocode", "--input", str(src), "--column", "address"]) == 2
    assert "'address' 列" in capsys.readouterr().err
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    assert cli.main(["geocode", "--input", str(empty)]) == 2
    assert "是空的" in capsys.readouterr().err
