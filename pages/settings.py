"""设置: map tiles (incl. 天地图 key), travel-time model, selection weights, 回访 interval, stored in the database."""

from __future__ import annotations

from dataclasses import fields

import streamlit as st

from pages.common import (
    PAGE_IMPORT,
    PAGE_SETTINGS,
    PAGE_TEAMS,
    Key,
    engine,
    live_download,
    page_actor,
    page_link,
    show_error,
)
from planner.errors import USER_ERRORS
from planner.field.maps import MapTiles
from planner.office.authorisation import is_allowed
from planner.office.backup import backup_download
from planner.office.clock import local_now
from planner.office.security import is_demo
from planner.office.settings import (
    AT_RISK_RANGE,
    KEY_GENERAL,
    KEY_LEXICON,
    KEY_TRAVEL,
    KEY_WEIGHTS,
    TRAVEL_RANGES,
    WEIGHT_LABELS,
    WEIGHT_RANGE,
    AppSettings,
    ClusterLexicon,
    TravelSettings,
    check_place_calibration,
    check_tianditu_tiles,
    load_settings_for_edit,
    save_settings,
)
from planner.store.database import session_scope

WEIGHT_MIN, WEIGHT_MAX = WEIGHT_RANGE

st.title("设置")
actor = page_actor(PAGE_SETTINGS)
may_edit = is_allowed(actor, "settings")

stored_notes: tuple = ()
try:
    with session_scope(engine()) as session:
        # A stored value the page cannot show (out of range, set by hand or elsewhere) is shown at the nearest value
        # it can and said in its section; every other setting as stored.
        current, stored_notes = load_settings_for_edit(session)
except USER_ERRORS as exc:
    show_error(exc)
    current = AppSettings()
note_slots: list = []  # the warnings below, cleared once saved (what is stored is then what is shown)


def say_stored(*where: tuple[str, str | None]) -> None:
    """Warn of the stored values of ``where`` ((group, field or None for all)) that are shown otherwise."""
    mine = [n for n in stored_notes if any(n.group == g and name in (None, n.name) for g, name in where)]
    if mine:
        slot = st.empty()
        slot.warning(f"{'；'.join(n.text() for n in mine)}。保存设置会按这里显示的值保存。")
        note_slots.append(slot)

if is_demo(actor):
    # Settings outlive the demo (tiles would keep calling servers for the real office): the demo only reads them.
    may_edit = False
    st.info("演示模式：设置只能查看。在“导入”页创建首个管理员账户、结束演示后，由管理员或协调员修改。")
    page_link(PAGE_IMPORT, label="去“导入”页创建首个管理员账户", icon=":material/admin_panel_settings:")
elif not may_edit:
    st.warning("当前账号只能查看设置；修改需要管理员或协调员。")

if is_allowed(actor, "view_teams"):
    # Teams used to be looked for here (路线规划 pointed to 设置): they have their own page.
    st.caption("检查组（基地、上下班和午休时间、专长、成员及回避的籍贯）在“检查组”页录入和修改。")
    page_link(PAGE_TEAMS, label="前往检查组")

