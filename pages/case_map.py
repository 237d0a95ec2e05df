"""案件地图: filter the letters, see them on an offline map (choropleth, clusters, heat), click one for its detail."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import geodata
from pages.common import (
    PAGE_CASE_MAP,
    PAGE_CLUSTERS,
    PAGE_IMPORT,
    PAGE_SELECTION,
    Key,
    actor_name,
    clear_after,
    engine,
    guard,
    no_cases,
    office_gazetteer,
    office_settings,
    page_actor,
    page_link,
    show_error,
    today,
    visible_cases,
)
from pages.common_stale import form_version
from planner.domain import CaseStatus
from planner.errors import USER_ERRORS
from planner.field.map_layers import (
    COLOR_BY,
    SUMMARY_LIMIT,
    case_map,
    case_no_from_tooltip,
    written_place,
    written_villages,
)
from planner.field.maps import projector
from planner.field.model import CONFIDENTIAL_WARNING
from planner.followup.common import HistoryEntry, describe_history
from planner.followup.overview import DEADLINE_FILTERS, filter_cases, saved_issue_clusters
from planner.intake.outside_city import (
    OUTSIDE_LABEL,
    OUTSIDE_SHORT,
    OUTSIDE_TODO,
    outside_among,
)
from planner.office.authorisation import authorise, is_allowed
from planner.office.clock import show_time
from planner.office.privacy import confidentiality_request, mask_free_text, md_text
from planner.places.estimates import estimate_words, written_village
from planner.store.cases import case_history, get_case, letter_text, masked_summaries
from planner.store.database import session_scope
from planner.store.history_text import who_label
from planner.store.lifecycle import account_labels
from planner.store.place_checks import letters_to_check
from planner.store.place_choice import (
    address_beside,
    choose_place,
    is_choice_note,
    place_candidates,
    register_county_first,
    to_check_text,
    written_addresses,
)
from planner.store.places import correct_point, has_work_ahead
from planner.store.register_fields import category_labels, register_fields, set_category
from planner.store.teams import load_teams
from planner.vocabulary import category_names

st.title("案件地图")
actor = page_actor(PAGE_CASE_MAP)
day = today()


with session_scope(engine()) as session:
    all_cases = visible_cases(session, actor)
    # Letters about a place outside Zhangzhou: no point because they are elsewhere, not because the office failed
    # to place them (市外（转外地办理）, never 未定位, and never a visit).
    outside = outside_among(session, [c.case_no for c in all_cases])
    gazetteer = office_gazetteer(session)
    # Letters whose place the import counted as 地址需核对 (the same test): marked 待核对 in the list, with the reason.
    to_check = letters_to_check(session, [c.case_no for c in all_cases])
    settings = office_settings(session)

guard(all_cases, no_cases(actor), PAGE_IMPORT)

counties = {c.code: c.name for c in sorted(geodata.counties(), key=lambda c: c.code)}
categories = sorted({c.category or "未分类" for c in all_cases})
first, last = min(c.received_date for c in all_cases), max(c.received_date for c in all_cases)

# Collapsed: on a phone the open filters would push the map below the fold.
with st.expander("筛选（区县、类别、状态、日期、期限、位置核对、着色）", expanded=False):
    f1, f2, f3 = st.columns(3)
    sel_counties = f1.multiselect("区县", list(counties), format_func=counties.get, key="cm_counties",
                                  placeholder="全部区县")
    sel_categories = f2.multiselect("问题类别", categories, key="cm_categories", placeholder="全部类别")
    sel_statuses = f3.multiselect("办理状态", [s.value for s in CaseStatus], format_func=lambda s: CaseStatus(s).label,
                                  key="cm_statuses", placeholder="全部状态")
    g1, g2, g3 = st.columns(3)
    dates = g1.date_input("收件日期", value=(first, last), min_value=first, max_value=last, key="cm_dates",
                          format="YYYY-MM-DD")
    deadline = g2.selectbox("办理期限", list(DEADLINE_FILTERS), format_func=DEADLINE_FILTERS.get, key="cm_deadline")
    color_by = g3.selectbox("着色依据", list(COLOR_BY), format_func=COLOR_BY.get, key="cm_color_by")
    # Walk 1: the import counted 6 件地址需核对 and said they show in this list, where nothing told them apart.
    unplaced_nos = {c.case_no for c in all_cases if not c.location.has_point and c.case_no not in outside}
    place_filters = {"all": "全部", "check": f"只看待核对（{len(to_check):,} 件）",
                     "none": f"只看未定位（{len(unplaced_nos):,} 件）"}
    place_filter = st.columns(3)[0].selectbox("位置", list(place_filters), format_func=place_filters.get,
                                              key="cm_place_check")

since, until = (dates[0], dates[1]) if isinstance(dates, tuple | list) and len(dates) == 2 else (None, None)
filters = {"county_codes": sel_counties, "categories": sel_categories, "statuses": sel_statuses,
           "since": since, "until": until, "deadline": deadline}
st.session_state[Key.FILTERS] = filters
cases = filter_cases(all_cases, today=day, at_risk_days=settings.at_risk_days, **filters)
if place_filter != "all":  # the letters to check (or not placed), as the import counted them
    cases = [c for c in cases if c.case_no in (to_check if place_filter == "check" else unplaced_nos)]

cluster_result = st.session_state.get(Key.CLUSTER_RESULT)
clusters = tuple(getattr(cluster_result, "issues", ()) or ())
if color_by == "cluster" and not clusters:
    with session_scope(engine()) as session:
        clusters = tuple(saved_issue_clusters(session))  # as last saved by 关联分析
if color_by == "cluster" and not clusters:
    st.info("尚未进行关联分析，无法按关联问题着色。")
    page_link(PAGE_CLUSTERS, label="前往关联分析")

st.caption(f"共 {len(all_cases):,} 件，筛选后 {len(cases):,} 件")
if not cases:
    st.warning("没有符合筛选条件的信访件，请放宽条件。")
    st.stop()

ZOOM_TO = "cm_zoom_to"  # the letter last chosen in the list: the map is centred on it
TABLE_NOS, TABLE_ROWS = "cm_table_nos", "cm_table_rows"  # the list's letters as shown, and the row last acted on
LIST_LIMIT = 1000


def _zoom_to_pick() -> None:
    st.session_state[ZOOM_TO] = (st.session_state.get("cm_pick") or "").strip()


def _focus_zoom(loc: object) -> int:
    """How close to zoom to a chosen letter: as close as its point is precise. A village-exact point at street level
    (single letters show unclustered from zoom 14); an estimate (a seat standing for a town or county, 实际地点可能在
    N km 以内) wide enough to show the area it stands for, not a flat fill (walk C: 52.1 km shown at zoom 15)."""
    km = loc.precision_km
    if km is None:
        if not loc.estimated:
            return 15  # the register's own coordinates or a corrected point
        km = 40.0 if loc.point_source == "county_seat" else 10.0
    for limit, zoom in ((1.5, 15), (3, 14), (6, 13), (10, 12), (20, 11), (40, 10)):
        if km <= limit:
            return zoom
    return 9


def _position(c) -> str:
    """The list's “位置”: 市外, 待核对 with the reason in short and what the address wrote, an estimate, 未定位 (with
    the import's words)."""
    if c.case_no in outside:
        return outside.place(c.case_no, c.address_text)
    if c.case_no in to_check:
        # Walk: the reason alone did not say what to check; the address as written (masked) follows it.
        return ("未定位，" if not c.location.has_point else "") + to_check_text(to_check[c.case_no],
                                                                              addresses.get(c.case_no, ""))
    if c.location.point_source == "case_corrected":
        return "已校准"
    if c.location.has_point:
        return "≈ 估计（驻地）" if c.location.estimated else ""
    # Walk W25: the address as written (白石村, a name five villages hold), so the row says what the letter wrote.
    return f"未定位（{addresses[c.case_no]}）" if addresses.get(c.case_no) else "未定位"


