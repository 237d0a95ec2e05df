"""回访跟踪: find any case, record or correct its visit, then feedback, clarification, rectification, 回访 and
documents."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from pages.common import (
    PAGE_FOLLOWUP,
    PAGE_IMPORT,
    PAGE_SELECTION,
    Key,
    actor_name,
    engine,
    guard,
    live_download,
    page_actor,
    page_link,
    show_error,
    today,
)
from pages.common_stale import form_version
from planner.domain import CaseStatus, VisitOutcome, VisitResult, VisitType, postponed_counts_refusal
from planner.errors import USER_ERRORS
from planner.followup.clarification import (
    DEFAULT_ORGAN,
    ClarificationLetter,
    clarification_document,
    clarification_refusal,
    correct_clarification,
    issue_clarification,
    list_clarifications,
)
from planner.followup.clarification_withdraw import letter_label, withdrawn_note
from planner.followup.common import case_history, describe_history, return_delay_days
from planner.followup.deadlines import extend_deadline
from planner.followup.feedback import (
    FEEDBACK_CHANNELS,
    FEEDBACK_SIDE_LABELS,
    FEEDBACK_SIDES,
    correct_feedback,
    feedback_for_case,
    missing_feedback,
    record_feedback,
)
from planner.followup.feedback_basis import correction_warning, side_states
from planner.followup.outcome_basis import CONFIRM_LABEL, outcome_grounds
from planner.followup.outcomes import (
    correct_outcome,
    default_visit_date,
    planned_visit,
    record_outcome,
    record_settlement,
    recorded_visit_note,
    resends_settled_with,
    resends_to_settle,
    stored_outcomes,
)
from planner.followup.rectification import (
    add_rectification,
    complete_rectification,
    correct_rectification,
    list_rectifications,
    overdue_rectifications,
)
from planner.followup.register_updates import mark_seen, settled_updates
from planner.followup.returns import RETURN_VISIT, list_followups, propose_return_visits
from planner.followup.solved_count import solved_after_tick, unsolved_count_note
from planner.followup.visit_order import second_first_note, visit_order_note
from planner.followup.worklist import SCOPES, case_choice, find_visit_choices, matches_query
from planner.office.authorisation import CaseRef, authorise, is_allowed
from planner.office.clock import show_time
from planner.office.privacy import md_text
from planner.store.database import session_scope
from planner.store.history import record_history

TABS = ("走访结果", "双反馈", "澄清", "整改", "回访", "文书")
PAGE_SIZE = 50
# 部分属实 is a finding of its own (walk 3): stored as 属实 (report_true) marked partly; a 澄清函 only for 不实.
TRUTH = {"unknown": "未认定", "true": "属实", "partly": "部分属实", "false": "不实（需澄清）"}
TRUTH_VALUE = {"unknown": None, "true": True, "partly": True, "false": False}
NEW = "new"
AFTER = "fu_after_save"  # session-state values to set on the rerun after a save
DROP = "__drop__"  # an AFTER value that removes the key (the form reloads from its record)
LETTER_ASKED = "fu_letter_asked"  # a 澄清函 asked for by its button, issued by the run the click starts
CL_FIELDS = {"cadre": "被澄清干部", "issued_date": "出具日期", "scope": "澄清范围"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _run(action, success: str, after: dict | None = None) -> None:
    """Run ``action(session)`` in one transaction, then rerun so every list shows the change; errors are shown and
    the form keeps what the user typed.

    ``action`` may return a note added to the message, or ``(note, {key: value})`` to set widget state on the next
    run (the record just saved); ``after`` sets such values too (a form emptied).
    """
    try:
        with session_scope(engine()) as session:
            extra = action(session)
    except USER_ERRORS as exc:
        show_error(exc)
        return
    note, sets = extra if isinstance(extra, tuple) else (extra, {})
    st.session_state[Key.FLASH] = success + (note if isinstance(note, str) else "")
    st.session_state[AFTER] = {**(after or {}), **sets}
    st.rerun()


def _settling(session, case_no: str, action, verb: str = "化解") -> str:
    """Run ``action()`` (a save that may settle ``case_no``) and say which re-sent letters of its repeat chain it
    settled along (walk 3: saving W3-038 resolved closed W3-039 and W3-040, and nothing said so)."""
    before = resends_to_settle(session, case_no)
    action()
    closed = resends_settled_with(session, case_no, before)
    return (f" 同一信访人的重复件 {'、'.join(closed)} 已随本件一并{verb}（办理记录注明“随前件 {case_no}”）。"
            if closed else "")


def _pick(label: str, options: list, *, key: str, format_func, **kwargs):
    """``st.selectbox`` whose box shows its choice's label as it is now.

    The browser keeps the text it was last sent for the chosen option (Streamlit sends the choice as its text only
    when the choice changes): a letter 已澄清 since, or an 整改 item completed, still read ``[已下访] PH-01`` or
    without （已完成） in the box while the list below it was right. When the chosen option's text changed since the
    last run, the choice is set again so that the new text is sent.
    """
    shown_key = key + "__shown"
    value, shown = st.session_state.get(key), st.session_state.get(shown_key)
    if value in options and shown is not None and shown[0] == value and shown[1] != format_func(value):
        st.session_state[key] = value
    chosen = st.selectbox(label, options, key=key, format_func=format_func, **kwargs)
    st.session_state[shown_key] = (chosen, format_func(chosen)) if chosen in options else None
    return chosen


def _init(key: str, value) -> str:
    """Give a widget its record's value the first time it is drawn (later reruns keep what the user typed)."""
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def _form_keys(prefix: str) -> dict[str, str]:
    """Drop every widget of a record's form after it was saved, so it reloads the saved record."""
    return {k: DROP for k in list(st.session_state) if isinstance(k, str) and k.startswith(prefix)}


