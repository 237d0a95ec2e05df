"""首页: today's figures — letters by county and by status, deadlines at risk or overdue, follow-up to do (overdue
整改, 回访 due, 双反馈 gaps), plans in progress."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import (
    PAGE_CASE_MAP,
    PAGE_FOLLOWUP,
    PAGE_HOME,
    PAGE_IMPORT,
    PAGE_ITINERARY,
    PAGE_PLANNING,
    clear_after,
    engine,
    guard,
    no_cases,
    page_actor,
    page_link,
    today,
    visible_cases,
)
from planner.field.day import NO_TEAM_ITINERARY
from planner.field.late_days import late_days
from planner.followup.common import at_risk_horizon_days
from planner.followup.feedback import missing_feedback
from planner.followup.overview import OUTSIDE_LABEL, overview, plans_in_progress
from planner.followup.rectification import overdue_rectifications
from planner.followup.returns import RETURN_VISIT, list_followups
from planner.followup.revisits import waiting_revisits
from planner.intake.outside_city import OUTSIDE_SHORT, OUTSIDE_TODO, outside_among
from planner.office.authorisation import is_allowed, team_scope
from planner.office.privacy import md_text
from planner.store.cases import masked_summaries
from planner.store.database import session_scope
from planner.store.lifecycle import account_label
from planner.store.register_fields import category_labels

st.title("首页")
actor = page_actor(PAGE_HOME)
day = today()
st.caption(f"今天 {day.isoformat()}")

# Walk W26: on the trip's second day nothing here said the day before still had stops 待登记 (no outcome recorded):
# each earlier day of an issued or running plan with such stops is named, one tap opening it on 行程.
with session_scope(engine()) as session:
    lates = late_days(session, actor, day)
scope = team_scope(actor)
for n, late in enumerate(lates[:5]):  # a team's name said to who sees several teams
    st.warning(md_text(late.text(day, team=scope is None or len(scope) > 1)), icon=":material/pending_actions:")
    if st.button(late.button_text(day), key=f"home_late_{n}", icon=":material/edit_note:", width="stretch"):
        clear_after("select")  # no plan in the session: 行程 opens the day the address names
        st.switch_page(PAGE_ITINERARY, query_params={"plan": str(late.day.plan_id), "team": late.day.team_id,
                                                     "day": late.day.date.isoformat()})
if len(lates) > 5:
    st.caption(f"另有 {len(lates) - 5} 个检查组日的走访点未登记结果，可在行程中选择日期查看。")

with session_scope(engine()) as session:
    cases = visible_cases(session, actor)
    outside = outside_among(session)  # with the region each one's note names (an empty address)
    # The office's 期限预警 from 设置 (default 10 days), as 回访跟踪 and 案件地图 count it.
    at_risk_days = at_risk_horizon_days(session)
    plans = plans_in_progress(session, actor=actor)
    makers = {p.created_by: account_label(session, p.created_by) for p in plans}

# An officer sees the letters of their team's routes: with none, the team waits for its leader's plan, and neither
# 导入 nor 路线规划 is theirs to open. Who plans keeps the hint of what to do first.
plans_here = is_allowed(actor, "plan")
guard(cases, no_cases(actor) if plans_here else "没有可查看的信访件。" + NO_TEAM_ITINERARY, PAGE_IMPORT)
ov = overview(cases, today=day, at_risk_days=at_risk_days, outside=outside)
far = sum(c.letters for c in ov.counties if c.name == OUTSIDE_LABEL)

c1, c2, c3, c4 = st.columns(4)
c1.metric("信访件", f"{ov.letters:,}")
if far:  # a letter about a place outside Zhangzhou is kept and counted, in a row of its own
    c1.caption(f"其中{OUTSIDE_LABEL} {far} 件")
c2.metric("未办结", f"{ov.open:,}")
c3.metric(f"临近期限（{at_risk_days} 天内）", f"{ov.at_risk:,}")
c4.metric("已超期", f"{ov.overdue:,}")

left, right = st.columns([3, 2])
with left:
    st.subheader("各区县信访件")
    county_df = pd.DataFrame(
        [
            {"区县": c.name, "信访件": c.letters, "未办结": c.open, "临近期限": c.at_risk,
             "已超期": c.overdue}
            for c in ov.counties
        ]
    )
    # Tall enough for every county (12 rows incl. 未定位, 13 with 市外) without an inner scrollbar.
    # Wide enough for 市外（转外地办理） in full (the narrow default cut it to 市外（转外地办）.
    st.dataframe(county_df, hide_index=True, width="stretch", height=35 * (len(county_df) + 1) + 3,
                 key="home_counties", column_config={"区县": st.column_config.TextColumn(width="medium")})
    page_link(PAGE_CASE_MAP, label="在案件地图上查看", icon=":material/map:")
with right:
    st.subheader("办理状态")
    status_df = pd.DataFrame([{"状态": s.label, "件数": n} for s, n in ov.by_status])
    st.dataframe(status_df, hide_index=True, width="stretch", key="home_status")

st.subheader("期限预警")
if ov.urgent:
    with session_scope(engine()) as session:
        summaries = masked_summaries(session, ov.urgent[:50], 40)
        # The register's word, as 选件 and 案件地图 read it (三资管理（按村务财务统计）), not the stored category alone.
        category_words = category_labels(session, [c.case_no for c in ov.urgent[:50]], grouped=True)
    # A letter outside Zhangzhou keeps its deadline, for 转外地办理: named so, never as a visit the office owes.
    urgent_df = pd.DataFrame(
        [
            {
                "编号": c.case_no,
                "区县": outside.place(c.case_no, c.address_text) if c.case_no in outside else c.location.county,
                "类别": category_words.get(c.case_no, c.category),
                "办理期限": c.due_date().isoformat(),
                "剩余天数": c.days_left(day),
                "状态": c.status.label,
                "摘要": summaries[c.case_no],
            }
            for c in ov.urgent[:50]
        ]
    )
    far_urgent = sum(c.case_no in outside for c in ov.urgent)
    st.caption(f"已超期 {ov.overdue} 件，{at_risk_days} 天内到期 {ov.at_risk} 件（最紧急的 50 件）"
               + (f"；其中{OUTSIDE_SHORT} {far_urgent} 件地址不在漳州市，应在期限内{OUTSIDE_TODO}，不需走访"
                  if far_urgent else ""))
    st.dataframe(urgent_df, hide_index=True, width="stretch", key="home_urgent")
else:
    st.success("没有超期或临近期限的信访件。")

# Walk M: an overdue 整改, a 回访 due and a 双反馈 gap were found only on 回访跟踪, one letter at a time.
st.subheader("跟踪待办")
with session_scope(engine()) as session:
    late_fixes = overdue_rectifications(session, day, actor=actor)
    # Both kinds 回访跟踪 lists: a 回访 and a 整改回访 (the check after a rectification deadline) due by today.
    due_returns = list_followups(session, due_by=day, actor=actor)
    gaps = missing_feedback(session, actor=actor)
    # Walk W15: a visit put off to an agreed day (or not met) that no plan holds read 到期回访 0 here.
    waiting = list(waiting_revisits(session, actor=actor).values())
f1, f2, f3, f4 = st.columns(4)
f1.metric("逾期整改事项", f"{len(late_fixes):,}")
checks = sum(i.task.kind != RETURN_VISIT for i in due_returns)
f2.metric("到期回访", f"{len(due_returns):,}",
          help=f"回访 {len(due_returns) - checks} 件 · 整改回访 {checks} 件（到期或逾期）")
if checks:
    f2.caption(f"含整改回访 {checks} 件")
f3.metric("待再访", f"{len(waiting):,}",
          help="走访时记录为改期（约定日期）或未找到、目前没有计划安排再访的信访件；在回访跟踪“今日与回访”中列出")
if late := sum(w.late_days(day) > 0 for w in waiting):
    f3.caption(f"其中已逾期 {late} 件")
f4.metric("双反馈缺项", f"{len(gaps):,}")
if late_fixes or due_returns or waiting or gaps:
    page_link(PAGE_FOLLOWUP, label="去回访跟踪处理", icon=":material/assignment_turned_in:")

st.subheader("进行中的下访计划")
if plans:
    st.dataframe(
        pd.DataFrame(
            [
                # #id: two plans named by the same dates (a draft and an issued one) were told apart by nothing.
                {"计划": f"#{p.plan_id} {p.name}", "状态": p.status_label, "开始日期": p.start_date.isoformat(),
                 "天数": p.days, "制定人": makers.get(p.created_by, p.created_by)}
                for p in plans
            ]
        ),
        hide_index=True,
        width="stretch",
        key="home_plans",
    )
    page_link(PAGE_ITINERARY, label="查看行程", icon=":material/event_note:")
elif plans_here:
    st.info("暂无进行中的下访计划。")
    page_link(PAGE_PLANNING, label="去制定路线规划", icon=":material/route:")
else:
    st.info(NO_TEAM_ITINERARY)
