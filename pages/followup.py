"""回访跟踪: record a visit's outcome in a few taps on a phone, then feedback, clarification, rectification, 回访."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from sqlalchemy.orm.exc import StaleDataError

from pages.common import (
    PAGE_IMPORT,
    PAGE_SELECTION,
    Key,
    actor_name,
    current_actor,
    engine,
    guard,
    page_link,
    show_error,
    today,
)
from planner.domain import VisitOutcome, VisitResult, VisitType
from planner.errors import USER_ERRORS, ConflictError
from planner.followup.clarification import clarification_document, list_clarifications
from planner.followup.common import RETURN_VISIT, case_history
from planner.followup.deadlines import extend_deadline
from planner.followup.feedback import (
    FEEDBACK_CHANNELS,
    FEEDBACK_SIDES,
    FEEDBACK_SIDE_LABELS,
    acknowledge_feedback,
    feedback_for_case,
    missing_feedback,
    record_feedback,
)
from planner.followup.outcomes import record_outcome, record_settlement
from planner.followup.rectification import (
    add_rectification,
    complete_rectification,
    list_rectifications,
    overdue_rectifications,
)
from planner.followup.returns import list_followups, propose_return_visits
from planner.followup.worklist import visit_choices
from planner.followup.clarification import DEFAULT_ORGAN, ClarificationLetter, issue_clarification
from planner.store.database import session_scope

RESULTS = [r.value for r in VisitResult]
TRUTH = {"unknown": "未认定", "true": "属实", "false": "不实（需澄清）"}


OUTCOME_KEYS = ("fu_result", "fu_is_return", "fu_reason", "fu_resolved", "fu_truth", "fu_households", "fu_leads",
                "fu_solved", "fu_minutes", "fu_findings")
FEEDBACK_KEYS = ("fu_fb_recipient", "fu_fb_content", "fu_fb_ack")
CLARIFY_KEYS = ("fu_cl_cadre", "fu_cl_title", "fu_cl_matter", "fu_cl_finding", "fu_cl_addressee", "fu_cl_no")
RECT_KEYS = ("fu_rx_item", "fu_rx_owner", "fu_rx_due")


def _run(action, success: str, clear: tuple[str, ...] = ()) -> None:
    """Run ``action(session)`` in one transaction, then rerun so every list shows the change; errors are shown.

    ``clear`` names the form's widget keys, emptied after a successful save so the next entry starts blank.
    """
    try:
        with session_scope(engine()) as session:
            extra = action(session)
    except USER_ERRORS as exc:
        show_error(exc)
        return
    except StaleDataError:
        show_error(ConflictError("该信访件刚被他人修改 (the record was changed by someone else)"))
        return
    st.session_state[Key.FLASH] = success + (extra if isinstance(extra, str) else "")
    for key in clear:
        st.session_state.pop(key, None)
    st.rerun()


st.title("回访跟踪")
if flash := st.session_state.pop(Key.FLASH, None):
    st.success(flash)
actor = current_actor()
who = actor_name() or "demo"
day = today()
try:
    if getattr(actor, "role", None) is not None and type(actor).__name__ == "Actor":
        from planner.office.security import require

        require(actor, "record_outcome")
except USER_ERRORS as exc:
    show_error(exc)
    st.stop()

# Officers see their own teams' visits; leaders and coordinators see every team's.
my_teams = tuple(getattr(actor, "team_ids", ()) or ()) if getattr(actor, "role", "") == "officer" else ()
with session_scope(engine()) as session:
    choices = visit_choices(session, day, team_ids=my_teams, actor=actor)
guard(choices, "没有可登记的信访件。请先导入信访件并排定下访计划。", PAGE_IMPORT)

by_no = {c.case_no: c for c in choices}
options = list(by_no)
current = st.session_state.get(Key.FOLLOWUP_CASE)
if current not in by_no:
    current = options[0]
case_no = st.selectbox("信访件", options, index=options.index(current), format_func=lambda n: by_no[n].option_label(),
                       key="fu_case")
st.session_state[Key.FOLLOWUP_CASE] = case_no
choice = by_no[case_no]
st.caption(" · ".join(p for p in (day.isoformat(), f"状态：{choice.status.label}", choice.deadline_text(day),
                                  "待回访" if choice.is_return else "") if p))

tab_outcome, tab_feedback, tab_clarify, tab_rect, tab_return = st.tabs(["走访结果", "双反馈", "澄清", "整改", "回访"])

with tab_outcome:
    result = st.radio("结果", RESULTS, format_func=lambda r: VisitResult(r).label, horizontal=True, key="fu_result")
    is_return = st.toggle("本次为回访", value=choice.is_return, key="fu_is_return")
    reason = ""
    if result != VisitResult.VISITED.value:
        reason = st.text_input("原因（未找到 / 改期）", key="fu_reason")
    resolved = st.toggle("问题已解决", key="fu_resolved", disabled=result != VisitResult.VISITED.value)
    truth = st.radio("反映问题", list(TRUTH), format_func=TRUTH.get, horizontal=True, key="fu_truth")
    c1, c2 = st.columns(2)
    households = c1.number_input("入户走访（次）", min_value=0, step=1, key="fu_households")
    leads = c2.number_input("收集线索（条）", min_value=0, step=1, key="fu_leads")
    c3, c4 = st.columns(2)
    solved = c3.number_input("解决问题（个）", min_value=0, step=1, key="fu_solved")
    minutes = c4.number_input("用时（分钟）", min_value=0, step=10, value=60, key="fu_minutes")
    findings = st.text_area("核查情况", key="fu_findings", height=100)
    if st.button("保存走访结果", type="primary", key="fu_save", width="stretch"):
        def _save(session) -> None:
            outcome = VisitOutcome(
                case_no=case_no, visit_date=day, result=result, team_id=choice.team_id, reason=reason,
                findings=findings, problem_resolved=bool(resolved) and result == VisitResult.VISITED.value,
                report_true={"unknown": None, "true": True, "false": False}[truth],
                households_visited=int(households), leads_collected=int(leads), problems_solved=int(solved),
                time_spent_min=int(minutes), recorded_by=who,
            )
            record_outcome(session, outcome, who=who, plan_id=choice.plan_id,
                              visit_type=VisitType.RETURN if is_return else VisitType.INVESTIGATION)
            return " 反映不实：可在“澄清”页出具澄清函。" if truth == "false" else ""

        _run(_save, f"已保存 {case_no} 的走访结果。", OUTCOME_KEYS)

    with st.expander("息诉息访 / 延期"):
        terms = st.text_area("息诉息访协议要点", key="fu_settle_terms")
        if st.button("登记息诉息访协议", key="fu_settle"):
            _run(lambda s: record_settlement(s, case_no, agreed_date=day, terms=terms, who=who),
                 f"{case_no} 已签订息诉息访协议，已办结。")
        ext_days = st.number_input("延期天数（最多 30 天，仅一次）", min_value=1, max_value=30, value=30,
                                   key="fu_ext_days")
        ext_reason = st.text_input("延期理由", key="fu_ext_reason")
        if st.button("延长办理期限", key="fu_extend"):
            _run(lambda s: extend_deadline(s, case_no, int(ext_days), who=who, reason=ext_reason),
                 f"{case_no} 办理期限已延长 {int(ext_days)} 天。")

    with session_scope(engine()) as session:
        history = case_history(session, case_no)
    if history:
        st.caption("办理记录")
        st.dataframe(pd.DataFrame([{"时间": h.at.strftime("%Y-%m-%d %H:%M"), "人员": h.who, "事项": h.action,
                                    "说明": h.detail.get("note") or h.detail.get("result") or ""}
                                   for h in history]),
                     hide_index=True, width="stretch", key="fu_history")

with tab_feedback:
    side = st.radio("反馈对象", list(FEEDBACK_SIDES), format_func=FEEDBACK_SIDE_LABELS.get, horizontal=True,
                    key="fu_fb_side")
    channel = st.selectbox("方式", list(FEEDBACK_CHANNELS), key="fu_fb_channel")
    # The petitioner's name is personal data kept apart from cases: feedback to them is recorded without it.
    recipient = st.text_input("接收单位", key="fu_fb_recipient") if side == "government" else ""
    fb_content = st.text_area("反馈内容", key="fu_fb_content", height=80)
    ack = st.checkbox("对方已确认收到", key="fu_fb_ack")
    if st.button("保存反馈", type="primary", key="fu_fb_save", width="stretch"):
        _run(lambda s: record_feedback(s, case_no, side, feedback_date=day, channel=channel, content=fb_content,
                                          recipient=recipient, acknowledged=ack, who=who),
             f"已记录对{FEEDBACK_SIDE_LABELS[side]}的反馈。", FEEDBACK_KEYS)
    with session_scope(engine()) as session:
        records = feedback_for_case(session, case_no)
        missing = missing_feedback(session, actor=actor)
    done_sides = {r.side for r in records}
    st.markdown(" · ".join(f"{FEEDBACK_SIDE_LABELS[s]}：{'✅ 已反馈' if s in done_sides else '⬜ 未反馈'}"
                           for s in FEEDBACK_SIDES))
    if records:
        st.dataframe(pd.DataFrame([{"对象": r.side_label, "日期": r.feedback_date.isoformat(), "方式": r.channel,
                                    "接收人": r.recipient, "内容": r.content,
                                    "已确认": "是" if r.acknowledged else "否"}
                                   for r in records]), hide_index=True, width="stretch", key="fu_fb_table")
        unacked = [r for r in records if not r.acknowledged]
        if unacked:
            pick = st.selectbox("标记已确认", [r.feedback_id for r in unacked], key="fu_fb_pick",
                                format_func=lambda i: next(f"{r.side_label} {r.feedback_date.isoformat()}"
                                                           for r in unacked if r.feedback_id == i))
            version = next(r.version for r in unacked if r.feedback_id == pick)
            if st.button("确认收到", key="fu_fb_ack_btn"):
                _run(lambda s: acknowledge_feedback(s, pick, who=who, expected_version=version), "已标记确认。")
    st.caption(f"双反馈缺项：{len(missing)} 件")
    if missing:
        st.dataframe(pd.DataFrame([{"编号": m.case_no, "县区": m.county, "状态": m.status.label,
                                    "缺": m.missing_labels(), "摘要": m.summary} for m in missing]),
                     hide_index=True, width="stretch", key="fu_missing")

with tab_clarify:
    cadre = st.text_input("被澄清干部姓名", key="fu_cl_cadre")
    cadre_title = st.text_input("职务", key="fu_cl_title")
    matter = st.text_area("被反映的问题", key="fu_cl_matter", height=70)
    finding = st.text_area("调查认定的事实", key="fu_cl_finding", height=70)
    addressee = st.text_input("主送单位", key="fu_cl_addressee")
    organ = st.text_input("发文机关", value=DEFAULT_ORGAN, key="fu_cl_organ")
    doc_no = st.text_input("文号（可空）", key="fu_cl_no")
    if st.button("生成并登记澄清函", type="primary", key="fu_cl_issue", width="stretch"):
        def _issue(session) -> None:
            letter = ClarificationLetter(cadre=cadre, cadre_title=cadre_title, matter=matter, finding=finding,
                                         addressee=addressee, issued_date=day, issuing_organ=organ,
                                         document_no=doc_no)
            issue_clarification(session, case_no, letter, who=who)

        _run(_issue, "澄清函已生成并登记，案件标记为已澄清。", CLARIFY_KEYS)
    with session_scope(engine()) as session:
        letters = list_clarifications(session, case_no)
        docs = {c["id"]: clarification_document(session, c["id"]) for c in letters if c["has_document"]}
    for c in letters:
        if c["id"] in docs:
            name, data = docs[c["id"]]
            st.download_button(f"下载 {name}", data, file_name=name, key=f"fu_cl_dl_{c['id']}",
                               mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")

with tab_rect:
    item = st.text_area("整改事项", key="fu_rx_item", height=70)
    owner = st.text_input("责任单位 / 责任人", key="fu_rx_owner")
    due = st.date_input("整改期限", value=day + dt.timedelta(days=30), key="fu_rx_due")
    if st.button("添加整改事项", key="fu_rx_add", width="stretch"):
        _run(lambda s: add_rectification(s, case_no, item=item, owner=owner, due_date=due, who=who),
             "已添加整改事项。", RECT_KEYS)
    with session_scope(engine()) as session:
        items = list_rectifications(session, case_no=case_no)
        overdue = overdue_rectifications(session, day, actor=actor)
    open_items = [r for r in items if not r.done]
    if items:
        st.dataframe(pd.DataFrame([{"事项": r.item, "责任单位": r.owner, "期限": r.due_date.isoformat(),
                                    "状态": "已完成" if r.done else ("已逾期" if r.is_overdue(day) else "整改中")}
                                   for r in items]), hide_index=True, width="stretch", key="fu_rx_table")
    if open_items:
        rx = st.selectbox("完成的事项", [r.rect_id for r in open_items], key="fu_rx_pick",
                          format_func=lambda i: next(r.item for r in open_items if r.rect_id == i))
        rx_version = next(r.version for r in open_items if r.rect_id == rx)
        if st.button("标记整改完成", key="fu_rx_done"):
            _run(lambda s: complete_rectification(s, rx, done_date=day, who=who, expected_version=rx_version),
                 "已标记整改完成。")
    st.caption(f"全部逾期整改事项：{len(overdue)} 项")
    if overdue:
        st.dataframe(pd.DataFrame([{"编号": r.case_no, "事项": r.item, "责任单位": r.owner,
                                    "期限": r.due_date.isoformat(), "逾期天数": r.days_overdue(day)}
                                   for r in overdue]), hide_index=True, width="stretch", key="fu_rx_overdue")

with tab_return:
    st.caption("问题化解或整改期限届满后，按设置的天数（默认 30 天）自动提出回访，优先安排首次下访的检查组。")
    if st.button("检查并生成回访建议", key="fu_propose", width="stretch"):
        _run(lambda s: f"新增 {len(propose_return_visits(s, day))} 条。", "已检查回访建议，")
    with session_scope(engine()) as session:
        tasks = list_followups(session, actor=actor)
    if tasks:
        st.dataframe(pd.DataFrame([{"编号": i.task.case_no,
                                    "类型": "回访" if i.task.kind == RETURN_VISIT else "整改回访",
                                    "到期": i.task.due_date.isoformat(), "建议检查组": i.task.preferred_team_id,
                                    "地点": i.label, "说明": i.task.description} for i in tasks]),
                     hide_index=True, width="stretch", key="fu_tasks")
        page_link(PAGE_SELECTION, label="到选件中安排回访", icon=":material/checklist:")
    else:
        st.info("暂无待办回访。")
