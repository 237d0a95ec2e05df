"""选件: rank open cases with their reasons, choose the ones to take down, and turn them into visits for planning."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from pages.common import (
    PAGE_FOLLOWUP,
    PAGE_IMPORT,
    PAGE_PLANNING,
    PAGE_SELECTION,
    Key,
    cases_version,
    clear_after,
    engine,
    guard,
    live_download,
    office_gazetteer,
    office_settings,
    page_actor,
    page_link,
    show_error,
    today,
    visible_cases,
)
from planner.errors import USER_ERRORS
from planner.field.map_layers import candidates_map
from planner.followup.common import at_risk_horizon_days
from planner.followup.overview import stored_groups_version
from planner.office.authorisation import sees_all_teams, team_scope
from planner.office.clock import local_now
from planner.office.privacy import md_text
from planner.office.settings import usable_settings
from planner.routing.advice import PlanRequest
from planner.selection.draft_holds import in_others_drafts, lacking_skills, lacking_text
from planner.selection.handover import current_shares, hand_over, keep_own, reassign, team_leaders
from planner.selection.labels import member_names, skill_names, visits_table
from planner.selection.memory import adopt, load_selection, restore_note, save_selection, with_sent
from planner.selection.missed import missed_visits
from planner.selection.ranking import (
    OUTSIDE_REASON,
    SelectionWeights,
    VisitOptions,
    build_visits,
    capacity_estimate,
    filter_ranked,
    outside_candidates,
    rank_cases,
    signals_from_db,
    write_visits_csv,
)
from planner.selection.repeats import carried_along, visited_firsts, whole_chains
from planner.selection.trip_start import OFFICE_DAY_END_MIN, default_start
from planner.store.cases import masked_summaries
from planner.store.database import session_scope
from planner.store.plans import case_holders
from planner.store.register_fields import category_labels

#: Once per browser session: the account's last selection (kept in the database) is read back when none is here.
RESTORED = "last_selection_restored"
HANDOVER = "sel_handover"  # a coordinator's selection offered to this leader (HandOver), until adopted or declined
TRIP_KEYS = ("sel_start", "sel_days", "sel_team_ids")
FORM_KEYS = ("sel_county", "sel_category", "sel_deadline", "sel_cluster", "sel_top", "sel_extra", "sel_drop")
#: Letters sent here from 关联分析 or 案件地图 (“加入选件清单”), chosen beside the top N: kept through 生成走访点 and,
#: with the form, a reload, so that building again does not drop them (walk W28).
SENT = "sel_sent"
#: 路线规划 read the last selection first in this session: its form, for this page (``planning.py`` sets it).
PLANNING_FORM = "last_selection_form"
DEADLINE_LABELS = {"overdue": "已超期", "at_risk": "临期（{} 天内）", "ok": "期限内"}  # {}: 设置's 期限预警


def _move_visit(shares: dict, actor: object, teams: tuple, offered: dict) -> None:
    """改派: one handed-over visit to another team going, before the leaders take it (回避 and 专长 kept)."""
    where = {v.visit_id: (t, v) for t, vs in shares.items() for v in vs}
    # Keyed, so that it stays open through a pick and the rerun after a move; its message stands inside it.
    with st.expander("改派走访点", icon=":material/swap_horiz:", key="sel_ho_open", on_change="rerun"):
        if flash := st.session_state.pop("sel_ho_moved", None):
            st.success(flash, icon=":material/check:")
        st.caption("组长采用之前，可把某个走访点（连同其信访件）改派给参加的另一组；需回避该组成员或该组缺少所需专长的，"
                   "不能改派。同日走访的几个点一并改派。")
        m1, m2 = st.columns(2)
        # The team a visit is with now is said beside the box, not in its options: the browser kept an option's old
        # words after a move (walk: 现交第三检查组 over a visit just moved to 第一检查组).
        pick = m1.selectbox("走访点", list(where), key="sel_ho_visit", format_func=lambda i: (
            f"{where[i][1].label or i}（{len(where[i][1].case_nos)} 件）"))
        if pick in where:
            m1.caption(f"现交{offered.get(where[pick][0], where[pick][0])}")
        targets = [t for t in shares if t != where[pick][0]] if pick in where else []
        to = m2.selectbox("改派给", targets, key="sel_ho_to", format_func=lambda t: offered.get(t, t))
        if st.button("改派", key="sel_ho_move", icon=":material/swap_horiz:", disabled=not to):
            try:
                with session_scope(engine()) as session:
                    moved = reassign(session, actor, pick, to, teams)
                    new = {v.visit_id: v for v in moved.visits}  # a visit pinned to the old team: to the new one
                    mine = [new.get(v.visit_id, v) for v in st.session_state.get(Key.VISITS) or []]
                    save_selection(session, actor.username, mine, st.session_state.get(Key.TRIP), _form())
            except USER_ERRORS as exc:  # the refusal says why and what to do (no 请刷新页面: it would not help)
                st.error(md_text(exc), icon=":material/block:")
                return
            st.session_state[Key.VISITS] = mine
            to_name, from_name = offered.get(to, to), offered.get(moved.from_team, moved.from_team)
            again = (f"{to_name}组长{'、'.join(moved.offered_again)}已采用过本组的走访点，将再次收到更新后的选件。"
                     if moved.offered_again else "")
            st.session_state["sel_ho_moved"] = (
                f"已把 {len(moved.visits)} 个走访点（{moved.cases()} 件）从{from_name}改派给{to_name}。{again}")
            st.rerun()


def _form() -> dict:
    """The form kept with the selection, the letters sent here included."""
    return {**{k: st.session_state.get(k) for k in FORM_KEYS}, SENT: list(st.session_state.get(SENT) or [])}


def _weights() -> SelectionWeights:
    """Selection weights from 设置 (``planner.office.settings``); the defaults until someone changes them."""
    with session_scope(engine()) as session:
        return office_settings(session).weights


@st.cache_data(ttl=60, show_spinner="正在排序信访件……")
def ranked_cases(url: str, version: object, actor: object, on: dt.date, weights: SelectionWeights) -> tuple:
    """Rank the open cases ``actor`` may see; recomputed when the cases table changes (or after a minute, for
    cluster and follow-up changes that leave the cases untouched)."""
    from planner.followup.overview import issue_choices, unanalysed_note
    from planner.store.teams import load_teams, with_people

    with session_scope(engine()) as session:
        cases = visible_cases(session, actor)
        signals = signals_from_db(session)
        teams = tuple(with_people(session, load_teams(session)))
        # The related issues as 关联分析 lists them (2+ letters, in its order, with size and spread), by id.
        issues = issue_choices(session, cases, today=on, at_risk_days=at_risk_horizon_days(session))
        unanalysed = unanalysed_note(session, cases)
    return tuple(rank_cases(cases, today=on, signals=signals, weights=weights)), teams, issues, unanalysed


st.title("选件")
st.caption("信件排查广度 · 问题梳理深度 · 问题清单精度：按期限、重复举报、同类问题、严重程度等排序，选定要带下去的信。")

actor = page_actor(PAGE_SELECTION)

on = today()
restored_form: dict = st.session_state.pop(PLANNING_FORM, None) or {}
restore_sent: tuple[list[str], list[str]] = ([], [])  # letters sent here before the restore: added, already held
if not st.session_state.get(RESTORED):
    # A reload (F5) or a link starts a new session: pick up what this account chose last, rights checked again.
    st.session_state[RESTORED] = True
    if not st.session_state.get(Key.VISITS):
        with session_scope(engine()) as session:
            last = load_selection(session, actor, on=today())
        if last is not None and last.visits:
            st.session_state[Key.VISITS] = list(last.visits)
            st.session_state[Key.TRIP] = last.trip
            # Letters sent from 关联分析 or 案件地图 before 选件 was first opened are added to the restored ones, not
            # replaced by them (walk W28: 7 letters of I0015 said 已加入 and were gone).
            _cases, _added, _held = with_sent(st.session_state.get(Key.SELECTED_CASES) or [], last.visits)
            st.session_state[Key.SELECTED_CASES], restore_sent = _cases, (_added, _held)
            # Those already in the restored visits are sent too: building again keeps them (not only the top N).
            st.session_state[SENT] = [*_added, *_held]
            restored_form = last.form
            if last.handover is not None and not last.handover.adopted:
                st.session_state[HANDOVER] = (last.handover, restore_note(last, offer=True))
        # Walk Q: a selection whose plan was carried out came back whole, letters just visited included; what was
        # visited since is left out and said, with its day, and a selection with nothing left is not restored.
        if last is not None and HANDOVER not in st.session_state and (
                note := restore_note(last, sent=len(restore_sent[0]), sent_held=len(restore_sent[1]))):
            st.info(note, icon=":material/history:")
if isinstance(restored_form.get(SENT), list):  # sent here before the reload (read back here or on 路线规划)
    st.session_state[SENT] = list(dict.fromkeys([*map(str, restored_form[SENT]), *(st.session_state.get(SENT) or [])]))
offer, offer_note = st.session_state.get(HANDOVER) or (None, "")
if changed := st.session_state.pop("sel_ho_error", None):
    st.error(md_text(changed), icon=":material/update:")
if offer is not None:
    # Walk U: a coordinator's selection reached no leader. It is offered here, to adopt or to keep one's own.
    with st.container(border=True):
        st.markdown(md_text(offer_note))
        b1, b2 = st.columns(2)
        if b1.button("采用这份选件", key="sel_ho_adopt", type="primary", icon=":material/assignment_turned_in:"):
            try:
                with session_scope(engine()) as session:
                    taken = adopt(session, actor, offer, st.session_state.get(Key.VISITS) or [], on=today())
            except USER_ERRORS as exc:
                # The coordinator moved a visit (or handed over anew) since this page read it: read it again, so
                # that what is adopted is what is shown.
                for _k in (HANDOVER, Key.VISITS, Key.TRIP, Key.SELECTED_CASES, *TRIP_KEYS):
                    st.session_state.pop(_k, None)
                st.session_state[RESTORED] = False
                st.session_state["sel_ho_error"] = str(exc)
                st.rerun()
            st.session_state[Key.VISITS] = list(taken.visits)
            st.session_state[Key.TRIP] = taken.trip
            st.session_state.pop(HANDOVER, None)
            st.session_state["sel_ho_done"] = f"已采用{offer.who()}选定的走访点，可以去路线规划了。"
            st.rerun()
        if b2.button("不采用，保留我自己的选件", key="sel_ho_keep", icon=":material/undo:"):
            _built = {c for v in st.session_state.get(Key.VISITS) or [] for c in v.case_nos}
            _sent = [c for c in st.session_state.get(Key.SELECTED_CASES) or [] if c not in _built]
            with session_scope(engine()) as session:
                keep_own(session, actor, offer.newest, offer=offer)
                mine = load_selection(session, actor, on=today())
            mine_visits = list(mine.visits) if mine is not None else []
            st.session_state[Key.VISITS] = mine_visits
            st.session_state[Key.TRIP] = mine.trip if mine is not None and mine_visits else None
            st.session_state[Key.SELECTED_CASES] = with_sent(_sent, mine_visits)[0]  # the letters sent here stay
            for _k in TRIP_KEYS:
                st.session_state.pop(_k, None)
            st.session_state.pop(HANDOVER, None)
            st.session_state["sel_ho_done"] = (f"已保留你自己的选件（{len(mine_visits)} 个走访点）。" if mine_visits
                                               else f"未采用{offer.who()}的选件；请自行选件。")
            st.rerun()
if done := st.session_state.pop("sel_ho_done", None):
    st.success(done, icon=":material/check:")
with session_scope(engine()) as session:
    # The stored analysis too: its groups feed the 同类问题 filter and points (W16b: a coordinator back from 关联分析).
    version = cases_version(session) + "|" + stored_groups_version(session)
ranked, teams, cluster_label, unanalysed = ranked_cases(str(engine().url), version, actor, on, _weights())
guard(ranked, "还没有待办的信访件。请先导入信访件登记表。", PAGE_IMPORT)

counties = sorted({r.case.location.county for r in ranked if r.case.location.county})
categories = sorted({r.case.category for r in ranked if r.case.category})
# The groups 关联分析 shows, in its order (walk W16: every stored group, 74 of 87 single letters, sorted by id).
clusters = list(cluster_label)

with session_scope(engine()) as _s:
    at_risk = at_risk_horizon_days(_s)  # the office's 期限预警 (设置), as 首页 counts it
deadline_labels = {k: v.format(at_risk) for k, v in DEADLINE_LABELS.items()}
for _key, _options in (("sel_county", counties), ("sel_category", categories), ("sel_deadline", deadline_labels)):
    if isinstance(restored_form.get(_key), list) and _key not in st.session_state:
        st.session_state[_key] = [x for x in restored_form[_key] if x in _options]
if restored_form.get("sel_cluster") in clusters and "sel_cluster" not in st.session_state:
    st.session_state["sel_cluster"] = restored_form["sel_cluster"]
with st.expander("筛选", expanded=True):
    c1, c2 = st.columns(2)
    pick_counties = c1.multiselect("县区", counties, key="sel_county", placeholder="全部县区")
    pick_categories = c2.multiselect("问题类别", categories, key="sel_category", placeholder="全部类别")
    # 同类问题 says each group in words (关联分析's, with size and spread): the wider column, so the longest is read
    # whole at 1366 px (walk: cut, each ending ｜I0008); 办理期限's few short states take the narrower.
    c3, c4 = st.columns([2, 3])
    pick_states = c3.multiselect("办理期限", list(deadline_labels), format_func=deadline_labels.get,
                                 key="sel_deadline", placeholder="全部")
    pick_cluster = c4.selectbox("同类问题", ["", *clusters], key="sel_cluster",
                                format_func=lambda c: cluster_label.get(c, "未命名的同类问题") if c else "全部")
    if unanalysed:
        st.caption(unanalysed)

code_of = {r.case.location.county: r.case.location.county_code for r in ranked}
shown = filter_ranked(ranked, today=on, county_codes=[code_of[c] for c in pick_counties],
                      categories=pick_categories, cluster_id=pick_cluster, deadline_states=pick_states,
                      at_risk_days=at_risk)
# A letter a live plan (已下发, 执行中, or one's own 草稿) already sends a team to is not offered again: chosen anew, it
# would be on two live plans, visited twice by two teams (letters a plan left out, and those of finished plans, stay).
# Another planner's draft is a working copy: its letters stay candidates, said to be there (walk W32).
_me = str(getattr(actor, "username", "") or "")
with session_scope(engine()) as session:
    held = case_holders(session, [r.case.case_no for r in shown])
    # The same petitioner's other letter of the matter on a live plan: that team takes this one along (walk A: two
    # teams at one petitioner's door on two days).
    # Only a later letter that waits for the planned one is carried by that visit (its sheets list it, its outcome
    # settles it); an earlier letter is not, and stays a candidate with a note (walk 2: 015 beside 071 and 072).
    # Read over every candidate, not only the filtered ones: a chain chosen below is completed from all of them.
    held_all = case_holders(session, [r.case.case_no for r in ranked], taker=_me)
    drafts_all = in_others_drafts(session, [r.case.case_no for r in ranked], _me, teams)
    along_all, apart = carried_along(session, [r.case.case_no for r in ranked if r.case.case_no not in held_all],
                                     scope=team_scope(actor))  # another team's letter and plan are not named (walk H)
    held = {no: where for no, where in held_all.items() if no in {r.case.case_no for r in shown}}
    along = {no: where for no, where in along_all.items() if no in {r.case.case_no for r in shown}}
    far = outside_candidates(session, actor)  # 市外（转外地办理）: kept and counted, never a visit
if held or along:
    shown = [r for r in shown if r.case.case_no not in held and r.case.case_no not in along]
pool = [r.case.case_no for r in ranked if r.case.case_no not in held_all and r.case.case_no not in along_all]

c1, c2, c3 = st.columns(3)
# The trip (teams, start date, working days) is stored with the visits: 路线规划 starts from it. A leader is
# offered the teams they lead.
scope = team_scope(actor)
offered = {t.team_id: t.name for t in teams if scope is None or t.team_id in scope}
trip = st.session_state.get(Key.TRIP)
# Today while its office day is ahead (the latest shift of the teams offered), else the next working day in the
# official calendar (walk 2: Monday 08:00 offered the next Monday and skipped the week's 16 letters due).
_ends = [t.shift_end_min for t in teams if t.team_id in offered]
_now = local_now()
first_start = default_start(_now, max(_ends, default=OFFICE_DAY_END_MIN)) if _now.date() == on \
    else default_start(dt.datetime.combine(on, dt.time(0)))  # a day pinned for the page: from its morning
trip_start = c1.date_input("出发日期", value=trip.start_date if trip else first_start, key="sel_start")
n_days = c2.number_input("下访工作日数", min_value=1, max_value=30, value=int(trip.days) if trip else 5,
                         key="sel_days")
# A team nobody is on (no members, no officer or leader account: an office install's pre-made 第四、第五检查组) is
# not sent by default: its share of the visits would reach no leader and its sheets name nobody (walk W10). It can
# still be ticked; when no team has anyone, all are offered as before.
_nobody = [t.team_id for t in teams if t.team_id in offered and not t.members]
_manned = [t for t in offered if t not in _nobody]
trip_teams = st.multiselect("参加的检查组", list(offered), format_func=offered.get, key="sel_team_ids",
                            default=[t for t in (trip.team_ids if trip else ()) if t in offered] or _manned
                            or list(offered), placeholder="请选择检查组")
if _manned and (_left := [t for t in _nobody if t not in trip_teams]):
    st.caption(md_text(f"{'、'.join(offered[t] for t in _left)} 没有成员，也没有分到该组的组长或干部账号，未默认参加"
                       "（分到的走访点无人接收，行程单上也无人可列）；需要时可在“参加的检查组”中加上，"
                       "或在“检查组”页录入成员、在“用户管理”中把账号分到该组。"))
# A trip starting today, chosen in the afternoon, has only the rest of today's shift (none once it is over).
first_day_min = None
_going = [t for t in teams if t.team_id in trip_teams]
if trip_start == on and _going:
    if _now.date() == on:
        _minute = _now.hour * 60 + _now.minute
        _latest = max(_going, key=lambda t: t.shift_end_min)
        first_day_min = min(_latest.shift_end_min - max(_minute, _latest.shift_start_min),
                            _latest.shift_end_min - _latest.shift_start_min)
capacity = capacity_estimate(len(trip_teams), int(n_days), first_day_min=first_day_min)
c3.metric("预计可走访点数", capacity, help="按每点核查 60 分钟、车程 40 分钟、午休 90 分钟估算"
          + ("；出发日期是今天，只计今天剩下的班次时间" if first_day_min is not None else ""))
if not trip_teams:  # walk C: with no team chosen the estimate still read 8 and 生成走访点 still ran
    st.warning("请至少选择一个参加的检查组：没有检查组，无法估计可走访点数，也不能生成走访点。",
               icon=":material/group_off:")
if first_day_min is not None and first_day_min <= 0:
    st.caption("出发日期是今天，所选检查组今天的班次已结束：今天不计走访，预计数从下一个工作日算起。")

# Letters none of the teams going can do (their 专长) are said, and not chosen by the top N (walk W32: 13 of 25 sat
# in a draft of a team without 财务, 土地 or 民政社保).
cannot = lacking_skills([r.case for r in shown], _going or [t for t in teams if t.team_id in offered])
drafts = {no: why for no, why in drafts_all.items() if no in {r.case.case_no for r in shown}}
with session_scope(engine()) as _session:
    summaries = masked_summaries(_session, [r.case for r in shown], 40)
    # Back from a closed plan as 已登记, a letter last 改期 or 未找到 says so (team leader's walk: it looked unvisited).
    # A revisit past its agreed day says 已逾期 as 回访跟踪 does: read on the office's day (walk S49a).
    missed = missed_visits(_session, [r.case.case_no for r in shown], today=on)
    # A repeat letter left off a plan that visited its first letter stays 已登记 and looked unvisited: planned on
    # its own, the same door is knocked on again for the same matter (walk Q: 057 after 002).
    repeated = visited_firsts(_session, [r.case.case_no for r in shown], actor=actor)
    # The register's own word (三资管理), with the category it is filtered and counted under beside it; an inferred
    # category is said to be one (a leader reads the office's word, not the product's, walk).
    category_words = category_labels(_session, [r.case.case_no for r in shown], grouped=True)
    # The 排序理由 names the same word (三资管理（严重程度 4）), not the stored category (walk R).
    reason_words = category_labels(_session, [r.case.case_no for r in shown])
table = pd.DataFrame(
    [
        {
            "排名": r.rank,
            "编号": r.case.case_no,
            "得分": round(r.score, 1),
            "县区": r.case.location.county,
            "乡镇": r.case.location.town,
            "类别": category_words.get(r.case.case_no) or r.case.category or "未分类",
            "状态": r.case.status.label,
            "期限": r.case.due_date().isoformat(),
            # A handled case is listed for its return visit or rectification, not as overdue.
            "剩余天数": str(r.case.days_left(on)) if r.case.status.is_open else "—",
            "排序理由": "；".join(x for x in (drafts.get(r.case.case_no),
                                            lacking_text(cannot[r.case.case_no]) if r.case.case_no in cannot else "",
                                            missed.get(r.case.case_no), apart.get(r.case.case_no),
                                            repeated.get(r.case.case_no),
                                            r.reason(category=reason_words.get(r.case.case_no)))
                              if x),
            "摘要": summaries[r.case.case_no],
        }
        for r in shown
    ]
)
st.subheader(f"候选信访件（{len(shown)} 件）")
if held:
    example = next(iter(held.items()))
    st.caption(md_text(f"另有 {len(held)} 件已在进行中的计划里，不再列入候选（如 {example[0]} {example[1]}）；"
                       "要改派，请在路线规划中打开该计划调整。"))
if along:
    example = next(iter(along.items()))
    st.caption(md_text(f"另有 {len(along)} 件是同一信访人就同一事项的来信，其另一件已在进行中的计划里，由那个检查组一并"
                       f"办理，不再列入候选（如 {example[0]}：{example[1]}）。"))
if shown_apart := [no for no in apart if no in {r.case.case_no for r in shown}]:
    st.caption(md_text(f"{len(shown_apart)} 件是同一信访人就同一事项的前件，其后件已在进行中的计划里，"
                       f"但本件不在该计划内、不随其办结，仍列为候选（如 {shown_apart[0]}，见其排序理由）。"))
if far:
    st.caption(md_text(f"另有 {len(far)} 件{OUTSIDE_REASON}（如 {far[0]}）。"))
if drafts:
    example = next(iter(drafts.items()))
    st.caption(md_text(f"{len(drafts)} 件在其他组长或协调员的草稿中（如 {example[0]} {example[1]}），仍列为候选："
                       "草稿尚未下发，不占用信访件；选取并保存计划后即从该草稿中移出，草稿的主人打开草稿时会看到。"))
if cannot:
    example = next(iter(cannot.items()))
    st.warning(md_text(f"{len(cannot)} 件需要的专长参加的检查组都不具备（如 {example[0]} {lacking_text(example[1])}，"
                       "见排序理由），不计入排名前 N 件：可在“参加的检查组”中加上具备该专长的组，"
                       "或在“另外加入”中仍然选取。"), icon=":material/engineering:")
st.dataframe(table, hide_index=True, width="stretch", height=360)
if repeated:
    example = next(iter(repeated.items()))
    st.caption(md_text(f"{len(repeated)} 件是同一信访人就同一事项的重复来信，其前件已走访（见排序理由，"
                       f"如 {example[0]}：{example[1]}）：不必另行安排走访；在“回访跟踪”办结前件时，"
                       "这些件随之一并办结。"))
    page_link(PAGE_FOLLOWUP, label="前往回访跟踪办理前件", icon=":material/task_alt:")

default_top = auto_top = min(len(shown), capacity, 40)
if isinstance(restored_form.get("sel_top"), int):
    default_top = max(0, min(len(shown), restored_form["sel_top"]))
# N follows the estimate (teams, days) while it is the estimate's, not a number the user typed or chose before a
# reload (walk C: days 5 → 2 left N at 20 under an estimate of 8).
if st.session_state.get("sel_top_auto") not in (None, auto_top) and \
        st.session_state.get("sel_top") == st.session_state["sel_top_auto"]:
    st.session_state["sel_top"] = auto_top
st.session_state["sel_top_auto"] = None if "sel_top" in restored_form else auto_top
# No max_value: the browser's own check speaks English (walk J: "Number is outside the allowed range"); more than
# there are takes them all, and the page says so.
if "sel_top" not in st.session_state:  # set once here, never also as value= (Streamlit warned in the log, walk G)
    st.session_state["sel_top"] = default_top
top_n = st.number_input("选取排名前 N 件", min_value=0, key="sel_top")
if int(top_n) > len(shown) - len(cannot):
    st.caption(f"候选只有 {len(shown)} 件，已全部选取" + (f"（参加的检查组不具备所需专长的 {len(cannot)} 件除外）。"
                                                     if cannot else "。"))
chosen_nos = [r.case.case_no for r in shown if r.case.case_no not in cannot][: int(top_n)]
# Letters sent here from 关联分析 or 案件地图 (“加入选件清单”) and not yet turned into visits are chosen with the
# top N (they can be taken out below), so that what the page said was added is chosen.
# Those sent before and built into visits stay chosen with them (SENT): building again would drop them (walk W28).
built = {no for v in (st.session_state.get(Key.VISITS) or []) for no in v.case_nos}
fresh = [no for no in dict.fromkeys(st.session_state.get(Key.SELECTED_CASES) or []) if no not in built]
sent = list(dict.fromkeys([*(st.session_state.get(SENT) or []), *fresh]))
listed = {r.case.case_no for r in shown}
missing = [no for no in fresh if no not in listed]  # one sent before and now in a plan or handled: not said again
if (n_sent := sum(no in listed for no in sent)) or missing:
    st.info(md_text(f"已从关联分析或案件地图加入 {n_sent} 件，与排名前 N 件一并选取。"
                    + (f"另有 {len(missing)} 件不在当前候选中（已在进行中的计划里、已办结或被筛选掉）："
                       f"{'、'.join(missing[:5])}{'等' if len(missing) > 5 else ''}。" if missing else "")))
chosen_nos += [no for no in sent if no in listed and no not in set(chosen_nos)]
extra_options = [r.case.case_no for r in shown if r.case.case_no not in set(chosen_nos)]
# A reload keeps the letters added and taken out by hand, as far as they are still candidates (they were lost).
for _key, _options in (("sel_extra", extra_options), ("sel_drop", chosen_nos)):
    if isinstance(restored_form.get(_key), list) and _key not in st.session_state:
        # A letter taken out by hand last time and sent here again now is chosen: the sending is the newer word.
        st.session_state[_key] = [x for x in restored_form[_key] if x in set(_options) and x not in set(sent)]
extra = st.multiselect("另外加入（编号）", extra_options, key="sel_extra", placeholder="输入编号")
drop = st.multiselect("从选取中去掉（编号）", chosen_nos, key="sel_drop", placeholder="输入编号")
chosen_nos = [c for c in chosen_nos if c not in set(drop)] + list(extra)
# A repeat chain is visited once with all its letters: a letter chosen takes its chain's other candidates along
# (walk 2: 071 and 072 were planned, their first letter 015 was planned nowhere).
if chosen_nos:
    with session_scope(engine()) as _session:
        chained = whole_chains(_session, chosen_nos, pool)
    if chained:
        chosen_nos += list(chained)
        _first = next(iter(chained.items()))
        st.caption(md_text(f"另有 {len(chained)} 件是已选信访件的同一信访人就同一事项的来信，已一并选取、一次走访办理"
                           f"（如 {_first[0]} 随 {_first[1]}）：整条重复举报由同一走访点办结。"))
if trip_teams and len(chosen_nos) > capacity:
    # Walk C: N stayed at 40 when 2 working days made the estimate 16; the plan then left 必访 visits out. Walk W14:
    # 27 letters were warned against 24 points while they made 19: the points they make are counted, as 生成 would.
    try:
        n_points = len(build_visits([r for r in ranked if r.case.case_no in set(chosen_nos)], today=on, teams=teams,
                                    options=VisitOptions(), start=trip_start).visits)
    except USER_ERRORS:
        n_points = len(chosen_nos)
    if n_points > capacity:
        st.warning(f"选取了 {len(chosen_nos)} 件，合为 {n_points} 个走访点（同村的信访件合为一个点），按所选检查组和"
                   f"天数预计约可走访 {capacity} 个点：多出的 {n_points - capacity} 个点可能排不进计划。"
                   "可减少件数，或增加工作日、检查组。", icon=":material/warning:")

if sees_all_teams(actor) and trip_teams:
    # Walk U: leaders plan; what the office chooses here must reach them, and the page says to whom.
    with session_scope(engine()) as _session:
        _leaders = team_leaders(_session, trip_teams)
    _to = "、".join(f"{offered[t]}（组长 {'、'.join(_leaders[t])}）" if _leaders.get(t)
                   else f"{offered[t]}（尚无组长账户，由协调员或管理员规划）" for t in trip_teams)
    st.caption(md_text(f"生成的走访点将按驻地远近分给参加的检查组，交各组组长规划：{_to}。"
                       "组长只看到本组的走访点，可采用，也可保留自己的选件。"))
if st.button("生成走访点", type="primary", key="sel_build", disabled=not chosen_nos or not trip_teams):
    chosen = [r for r in ranked if r.case.case_no in set(chosen_nos)]
    try:
        build = build_visits(chosen, today=on, teams=teams, options=VisitOptions(), start=trip_start)
    except USER_ERRORS as exc:
        show_error(exc)
        st.stop()
    clear_after("select")
    st.session_state[Key.SELECTED_CASES] = [c for v in build.visits for c in v.case_nos]
    st.session_state[Key.VISITS] = list(build.visits)
    st.session_state[Key.TRIP] = PlanRequest(trip_start, int(n_days), tuple(trip_teams))
    st.session_state["selection_briefs"] = list(build.briefs)
    st.session_state["selection_skipped"] = list(build.skipped)
    st.session_state.pop(HANDOVER, None)  # one's own choice now stands over a hand-over
    st.session_state[SENT] = [no for no in sent if no in set(chosen_nos)]  # not those taken out by hand
    try:  # kept for this account: a reload of 选件 or 路线规划 finds it again
        with session_scope(engine()) as session:
            save_selection(session, actor.username, build.visits, st.session_state[Key.TRIP], _form())
            if sees_all_teams(actor):  # and each team's share handed to its leaders
                hand_over(session, actor, build.visits, st.session_state[Key.TRIP], teams)
    except Exception:  # the selection still stands in this session; only its copy for a reload is lost
        import logging

        logging.getLogger(__name__).exception("选件: could not keep the selection")

visits = st.session_state.get(Key.VISITS) or []
handover, shares, leaders = None, {}, {}
if sees_all_teams(actor) and visits:
    # What this account last handed to the teams' leaders, as it stands now (moves included), from the database.
    with session_scope(engine()) as _session:
        handover, shares = current_shares(_session, actor)
        leaders = team_leaders(_session, list(shares))
    if not {v.visit_id for vs in shares.values() for v in vs} & {v.visit_id for v in visits}:
        handover, shares = None, {}
if visits:
    # Names, never codes: teams, members (回避), same-day groups and skills as people call them.
    handed_to = {v.visit_id: offered.get(t, t) for t, vs in shares.items() for v in vs}
    st.subheader(f"走访点（{len(visits)} 个，含 {sum(len(v.case_nos) for v in visits)} 件）")
    st.dataframe(
        pd.DataFrame([{**row, "交给": handed_to.get(v.visit_id, "")} if handed_to else row
                      for v, row in zip(visits, visits_table(visits, teams), strict=True)]),
        hide_index=True,
        width="stretch",
    )
    if shares:
        st.info(md_text("已交给参加检查组的组长：" + "；".join(
            f"{offered.get(t, t)}{'（组长 ' + '、'.join(leaders[t]) + '）' if leaders.get(t) else '（尚无组长账户）'}"
            f" {len(vs)} 个走访点，{sum(len(v.case_nos) for v in vs)} 件" for t, vs in shares.items())
            + "。组长打开选件或路线规划即可看到本组的部分。"), icon=":material/forward_to_inbox:")
    if len(shares) > 1:
        _move_visit(shares, actor, teams, offered)
    for case_no, reason in st.session_state.get("selection_skipped") or []:
        st.warning(md_text(f"{case_no} 未纳入：{reason}"))
    # A 专长 (guessed from the category) that no team going has: say so now, not only after planning.
    going = [t for t in teams if t.team_id in set(trip_teams)] or list(teams)
    lacking = [v for v in visits if v.skills and not any(set(v.skills) <= t.all_skills() for t in going)]
    if lacking:
        needs = skill_names(tuple(dict.fromkeys(s for v in lacking for s in v.skills)))
        st.warning(md_text(
            f"{len(lacking)} 个走访点需要的专长（{needs}）参加的检查组都不具备："
            f"{'、'.join(v.label or v.visit_id for v in lacking[:5])}{'等' if len(lacking) > 5 else ''}。"
            "路线规划时可对单个走访点选择“不要求…专长”，或请管理员在“检查组”页为成员录入专长。"),
            icon=":material/engineering:")
    with session_scope(engine()) as session:
        gazetteer = office_gazetteer(session)
        tiles = usable_settings(session)[0].tiles
    st_folium(candidates_map(visits, tiles=tiles, gazetteer=gazetteer), use_container_width=True, height=420,
              returned_objects=[], key="sel_map")
    def _visits_csv(chosen: tuple = tuple(visits)) -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            path = write_visits_csv(list(chosen), Path(tmp) / "visits.csv", member_names=member_names(teams))
            return Path(path).read_bytes()

    # Built when clicked, after the session is re-checked (a stopped or demoted account gets no file).
    st.download_button("下载 visits.csv", live_download(_visits_csv, actor, st.session_state.get(Key.SESSION_TOKEN),
                                                      engine()),
                       file_name=f"visits-{on.isoformat()}.csv", mime="text/csv", key="sel_download",
                       on_click="ignore")
    page_link(PAGE_PLANNING, label="下一步：路线规划", icon=":material/route:")
