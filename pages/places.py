"""地名校准: towns and villages by how far off their point may be and how many cases sit there; correct them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import (
    PAGE_IMPORT,
    PAGE_PLACES,
    engine,
    guard,
    no_cases,
    office_settings,
    page_actor,
    show_error,
    visible_cases,
)
from planner.errors import USER_ERRORS
from planner.office.authorisation import is_allowed
from planner.places.catalogue import calibration_rows, export_rows, write_csv
from planner.store.database import session_scope
from planner.store.places import calibrate_online, correct_point, load_gazetteer

SOURCE_LABELS = {"builtin": "内置估计", "geonames": "GeoNames", "imported": "本单位地名库", "corrected": "人工校准",
                 "register": "登记表坐标", "register_median": "登记表坐标中位数", "tianditu": "天地图",
                 "town_seat": "乡镇驻地"}
LEVEL_LABELS = {"town": "乡镇", "village": "村", "community": "社区"}

st.title("地名校准")
actor = page_actor(PAGE_PLACES)

with session_scope(engine()) as session:
    cases = visible_cases(session, actor)
    gazetteer = load_gazetteer(session)
    try:
        settings = office_settings(session)
    except USER_ERRORS as exc:
        show_error(exc)
        settings = None
guard(cases, no_cases(actor), PAGE_IMPORT)

st.caption("内置的乡镇点位多为估计，村（社区）都放在所属乡镇驻地；“可能偏差”是实际地点离该点最远可达的距离。"
           "先校准偏差大、涉及信访件多的地点：校准后，该地点以后的来信、未办结的信访件，以及已化解（澄清）但还有回访、"
           "整改待办的信访件，都用新坐标。")
show_all = st.toggle("也列出没有信访件的地点", key="pl_show_all")
places = [(c.location.town_code, c.location.village_code, c.status.is_open) for c in cases
          if c.location.has_point and c.location.point_source not in ("register", "case_corrected")]
rows = calibration_rows(gazetteer, places, only_with_cases=not show_all)
table = pd.DataFrame([{
    "级别": LEVEL_LABELS.get(r.level, r.level), "代码": r.code, "名称": r.name, "区县": r.county, "乡镇": r.town,
    "可能偏差(km)": r.precision_km, "坐标来源": SOURCE_LABELS.get(r.source, r.source), "未办结信访件": r.open_cases,
    "经度": round(r.lon, 6), "纬度": round(r.lat, 6)} for r in rows])
st.dataframe(table, hide_index=True, width="stretch", key="pl_table")

st.download_button("下载地名库 CSV（全部地点）", data=lambda: write_csv(export_rows(gazetteer)),
                   file_name="xiafang_places.csv", mime="text/csv", key="pl_download", on_click="ignore")

if not rows:
    st.stop()
st.subheader("校准一个地点")
if not is_allowed(actor, "plan"):
    st.info("校准地点需要规划权限（组长、协调员、管理员）。")
    st.stop()

# Online calibration is off unless 设置 switched it on and the office has its own 天地图 key.
if settings is not None and settings.place_calibration and settings.tiles.tianditu_key:
    todo = [r.code for r in rows if r.source in ("builtin", "geonames")]
    if st.button(f"用天地图校准列表中 {len(todo)} 个估计地点的坐标（联网查询）", key="pl_tianditu", disabled=not todo):
        try:
            with session_scope(engine()) as session:
                done = calibrate_online(session, actor, todo, settings.tiles.tianditu_key)
        except USER_ERRORS as exc:
            show_error(exc)
        else:
            st.success(f"天地图校准：{done['stored']} 个地点已存入本单位地名库，"
                       f"{done['cases_moved']} 件信访件已移到新位置。")
            if done["refused"]:
                st.dataframe(pd.DataFrame(done["refused"], columns=["查询", "未采用的原因"]), hide_index=True)
elif settings is not None and settings.place_calibration:
    # Switched on in 设置 without the office's key: say why there is no button instead of showing nothing.
    st.info("“设置”中已开启在线校准，但还没有填写本单位的天地图密钥：填写密钥后，这里会出现用天地图批量校准的按钮。")
by_code = {r.code: r for r in rows}


def _label(c: str) -> str:
    r = by_code[c]
    where = f"{r.county}{r.town if r.level != 'town' else ''}{r.name}"
    return f"{where}（{r.open_cases} 件，偏差≤{r.precision_km:g} km）"


code = st.selectbox("地点", list(by_code), key="pl_code", format_func=_label)
chosen = by_code[code]
with st.form(f"pl_form_{code}"):
    c1, c2, c3 = st.columns(3)
    lon = c1.number_input("经度", value=float(chosen.lon), format="%.6f", key=f"pl_lon_{code}")
    lat = c2.number_input("纬度", value=float(chosen.lat), format="%.6f", key=f"pl_lat_{code}")
    datum = c3.selectbox("坐标系", ["wgs84", "gcj02", "bd09"], key=f"pl_datum_{code}",
                         format_func={"wgs84": "WGS-84（GPS、天地图）", "gcj02": "GCJ-02（高德、腾讯）",
                                      "bd09": "BD-09（百度）"}.get)
    note = st.text_input("依据（如：村委会现场 GPS）", key=f"pl_note_{code}")
    if st.form_submit_button("保存校准"):
        try:
            with session_scope(engine()) as session:
                kw = {"town_code": code} if chosen.level == "town" else {"village_code": code}
                done = correct_point(session, actor, lon=lon, lat=lat, datum=datum, note=note, **kw)
        except USER_ERRORS as exc:
            show_error(exc)
        else:
            st.success(f"已校准{chosen.name}：({done['lon']:.6f}, {done['lat']:.6f})，"
                       f"{done['cases_moved']} 件信访件（未办结的和有回访、整改待办的）已移到新位置。")
