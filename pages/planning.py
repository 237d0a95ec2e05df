"""路线规划: plan routes for the chosen visits, teams and days; KPIs, lock and re-plan, compare, save."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from pages.common import (
    PAGE_ITINERARY,
    PAGE_SELECTION,
    Key,
    actor_name,
    engine,
    guard,
    page_link,
    show_error,
    today,
)
from planner.errors import USER_ERRORS
from planner.routing.report import compare, kpis, plan_document, route_rows
from planner.routing.solve import Callbacks

#: Page-local widget keys (the plan itself lives under Key.PLAN_DOC / Key.PLAN_ID).
PREVIOUS = "planning_previous_doc"
ORIGINAL = "planning_original_visits"  # visits as chosen, before locks turned into pins


class _Progress(Callbacks):
    """Drives a Streamlit progress bar from the solver's callbacks."""

    def __init__(self, bar) -> None:
        self.bar = bar

    def on_progress(self, fraction: float, message: str) -> None:
        self.bar.progress(min(1.0, max(0.0, fraction)), text=f"规划中…… {message}")


def _next_monday(d: dt.date) -> dt.date:
    return d + dt.timedelta(days=(7 - d.weekday()) % 7 or 7)


def _load_teams() -> list:
    from planner.store.database import session_scope
    from planner.store.teams import default_teams, load_teams

    with session_scope(engine()) as session:
        teams = load_teams(session)
    return teams or default_teams()


def _office_context(visits) -> tuple:  # noqa: ANN001 - sequence of Visit
    """Travel model from 设置 and the case details the field packet prints (no petitioner identity)."""
    from planner.office.settings import load_settings
    from planner.store.cases import case_details, load_cases
    from planner.store.database import session_scope

    wanted = {c for v in visits for c in v.case_nos}
    with session_scope(engine()) as session:
        travel = load_settings(session).travel.model()
        cases = {c.case_no: case_details(c) for c in load_cases(session, case_nos=wanted)} if wanted else {}
    return travel, cases


st.title("路线规划")
st.caption("按检查组、工作日排出走访线路：班次与午休、时间窗、期限、指定组/日期、同日组、专长、回避都会考虑。")

# --- visits: from 选件, or an uploaded visits.csv
visits = tuple(st.session_state.get(Key.VISITS) or ())
upload = st.file_uploader("或上传 visits.csv（id, lon, lat, service_min, priority …）", type=["csv"], key="pl_upload")
if upload is not None:
    from planner.routing.planio import read_visits_csv

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "visits.csv"
        path.write_bytes(upload.getvalue())
        try:
            visits = tuple(read_visits_csv(path))
        except USER_ERRORS as exc:
            show_error(exc)
            st.stop()
guard(visits, "还没有要走访的点。请先在选件页选定信访件，或上传 visits.csv。", PAGE_SELECTION)

try:
    all_teams = _load_teams()
except USER_ERRORS as exc:
    show_error(exc)
    st.stop()
guard(all_teams, "还没有检查组。请先在设置页录入检查组。")

with st.form("pl_form"):
    c1, c2, c3 = st.columns(3)
    start = c1.date_input("开始日期", value=_next_monday(today()), key="pl_start")
    days = c2.number_input("工作日数", min_value=1, max_value=20, value=5, key="pl_days")
    limit = c3.number_input("求解时间（秒）", min_value=1, max_value=300, value=10, key="pl_limit")
    names = {t.team_id: t.name for t in all_teams}
    chosen = st.multiselect("参加的检查组", list(names), default=list(names), format_func=names.get, key="pl_teams",
                            placeholder="请选择检查组")
    submitted = st.form_submit_button("开始规划", type="primary")

doc = st.session_state.get(Key.PLAN_DOC)
teams = [t for t in all_teams if t.team_id in chosen]

if submitted:
    if not teams:
        st.error("请至少选择一个检查组。")
        st.stop()
    bar = st.progress(0.0, text="规划中……")
    try:
        travel, cases = _office_context(visits)
        new = plan_document(list(visits), teams, start_date=start, days=int(days), time_limit_s=float(limit),
                            callbacks=_Progress(bar), travel=travel, cases=cases)
    except USER_ERRORS as exc:
        show_error(exc)
        st.stop()
    bar.progress(1.0, text=f"规划完成：{new.plan.summary()}")
    st.session_state[PREVIOUS] = doc
    st.session_state[ORIGINAL] = tuple(visits)
    st.session_state[Key.PLAN_DOC] = doc = new
    st.session_state[Key.PLAN_ID] = None

