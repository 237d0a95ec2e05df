"""Walk W13, 导入 row 12 (平和县芦溪镇芦溪村1组): 芦溪村 is not in the built-in village table, and the row's note said
「按乡镇定位：坐标为乡镇驻地」 although 芦溪镇's point is only a hand estimate. The note now says what the point is in
the words every sheet uses (planner.places.estimates.seat_point): 芦溪镇的大致位置，未核实到驻地 for a hand estimate,
陈岱镇驻地附近 for a GeoNames seat; the note is still read back as a village to check."""

from __future__ import annotations

import geodata
from planner.intake import register as ingest
from planner.intake.address_checks import address_preview
from planner.places.estimates import seat_point, written_village
from planner.places.resolver import resolve
from planner.store.database import session_scope

LUXI = "平和县芦溪镇芦溪村1组"  # 芦溪镇: a hand-estimated point
CHENDAI = "云霄县陈岱镇白石头村"  # 陈岱镇: its seat from GeoNames
REGISTER = ("编号,收件日期,信访人,问题发生地,反映内容\n"
            f"W-12,2026-09-28,匿名,{LUXI},村里高标准农田建设项目虚报面积套取补助\n"
            f"W-13,2026-09-29,匿名,{CHENDAI},村干部侵占集体土地\n")


def _notes(engine) -> dict[str, str]:
    with session_scope(engine) as s:
        preview = address_preview(s, ingest.read_register(REGISTER.encode("utf-8"), filename="w13.csv"))
    return {r["编号"]: r["说明"] for r in preview.rows()}


def _words(address: str) -> str:
    r = resolve(address)
    assert (r.precision, r.coord_source, r.village) == ("town", "town_seat", "")  # on the town's point
    return seat_point(r.coord_source, town=r.town, town_code=r.town_code, lon=r.lon, lat=r.lat)


def test_the_import_note_of_an_unlisted_village_says_what_the_town_point_is(engine) -> None:
    assert geodata.town_by_code(resolve(LUXI).town_code).source != "geonames"
    assert geodata.town_by_code(resolve(CHENDAI).town_code).source == "geonames"
    luxi, chendai = _words(LUXI), _words(CHENDAI)
    assert "未核实到驻地" in luxi and "附近" in chendai  # the two kinds of point are told apart
    notes = _notes(engine)
    for no, words in (("W-12", luxi), ("W-13", chendai)):
        assert f"按乡镇定位：坐标为{words}，请核对村名" in notes[no], notes[no]
        assert "坐标为乡镇驻地" not in notes[no]
    # The note is still read back as a village the table lacks (案件地图, 行程, 地址核对 list it to check).
    written = written_village(resolve(LUXI).message)
    assert written is not None and (written.name, written.town) == ("芦溪村", "芦溪镇")
