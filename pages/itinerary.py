"""行程: choose a saved plan, a team and a day; see the itinerary and download the field packet in every format."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
import streamlit as st

from pages.common import PAGE_ITINERARY, PAGE_PLANNING, Key, clear_after, engine, guard, page_actor, show_error
from planner import field as export
from planner.errors import USER_ERRORS, InputError
from planner.office.authorisation import filter_plan_for, is_allowed, team_scope

st.title("行程")
st.caption("按检查组和日期查看行程单，并下载 PDF 行程单、离线地图、日历、GPX/KML/GeoJSON、Excel 和整包。")
# Leaders and officers see only their own teams' routes: in the plan list, the team choice and every download.
actor = page_actor(PAGE_ITINERARY)


def _plans() -> list[tuple[int, str]]:
    """Saved plans as (id, label), newest first; empty when the plan store is not available."""
    try:
        from planner.store.database import session_scope
        from planner.store.plans import list_plans

        with session_scope(engine()) as session:
            rows = list_plans(session, actor=actor)
    except (ImportError, *USER_ERRORS):
        return []
    return [(r.plan_id, f"#{r.plan_id} {r.name}（{r.start_date} 起 {r.days} 天，{r.visits} 个走访点）") for r in rows]


def _load_saved(plan_id: int) -> Any:
    from planner.store.database import session_scope
    from planner.store.plans import load_plan

    with session_scope(engine()) as session:
        return load_plan(session, plan_id, actor=actor)


def _may_unmask(who: object) -> bool:
    try:
        from planner.office.security import unmask_allowed
    except ImportError:
        return False
    return type(who).__name__ == "Actor" and unmask_allowed(who)


# --- choose the plan: a saved one, the one in this session, or an uploaded plan.json
saved = _plans()
doc = st.session_state.get(Key.PLAN_DOC)
with st.expander("选择计划", expanded=doc is None):
    if saved:
        current = st.session_state.get(Key.PLAN_ID)
        # A plan made on 路线规划 but not saved yet stays choosable (None) next to the saved ones.
        options = ([None] if doc is not None and current is None else []) + [pid for pid, _ in saved]
        labels = {None: "当前计划（未保存）", **dict(saved)}
        pick = st.selectbox("已保存的计划", options, index=options.index(current) if current in options else 0,
                            format_func=labels.get, key="it_plan")
        if pick is not None and (pick != current or doc is None):
            try:
                doc = _load_saved(pick)
            except USER_ERRORS as exc:
                show_error(exc)
                st.stop()
            clear_after("plan")  # another plan: the team/day cursor starts again
            st.session_state[Key.PLAN_ID] = pick
            st.session_state[Key.PLAN_DOC] = doc
    # Uploading a plan.json is for those who plan (the matrix row of it_upload); officers open saved plans.
    may_upload = is_allowed(actor, "plan")
    upload = st.file_uploader("或上传 plan.json", type=["json"], key="it_upload") if may_upload else None
    if upload is not None:
        try:
            doc = export.load_document(json.loads(upload.getvalue().decode("utf-8")))
        except (*USER_ERRORS, UnicodeDecodeError, json.JSONDecodeError) as exc:
            show_error(exc if isinstance(exc, USER_ERRORS) else InputError(f"plan.json: {exc}"))
            st.stop()
        st.session_state[Key.PLAN_DOC] = doc
if doc is not None:
    doc = filter_plan_for(actor, doc)  # whatever the plan's source: only the routes of this account's teams
guard(doc is not None and doc.plan.routes, "还没有可查看的计划。请先在路线规划页生成并保存计划。", PAGE_PLANNING)

# --- team and day
teams = sorted({r.team_id for r in doc.plan.routes})
names = {t: (doc.teams[t].name if t in doc.teams else t) for t in teams}
cur_team = st.session_state.get(Key.ITINERARY_TEAM)
c1, c2 = st.columns(2)
team_id = c1.selectbox("检查组", teams, index=teams.index(cur_team) if cur_team in teams else 0,
                       format_func=names.get, key="it_team")
days = sorted(r.date for r in doc.plan.routes if r.team_id == team_id)
cur_day = st.session_state.get(Key.ITINERARY_DATE)
day = c2.selectbox("日期", days, index=days.index(cur_day) if cur_day in days else 0,
                   format_func=dt.date.isoformat, key="it_date")
st.session_state[Key.ITINERARY_TEAM] = team_id
st.session_state[Key.ITINERARY_DATE] = day

try:
    it = export.build_itinerary(doc, team_id, day)
except USER_ERRORS as exc:
    show_error(exc)
    st.stop()

# --- the day at a glance
st.subheader(it.title())
m1, m2, m3, m4 = st.columns(4)
m1.metric("出发", it.depart)
m2.metric("返回", it.return_)
m3.metric("走访点", len(it.stops))
m4.metric("午休", it.break_text() or "无")
st.write(f"成员：{it.members_text() or '—'}　驻地：{it.team.base_name or '—'}")

timeline = pd.DataFrame([{"时间": f"{r.start}-{r.end}" if r.start != r.end else r.start, "事项": r.text}
                         for r in it.timeline()])
st.dataframe(timeline, hide_index=True, width="stretch", key="it_timeline")

rows = []
for s in it.stops:
    links = export.nav_links(s.lon, s.lat, s.name())
    due = s.earliest_deadline()
    rows.append({"序号": s.seq, "到达": s.arrive, "走访": f"{s.start}-{s.end}", "地点": s.place(),
                 "案件": "；".join(c.case_no for c in s.cases), "摘要": s.summaries(),
                 "办理期限": due.isoformat() if due else "", "高德导航": links.amap_web})
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="it_stops",
             column_config={"高德导航": st.column_config.LinkColumn("高德导航", display_text="导航")})

# --- petitioner contacts in the files: masked by default; unmasking is for allowed roles, with a reason, audited
with st.expander("信访人联系方式"):
    contacts = st.toggle("在导出文件中附信访人联系方式（脱敏：张**、138****1234，不含身份证号）", key="it_contacts")
    unmask, reason = False, ""
    if contacts and _may_unmask(actor):
        unmask = st.toggle("导出完整姓名和电话（记入审计日志）", key="it_unmask")
        if unmask:
            reason = st.text_input("理由（必填，至少 4 个字）", key="it_reason").strip()
ready = not unmask or len(reason) >= 4
if not ready:
    st.warning("导出完整身份须先填写理由。")
eng = engine() if contacts else None


_session_token = st.session_state.get(Key.SESSION_TOKEN)  # the click is checked against this run's session
_live_engine = engine()


def _make(fmt: str, team: str | None = None, when: dt.date | None = None) -> bytes:
    """Render on demand (download click) once the live session is re-checked; contacts and audit from the database."""
    from pages.common import live_download

    live_download(lambda: None, actor, _session_token, _live_engine)()  # refused: the browser gets no file
    if eng is None:
        return export.export_plan(doc, fmt, team_id=team, date=when, actor=actor)
    from planner.store.database import session_scope

    with session_scope(eng) as session:
        return export.export_plan(doc, fmt, team_id=team, date=when, session=session, contacts=True, actor=actor,
                                  unmask=unmask, reason=reason)


# --- downloads: files are made only when a button is pressed
st.subheader("下载")
cols = st.columns(4)
for i, fmt in enumerate(["pdf", "html", "ics", "gpx", "kml", "geojson", "zip", "gpkg", "shp"]):
    cols[i % 4].download_button(
        export.LABELS[fmt], data=lambda f=fmt: _make(f, team_id, day), file_name=export.file_name(fmt, it),
        mime=export.FORMATS[fmt][1], key=f"it_dl_{fmt}", on_click="ignore", disabled=not ready,
    )
st.caption("整个计划：")
whole = "全部组和日期" if team_scope(actor) is None else "本人的组，全部日期"
p1, p2 = st.columns(2)
p1.download_button(
    f"Excel 汇总（{whole}）", data=lambda: _make("xlsx"), file_name=export.file_name("xlsx"),
    mime=export.FORMATS["xlsx"][1], key="it_dl_plan_xlsx", on_click="ignore", disabled=not ready,
)
p2.download_button(
    f"整包 zip（{whole}）", data=lambda: _make("zip"), file_name=export.file_name("zip"),
    mime=export.FORMATS["zip"][1], key="it_dl_plan_zip", on_click="ignore", disabled=not ready,
)