if doc is None:
    st.info("选好检查组和日期后点击“开始规划”。")
    st.stop()

# --- KPIs
k = kpis(doc)
m1, m2, m3, m4 = st.columns(4)
m1.metric("已安排走访点", f"{k['visits']} / {k['total']}")
m2.metric("总里程", f"{k['km']} km")
m3.metric("车程", f"{k['drive_h']} 小时")
m4.metric("未安排", k["unassigned"])
st.caption(f"状态：{doc.plan.status} · 线路 {k['routes']} 条 · 工作 {k['work_h']} 小时 · 用时 {doc.plan.runtime_s} 秒")
if k["dropped_by_priority"]:
    st.write("未安排（按优先级）：" + "，".join(f"{p} {n} 个" for p, n in k["dropped_by_priority"].items()))
if doc.plan.unassigned:
    st.dataframe(
        pd.DataFrame([{"走访点": u.visit_id, "原因": u.reason, "代码": u.reason_code} for u in doc.plan.unassigned]),
        hide_index=True, use_container_width=True,
    )

# --- map and stops
try:
    from streamlit_folium import st_folium

    from planner.field import map_layers

    st_folium(map_layers.route_map(doc.plan.routes, doc.visits, doc.teams), use_container_width=True, height=460,
              returned_objects=[], key="pl_map")
except ImportError:
    pass
except USER_ERRORS as exc:
    show_error(exc)
st.dataframe(pd.DataFrame(route_rows(doc)), hide_index=True, use_container_width=True)

# --- lock and re-plan
planned = sorted(doc.plan.planned_visit_ids())
locked_now = [v for v, x in doc.visits.items() if x.locked and v in planned]
with st.form("pl_replan"):
    locked = st.multiselect("锁定（已走访或已约定，重新规划时保持组、日期和顺序）", planned, default=locked_now,
                            key="pl_locked", placeholder="选择要锁定的走访点")
    replan = st.form_submit_button("重新规划其余走访点")
if replan:
    bar = st.progress(0.0, text="重新规划中……")
    try:
        base = st.session_state.get(ORIGINAL) or tuple(doc.visits.values())
        new = plan_document(list(base), list(doc.teams.values()), start_date=doc.plan.start_date,
                            days=doc.plan.days, time_limit_s=float(limit), callbacks=_Progress(bar),
                            previous=doc, locked=locked, cases=doc.cases, travel=_office_context(())[0])
    except USER_ERRORS as exc:
        show_error(exc)
        st.stop()
    st.session_state[PREVIOUS] = doc
    st.session_state[Key.PLAN_DOC] = new
    st.session_state[Key.PLAN_ID] = None
    st.rerun()

# --- compare with the previous plan
prev = st.session_state.get(PREVIOUS)
if prev is not None:
    with st.expander("与上一方案比较", expanded=True):
        diff = compare(prev, doc)
        d = diff["delta"]
        st.write(f"走访点 {d['visits']:+}，里程 {d['km']:+} km，车程 {d['drive_h']:+} 小时，未安排 {d['unassigned']:+}")
        st.write(f"调整组/日期：{len(diff['moved'])} 个；新排入：{len(diff['added'])} 个；"
                 f"移出：{len(diff['removed'])} 个")

# --- save
with st.form("pl_save"):
    name = st.text_input("方案名称", value=f"{doc.plan.start_date.isoformat()} 起 {doc.plan.days} 天", key="pl_name")
    save = st.form_submit_button("保存方案")
if save:
    from planner.store.database import session_scope
    from planner.store.plans import save_plan

    try:
        with session_scope(engine()) as session:
            pid = save_plan(session, doc, name=name, who=actor_name())
    except USER_ERRORS as exc:
        show_error(exc)
        st.stop()
    st.session_state[Key.PLAN_ID] = pid
    st.success(f"已保存方案 #{pid}。")
if st.session_state.get(Key.PLAN_ID):
    page_link(PAGE_ITINERARY, label="查看行程")