def _stale(prefix: str, version: int, kind: str, record_id: int) -> int:
    """The version the form was loaded at; when someone else moved the record on since, say so and offer to reload
    (the user's own save reloads it quietly: walk W17, pages.common_stale)."""
    seen, moved = form_version(prefix, version, kind, record_id, who)
    if moved:
        st.warning(f"这条记录已被他人修改（现为第 {version} 版，表单载入的是第 {seen} 版）。"
                   "保存会被拒绝；你填写的内容仍在表单中，可先记下再载入最新记录。")
        if st.button("载入最新记录", key=prefix + "reload"):
            st.session_state[AFTER] = _form_keys(prefix)
            st.rerun()
    return seen


def _reset_page() -> None:
    st.session_state["fu_page"] = 1


def _team_names() -> dict[str, str]:
    """Every team's name by its code (a record names its team by code)."""
    from planner.store.teams import load_teams

    with session_scope(engine()) as session:
        return {t.team_id: t.name or t.team_id for t in load_teams(session, active_only=False)}


def _people() -> dict[str, str]:
    """How history lines name people: 林干部（ganbu3）, not the bare account."""
    from planner.store.lifecycle import account_labels

    with session_scope(engine()) as session:
        return account_labels(session)


def _history_table(kind: str, record_id: int, key: str) -> None:
    with session_scope(engine()) as session:
        changes = record_history(session, kind, record_id)
    if changes:
        st.caption("修改记录")
        names = _team_names()
        people = _people()
        st.dataframe(pd.DataFrame([{"时间": show_time(c.at), "人员": people.get(c.who, c.who),
                                    "内容": c.describe(names)} for c in changes]),
                     hide_index=True, width="stretch", key=key)


def _ask_letter(case_no: str, k: str) -> None:
    """Button callback of 生成并登记澄清函: keep the form (widget keys ``k`` + field) as a letter asked for, which the
    run this click starts issues once the login gate has re-read the account, before anything is drawn
    (:data:`LETTER_ASKED`)."""
    st.session_state[LETTER_ASKED] = (case_no, k, {f: str(st.session_state.get(k + f) or "") for f in (
        "cadre", "title", "matter", "finding", "addressee", "organ", "no")})


def _issue_asked(case_no: str, k: str, v: dict[str, str]) -> None:
    """Issue and register the 澄清函 asked for by :func:`_ask_letter` as ``actor`` (as the page now reads it), say so
    and empty the form; a refusal is kept under ``k + "failed"`` for the form, what was typed stays in it."""
    try:
        letter = ClarificationLetter(cadre=v["cadre"], cadre_title=v["title"], matter=v["matter"],
                                     finding=v["finding"], addressee=v["addressee"], issued_date=day,
                                     issuing_organ=v["organ"], document_no=v["no"])
        with session_scope(engine()) as session:
            authorise(actor, "record_outcome", CaseRef(case_no), session=session)
            note = _settling(session, case_no, lambda: issue_clarification(session, case_no, letter, who=who), "澄清")
    except USER_ERRORS as exc:
        st.session_state[k + "failed"] = exc
        return
    st.success(f"澄清函已生成并登记（{v['title']}{v['cadre']}），{case_no} 标记为已澄清；可随时在本页或“文书”中下载。"
               + note)
    for f in ("cadre", "title", "matter", "finding", "addressee", "no"):
        st.session_state[k + f] = ""


st.title("回访跟踪")
if flash := st.session_state.pop(Key.FLASH, None):
    st.success(flash)
actor = page_actor(PAGE_FOLLOWUP)
who = actor_name() or "demo"
day = today()
# What the last save asked to show next (the record just saved, a form emptied): applied before any widget exists.
for _key, _value in st.session_state.pop(AFTER, {}).items():
    if _value == DROP:
        st.session_state.pop(_key, None)
    else:
        st.session_state[_key] = _value
# 生成并登记澄清函 (walk: its download button was once missing until a reload): the letter is issued here, after the
# login gate and before the case, its 状态 and its tabs are drawn, so this same run shows it 已澄清 with its button
# (it was issued in the 澄清 tab, after all that was drawn from the state before, and shown by a second run).
if (asked := st.session_state.pop(LETTER_ASKED, None)) is not None:
    _issue_asked(*asked)

# Officers see their own teams' visits; leaders and coordinators see every team's.
my_teams = tuple(getattr(actor, "team_ids", ()) or ()) if getattr(actor, "role", "") == "officer" else ()

# --- find the case: by number, place or words; today's visits first; every match counted, a page at a time
c_query, c_scope = st.columns([3, 2])
query = c_query.text_input("查找信访件", key="fu_query", placeholder="编号、地点或关键词，空格分隔",
                           on_change=_reset_page)
_init("fu_scope", "open")
scope = c_scope.segmented_control("范围", list(SCOPES), format_func=SCOPES.get, key="fu_scope", required=True,
                                  on_change=_reset_page)