with st.form("settings_form", border=False):
    st.subheader("地图底图")
    st.caption(
        "默认不加载任何在线瓦片：底图为 11 个区县边界和乡镇驻地，断网也能用。"
        "开启在线瓦片后，地图会访问外部服务器。"
    )
    osm = st.checkbox("OpenStreetMap 瓦片", value=current.tiles.osm, key="set_osm", disabled=not may_edit)
    # A switch of its own: the key may be kept for 地名校准 alone, without every map calling 天地图.
    # Shows the stored switch, which is off whenever no key is stored (tiles cannot load without one).
    tdt_on = st.checkbox("天地图瓦片（需填写下面的密钥）", value=current.tiles.tianditu, key="set_tianditu_on",
                         disabled=not may_edit,
                         help="没有密钥时天地图瓦片无法加载，保持关闭；勾选时请同时填写密钥。")
    # The stored key is never sent to any browser: the field starts empty and a new value replaces the old one.
    has_key = bool(current.tiles.tianditu_key)
    tdt_key, tdt_clear = "", False
    if may_edit:
        tdt_key = st.text_input(
            "天地图密钥", value="", type="password", key="set_tianditu_key",
            placeholder="已保存（留空则保持不变）" if has_key else "未设置",
            help="勾选“天地图瓦片”后加载天地图矢量底图和注记；“在线校准地名”也用此密钥。已保存的密钥不会显示。",
        )
        tdt_clear = has_key and st.checkbox("清除已保存的天地图密钥", key="set_tianditu_clear")
    else:
        # A credential is for those who may change settings (walk W19: an officer on a phone saw the key's field
        # with 已保存（留空则保持不变）): others read only whether one is set, no part of it.
        st.text("天地图密钥：" + ("已设置（由管理员或协调员填写和修改）" if has_key else "未设置"))
    amap = st.checkbox(
        "高德地图瓦片（GCJ-02，叠加图层自动换算坐标；开启后不与其他瓦片同时显示）", value=current.tiles.amap,
        key="set_amap", disabled=not may_edit,
    )
    calibrate = st.checkbox(
        "在线校准地名：在“地名校准”页用本单位的天地图密钥查询乡镇、村的坐标（每个地点一次，结果存入本单位地名库）",
        value=current.place_calibration, key="set_place_calibration", disabled=not may_edit,
        help="需要本单位的天地图密钥（填在上面的“天地图密钥”中）；没有密钥时不能开启。",
    )

    st.subheader("路程时间模型")
    st.caption("无路网数据时：直线距离 × 绕行系数 ÷ 车速。平原约 1.25，山区（平和、华安、南靖西部）1.4–1.5。")
    travel = current.travel
    say_stored((KEY_TRAVEL, None))
    rng = TRAVEL_RANGES
    # One row per pair, so that on a phone (columns stacked) each plain/hill pair stays together.
    c1, c2 = st.columns(2)
    circ_plain = c1.number_input("绕行系数（平原）", *rng["circuity_plain"], float(travel.circuity_plain), 0.05,
                                 key="set_circ_plain", disabled=not may_edit)
    circ_hill = c2.number_input("绕行系数（山区）", *rng["circuity_hill"], float(travel.circuity_hill), 0.05,
                                key="set_circ_hill", disabled=not may_edit)
    c1, c2 = st.columns(2)
    sp_plain = c1.number_input("车速 km/h（平原乡村道路）", *rng["speed_plain_kmh"], float(travel.speed_plain_kmh), 1.0,
                               key="set_speed_plain", disabled=not may_edit)
    sp_hill = c2.number_input("车速 km/h（山区乡村道路）", *rng["speed_hill_kmh"], float(travel.speed_hill_kmh), 1.0,
                              key="set_speed_hill", disabled=not may_edit)
    c1, c2 = st.columns(2)
    trunk = c1.number_input("车速 km/h（高速、国省道）", *rng["trunk_kmh"], float(travel.trunk_kmh), 1.0,
                            key="set_trunk", disabled=not may_edit)
    local = c2.number_input("每段前多少 km 按乡村道路计", *rng["local_km"], float(travel.local_km), 1.0,
                            key="set_local_km", disabled=not may_edit)

    st.subheader("选件权重")
    st.caption("各项满分分值；0 表示不考虑该项。")
    weights_in = {}
    # A weight stored outside 0–100 (by hand in the database) is shown at the nearer bound and said, not crashed on.
    say_stored((KEY_WEIGHTS, None))
    cols = st.columns(3)
    for i, f in enumerate(fields(current.weights)):
        weights_in[f.name] = cols[i % 3].number_input(
            WEIGHT_LABELS.get(f.name, f.name), WEIGHT_MIN, WEIGHT_MAX, float(getattr(current.weights, f.name)), 1.0,
            key=f"set_w_{f.name}", disabled=not may_edit,
        )

    st.subheader("期限预警")
    say_stored((KEY_GENERAL, "at_risk_days"))
    at_risk = st.number_input("距办理期限几天内提示“临近期限”", *AT_RISK_RANGE, int(current.at_risk_days), 1,
                              key="set_at_risk_days", disabled=not may_edit)

    st.subheader("回访")
    say_stored((KEY_GENERAL, "return_delay_days"))
    # No min/max on the widget: the library's check refuses 0 or 400 with a Chinese message naming the range,
    # where the browser's own bound message would be English.
    return_delay = st.number_input(
        "问题化解或整改期限届满后几天回访（1–365 天）", value=int(current.return_delay_days), step=1,
        key="set_return_delay_days", disabled=not may_edit,
        help="“回访跟踪”页的“检查并生成回访建议”和命令行 followup 日检按此天数提出回访和整改回访；"
             "命令行的 --delay 只改变那一次。",
    )

    st.subheader("路线规划")
    say_stored((KEY_GENERAL, "plan_policy"))
    from planner.routing.problem import POLICIES

    policy = st.radio("默认规划方式", list(POLICIES), index=list(POLICIES).index(current.plan_policy),
                      format_func=POLICIES.get, horizontal=True, key="set_plan_policy", disabled=not may_edit,
                      help="集中出行：用最少的组日，排满一天再排下一天；均衡：各组各天工作量相近；最少里程：总里程最短")

    st.subheader("关联分析词表")
    st.caption(
        "本单位对同一事项的不同说法：每行一组“说法 标准词”，关联分析把它们当作同一个词（例：公益性岗位 公益岗）。"
        "公共项目名称：系统已内置常见惠民项目（高龄补贴、耕地地力保护补贴、青苗补偿款等），各村反映其资金被扣、被冒领、"
        "被截留的信件归为一个跨县问题（各村仍各为一个热点）；在这里列入本单位的其他项目（例：护林员补贴 特困供养金），"
        "列入的项目即使信中没写明资金去向、由村干部经手，也归为一个问题。评选不公（如低保优亲厚友）仍按各村各自的问题处理。"
        "保存后在“关联分析”点“重新分析”生效。"
    )
    say_stored((KEY_LEXICON, None))
    lex_pairs = st.text_area("同义词（每行：说法 标准词）", value=current.lexicon.pairs_text(), height=140,
                             key="set_lex_pairs", disabled=not may_edit)
    lex_programmes = st.text_input("公共项目名称（空格分隔）", value=" ".join(current.lexicon.programmes),
                                   key="set_lex_programmes", disabled=not may_edit)
    submitted = st.form_submit_button("保存设置", type="primary", disabled=not may_edit)