def _wrapped_rows(texts: list[str], per_line: int = 32, most: int = 8) -> int | None:
    """A row height that shows the longest of ``texts`` in full, up to ``most`` lines (rows taller than 4rem wrap
    their text; walk 1: 办理记录's 说明 ended in “…”); None when every text fits one line."""
    lines = min(most, max((sum(-(-len(part) // per_line) or 1 for part in t.split("\n")) for t in texts), default=1))
    return None if lines <= 1 else max(72, 12 + 22 * lines)


def _moved_note(prefix: str, seen: int, version: int, form: str) -> None:
    """Inside a form's expander (a note above it would shift the expanders, which then close on the save's rerun
    and hide its refusal): the letter changed by someone else since the form ``prefix`` was shown, with a button to
    load it as it is now (widget values and the version shown are dropped)."""
    if seen == version:
        return
    st.warning(f"本件已被他人修改（现为第 {version} 版，表单载入的是第 {seen} 版）。保存会被拒绝；"
               "你填写的内容仍在表单中，可先记下再载入最新记录。", icon=":material/sync_problem:")
    if st.button("载入最新记录", key=f"cm_reload_{form}_{prefix}"):
        for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
            del st.session_state[key]
        st.rerun()


def _choose_form(case, choices, labels, said: str, loc, edit_key: str, shown_at: int, version: int) -> None:
    """按候选地点定位 (walk W25): the places the letter's address fits, as the resolver named them in its note; the one
    picked gives the letter its county, town, village, point and precision as if the address had named it."""
    title = (f"按候选地点定位：地址所写地名对应 {len(choices)} 处，选定其一" if not loc.has_point
             else f"按候选地点定位：地址所写地名可能指 {len(choices)} 处，可改为其中一处")
    with st.expander(title, expanded=not loc.has_point or case.case_no in to_check):
        _moved_note(edit_key, shown_at, version, "choose")
        with st.form(f"cm_choose_{case.case_no}"):
            texts = [c.text for c in choices]
            if said:  # a register read as one county: its candidates first, the others marked 其他区县
                st.caption(md_text(said))
            picked = st.radio("候选地点", texts, format_func=labels.get, index=None, key=f"{edit_key}choose_pick")
            st.caption("选定后本件按所选地点定位（县区、乡镇、村、坐标及其误差范围），定位说明写明由谁从哪些候选中选定；"
                       "再导入登记表时保留此选择。")
            if st.form_submit_button("按所选地点定位"):
                if not picked:
                    st.error("请先选择一处候选地点。")
                    return
                try:
                    with session_scope(engine()) as session:
                        done = choose_place(session, actor, case.case_no, picked, gazetteer=gazetteer,
                                            expected_version=shown_at)
                except USER_ERRORS as exc:
                    show_error(exc)
                else:
                    km = f"，实际地点可能在 {done['precision_km']:g} km 以内" if done["precision_km"] else ""
                    st.session_state[Key.FLASH] = (f"已按所选地点定位：{done['place']}（{done['lon']:.6f}, "
                                                   f"{done['lat']:.6f}{km}）。")
                    st.rerun()


def _settled(c) -> bool:
    """Placed at the village its address names, nothing to check: the place shown is the address written."""
    return c.location.has_point and c.location.precision == "village" and c.case_no not in to_check


def _place_words(c) -> str:
    """Where a letter is, as the picker names it: a letter outside Zhangzhou by the region its address writes; one
    the resolver could not place by its address as written (walk W25: 白石村 read 地点不详, found only by number);
    one placed elsewhere than its address says (a county or town only, 待核对) with the address as written beside
    (walk W29: 白石村 in a 南靖县 register read only 南靖县: 南靖县（登记表写：白石村）)."""
    if c.case_no in outside:
        return outside.place(c.case_no, c.address_text)
    place = written_place(c.location, written.get(c.case_no))
    beside = address_beside(place, addresses.get(c.case_no, ""), settled=_settled(c))
    if len(beside) > 30:
        beside = beside[:30] + "…"
    return f"{place}（登记表写：{beside}）" if place and beside else place or beside


shown = sorted(cases, key=lambda c: c.received_date, reverse=True)[:LIST_LIMIT]
with session_scope(engine()) as session:
    # Masked as in every list (ID numbers, phones, the petitioners' own names): the picker and the list below.
    summaries = masked_summaries(session, shown, 40)
    # The register's own word (三资管理) beside the category it is filtered and coloured by; an inference said so.
    category_words = category_labels(session, [c.case_no for c in cases], grouped=True)

# A row chosen in the list below selects its letter as the picker does (only when the choice changes: a row left
# selected does not take the picker back after another letter was chosen there or on the map).
_rows = list(((st.session_state.get("cm_table") or {}).get("selection") or {}).get("rows") or [])
if _rows != st.session_state.get(TABLE_ROWS, []):
    st.session_state[TABLE_ROWS] = _rows
    _nos = st.session_state.get(TABLE_NOS) or []
    if _rows and 0 <= _rows[0] < len(_nos) and _nos[_rows[0]] in {c.case_no for c in cases}:
        st.session_state["cm_pick"] = st.session_state[ZOOM_TO] = _nos[_rows[0]]


try:
    if len(cases) <= SUMMARY_LIMIT:  # the tooltips' summaries, with the letters' own writers withheld
        with session_scope(engine()) as session:
            summaries.update(masked_summaries(session, [c for c in cases if c.case_no not in summaries], 40))
    with session_scope(engine()) as session:  # villages letters name that the table lacks: tooltips name them
        written = written_villages(session, [c.case_no for c in cases if not c.location.village])
    with session_scope(engine()) as session:  # the addresses as written of letters not placed as written (masked)
        addresses = written_addresses(session, [c for c in shown if c.case_no not in outside and not _settled(c)])
    cm = case_map(cases, today=day, color_by=color_by, clusters=clusters, tiles=settings.tiles,
                  gazetteer=gazetteer, summaries=summaries, written=written,
                  categories=category_words, at_risk_days=settings.at_risk_days)
except USER_ERRORS as exc:
    show_error(exc)
    st.stop()

# A letter chosen in the list below (not clicked on the map, which is already where it is) is zoomed to.
focus, focus_zoom = None, None
if zoom_to := st.session_state.get(ZOOM_TO):
    chosen = next((c for c in cases if c.case_no == zoom_to and c.location.has_point), None)
    if chosen is not None:
        focus = projector(settings.tiles)(chosen.location.lon, chosen.location.lat)
        focus_zoom = _focus_zoom(chosen.location)
out = st_folium(cm.map, key="case_map", height=560, use_container_width=True, center=focus, zoom=focus_zoom,
                returned_objects=["last_object_clicked_tooltip", "last_clicked"])

legend = " ".join(
    f'<span style="white-space:nowrap;margin-right:12px"><span style="display:inline-block;width:11px;height:11px;'
    f'border-radius:50%;background:{item.color};margin-right:4px"></span>{md_text(item.label)} {item.count}</span>'
    for item in cm.legend
)
st.markdown(legend, unsafe_allow_html=True)
st.caption("区县底色：未办结信访件越多颜色越深。数字圆圈是聚合的多件信访件，放大后可点击单件查看；图层按钮可打开热力图。")
unplaced = [n for n in cm.unplaced if n not in outside]
far = len(cm.unplaced) - len(unplaced)
if unplaced:
    st.caption(f"{len(unplaced)} 件没有坐标，未在地图上显示（见下方列表“位置”列；点开一件可看原因）。")
if checking := sum(1 for c in cases if c.case_no in to_check):
    st.caption(f"{checking} 件地址待核对（导入时计为“地址需核对”）：下方列表“位置”列写明原因；"
               "“筛选”中“位置”选“只看待核对”可只列这些信访件，点开一件可校准位置。")
if far:
    st.caption(f"另有 {far} 件地址不在漳州市，为{OUTSIDE_LABEL}，不在地图上显示（见下方列表“位置”列）。")

known = {c.case_no for c in cases}
clicked = (out or {}).get("last_object_clicked_tooltip")
if clicked and clicked != st.session_state.get(Key.MAP_LAST_CLICK):
    st.session_state[Key.MAP_LAST_CLICK] = clicked
    case_no = case_no_from_tooltip(clicked, known)
    if case_no:
        st.session_state[Key.SELECTED_CASE] = case_no
        st.session_state["cm_pick"] = case_no
        st.session_state.pop(ZOOM_TO, None)  # the map is already where the click was

if len(cases) <= LIST_LIMIT:
    # Shown as number, place and first words, so typing 华安 or 食堂 finds a letter; the value stays its number.
    labels = {c.case_no: f"{c.case_no}｜{_place_words(c) or '地点不详'}"
                         f"｜{summaries[c.case_no][:20]}" for c in cases}
    options = [""] + [c.case_no for c in cases]
    if st.session_state.get("cm_pick") not in options:
        st.session_state["cm_pick"] = ""
    pick = st.selectbox("查看信访件（可输入编号、地名或内容查找，也可在地图上点击）", options, key="cm_pick",
                        format_func=lambda n: labels.get(n, n) if n else "—— 请选择 ——", on_change=_zoom_to_pick)
else:
    # Thousands of options would make the page heavy: type the number instead.
    if not isinstance(st.session_state.get("cm_pick"), str):
        st.session_state["cm_pick"] = ""
    typed = st.text_input("查看信访件：输入编号（也可在地图上点击）", key="cm_pick", on_change=_zoom_to_pick).strip()
    pick = typed if typed in known else ""
    if typed and not pick:
        st.warning(f"筛选结果中没有编号为 {md_text(typed)} 的信访件。")
st.session_state[Key.SELECTED_CASE] = pick or None

if pick:
    try:
        with session_scope(engine()) as session:
            case = get_case(session, pick)
            reg = register_fields(session, pick)
            # The letter's words, ID numbers, phones and petitioner names masked (identity is never shown here).
            words = letter_text(session, pick)
            history = [HistoryEntry(h.at, h.who, h.action, dict(h.detail or {})) for h in case_history(session, pick)]
            people = account_labels(session)  # 林干部（ganbu3）, not the bare account
            team_names = {t.team_id: t.name or t.team_id for t in load_teams(session, active_only=False)}
            ahead = has_work_ahead(session, pick)  # open, or a 回访 / 整改 still to do: its next visit goes there
    except USER_ERRORS as exc:
        show_error(exc)
        st.stop()
    # Register values are shown as text: md_text escapes Markdown and HTML, so ``![m](url)`` never loads anything.
    if flash := st.session_state.pop(Key.FLASH, None):
        st.success(flash)
    st.subheader(f"信访件 {md_text(case.case_no)}")
    if secret := confidentiality_request(reg.extra, case.content):
        st.warning(f"{CONFIDENTIAL_WARNING}（{md_text(secret)}）。外出资料上同样注明。", icon=":material/lock:")
    d1, d2, d3 = st.columns(3)
    d1.markdown(f"**状态**：{case.status.label}")
    left = case.days_left(day)
    # Walk W23: a letter already 已办结 (or 已化解) read "剩 3 天" as if its deadline still ran.
    when = f"（超期 {-left} 天）" if left < 0 else f"（剩 {left} 天）"
    d2.markdown(f"**办理期限**：{case.due_date().isoformat()}"
                + (when if case.status.is_open else f"（{case.status.label}）"))
    d3.markdown(f"**类别**：{md_text(reg.category_label(grouped=True))}")
    st.markdown(f"**收件日期**：{case.received_date.isoformat()}　**来源**：{md_text(case.source or '—')}")
    # A village the letter names but the table lacks is named as on the field sheets (后江村（村表无此村，待核对）).
    named = written_village(reg.place_note)
    # A name read another way (书阳镇 as 书洋镇) or taken from the content says it is to be checked, as in the list.
    unsure = f"（待核对：{to_check[case.case_no]}）" if case.case_no in to_check and named is None else ""
    loc = case.location
    shown_place = written_place(loc, named)
    # Walk W29: a letter placed at its county or town only, or to be checked, says what its address wrote (白石村).
    beside = address_beside(shown_place, words["address"], settled=loc.has_point and loc.precision == "village"
                            and case.case_no not in to_check) if shown_place else ""
    st.markdown(f"**地点**：{md_text((shown_place or words['address'] or '未定位') + unsure)}"
                + (f"　**登记表写**：{md_text(beside)}" if beside else ""))
    # Walk W25: an address fitting several places (白石村: five villages) — the resolver's candidates, to pick one.
    choices, choice_labels, choice_said = register_county_first(
        place_candidates(case.address_text, case.content, gazetteer)
        if is_allowed(actor, "plan") and case.case_no not in outside and loc.point_source != "register" else (),
        reg.place_note)  # a register read as one county (云霄县…登记表): that county's candidates first
    if case.case_no in outside:
        where = outside.region(case.case_no, case.address_text)
        st.info(f"{OUTSIDE_LABEL}：地址" + (f"在{md_text(where)}，" if where else "")
                + f"不在漳州市，应{OUTSIDE_TODO}，不列入走访候选。"
                + ("如地址识别有误，可在下方“校准位置”中输入坐标。" if is_allowed(actor, "plan") else ""))
    elif not loc.has_point:
        # Never a silent gap: say why the letter has no point and how to give it one.
        fix_hint = "。可在下方“校准位置”中输入坐标，或到「地名校准」页补充地名。" if is_allowed(actor, "plan") else "。"
        if choices:
            fix_hint = (f"。可在下方“按候选地点定位”中选定其中一处（共 {len(choices)} 处），"
                        "或在“校准位置”中输入坐标。")
        place_why = mask_free_text(reg.place_note) or "地址中没有可识别的漳州市县区、乡镇或村"
        st.warning("未定位：" + md_text(place_why) + fix_hint)
    elif reg.place_note and (loc.point_source not in ("corrected", "case_corrected")
                             or (is_choice_note(reg.place_note) and loc.point_source != "case_corrected")):
        # A place chosen among candidates says who chose it (its point, the resolver's, may still be an estimate).
        hint = (f"可在下方“按候选地点定位”中选定其中一处（共 {len(choices)} 处）。"
                if choices and case.case_no in to_check else "")
        note = mask_free_text(reg.place_note)
        st.caption("定位说明：" + md_text(f"{note.rstrip('。；')}。{hint}" if hint else note))
    if loc.estimated:
        here = (loc.lon, loc.lat)
        sharing = sum(1 for c in cases if c.location.estimated and (c.location.lon, c.location.lat) == here)
        st.caption(f"位置为估计：{md_text(estimate_words(loc, named))}；筛选结果中共 {sharing} 件共用此点。")
    elif loc.point_source in ("corrected", "case_corrected"):
        st.caption("位置已校准：" + ("按本村（社区）的校准点" if loc.point_source == "corrected" else "本件单独校准")
                   + f"（{loc.lon:.6f}, {loc.lat:.6f}）。")
    # Both edit forms below (校准位置, 问题类别) save against the version of the letter they were SHOWN at (walk
    # W20: they checked the version read in the very run that saved, so a second person's save overwrote the first's
    # unseen). The user's own saves reload them quietly (pages.common_stale).
    edit_key = f"cm_edit_{case.case_no}_"
    shown_at = (form_version(edit_key, reg.version, "case", case.case_no, actor_name())[0]
                if is_allowed(actor, "plan") else reg.version)
    if choices:
        _choose_form(case, choices, choice_labels, choice_said, loc, edit_key, shown_at, reg.version)
    if ahead and is_allowed(actor, "plan"):
        with st.expander("校准位置：在上方地图上点击真实位置，或输入坐标", expanded=False):
            _moved_note(edit_key, shown_at, reg.version, "fix")
            spot = (out or {}).get("last_clicked") or {}
            tile_datum = settings.tiles.overlay_datum  # a click on Amap tiles is in GCJ-02
            lon0 = float(spot.get("lng", loc.lon or 117.65))
            lat0 = float(spot.get("lat", loc.lat or 24.51))
            # What moves (walk W17): the village's open letters and its settled ones with a 回访 or 整改 still to do.
            scopes = {"village": f"该村（{loc.village}）：以后的来信、未办结的信访件，以及已化解（澄清）但还有"
                                 "回访、整改待办的信访件，都用此点", "case": "只改本件"}
            if not loc.village_code:
                scopes.pop("village")
            with st.form(f"cm_fix_{case.case_no}"):
                c1, c2 = st.columns(2)
                fix_lon = c1.number_input("经度", value=lon0, format="%.6f", key=f"{edit_key}fix_lon_{lon0}")
                fix_lat = c2.number_input("纬度", value=lat0, format="%.6f", key=f"{edit_key}fix_lat_{lat0}")
                scope = st.radio("校准范围", list(scopes), format_func=scopes.get, key=f"{edit_key}fix_scope")
                if st.form_submit_button("保存校准位置"):
                    try:
                        with session_scope(engine()) as session:
                            done = correct_point(
                                session, actor, lon=fix_lon, lat=fix_lat, datum=tile_datum if spot else "wgs84",
                                case_no=case.case_no, village_code=loc.village_code if scope == "village" else None,
                                note="案件地图校准", expected_version=shown_at)
                    except USER_ERRORS as exc:
                        show_error(exc)
                    else:
                        # Rerun at once: the detail, the map and the cached case list must show the new point.
                        st.session_state[Key.FLASH] = (f"已校准：({done['lon']:.6f}, {done['lat']:.6f})，"
                                                       f"{done['cases_moved']} 件信访件（未办结的和有回访、"
                                                       "整改待办的）已移到新位置。")
                        st.rerun()
    if case.reported_units or case.reported_persons:
        st.markdown("**被反映对象**：" + md_text("、".join(case.reported_units + case.reported_persons)))
    st.text_area("反映内容", words["content"], disabled=True, key=f"cm_content_{case.case_no}", height=140)
    st.caption(f"类别依据：{md_text(reg.category_basis())}")
    if words["extra"]:
        # The register's own columns (备注, 承办人 ...), as the office wrote them (identities in them masked).
        st.markdown("**登记表其他列**")
        st.dataframe(pd.DataFrame([{"列": k, "内容": v} for k, v in words["extra"]]), hide_index=True, width="stretch",
                     key=f"cm_extra_{case.case_no}")
    if is_allowed(actor, "plan"):
        with st.expander("更正问题类别" if reg.category else "填写问题类别", expanded=reg.category_inferred
                         and (reg.category_confidence or 0) < 0.6):
            _moved_note(edit_key, shown_at, reg.version, "cat")
            options = list(dict.fromkeys([*category_names(), *([reg.category] if reg.category else [])]))
            with st.form(f"cm_cat_{case.case_no}"):
                new_cat = st.selectbox("问题类别", options, key=f"{edit_key}cat_pick",
                                       index=options.index(reg.category) if reg.category in options else None,
                                       placeholder="请选择类别")
                why = st.text_input("说明（可选）", key=f"{edit_key}cat_note")
                if st.form_submit_button("保存类别"):
                    try:
                        with session_scope(engine()) as session:
                            set_category(session, case.case_no, new_cat or "", who=actor_name(), note=why,
                                         expected_version=shown_at)
                    except USER_ERRORS as exc:
                        show_error(exc)  # what was chosen stays in the form
                    else:
                        # Rerun at once: 类别 above, the list and the map show the new category.
                        st.session_state[Key.FLASH] = f"已将类别改为 {new_cat}。"
                        st.rerun()
    if cluster_result is not None and hasattr(cluster_result, "issue_of"):
        cid = cluster_result.issue_of.get(case.case_no)
        if cid:
            issue = cluster_result.cluster(cid)
            if issue.size > 1:  # walk B: “关联问题：…（1 件）” for a letter related to no other
                st.info(f"关联问题：{md_text(issue.label)}（{issue.size} 件"
                        + ("，跨县系统性问题" if issue.systemic else "") + "）")
            else:
                st.caption("关联分析未发现与本件相关的其他信访件。")
    if history:
        with st.expander(f"办理记录（{len(history)}）"):
            # The words 回访跟踪's 办理记录 uses (teams by name, results in Chinese, empty fields left out).
            rows = [{"时间": show_time(h.at), "操作人": people.get(h.who) or who_label(h.who),
                     **dict(zip(("操作", "说明"), describe_history(h, team_names), strict=True))} for h in history]
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                         row_height=_wrapped_rows([str(r["说明"]) for r in rows]),
                         column_config={"时间": st.column_config.TextColumn(width=130),
                                        "操作人": st.column_config.TextColumn(width=130),
                                        "操作": st.column_config.TextColumn(width=90),
                                        "说明": st.column_config.TextColumn(width=480, help="双击单元格可看整段说明")})
    # 选件 is the planners' (walk W12: an officer was offered 加入选件清单 on a letter of the team's plan).
    if is_allowed(actor, "plan"):
        chosen = list(st.session_state.get(Key.SELECTED_CASES) or [])
        if case.case_no in chosen:
            st.success("已在选件清单中。")
            page_link(PAGE_SELECTION, label="前往选件")
        elif case.status in (CaseStatus.SELECTED, CaseStatus.PLANNED):  # walk B: offered for a letter already 已选件
            st.caption(f"本件{case.status.label}（已在保存的下访计划中），不必再加入选件清单。")
        elif case.case_no in outside:
            st.caption(f"本件地址不在漳州市，{OUTSIDE_TODO}，不加入选件清单。")
        elif case.status.is_open and st.button("加入选件清单", key="cm_add_to_selection"):
            authorise(actor, "plan")  # refused here too, whatever the page showed
            clear_after("select")  # the selection changes: plans built from the old one are stale
            st.session_state[Key.SELECTED_CASES] = [*chosen, case.case_no]
            st.rerun()

with st.expander(f"列表（{len(cases):,} 件）"):
    if len(cases) > LIST_LIMIT:
        st.caption(f"只列出最近收到的 {LIST_LIMIT} 件；请用筛选缩小范围。")
    st.caption("点选一行即可查看该件并在地图上定位。")
    st.session_state[TABLE_NOS] = [c.case_no for c in shown]
    st.dataframe(
        pd.DataFrame([{"编号": c.case_no, "区县": OUTSIDE_SHORT if c.case_no in outside else c.location.county,
                       "乡镇": c.location.town, "位置": _position(c),  # beside the place: 待核对 is seen unscrolled
                       "类别": category_words.get(c.case_no) or c.category or "未分类",
                       "状态": c.status.label, "收件日期": c.received_date.isoformat(),
                       "办理期限": c.due_date().isoformat(), "摘要": summaries[c.case_no]} for c in shown]),
        hide_index=True, width="stretch", key="cm_table", on_select="rerun", selection_mode="single-row",
        column_config={"位置": st.column_config.TextColumn(
            width=480, help="待核对：导入时计为“地址需核对”的信访件，冒号后为原因，括号内为登记表所写地址；"
                            "点选该行可看说明并校准位置")},
    )
