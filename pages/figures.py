"""统计: 带信下访 figures by county, town, period, team and category, trend charts and an Excel download."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from pages.common import PAGE_STATISTICS, Key, engine, live_download, page_actor, show_error, today
from planner.errors import USER_ERRORS
from planner.followup.stats import (
    DIMENSIONS,
    FIGURE_KEYS,
    FIGURE_LABELS,
    PERIODS,
    Stats,
    compute_stats,
    records_version,
    stats_to_excel,
)
from planner.followup.stats_visits import VISIT_KEYS, VISIT_LABELS
from planner.intake.register_export import register_size, register_xlsx
from planner.office.authorisation import is_allowed, team_scope
from planner.office.security import MIN_REASON_CHARS
from planner.store.database import session_scope


@st.cache_data(ttl=300, show_spinner="正在统计……")
def cached_stats(url: str, start: dt.date, end: dt.date, by: tuple[str, ...], period: str,
                 counties: tuple[str, ...], actor: object, version: str) -> Stats:
    """The figures ``actor`` may see for the range, cached until a record they come from changes (``version``)."""
    with session_scope(engine()) as session:
        return compute_stats(session, start=start, end=end, by=by, period=period, county_codes=counties,
                             actor=actor, today=today())


@st.cache_resource(show_spinner=False)
def county_names() -> dict[str, str]:
    """County code -> name of the 11 county-level units (read-only reference data)."""
    import geodata

    return {c.code: c.name for c in geodata.counties()}


st.title("统计")
actor = page_actor(PAGE_STATISTICS)
st.caption("带信下访件数、推动解决问题、入户走访、收集问题线索、解决问题、澄清、重复信访化解——全部由登记的走访结果计算；"
           "另列认定结果、按类别的收件数和逾期未办结件数。")
if (scope := team_scope(actor)) is not None:
    # A leader's or officer's figures are their teams' only: said first, so nobody reports them as the office's
    # (walk D: a leader read 带信下访 2 under 全部县区 while the office had 4).
    from planner.store.teams import load_teams

    with session_scope(engine()) as session:
        named = {t.team_id: t.name for t in load_teams(session, active_only=False)}
    teams = "、".join(named.get(t, t) for t in sorted(scope)) or "（未分配检查组）"
    st.info(f"统计范围：本人所在或负责的检查组（{teams}）登记的走访结果，不是全单位的数字；"
            "全单位的统计由协调员或管理员查看。", icon=":material/filter_alt:")

day = today()
c1, c2 = st.columns(2)
start = c1.date_input("起始日期", value=dt.date(day.year, 1, 1), key="st_from")
end = c2.date_input("截止日期", value=day, key="st_to")
c3, c4 = st.columns(2)
by = c3.multiselect("分组", list(DIMENSIONS), default=["county"], format_func=DIMENSIONS.get, key="st_by",
                   placeholder="不分组")
period = c4.selectbox("期间", list(PERIODS), format_func=PERIODS.get, key="st_period")
names = county_names()
counties = st.multiselect("县区范围", list(names), format_func=names.get, key="st_county",
                          placeholder="全部县区")

try:
    with session_scope(engine()) as session:
        version = records_version(session)
    stats = cached_stats(str(engine().url), start, end, tuple(by), period, tuple(counties), actor, version)
except USER_ERRORS as exc:
    show_error(exc)
    st.stop()
st.session_state[Key.STATS] = stats

cols = st.columns(4)
for i, key in enumerate(FIGURE_KEYS):
    cols[i % 4].metric(FIGURE_LABELS[key], f"{stats.totals[key]:,}")
st.caption(stats.summary())

st.subheader("分组统计")
if stats.rows:
    # Walk 3: at 1366 px the scrolling grid hid its last columns and the 合计 row. A plain table wraps its headers
    # and shows every row, 合计 last and in bold.
    table = pd.DataFrame(stats.table(), columns=stats.headers())
    st.table(table.style.hide(axis="index")
             .apply(lambda row: ["font-weight: bold" if row.name == len(table) - 1 else ""] * len(row), axis=1)
             .apply(lambda col: [f"min-width: {min(max(map(len, col.astype(str))), 10) + 1}em"] * len(col),
                    subset=list(table.columns[:max(len(by), 1)])))
else:
    st.info("所选期间没有登记的走访、澄清或息诉息访记录。")

if (visits := stats.visits) is not None:
    # Walk W12: only 已走访 was counted anywhere; visits that found nobody (未找到) or were put off (改期) were not.
    st.subheader("走访结果")
    st.caption(visits.summary() + "同一件走访两次计两次；带信下访件数只计一次。")
    vcols = st.columns(len(VISIT_KEYS))
    for i, key in enumerate(VISIT_KEYS):
        vcols[i].metric(VISIT_LABELS[key], f"{visits.totals[key]:,}")
    if visits.rows and by:
        vtable = pd.DataFrame(visits.table(), columns=[*(DIMENSIONS[d] if d != "period" else
                                                         f"期间（{PERIODS[period]}）" for d in by),
                                                       *(VISIT_LABELS[k] for k in VISIT_KEYS)])
        st.table(vtable.style.hide(axis="index")
                 .apply(lambda row: ["font-weight: bold" if row.name == len(vtable) - 1 else ""] * len(row), axis=1))

if (extras := stats.extras) is not None:
    # Walk 3: no figures by finding, none for letters received by category, no overdue count.
    st.subheader("认定结果、收件和逾期")
    st.caption(extras.summary())
    f1, f2 = st.columns(2)
    with f1:
        st.markdown("**认定结果（统计期内走访的信访件）**")
        st.table(pd.DataFrame(extras.findings_table(), columns=["认定结果", "件数"]).style.hide(axis="index"))
        st.metric(f"逾期未办结（件，截至 {extras.today.isoformat()}）", f"{extras.overdue:,}")
    with f2:
        st.markdown("**收到信访件（按类别）**")
        st.table(pd.DataFrame(extras.received_table(), columns=["类别", "件数"]).style.hide(axis="index"))
        if note := extras.category_note():  # walk W25: the register's own words, read as categories or kept
            st.caption(note)
    # Walk W23: letters received by county and how many are still open were on 首页 only, for all time.
    st.markdown("**收到信访件（按县区，按当前办理状态）**")
    st.table(pd.DataFrame(extras.county_table(), columns=["县区", "收件", "未办结", "已办结（含化解、澄清）"])
             .style.hide(axis="index"))

st.subheader(f"趋势（按{PERIODS[period]}）")
# Altair with a title on every chart and Chinese axis titles (Streamlit's own charts show none).
periods = [r.keys[0] for r in stats.trend]
trend_keys = ("letters_taken_down", "cases_resolved", "clarifications_issued")
trend_long = pd.DataFrame(
    [{"期间": p, "指标": FIGURE_LABELS[k], "数量": r.figures[k]} for p, r in zip(periods, stats.trend, strict=True)
     for k in trend_keys],
    columns=["期间", "指标", "数量"],
)
# Counts are whole numbers: integer ticks (an empty period drew a "0.000000" tick).
COUNT_AXIS = alt.Axis(format="d", tickMinStep=1)
st.altair_chart(
    alt.Chart(trend_long, title=f"带信下访件数、推动解决问题和澄清（按{PERIODS[period]}）")
    .mark_line(point=True)
    .encode(x=alt.X("期间:N", sort=periods, title="期间"), y=alt.Y("数量:Q", title="数量", axis=COUNT_AXIS),
            color=alt.Color("指标:N", title="指标", sort=[FIGURE_LABELS[k] for k in trend_keys]),
            tooltip=["期间", "指标", "数量"]),
    width="stretch",
    key="st_chart_trend",
)
households = FIGURE_LABELS["household_visits"]
st.altair_chart(
    alt.Chart(pd.DataFrame({"期间": periods, households: [r.figures["household_visits"] for r in stats.trend]}),
              title=f"{households}（按{PERIODS[period]}）")
    .mark_bar()
    .encode(x=alt.X("期间:N", sort=periods, title="期间"),
            y=alt.Y(f"{households}:Q", title=households, axis=COUNT_AXIS),
            tooltip=["期间", households]),
    width="stretch",
    key="st_chart_households",
)
if stats.rows and by and by[0] != "period":
    taken = FIGURE_LABELS["letters_taken_down"]
    groups = [" / ".join(r.keys) for r in stats.rows]
    st.altair_chart(
        alt.Chart(pd.DataFrame({DIMENSIONS[by[0]]: groups,
                                taken: [r.figures["letters_taken_down"] for r in stats.rows]}),
                  title=f"{taken}（按{DIMENSIONS[by[0]]}）")
        .mark_bar()
        # The table's order (the official county order), not the alphabet.
        .encode(x=alt.X(f"{DIMENSIONS[by[0]]}:N", sort=groups, title=DIMENSIONS[by[0]]),
                y=alt.Y(f"{taken}:Q", title=taken, axis=COUNT_AXIS), tooltip=[DIMENSIONS[by[0]], taken]),
        width="stretch",
        key="st_chart_groups",
    )

if is_allowed(actor, "export"):
    st.download_button(
        "下载 Excel",
        # Built when clicked, after the session is re-checked (a stopped or demoted account gets no file).
        live_download(lambda: stats_to_excel(stats), actor, st.session_state.get(Key.SESSION_TOKEN), engine()),
        file_name=f"带信下访统计-{start.isoformat()}-{end.isoformat()}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="st_download", on_click="ignore",
    )
    # The register back out: every case the account may see (a leader: their teams' and the unplanned pool),
    # every column the office's register had, identities as 已隐去. Built when clicked, after the session is
    # re-checked, so a signed-out or demoted account gets no file.
    with session_scope(engine()) as session:
        n_cases = register_size(session, actor=actor)
    if n_cases:
        eng = engine()

        def _register() -> bytes:
            from planner.office import audit

            with session_scope(eng) as s:
                data = register_xlsx(s, actor=actor)
                audit.record(s, actor, "export", detail={"what": "register", "cases": register_size(s, actor=actor)})
                return data

        st.subheader("导出登记表")
        st.caption(f"可导出 {n_cases:,} 件信访件：登记表的全部列（按本系统的列名，本单位自有的列原样附后）、类别依据，"
                   "以及每件的定位方式（登记表坐标、人工校准或估计的驻地点）和可能偏差；"
                   "信访人姓名、电话、身份证号写作“已隐去”；反映内容、备注等文字中的身份证号、电话和信访人姓名同样隐去。")
        st.download_button(
            "下载登记表（Excel）",
            live_download(_register, actor, st.session_state.get(Key.SESSION_TOKEN), eng),
            file_name=f"信访件登记表-{day.isoformat()}.xlsx", on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="st_register_download",
        )

# --- each letter visited, one row a visit (walk W15: only counts and 办理状态 could be downloaded). Every role that
# sees 统计 gets its own teams' visits; identities 已隐去 unless an account that may unmask gives a reason (audited).
_eng = engine()
st.subheader("导出走访结果")
st.caption(f"{start.isoformat()} 至 {end.isoformat()} "
           + ("全单位" if team_scope(actor) is None else "本人所在或负责的检查组")
           + "登记的每次走访一行：编号、县区乡镇村、走访日期、检查组和干部、走访结果、认定、入户户次、核查情况、"
             "双反馈日期、澄清函和回访到期；信访人姓名、电话、身份证号写作“已隐去”，核查情况中的身份证号、电话和信访人姓名同样隐去。")
_unmask, _reason = False, ""
if is_allowed(actor, "unmask"):
    _unmask = st.toggle("导出完整姓名、电话和身份证号（记入审计日志；信访人要求保密的信访件仍不附）",
                        key="st_out_unmask")
    if _unmask:
        _reason = st.text_input(f"理由（必填，至少 {MIN_REASON_CHARS} 个字）", key="st_out_reason").strip()
        if len(_reason) < MIN_REASON_CHARS:
            st.warning(f"导出完整身份须先填写理由（至少 {MIN_REASON_CHARS} 个字）。")


def _outcomes() -> bytes:
    from planner.followup.outcome_export import outcomes_xlsx

    with session_scope(_eng) as s:
        return outcomes_xlsx(s, actor=actor, start=start, end=end, unmask=_unmask, reason=_reason)


st.download_button(
    "下载走访结果（Excel）",
    live_download(_outcomes, actor, st.session_state.get(Key.SESSION_TOKEN), _eng),
    file_name=f"走访结果-{start.isoformat()}-{end.isoformat()}" + ("_含信访人身份" if _unmask else "") + ".xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="st_outcomes_download",
    on_click="ignore", disabled=_unmask and len(_reason) < MIN_REASON_CHARS,
)