if submitted:
    try:
        new_key = "" if tdt_clear else (tdt_key.strip() or current.tiles.tianditu_key)
        # Clearing the key turns its tiles off (said below); ticking them with no key at all is refused.
        tdt_tiles = bool(tdt_on) and not tdt_clear
        check_tianditu_tiles(tdt_tiles, new_key)
        # Likewise online calibration: it queries 天地图 with the key (refused without one, turned off with it).
        calibrate_on = bool(calibrate) and not tdt_clear
        check_place_calibration(calibrate_on, new_key)
        new = AppSettings(
            tiles=MapTiles(osm=osm, amap=amap, tianditu=tdt_tiles, tianditu_key=new_key),
            travel=TravelSettings(circ_plain, circ_hill, sp_plain, sp_hill, trunk, local),
            weights=type(current.weights).from_mapping(weights_in),
            at_risk_days=int(at_risk),
            plan_policy=str(policy),
            place_calibration=calibrate_on,
            lexicon=ClusterLexicon.from_text(lex_pairs, lex_programmes),
            return_delay_days=return_delay,
        )
        with session_scope(engine()) as session:
            save_settings(session, new, actor=actor)
    except USER_ERRORS as exc:
        show_error(exc)
    else:
        for slot in note_slots:
            slot.empty()
        st.success("设置已保存。")
        if stored_notes:
            # Said again once saved: these stored values are now replaced (the audit row names each).
            st.info("以下原保存值已改为页面显示的值：" + "；".join(f"「{n.setting}」{n.stored} → {n.shown}"
                                                          for n in stored_notes) + "。")
        if tdt_clear and tdt_on:
            st.info("天地图密钥已清除，天地图瓦片随之关闭。")
        if tdt_clear and calibrate:
            st.info("天地图密钥已清除，在线校准地名随之关闭。")
        if new.tiles.any:
            st.warning("已开启在线瓦片：地图将访问外部服务器，断网时底图瓦片不显示。")

if is_allowed(actor, "backup") and not is_demo(actor):
    # Administrators only: the file holds every petitioner's identity. Built when clicked, after the session is
    # checked again, and audited (备份数据库), as python -m planner backup is.
    st.subheader("备份")
    st.caption("把整个数据库（信访件、方案、走访结果、检查组、账户和审计日志）备份为一个 zip 文件并下载，"
               "与服务器上的 python -m planner backup 相同。文件含信访人身份信息，请加密保存。")
    backup_name = f"xiafang-backup-{local_now():%Y%m%d-%H%M}.zip"
    live_engine = engine()
    st.download_button(
        "备份并下载", live_download(lambda: backup_download(live_engine, actor, file_name=backup_name)[1], actor,
                                   st.session_state.get(Key.SESSION_TOKEN), live_engine),
        file_name=backup_name, mime="application/zip", key="set_backup_download", icon=":material/backup:",
    )
    st.caption("恢复只能在服务器上运行：python -m planner restore 备份文件.zip --replace，"
               "并需要服务器数据文件夹中的签名密钥 backup.key（请另外妥善保存一份）。")
