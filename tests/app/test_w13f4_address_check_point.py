"""Walk W13, 导入 › 地址核对: row 5 (漳浦县旧镇镇浯源村…, 浯源村 being of 赤土乡) read 「按乡镇定位（旧镇镇）」
in 导入后 while its 说明 said 「坐标暂取县区政府驻地」: the label named a town whose point was not used, the note
no county and neither how far off the point may be. Both now say which point (漳浦县政府驻地) and its bound, in
the same words."""

from __future__ import annotations

from planner.intake import register as ingest
from planner.intake.address_checks import address_preview
from planner.places.estimates import county_wide_bound
from planner.places.resolver import resolve
from planner.store.database import session_scope

WUYUAN = "漳浦县旧镇镇浯源村顶社自然村"
REGISTER = ("编号,收件日期,信访人,问题发生地,反映内容\n"
            f"W-5,2026-09-04,匿名,{WUYUAN},浯源村镇干部违规收受施工方礼金\n"
            "W-6,2026-09-05,匿名,平和县山格镇龙凤岗村,村干部侵占集体土地\n")


def _rows(engine) -> dict[str, dict]:
    with session_scope(engine) as s:
        preview = address_preview(s, ingest.read_register(REGISTER.encode("utf-8"), filename="w13.csv"))
    return {r["编号"]: r for r in preview.rows()}


def test_the_label_and_the_note_say_the_county_seat_and_how_far(engine) -> None:
    r = resolve(WUYUAN)
    county = resolve("漳浦县")
    # What the import does: the town written is kept, the point is the county government's, bounded by the county.
    assert (r.precision, r.town, r.coord_source) == ("town", "旧镇镇", "county_seat")
    assert (r.lon, r.lat) == (county.lon, county.lat)
    bound = county_wide_bound(r.precision_km)
    row = _rows(engine)["W-5"]
    assert row["导入后"] == f"按乡镇定位（旧镇镇），点为漳浦县政府驻地（{bound}），待核对"
    assert f"坐标暂取漳浦县政府驻地（{bound}）" in row["说明"]
    assert "县区政府驻地" not in row["说明"]  # the county is named


def test_a_letter_on_its_town_s_point_is_not_said_to_be_on_the_county_s(engine) -> None:
    assert resolve("平和县山格镇龙凤岗村").coord_source == "town_seat"
    row = _rows(engine)["W-6"]
    assert row["导入后"] == "按乡镇定位（山格镇），待核对" and "政府驻地" not in row["说明"]