page_no = int(st.session_state.get("fu_page") or 1)
with session_scope(engine()) as session:
    found = find_visit_choices(session, day, query=query, scope=scope or "open", team_ids=my_teams, actor=actor,
                               offset=(page_no - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    current = st.session_state.get(Key.FOLLOWUP_CASE)
    pinned = case_choice(session, current, day, actor=actor) if current else None
    # A search keeps the case being worked on when it still answers the search (e.g. just clarified, so no longer
    # 未办结): its letter stays downloadable here. Another search shows only its own matches.
    if pinned is not None and query.strip() and not matches_query(session, pinned.case_no, query):
        pinned = None
if not found.total and not query and scope == "open" and pinned is None:
    if my_teams:  # an officer imports nothing and plans nothing: say what to wait for (walk 3)
        guard(False, "本组目前没有待登记结果的信访件：组长下发下访计划后，走访点会出现在这里和“行程”中。")
    guard(False, "没有可登记的信访件。请先导入信访件并排定下访计划。", PAGE_IMPORT)


def _open_case(no: str) -> None:
    st.session_state[Key.FOLLOWUP_CASE] = st.session_state["fu_case"] = no


def _register_updates() -> dict:
    """Settled letters whose words a later register changed (:mod:`planner.followup.register_updates`): the leader is
    told which at the top, with one tap to open each; the letter's own box says what changed."""
    with session_scope(engine()) as session:
        flagged = settled_updates(session, actor=actor)
    if flagged and is_allowed(actor, "plan"):
        st.warning(f"登记表更新了 {len(flagged)} 件已办结信访件的内容（{'、'.join(flagged)}）：未自动重新打开，"
                   "请打开查看更新了什么，决定是否重新办理。", icon=":material/history_edu:")
        for n, no in enumerate(list(flagged)[:5]):
            st.button(f"查看 {no}", key=f"fu_register_update_{n}", on_click=_open_case, args=(no,))
    return flagged


by_no = {c.case_no: c for c in found.choices}
_updates = _register_updates()
# The case being worked on stays choosable even when it no longer matches the scope (e.g. it was just clarified,
# or sits on another page) — with a search too, as long as it answers that search. The count says so: it never
# reads 没有符合的信访件 above that letter.
kept = pinned if pinned is not None and pinned.case_no not in by_no else None
st.caption(found.caption(kept) + (f"（第 {page_no}/{found.pages} 页）" if found.pages > 1 else ""))
if found.pages > 1:
    st.number_input("页码", min_value=1, max_value=found.pages, step=1, key=_init("fu_page", 1))
if kept is not None:
    by_no = {kept.case_no: kept, **by_no}
    if found.total:
        st.caption(f"正在办理的 {kept.case_no}（{kept.status.label}）不在此范围内，仍列在首位。")
if not by_no:
    # Only the advice that applies: no "把范围改为“全部”" when 全部 is chosen, no "换个关键词" without one.
    tips = (["换个关键词"] if query.strip() else []) + (["把范围改为“全部”"] if scope != "all" else [])
    mine = "（只列出你有权查看的信访件）" if getattr(actor, "role", "") in ("officer", "leader") else ""
    st.info(f"没有符合的信访件{mine}" + (f"：{'，或'.join(tips)}。" if tips else "。"))
    st.stop()
options = list(by_no)
if st.session_state.get("fu_case") not in by_no:
    st.session_state["fu_case"] = current if current in by_no else options[0]
case_no = _pick("信访件", options, format_func=lambda n: by_no[n].option_label(), key="fu_case")
st.session_state[Key.FOLLOWUP_CASE] = case_no
choice = by_no[case_no]
try:  # the list is the actor's already; whatever put a case here, nothing is recorded for another team's case
    with session_scope(engine()) as session:
        authorise(actor, "record_outcome", CaseRef(case_no), session=session)
except USER_ERRORS as exc:
    show_error(exc)
    st.stop()
st.caption(" · ".join(p for p in (day.isoformat(), f"状态：{choice.status.label}", choice.deadline_text(day),
                                  "待回访" if choice.is_return else "", choice.late_text()) if p))
if choice.revisit:  # walk W15: a day promised to the petitioner, which no plan holds now
    st.warning(md_text(choice.revisit + "。可在选件中把它选入下一次下访计划"), icon=":material/event_repeat:")
if (updated := _updates.get(case_no)) is not None:  # walk W11: a settled letter's words changed, said to nobody
    st.warning(md_text(updated.text()), icon=":material/history_edu:")
    if is_allowed(actor, "plan") and st.button("已阅，不再提示", key=f"fu_{case_no}_register_seen"):
        with session_scope(engine()) as session:
            mark_seen(session, case_no, actor_name())
        st.rerun()

# The open tab is kept in session state (key), so saves and reruns leave the user where they are.
tab_outcome, tab_feedback, tab_clarify, tab_rect, tab_return, tab_docs = st.tabs(list(TABS), key="fu_tab",
                                                                                  on_change="rerun")

with tab_outcome:
    from planner.store.teams import default_teams, load_teams

    with session_scope(engine()) as session:
        records = stored_outcomes(session, case_no)
        planned = planned_visit(session, case_no, team_ids=my_teams, on=day)
        # The office's teams (the built-in default teams until it saves its own, as 路线规划 and 用户管理 do).
        teams = {t.team_id: t.name for t in load_teams(session) or default_teams()}
    # The planned day, unless it is still to come: an outcome is recorded after the visit (never dated after today).
    default_date = default_visit_date(planned.visit_date if planned is not None else None, day)
    # A leader recording a visit of a letter on no plan: their own team, not （未记录）, which left the letter and its
    # 澄清函 with no team, out of its officers' sight (walk 3).
    own = my_teams or tuple(getattr(actor, "team_ids", ()) or ())[:1]
    default_team = planned.team_id if planned is not None else (choice.team_id or (own[0] if own else ""))
    by_id = {r.outcome_id: r for r in records}
    pick_key = f"fu_{case_no}_outcome_pick"
    # A letter awaiting its 回访 starts on a new record, that 回访: never on the first visit's record, which a 回访
    # typed there overwrote (browser walk: 更正：2026-12-07 · 第一检查组 · 已走访 was chosen, 本次为回访 off).
    # A visit put off (改期) on a day gone did not happen: the visit made since is a new record dated today, the 改期
    # stays as recorded (walk C: a month on, the letter opened on 更正：2026-12-07 · 改期, dated the day put off).
    put_off = any((r.outcome.visit_date, r.outcome.team_id) == (default_date, default_team)
                  and r.outcome.result is VisitResult.POSTPONED and default_date < day for r in records)
    same_visit = NEW if choice.is_return or put_off else next(
        (r.outcome_id for r in records if (r.outcome.visit_date, r.outcome.team_id) == (default_date, default_team)),
        NEW)
    if st.session_state.get(pick_key) not in (NEW, *by_id):
        st.session_state[pick_key] = same_visit
    pick = _pick("记录", [NEW, *by_id], key=pick_key,
                 format_func=lambda i: "新的走访记录" if i == NEW else "更正：" + by_id[i].label(teams))
    rec = by_id.get(pick)
    o = rec.outcome if rec is not None else None
    p = f"fu_{case_no}_{pick}_"  # every widget of this form belongs to this case and this record
    team_ids = [t for t in teams if not my_teams or t in my_teams]
    if o is not None and o.team_id not in team_ids:
        team_ids.append(o.team_id)
    if default_team not in team_ids:
        team_ids.insert(0, default_team)
    seen_version = _stale(p, rec.version, "outcome", rec.outcome_id) if rec is not None else None
    c1, c2 = st.columns(2)
    # A return visit is made on a later day than the visit it follows: a new one starts on today's date.
    visit_date = c1.date_input("走访日期", key=_init(p + "date", o.visit_date if o else (
        day if choice.is_return or put_off else default_date)))
    team_id = c2.selectbox("检查组", team_ids, format_func=lambda t: teams.get(t, t) or "（未记录）",
                           key=_init(p + "team", o.team_id if o else default_team))
    # A new record starts with no result picked (walk W13: 已走访 was, and one click on 保存 recorded a visit that had
    # not happened); VisitOutcome refuses a save without one, as 行程's form does (planner.domain.picked_result).
    result = st.radio("结果", [r.value for r in VisitResult], format_func=lambda r: VisitResult(r).label,
                      horizontal=True, index=None, key=_init(p + "result", o.result.value if o else None))
    # A 回访 of a letter 已化解 finds the problem still solved unless the officer says it came back: unticked by
    # default, 问题已解决 reopened the letter as 已下访, overdue (browser walk: “回访：采砂点已停止，群众满意”).
    settled = choice.status is CaseStatus.RESOLVED

    def _return_toggled(date_key: str = p + "date", return_key: str = p + "return",
                        resolved_key: str = p + "resolved") -> None:
        if rec is None and st.session_state.get(return_key):
            st.session_state[date_key] = day  # not the first visit's day: that record already exists
            if settled:
                st.session_state[resolved_key] = True

    stored_return = rec is not None and rec.visit_type is VisitType.RETURN
    new_p = f"fu_{case_no}_{NEW}_"

    def _kind_toggled(return_key: str = p + "return", fix_key: str = p + "fix_kind") -> None:
        """On a correction, 本次为回访 switched means a new record of that kind (walk S: switched on over the first
        visit's record, 保存更正 turned that record into the 回访); only 更正记录类别 changes the record's own kind."""
        if rec is None or st.session_state.get(fix_key):
            return
        wanted = bool(st.session_state.get(return_key))
        st.session_state[return_key] = stored_return  # this record keeps its kind
        st.session_state[pick_key] = NEW
        st.session_state[new_p + "return"] = wanted
        st.session_state[new_p + "date"] = day
        if settled and wanted:
            st.session_state[new_p + "resolved"] = True
        st.session_state[new_p + "kind_note"] = (
            f"已转到新的走访记录登记{'回访' if wanted else '首次走访'}；原记录（{rec.label(teams)}）保持不变。")

    def _resolved_ticked(solved_key: str = p + "solved") -> None:  # W37: 0 was stored; 1 shown, to change
        one = solved_after_tick(resolved=bool(st.session_state.get(p + "resolved")), solved=st.session_state.get(
            solved_key), kept=settled and bool(st.session_state.get(p + "return")))  # 问题保持解决: counted before
        st.session_state[solved_key] = one if one is not None else st.session_state.get(solved_key, 0)

    if (kind_note := st.session_state.pop(p + "kind_note", None)) and rec is None:
        st.info(kind_note)
    fix_kind = rec is not None and st.checkbox(
        "更正记录类别（首次走访 ↔ 回访）", key=p + "fix_kind",
        help="仅在这条记录登记错了类别时勾选；要登记一次新的回访，请打开下面的“本次为回访”，会转到新的走访记录。")
    is_return = st.toggle("本次为回访", key=_init(p + "return", stored_return if rec else choice.is_return),
                          on_change=_kind_toggled if rec is not None else _return_toggled)
    kind_changed = rec is not None and bool(is_return) != stored_return
    if kind_changed:
        change = "回访改为首次走访（带信下访）" if stored_return else "首次走访（带信下访）改为回访"
        st.warning(f"保存后这条记录将由{change}，不再另有原类别的记录。")
    reason = ""
    if result in (VisitResult.NOT_FOUND.value, VisitResult.POSTPONED.value):
        reason = st.text_input("原因（未找到 / 改期）", key=_init(p + "reason", o.reason if o else ""))
    settled_return = settled and bool(is_return)
    truth_now = "unknown" if o is None or o.report_true is None else (
        ("partly" if o.report_partly else "true") if o.report_true else "false")
    put_off_to = None
    if result == VisitResult.POSTPONED.value:
        # A visit put off did not happen: no 问题已解决, 反映问题, counts, 用时 or 核查情况 to fill in (walk 1: 用时
        # said 60 分钟), but the day agreed for it, which the leader's re-plan starts from (walk 1: in the reason).
        earliest = max(day, visit_date + dt.timedelta(days=1))
        if o is not None and o.put_off_to is not None:
            earliest = min(earliest, o.put_off_to)  # agreed before, gone since: kept as recorded
        put_off_to = st.date_input("改到哪天（约定的新日期，可不填）", min_value=earliest, format="YYYY-MM-DD",
                                   key=_init(p + "put_off_to", o.put_off_to if o else None))
        st.caption("改期：未走访，不填写户次、线索、解决问题和用时；约定了新日期的，组长重新规划时从这一天起安排。")
        resolved, truth = False, truth_now
        households = leads = solved = minutes = 0
        findings = o.findings if o else ""
    else:
        resolved = st.toggle("问题保持解决" if settled_return else "问题已解决",
                             key=_init(p + "resolved", o.problem_resolved if o else settled and choice.is_return),
                             disabled=result == VisitResult.NOT_FOUND.value, on_change=_resolved_ticked)
        if settled_return and result == VisitResult.VISITED.value:
            st.caption("本件已化解。回访时问题仍已解决：保持打开，信访件仍为“已化解”；"
                       "回访发现问题反弹、仍未解决：关闭此项，保存后信访件回到“已下访”。")
        truth = st.radio("反映问题", list(TRUTH), format_func=TRUTH.get, horizontal=True,
                         key=_init(p + "truth", truth_now))
        c1, c2 = st.columns(2)
        households = c1.number_input("入户走访（户次）", min_value=0, step=1,
                                     key=_init(p + "households", o.households_visited if o else 0))
        leads = c2.number_input("收集线索（条）", min_value=0, step=1,
                                key=_init(p + "leads", o.leads_collected if o else 0))
        c3, c4 = st.columns(2)
        solved = c3.number_input("解决问题（个）", min_value=0, step=1,
                                 key=_init(p + "solved", o.problems_solved if o else 0))
        if note := unsolved_count_note(resolved=bool(resolved) and result == VisitResult.VISITED.value,
                                       solved=int(solved), kept=settled_return):
            st.warning(note)
        minutes = c4.number_input("用时（分钟）", min_value=0, step=10,
                                  key=_init(p + "minutes", o.time_spent_min if o else 60))
        findings = st.text_area("核查情况", key=_init(p + "findings", o.findings if o else ""), height=100)
    # A 改期 did not happen: its counts would be summed by 统计 (said here; VisitOutcome refuses them at 保存 too).
    taken = postponed_counts_refusal(case_no, result, households=int(households), leads=int(leads),
                                     solved=int(solved)) if result else ""
    if taken:
        st.error(taken)
    if not taken and rec is None and any(
            (r.outcome.visit_date, r.outcome.team_id or "") == (visit_date, team_id or "") for r in records):
        # Walk T: a 回访 moved to a new record dated today, on a day the team already recorded this letter, was
        # refused only at 保存 (one record per case, date and team): said here, and no save offered that must fail.
        with session_scope(engine()) as session:
            taken = recorded_visit_note(session, case_no, visit_date, team_id or "", today=day, team_names=teams)
        if taken:
            st.warning(taken)
    moved = rec is None or (visit_date, bool(is_return), result) != (o.visit_date, stored_return, o.result.value)
    if not taken and moved and result:
        # A 回访 never comes before the letter's first visit (nor a first visit after a 回访): said here, as
        # record_outcome / correct_outcome refuse it at 保存 (a correction only when it moves the date, kind or
        # result).
        vt, oid = VisitType.RETURN if is_return else VisitType.INVESTIGATION, rec.outcome_id if rec else None
        with session_scope(engine()) as session:  # walk W31: a second 首次走访 refused when settled, else said
            taken = visit_order_note(session, case_no, visit_date, visit_type=vt, result=result,
                                     team_id=team_id or "", outcome_id=oid, team_names=teams)
            again = taken or second_first_note(session, case_no, visit_date, visit_type=vt, result=result,
                                               outcome_id=oid, team_names=teams)
        if again:
            st.warning(again)
    if not taken and resolved and result == VisitResult.VISITED.value and choice.status.is_open:
        # Said before the save (walk 3: W3-038 saved as resolved closed W3-039 and W3-040 without a word).
        with session_scope(engine()) as session:
            resends = resends_to_settle(session, case_no)
        if resends:
            st.warning(f"保存为“问题已解决”后，同一信访人的重复件 {'、'.join(resends)} 将随本件一并化解"
                       f"（不另走访，办理记录注明“随前件 {case_no}”）。如其中反映了另外的问题，"
                       "请先把它单独排入下访计划再保存。", icon=":material/link:")
    if rec is None and planned is not None and planned.plan_status == "done" and planned.team_id == (team_id or ""):
        # Walk W10: a result saved on a letter of a plan the leader had closed went in without a word.
        st.warning(f"这件所在的计划 #{planned.plan_id} 已由组长标记完成：现在保存，结果记入该计划（补登当天的走访），"
                   "组长的完成统计会随之变化；如是新的走访，请组长排入新的计划。", icon=":material/event_available:")
    confirm_basis = False
    if rec is not None and not taken:  # walk W15: a 澄清函 and feedback rested on it; an officer undid it unasked
        with session_scope(engine()) as session:
            grounds, warn = outcome_grounds(session, rec.outcome_id), correction_warning(session, rec.outcome_id)
        if grounds and getattr(actor, "role", "") == "officer":
            st.info(f"这条记录已据此{grounds}：结果和认定只能由组长更正，如需更正请联系组长。")
        elif grounds:
            st.warning(warn, icon=":material/gavel:")  # walk W17: the 澄清函 named only when there is one
            confirm_basis = st.checkbox(CONFIRM_LABEL, key=p + "confirm_basis")
    if st.button("保存更正" if rec else "保存走访结果", type="primary", key=p + "save", width="stretch",
                 disabled=bool(taken)):
        def _save(session):
            outcome = VisitOutcome(
                case_no=case_no, visit_date=visit_date, result=result, team_id=team_id or "", reason=reason,
                findings=findings, problem_resolved=bool(resolved) and result == VisitResult.VISITED.value,
                report_true=TRUTH_VALUE[truth], report_partly=truth == "partly",
                households_visited=int(households), leads_collected=int(leads),
                problems_solved=int(solved), time_spent_min=int(minutes), recorded_by=o.recorded_by if o else who,
                put_off_to=put_off_to,
            )
            kind = VisitType.RETURN if is_return else VisitType.INVESTIGATION
            saved: list[int] = []
            if rec is not None:
                stood = {c["id"] for c in list_clarifications(session, case_no) if not c["withdrawn"]}
                along = _settling(session, case_no, lambda: correct_outcome(
                    session, rec.outcome_id, outcome, who=who, expected_version=seen_version, visit_type=kind,
                    today=day, change_kind=bool(fix_kind), role=getattr(actor, "role", None),
                    confirm_basis=bool(confirm_basis)))
                oid = rec.outcome_id
                case_letters = list_clarifications(session, case_no)
                along += withdrawn_note([c for c in case_letters if c["withdrawn"] and c["id"] in stood], case_letters)
            else:
                plan_id = planned.plan_id if planned is not None and planned.team_id == (team_id or "") else None
                along = _settling(session, case_no, lambda: saved.append(record_outcome(
                    session, outcome, who=who, plan_id=plan_id, visit_type=kind, today=day)))
                oid = saved[0]
            note = along + (" 反映不实：可在本页（回访跟踪）上方的“澄清”标签出具澄清函。" if truth == "false" else "")
            if kind_changed:
                note += f" 记录类别已更正为{'回访' if is_return else '首次走访（带信下访）'}。"
            if settled_return and result == VisitResult.VISITED.value:
                note += (" 问题保持解决，信访件仍为“已化解”。" if resolved
                         else " 回访发现问题反弹、仍未解决：信访件回到“已下访”。")
            return note, {pick_key: oid, **_form_keys(p)}

        verb = "更正" if rec else "保存"
        # A 改期 has no counts to confirm (walk C: 改期 was confirmed as 入户走访 0 户次，收集线索 0 条，解决问题 0 个).
        said = (f"入户走访 {int(households)} 户次，收集线索 {int(leads)} 条，解决问题 {int(solved)} 个"
                if result != VisitResult.POSTPONED.value else "改期（未走访）"
                + (f"，约定 {put_off_to.isoformat()} 再访" if put_off_to else "，新的日期未约定"))
        _run(_save, f"已{verb}信访件 {case_no} {visit_date.isoformat()} 的走访结果：{said}。")
    if rec is not None:
        _history_table("outcome", rec.outcome_id, p + "history")

    with st.expander("息诉息访 / 延期"):
        terms = st.text_area("息诉息访协议要点", key=f"fu_{case_no}_settle_terms")
        if st.button("登记息诉息访协议", key=f"fu_{case_no}_settle"):
            _run(lambda s: _settling(s, case_no, lambda: record_settlement(s, case_no, agreed_date=day, terms=terms,
                                                                           who=who), "办结"),
                 f"{case_no} 已签订息诉息访协议，已办结。")
        ext_days = st.number_input("延期天数（最多 30 天，仅一次）", min_value=1, max_value=30,
                                   key=_init(f"fu_{case_no}_ext_days", 30))
        ext_reason = st.text_input("延期理由", key=f"fu_{case_no}_ext_reason")
        if st.button("延长办理期限", key=f"fu_{case_no}_extend"):
            _run(lambda s: extend_deadline(s, case_no, int(ext_days), who=who, reason=ext_reason),
                 f"{case_no} 办理期限已延长 {int(ext_days)} 天。")

    with session_scope(engine()) as session:
        history = case_history(session, case_no)
    if history:
        st.caption("办理记录")
        people = _people()
        st.dataframe(pd.DataFrame([{"时间": show_time(h.at), "人员": people.get(h.who, h.who),
                                    **dict(zip(("事项", "说明"), describe_history(h, _team_names()), strict=True))}
                                   for h in history]),
                     hide_index=True, width="stretch", key=f"fu_{case_no}_history")

with tab_feedback:
    with session_scope(engine()) as session:
        fb_records = feedback_for_case(session, case_no)
        missing, fb_states = missing_feedback(session, actor=actor), side_states(session, case_no)
    fb_by_id = {r.feedback_id: r for r in fb_records}
    fb_pick_key = f"fu_{case_no}_fb_pick"
    if st.session_state.get(fb_pick_key) not in (NEW, *fb_by_id):
        st.session_state[fb_pick_key] = NEW
    fb_pick = _pick("反馈记录", [NEW, *fb_by_id], key=fb_pick_key,
                    format_func=lambda i: "新的反馈" if i == NEW else
                    f"更正：{fb_by_id[i].side_label} {fb_by_id[i].feedback_date.isoformat()} {fb_by_id[i].channel}")
    fb = fb_by_id.get(fb_pick)
    q = f"fu_{case_no}_fb_{fb_pick}_"
    if fb is None:
        side = st.radio("反馈对象", list(FEEDBACK_SIDES), format_func=FEEDBACK_SIDE_LABELS.get, horizontal=True,
                        key=_init(q + "side", FEEDBACK_SIDES[0]))
    else:
        side = fb.side
        st.caption(f"反馈对象：{fb.side_label}")
    fb_seen = _stale(q, fb.version, "feedback", fb.feedback_id) if fb is not None else None
    # One form: nothing reruns the page until 保存 (browser walk: 接收单位 committed on leaving it, and the rerun
    # lost 反馈内容 typed quickly after it — saved as “反馈内容不能为空”). 反馈对象 stays outside: it shapes the form.
    with st.form(q + "form", border=False):
        fb_date = st.date_input("反馈日期", key=_init(q + "date", fb.feedback_date if fb else day))
        channel = st.selectbox("方式", list(FEEDBACK_CHANNELS), key=_init(q + "channel", fb.channel if fb and
                                                                           fb.channel in FEEDBACK_CHANNELS else
                                                                           FEEDBACK_CHANNELS[0]))
        # The petitioner's name is personal data kept apart from cases: feedback to them is recorded without it.
        recipient = st.text_input("接收单位", key=_init(q + "recipient", fb.recipient if fb else "")) \
            if side == "government" else ""
        fb_content = st.text_area("反馈内容", key=_init(q + "content", fb.content if fb else ""), height=80)
        ack = st.checkbox("对方已确认收到", key=_init(q + "ack", fb.acknowledged if fb else False))
        fb_submitted = st.form_submit_button("保存更正" if fb else "保存反馈", type="primary", key=q + "save",
                                             width="stretch")
    if fb_submitted:
        def _save_fb(session):
            if fb is not None:
                correct_feedback(session, fb.feedback_id, who=who, expected_version=fb_seen,
                                 feedback_date=fb_date, channel=channel, content=fb_content, recipient=recipient,
                                 acknowledged=ack)
                return "", _form_keys(q)
            record_feedback(session, case_no, side, feedback_date=fb_date, channel=channel, content=fb_content,
                            recipient=recipient, acknowledged=ack, who=who)
            # Back to a new, empty entry (never the record just saved: typing on would overwrite it), turned to the
            # side still without feedback, so the second 反馈 of 双反馈 is the next thing to fill in.
            left = [s for s in FEEDBACK_SIDES if s not in {r.side for r in fb_records} | {side}]
            turn = {q + "side": left[0]} if left else {}
            note = f"下面可记录对{FEEDBACK_SIDE_LABELS[left[0]]}的反馈。" if left else "双反馈已齐。"
            return note, {fb_pick_key: NEW, **_form_keys(q), **turn}

        _run(_save_fb, f"已{'更正' if fb else '记录'}对{FEEDBACK_SIDE_LABELS[side]}的反馈"
                       f"（{fb_date.isoformat()}，{channel}）。")
    if fb is not None:
        _history_table("feedback", fb.feedback_id, q + "history")
    fb_said = " · ".join(f"{FEEDBACK_SIDE_LABELS[s]}：{fb_states[s]}" for s in FEEDBACK_SIDES)
    (st.warning if "重新反馈" in fb_said else st.text)(fb_said)  # walk W17: given on a finding corrected since
    if fb_records:
        st.dataframe(pd.DataFrame([{"对象": r.side_label, "日期": r.feedback_date.isoformat(), "方式": r.channel,
                                    "接收单位": r.recipient, "内容": r.content,
                                    "已确认": "是" if r.acknowledged else "否"}
                                   for r in fb_records]),
                     hide_index=True, width="stretch", key=f"fu_{case_no}_fb_table")
    st.caption(f"双反馈缺项：{len(missing)} 件")
    if missing:
        st.dataframe(pd.DataFrame([{"编号": m.case_no, "县区": m.county, "状态": m.status.label,
                                    "缺": m.missing_labels(), "摘要": m.summary} for m in missing]),
                     hide_index=True, width="stretch", key="fu_missing")


def _letter_download(cid: int, name: str, key: str) -> None:
    """A download of a stored letter, read and authorised when clicked (not sent with the page): the live session is
    re-checked first (signed out, idle, deactivated or rights changed since the page was drawn: no file)."""
    eng = engine()

    def _data(cid: int = cid, actor=actor) -> bytes:
        with session_scope(eng) as session:
            return clarification_document(session, cid, actor=actor)[1]

    st.download_button(f"下载 {name}", live_download(_data, actor, st.session_state.get(Key.SESSION_TOKEN), eng),
                       file_name=name, mime=DOCX, key=key, on_click="ignore")


with tab_clarify:
    k = f"fu_{case_no}_cl_"
    with session_scope(engine()) as session:
        no_ground = clarification_refusal(session, case_no)
        letters = list_clarifications(session, case_no, actor=actor)
    # A warning only where a 澄清函 is the case's business (walk W10: every letter opened, 属实 or never visited, warned
    # of a 澄清函 nobody asked for): one is due (a visit found the report untrue) and none issued, or one is being
    # filled in without that ground (walk S: said before 生成, not only at it). Otherwise a quiet line says why none.
    asked = any(str(st.session_state.get(k + f) or "").strip() for f in ("cadre", "title", "matter", "finding"))
    standing = [c for c in letters if not c["withdrawn"]]  # a withdrawn letter (已撤回) clears nobody
    if not no_ground and not standing and choice.status is not CaseStatus.CLARIFIED:
        st.warning(f"信访件 {case_no} 的走访认定反映问题不实，尚未出具澄清函：可在下方填写后生成并登记。")
    elif no_ground and asked:
        st.warning(no_ground)
    elif no_ground and not letters:
        st.caption("本件无需出具澄清函：澄清函只在走访认定反映问题不实后出具。")
    st.text_input("被澄清干部姓名", key=k + "cadre")
    st.text_input("职务", key=k + "title")
    st.text_area("被反映的问题", key=k + "matter", height=70)
    st.text_area("调查认定的事实", key=k + "finding", height=70)
    st.text_input("主送单位", key=k + "addressee")
    st.text_input("发文机关", key=_init(k + "organ", DEFAULT_ORGAN))
    st.text_input("文号（可空）", key=k + "no")
    # Asked here, issued at the top of the run the click starts (_issue_asked), before this case is drawn.
    st.button("生成并登记澄清函", type="primary", key=k + "issue", width="stretch", on_click=_ask_letter,
              args=(case_no, k))
    if (failed := st.session_state.pop(k + "failed", None)) is not None:
        show_error(failed)
    if letters:  # a letter asked for by this run's click was issued at its top (_issue_asked): among them
        gone = len(letters) - len(standing)
        st.caption(f"本件已出具的澄清函：{len(letters)} 份" + (f"（其中已撤回 {gone} 份）" if gone else ""))
    for c in letters:
        if c["withdrawn"]:
            st.warning(f"{letter_label(c, letters)}{c['withdrawal']}。下载的是存档副本，"
                       "首页标明“本函已撤回”。", icon=":material/block:")
        if c["has_document"]:
            _letter_download(c["id"], c["download_name"], f"fu_cl_dl_{c['id']}")
    cl_by_id = {c["id"]: c for c in letters}
    if cl_by_id:
        cl_pick = _pick("更正哪一份的登记", list(cl_by_id), key=k + "pick",
                        format_func=lambda i: f"{cl_by_id[i]['cadre']} · {cl_by_id[i]['issued_date'].isoformat()} · "
                        f"{cl_by_id[i]['document_name'] or '无文书'} · {cl_by_id[i]['state']}")
        cl = cl_by_id[cl_pick]
        e = f"{k}{cl_pick}_"  # the correction form belongs to this letter's record
        with st.expander("更正澄清函登记（已出具的文书本身不改动）"):
            cl_seen = _stale(e, cl["version"], "clarification", cl["id"])
            new_cadre = st.text_input("被澄清干部（含职务）", key=_init(e + "cadre", cl["cadre"]))
            new_issued = st.date_input("出具日期", key=_init(e + "date", cl["issued_date"]))
            new_scope = st.text_input("澄清范围（在何处说明情况）", key=_init(e + "scope", cl["scope"] or ""))
            if st.button("保存更正", key=e + "save"):
                # Only what the user changed is sent; the rest keeps its stored value.
                changed = {name: value for name, value in (("cadre", new_cadre.strip()), ("issued_date", new_issued),
                                                           ("scope", new_scope.strip()))
                           if value != (cl[name] or "")}
                if not changed:
                    st.info("没有改动，未保存。")
                else:
                    _run(lambda s: correct_clarification(s, cl_pick, who=who, expected_version=cl_seen, **changed),
                         f"已更正信访件 {case_no} 的澄清函登记（{'、'.join(CL_FIELDS[n] for n in changed)}）。",
                         after=_form_keys(e))
        _history_table("clarification", cl_pick, e + "history")

with tab_rect:
    k = f"fu_{case_no}_rx_"
    item = st.text_area("整改事项", key=k + "item", height=70)
    owner = st.text_input("责任单位 / 责任人", key=k + "owner")
    due = st.date_input("整改期限", key=_init(k + "due", day + dt.timedelta(days=30)))
    if st.button("添加整改事项", key=k + "add", width="stretch"):
        _run(lambda s: add_rectification(s, case_no, item=item, owner=owner, due_date=due, who=who),
             f"已添加整改事项（{owner}，期限 {due.isoformat()}）。",
             after={k + "item": "", k + "owner": ""})
    with session_scope(engine()) as session:
        items = list_rectifications(session, case_no=case_no)
        overdue = overdue_rectifications(session, day, actor=actor)
    if items:
        st.dataframe(pd.DataFrame([{"事项": r.item, "责任单位": r.owner, "期限": r.due_date.isoformat(),
                                    "状态": "已完成" if r.done else ("已逾期" if r.is_overdue(day) else "整改中")}
                                   for r in items]), hide_index=True, width="stretch", key=k + "table")
        rx_by_id = {r.rect_id: r for r in items}
        rx = _pick("选择事项", list(rx_by_id), key=k + "pick",
                   format_func=lambda i: rx_by_id[i].item + ("（已完成）" if rx_by_id[i].done else ""))
        r = rx_by_id[rx]
        e = f"{k}{rx}_"
        with st.expander("更正或完成这一事项"):
            rx_seen = _stale(e, r.version, "rectification", r.rect_id)
            new_item = st.text_area("整改事项", key=_init(e + "item", r.item), height=70)
            new_owner = st.text_input("责任单位 / 责任人", key=_init(e + "owner", r.owner))
            new_due = st.date_input("整改期限", key=_init(e + "due", r.due_date))
            b1, b2 = st.columns(2)
            if b1.button("保存更正", key=e + "save"):
                _run(lambda s: correct_rectification(s, rx, who=who, expected_version=rx_seen, item=new_item,
                                                     owner=new_owner, due_date=new_due), "已更正整改事项。",
                     after=_form_keys(e))
            if not r.done and b2.button("标记整改完成", key=e + "done"):
                _run(lambda s: complete_rectification(s, rx, done_date=day, who=who, expected_version=rx_seen),
                     f"已标记整改完成（{day.isoformat()}）。", after=_form_keys(e))
        _history_table("rectification", rx, e + "history")
    st.caption(f"全部逾期整改事项：{len(overdue)} 项")
    if overdue:
        st.dataframe(pd.DataFrame([{"编号": r.case_no, "事项": r.item, "责任单位": r.owner,
                                    "期限": r.due_date.isoformat(), "逾期天数": r.days_overdue(day)}
                                   for r in overdue]), hide_index=True, width="stretch", key="fu_rx_overdue")

with tab_return:
    with session_scope(engine()) as session:
        delay = return_delay_days(session)
    st.caption(f"问题化解或整改期限届满后，按设置的 {delay} 天自动提出回访，优先安排首次下访的检查组"
               "（管理员或协调员可在“设置”页修改天数）。")
    if st.button("检查并生成回访建议", key="fu_propose", width="stretch"):
        _run(lambda s: f"新增 {len(propose_return_visits(s, day))} 条。", "已检查回访建议，")
    with session_scope(engine()) as session:
        tasks = list_followups(session, actor=actor)
    if tasks:
        st.dataframe(pd.DataFrame([{"编号": i.task.case_no,
                                    "类型": "回访" if i.task.kind == RETURN_VISIT else "整改回访",
                                    "到期": i.task.due_date.isoformat(),
                                    "建议检查组": (teams.get(i.task.preferred_team_id)
                                              or i.task.preferred_team_id or "—"),
                                    "地点": i.label, "说明": i.task.description} for i in tasks]),
                     hide_index=True, width="stretch", key="fu_tasks")
        page_link(PAGE_SELECTION, label="到选件中安排回访", icon=":material/checklist:")
    else:
        st.info("暂无待办回访。")

with tab_docs:
    st.caption("已出具的文书（澄清函），按出具日期从新到旧；下载时核验权限。")
    doc_query = st.text_input("查找文书", key="fu_docs_query", placeholder="编号、干部姓名或文件名")
    with session_scope(engine()) as session:
        docs = list_clarifications(session, actor=actor, query=doc_query)
    st.caption(f"共 {len(docs)} 份")
    if docs:
        st.dataframe(pd.DataFrame([{"编号": d["case_no"], "被澄清干部": d["cadre"],
                                    "出具日期": d["issued_date"].isoformat(), "状态": d["state"],
                                    "文件": d["download_name"]}
                                   for d in docs]), hide_index=True, width="stretch", key="fu_docs_table")
        doc_by_id = {d["id"]: d for d in docs if d["has_document"]}
        if doc_by_id:
            did = st.selectbox("选择文书", list(doc_by_id), key="fu_docs_pick",
                               format_func=lambda i: f"{doc_by_id[i]['case_no']} · {doc_by_id[i]['download_name']}")
            _letter_download(did, doc_by_id[did]["download_name"], "fu_cl_dl_docs")
