"""行程: a team's day on a phone — today first, the next stop, the route map, stop cards with navigation and outcome
recording — and the field packet in every format. Officers land on their own team's day; others choose a plan."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from contextlib import nullcontext
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from pages.common import (
    PAGE_ITINERARY,
    PAGE_PLANNING,
    Key,
    actor_name,
    clear_after,
    engine,
    guard,
    live_actor,
    live_download,
    one_at_a_time,
    page_actor,
    show_error,
    today,
)
from planner import field as export
from planner.domain import VisitResult
from planner.errors import USER_ERRORS, InputError
from planner.field.day import (
    NO_TEAM_ITINERARY,
    RESULTS,
    StopCard,
    StopRecord,
    TeamDay,
    done_mark,
    officer_day,
    other_days_text,
    other_live_days,
    save_stop_outcome,
)
from planner.field.day_state import day_state
from planner.field.home_day import home_day, home_text
from planner.field.late_days import late_days
from planner.field.map_layers import route_map
from planner.field.recorded import stop_marks
from planner.field.replanned import with_changes
from planner.field.visit_times import card_recorded, card_rows
from planner.followup.outcomes import recordable_on
from planner.followup.solved_count import unsolved_count_note
from planner.office.authorisation import (
    CaseRef,
    TeamRef,
    authorise_cases,
    filter_plan_for,
    is_allowed,
    plan_case_nos,
    team_scope,
)
from planner.office.privacy import md_text
from planner.office.security import MIN_REASON_CHARS
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, plan_status
from planner.store.moved_letters import moved_letters, with_current_places

st.title("行程")
# Leaders and officers see only their own teams' routes: in the plan list, the team choice and every download.
actor = page_actor(PAGE_ITINERARY)
now = today()
just_saved = st.session_state.get(Key.ITINERARY_SAVED)
st.session_state[Key.ITINERARY_SAVED] = None
_SCOPE = "it_scope"  # the teams (team_scope) the plan on screen was opened for
_SCOPE_TURN = "it_scope_turn"  # how many times they changed: new choice widgets each time (see below)
_UNSAVED = "it_unsaved_moved"  # what an officer moved off a stop's team had typed there (_kept_after_move)


def _plans() -> list[tuple[int, str]]:
    """Saved plans as (id, label), newest first; empty when the plan store is not available."""
    try:
        from planner.store.plan_labels import choice_labels
        from planner.store.plans import list_plans

        with session_scope(engine()) as session:
            rows = list_plans(session, actor=actor)
            labels = choice_labels(session, rows, scope=team_scope(actor))
    except (ImportError, *USER_ERRORS):
        return []
    # 版, days, teams, who saved it and when, the status (a draft must not look like an issued plan), and the visits:
    # a walker could not tell an older version of a plan from the newer one.
    return [(r.plan_id, f"{labels[r.plan_id]} · {r.visits} 个走访点") for r in rows]


def _load_saved(plan_id: int) -> Any:
    """The saved plan as stored; today's details are added where the page shows it (below), for every source."""
    from planner.store.plans import load_plan

    with session_scope(engine()) as session:
        return load_plan(session, plan_id, actor=actor)


def _may_unmask(who: object) -> bool:
    try:
        from planner.office.security import unmask_allowed
    except ImportError:
        return False
    return type(who).__name__ == "Actor" and unmask_allowed(who)


def _team_words(team_ids: frozenset[str], planned: dict[str, Any]) -> str:
    """``第二检查组``: the names the office gives the teams now, else the plan's (``planned``)."""
    from planner.store.teams import load_teams

    with session_scope(engine()) as session:
        names = {t.team_id: t.name for t in load_teams(session, active_only=False, team_ids=tuple(sorted(team_ids)))}
    return "、".join(names.get(t) or getattr(planned.get(t), "name", "") or t for t in sorted(team_ids))


# --- teams changed by the administrator while the page is open (walk W6/F7): the saved plan in the session was opened
# for the account's old teams (a plan is loaded with only the account's own routes), so an officer moved from T1 to T2
# saw 还没有可查看的计划 until a reload. The day is chosen again, for the account as the login gate re-read it.
scope = team_scope(actor)
teams_changed = False
if scope is not None and st.session_state.get(_SCOPE) not in (None, scope) \
        and st.session_state.get(Key.PLAN_ID) is not None:  # an unsaved plan (路线规划) is kept: it has no copy
    clear_after("select")
    st.query_params.clear()
    # The browser keeps what its plan/team/day boxes showed (第一检查组) unless they are new widgets.
    st.session_state[_SCOPE_TURN] = st.session_state.get(_SCOPE_TURN, 0) + 1
    teams_changed = True
st.session_state[_SCOPE] = scope
_turn = f"_{st.session_state[_SCOPE_TURN]}" if st.session_state.get(_SCOPE_TURN) else ""

# --- a reload (or a phone that dropped the tab) keeps the saved plan, team and day on screen: they travel in the
# address (?plan=3&team=T1&day=2026-12-04); the plan is opened with this account's rights, as any other time.
# Walk W12: another team's plan or team, or a plan that does not exist, is refused as before but said to be, in words
# that tell nothing of it (an unknown plan and another team's read alike); the team asked for is checked below.
refused = ""  # what the address asked for that this account may not see
asked_team = None
if st.session_state.get(Key.PLAN_DOC) is None and (asked := st.query_params.get("plan")):
    asked_team = st.query_params.get("team")
    try:  # walk W22: a day that is no date (?day=xx) had been refused as "计划 #1 不存在或你无权查看"
        asked_day = dt.date.fromisoformat(st.query_params["day"]) if st.query_params.get("day") else None
    except ValueError:
        asked_day, refused = None, f"地址中的日期“{st.query_params['day'].strip()[:12]}”无法识别"
    try:
        asked_id = int(asked)
        reopened = _load_saved(asked_id)
    except (*USER_ERRORS, ValueError):
        st.query_params.clear()  # a plan gone, or not this account's: start from the account's own day
        refused = (f"计划 #{asked.strip()[:12]} 不存在或你无权查看" if team_scope(actor) else
                   f"计划 #{asked.strip()[:12]} 不存在")
        asked_team = None
    else:
        clear_after("plan")
        st.session_state[Key.PLAN_ID] = asked_id
        st.session_state[Key.PLAN_DOC] = reopened
        st.session_state[Key.ITINERARY_TEAM] = asked_team
        st.session_state[Key.ITINERARY_DATE] = asked_day
refused_note = st.empty()  # said above the day, once the day shown is known

saved = _plans()
gone_day = ""  # a day asked for (?day=) that the team no longer has in this plan
# Who cannot plan (an officer) is sent to the team's leader when nothing is there, not to 路线规划.
plans_here = is_allowed(actor, "plan")

# --- an officer's first visit to the page: today's route of their own team, or the next day that has one
landing: TeamDay | None = None
said_teams = st.empty()  # said above the day, once it is known
if st.session_state.get(Key.PLAN_DOC) is None and team_scope(actor):
    try:
        with session_scope(engine()) as session:
            landing = officer_day(session, actor, now)
        if landing is not None:
            opened = _load_saved(landing.plan_id)
    except USER_ERRORS as exc:
        show_error(exc)
        landing = None
    if landing is not None:
        clear_after("plan")
        st.session_state[Key.PLAN_ID] = landing.plan_id
        st.session_state[Key.PLAN_DOC] = opened
        st.session_state[Key.ITINERARY_TEAM] = landing.team_id
        st.session_state[Key.ITINERARY_DATE] = landing.date
        if landing.date != now:
            st.info(f"本组今天没有行程，下面是下一个行程日：{landing.label(now)}。")
    elif saved or plans_here:
        # An officer goes by issued plans only: their leader's draft for tomorrow is not a route yet, and says so.
        st.info(("本组今天及以后没有排定的行程。" if plans_here else
                 NO_TEAM_ITINERARY.replace("还没有已下发的行程", "今天及以后没有已下发的行程"))
                + "可在下方“换计划、检查组或日期”中查看以往的行程。")

if (unsaved := st.session_state.get(_UNSAVED)) and unsaved.get("user") == actor_name():
    # Walk W6/F7: the save refused after a move said only 请刷新页面后再保存 and the new team's day replaced the form.
    to = _team_words(unsaved["to"], getattr(st.session_state.get(Key.PLAN_DOC), "teams", None) or {})
    st.error(md_text(f"未保存：{f'你已被调到{to}' if to else '你已不在任何检查组'}（管理员刚刚调整）{unsaved['said']}"),
             icon=":material/block:")
    if unsaved.pop("toast", False):  # the phone may be scrolled down to where the form was: said there too, once
        st.toast("未保存：你的检查组已调整，填写的内容保留在页面顶部。", icon=":material/block:", duration="long")
    st.code(unsaved["text"], language=None, wrap_lines=True)  # as typed, to copy or read out to the leader
    if st.button("已交给组长，不再显示", key="it_unsaved_done", icon=":material/done:"):
        st.session_state.pop(_UNSAVED, None)
        st.rerun()

if teams_changed:
    planned = getattr(st.session_state.get(Key.PLAN_DOC), "teams", None) or {}
    said_teams.info((f"你的检查组已改为{_team_words(scope, planned)}" if scope else "你已不在任何检查组")
                    + "（管理员刚刚调整）" + ("：下面是本组的行程。" if landing is not None else "。"),
                    icon=":material/group:")


def _switch_plan(other: TeamDay) -> None:
    """Open ``other`` (the same team and day in another live plan) in place of the plan shown."""
    try:
        opened = _load_saved(other.plan_id)
    except USER_ERRORS as exc:
        st.session_state["it_switch_error"] = str(exc)
        return
    clear_after("plan")
    st.session_state[Key.PLAN_ID] = other.plan_id
    st.session_state[Key.PLAN_DOC] = opened
    st.session_state[Key.ITINERARY_TEAM] = other.team_id
    st.session_state[Key.ITINERARY_DATE] = other.date
    st.session_state[f"it_plan{_turn}"], st.session_state[f"it_team{_turn}"], st.session_state[f"it_date{_turn}"] = (
        other.plan_id, other.team_id, other.date)


# Walk W26: on the trip's second day nothing said the day before still had stops 待登记 (no outcome recorded):
# each earlier day of a live plan with such stops is named here, one tap to open it (planner.field.late_days).
late_box = st.container()

# --- choose the plan, the team and the day (folded away once a day is shown)
doc = st.session_state.get(Key.PLAN_DOC)
# Walk W13: an officer with no plan to open saw this box empty (no saved plan to list, no upload for them): it is
# drawn only when it holds something; the sentence below says why there is no itinerary.
choosable = bool(saved) or plans_here or doc is not None
# Walk W13: an officer with one plan, one team and one day saw three selects of one choice each. With nothing to
# choose (one plan, no upload, one team and one day of it) no box is drawn, a line says what is shown.
fixed = False
if choosable and not plans_here and len(saved) + (doc is not None and st.session_state.get(Key.PLAN_ID) is None) <= 1:
    try:
        only = doc if doc is not None or not saved else _load_saved(saved[0][0])
    except USER_ERRORS:
        only = None  # said below, where the plan is opened
    only = filter_plan_for(actor, only) if only is not None else None
    fixed = only is not None and len({(r.team_id, r.date) for r in only.plan.routes}) == 1
with (st.expander("换计划、检查组或日期", expanded=doc is None, icon=":material/swap_horiz:") if choosable and not fixed
      else nullcontext()):
    if saved:
        current = st.session_state.get(Key.PLAN_ID)
        # A plan made on 路线规划 but not saved yet stays choosable (None) next to the saved ones.
        options = ([None] if doc is not None and current is None else []) + [pid for pid, _ in saved]
        labels = {None: "当前计划（未保存）", **dict(saved)}
        pick = options[0] if fixed else st.selectbox(
            "已保存的计划", options, index=options.index(current) if current in options else 0,
            format_func=labels.get, key=f"it_plan{_turn}")
        if not fixed and pick is not None:  # a phone's box cuts the label off: the whole of it, wrapped
            st.caption(f"所选计划：{labels[pick]}")
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
    upload = st.file_uploader("或上传 plan.json", type=["json"], key="it_upload") if is_allowed(actor, "plan") else None
    if upload is not None:
        try:
            doc = export.load_document(json.loads(upload.getvalue().decode("utf-8")))
            # Walk H: a hand-made file naming another team's cases on this team's stop showed their details (filled
            # in from the database below); as for a visits.csv on 路线规划, every known case must be this account's.
            with session_scope(engine()) as session:
                authorise_cases(actor, "plan", plan_case_nos(filter_plan_for(actor, doc)), session=session)
        except (*USER_ERRORS, UnicodeDecodeError, json.JSONDecodeError) as exc:
            show_error(exc if isinstance(exc, USER_ERRORS) else InputError(f"plan.json: {exc}"))
            st.stop()
        st.session_state[Key.PLAN_DOC] = doc
        st.session_state[Key.PLAN_ID] = None  # an uploaded plan is not a saved one: no outcome is recorded against it
    if doc is not None:
        doc = filter_plan_for(actor, doc)  # whatever the plan's source: only the routes of this account's teams
    if doc is not None and doc.plan.routes:
        teams = sorted({r.team_id for r in doc.plan.routes})
        names = {t: (doc.teams[t].name if t in doc.teams else t) for t in teams}
        cur_team = st.session_state.get(Key.ITINERARY_TEAM)
        team_id = teams[0] if fixed else st.selectbox(
            "检查组", teams, index=teams.index(cur_team) if cur_team in teams else 0, format_func=names.get,
            key=f"it_team{_turn}")
        days = sorted(r.date for r in doc.plan.routes if r.team_id == team_id)
        cur_day = st.session_state.get(Key.ITINERARY_DATE)
        # Today first: without a chosen day, the plan's day nearest from today on (else its last day).
        default = cur_day if cur_day in days else next((d for d in days if d >= now), days[-1])
        if cur_day is not None and cur_day not in days and cur_team in (team_id, None):  # walk 2: said, not swapped
            gone_day = f"{names[team_id]} {cur_day.isoformat()} 在本计划中已没有行程（重新规划时取消或改到了其他日期）"
        day = days[0] if fixed else st.selectbox("日期", days, index=days.index(default),
                                                 format_func=lambda d: TeamDay(d, "", 0).label(now),
                                                 key=f"it_date{_turn}")
        st.session_state[Key.ITINERARY_TEAM] = team_id
        st.session_state[Key.ITINERARY_DATE] = day
        if fixed:
            plan_said = dict(saved).get(st.session_state.get(Key.PLAN_ID)) or "当前计划（未保存）"
            st.caption(f"显示：{plan_said} · {names[team_id]} · {TeamDay(day, '', 0).label(now)}"
                       "（只有这一个计划、检查组和日期可看）")
if gone_day:
    st.warning(f"{gone_day}；下面是 {day.isoformat()} 的行程。", icon=":material/event_busy:")
if asked_team and doc is not None and doc.plan.routes and asked_team not in teams:
    refused = "；".join(filter(None, (refused, f"你无权查看检查组 {asked_team[:20]} 的行程" if team_scope(actor) else
                                     f"本计划没有检查组 {asked_team[:20]} 的行程")))
if refused:
    shown = doc is not None and doc.plan.routes
    refused_note.warning(md_text(f"{refused}，已显示{'本组' if team_scope(actor) else names[team_id]}的行程。" if shown
                                 else f"{refused}。"), icon=":material/block:")
shown = (day, team_id, st.session_state.get(Key.PLAN_ID)) if doc is not None and doc.plan.routes else None
if scope is not None or shown is not None:  # who sees every team: the days of the team shown
    with session_scope(engine()) as session:
        lates = late_days(session, actor, now, team_ids=() if scope is not None else (team_id,))
    for n, late in enumerate(lates):  # the day on screen is named too, with no button to open it again
        late_box.warning(md_text(late.text(now, team=scope is None or len(scope) > 1)),
                         icon=":material/pending_actions:")
        if (late.day.date, late.day.team_id, late.day.plan_id) != shown:
            late_box.button(late.button_text(now), key=f"it_late_{n}", on_click=_switch_plan, args=(late.day,),
                            icon=":material/edit_note:", width="stretch")
guard(doc is not None and doc.plan.routes,
      "还没有可查看的计划。" + ("请先在路线规划页生成并保存计划。" if plans_here else NO_TEAM_ITINERARY), PAGE_PLANNING)
# Whatever the plan's source — kept in the session just after 保存/下发 on 路线规划, reopened from the address or
# the list, uploaded — the screen and every download show it with today's details (members from the team's
# accounts, 位置为估计, 保密, the current repeat list), exactly as a reload would (walk N4); on each run, so a
# letter settled or planned meanwhile is seen at once. The session keeps the plan as saved.
with session_scope(engine()) as session:
    doc = export.enrich_cases(doc, session)
    # Walk W11: a letter the register moved since the plan was made is shown at its place now, and said to be.
    moved = moved_letters(session, doc, st.session_state.get(Key.PLAN_ID)) if doc.cases else []
    doc = with_current_places(session, doc, moved, split=False)
moved = {m.case_no: m for m in moved}

try:
    it = export.build_itinerary(doc, team_id, day)
except USER_ERRORS as exc:
    show_error(exc)
    st.stop()
plan_id = st.session_state.get(Key.PLAN_ID)
if plan_id is not None:  # a stop recorded 改期 today that a re-plan moved on stays on today, put off (as downloaded)
    with session_scope(engine()) as session:
        it = with_changes([it], session, doc, plan_id, today=now)[0]
if plan_id is not None:
    st.query_params.from_dict({"plan": str(plan_id), "team": team_id, "day": day.isoformat()})
else:
    st.query_params.clear()
may_record = plan_id is not None and is_allowed(actor, "record_outcome")
with session_scope(engine()) as session:
    # One rule for 行程, 首页 and 回访跟踪 (planner.field.day_state): recorded here, settled, closed, held by another
    # team's plan (said, no form), its 回访 or the visit itself recorded since elsewhere (in 回访跟踪, a later day).
    state = day_state(session, it, plan_id=plan_id, actor=actor, team_names={t: x.name for t, x in doc.teams.items()})
    status = plan_status(session, plan_id)[0] if plan_id is not None else None
records, marked, held, view = state.records, state.marked, state.held, state.view()
next_stop = view.next_stop
# What the top card is: today the next stop; on a day ahead the first stop (not 下一站 ten days early); on a day
# gone the first stop still without an outcome.
lead_word = "下一站" if day == now and status is not PlanStatus.DONE else ("首站" if day > now else "待登记")


FIELDS = ("result", "households", "leads", "solved", "findings", "resolved", "back", "later")


def _draft_id(case_no: str) -> str:
    """Short stable id of one visit's form (user, plan, team, day, case): widget keys and the phone's draft copy.

    The user is part of it: on a shared phone, the next officer of the same team never gets the previous one's draft.
    """
    key = f"{actor_name()}|{plan_id}|{team_id}|{day.isoformat()}|{case_no}"
    return hashlib.sha1(key.encode()).hexdigest()[:12]


def _save(ref: TeamDay, case_no: str, draft: str, record: StopRecord | None, team_name: str, kept=False) -> None:
    """Form callback: save one case's outcome at a stop; the form keeps its values until the save succeeds."""
    # Walk W11: a double tap on 保存 runs this twice at once (fast reruns start the second tap's run beside the
    # first): one save of a form at a time, the second seeing what the first saved.
    with one_at_a_time(draft):
        _save_form(ref, case_no, draft, record, team_name, kept)


def _save_form(ref: TeamDay, case_no: str, draft: str, record: StopRecord | None, team_name: str,
               kept: bool = False) -> None:
    # Run before the login gate: the account is re-read (moved, stopped, password reset since the form was drawn?)
    # and the outcome is saved as it is now, or not at all, the page saying why; a change that leaves the account's
    # right over this stop (a new display name, a team added) saves what was typed.
    values = {f: st.session_state.get(f"xf_{draft}_{f}") for f in FIELDS}
    loaded = st.session_state.get(f"xf_{draft}_loaded", record.version if record is not None else None)
    cleared = all(values[f] is None for f in ("households", "leads", "solved", "findings"))  # drawn: 0 and ""
    if cleared and (sent := st.session_state.get(f"xf_{draft}_sent")) is not None:
        # The form's values were cleared by the save this tap repeats, before the form was drawn again (walk W11:
        # 结果：应为…收到 None): the same form sent twice. It is saved as it was sent; save_stop_outcome says 已保存
        # when the record holds exactly that, and refuses it if someone else changed the record meanwhile.
        values, loaded = dict(sent["values"]), sent["loaded"]
    if (writer := live_actor("record_outcome", objs=(TeamRef(ref.team_id), CaseRef(case_no)))) is None:
        _kept_after_move(ref, case_no, values, team_name)
        return
    if values["result"] == VisitResult.POSTPONED.value:
        # A visit put off did not happen: the form hides its counts and 问题已当场化解 (static/phone.css), and what
        # was typed there before 改期 was chosen is not saved.
        values.update(households=0, leads=0, solved=0, resolved=False, back=False)
    else:
        values["later"] = None  # 改到哪天 is hidden unless 改期 is chosen
        # Walk W37: 问题已当场化解 ticked with 解决问题 0 stored 0 and 统计 undercounted; asked here (a form does not
        # rerun on a tick to put 1 in). Not at a 回访 stop: a problem still solved was counted when it was solved.
        if ask := unsolved_count_note(resolved=bool(values["resolved"]) and values["result"] == VisitResult.VISITED
                                      .value, solved=values["solved"], kept=kept, label="问题已当场化解"):
            st.session_state[Key.ITINERARY_SAVED] = {"draft": draft, "error": InputError(ask)}
            return
    try:
        with session_scope(engine()) as session:
            save_stop_outcome(session, ref, case_no, result=values["result"],
                              households=int(values["households"] or 0), leads=int(values["leads"] or 0),
                              solved=int(values["solved"] or 0),
                              findings=str(values["findings"] or ""), resolved=bool(values["resolved"]),
                              problem_back=bool(values["back"]), put_off_to=values["later"] or None,
                              who=writer.username, actor=writer, today=now,
                              expected_version=loaded)
    except USER_ERRORS as exc:
        st.session_state[Key.ITINERARY_SAVED] = {"draft": draft, "error": exc}
        return
    st.session_state[f"xf_{draft}_sent"] = {"values": dict(values), "loaded": loaded}
    for f in (*FIELDS, "loaded"):
        st.session_state.pop(f"xf_{draft}_{f}", None)
    # As 回访跟踪 says it after a 回访 that found the problem back.
    found_back = values["back"] and values["result"] == VisitResult.VISITED.value
    back = " 回访发现问题反弹、仍未解决：信访件回到“已下访”。" if found_back else ""
    if values["result"] == VisitResult.POSTPONED.value:
        later = values["later"]
        back = (f" 已改期，约定 {later.isoformat()} 再访：组长重新规划时从这一天起安排。" if later
                else " 已改期，新的日期未约定：约定后可在此更正，填写“改到哪天”。")
    st.session_state[Key.ITINERARY_SAVED] = {
        "draft": draft,
        "n": time.time_ns() % 10**12,  # each confirmation is new to the phone (static/phone.js forgets the draft once)
        "text": f"已保存信访件 {case_no} 的走访结果（{ref.date.isoformat()}，{team_name}），回访跟踪和统计中即可看到。"
                + back,
    }


def _kept_after_move(ref: TeamDay, case_no: str, values: dict[str, Any], team_name: str) -> None:
    """A save refused because the administrator moved the account off the stop's team (walk W6/F7): the refusal
    said 请刷新页面后再保存 and the next run showed the new team's day, the result picked gone without a word. What
    was typed is kept (:data:`_UNSAVED`) with what happened, for the page to show until the officer has handed it to
    the leader. Only this stop's own form values and team are said; nothing else of the old team."""
    from planner.office.security import get_actor

    was = st.session_state.get(Key.ACTOR)
    box = st.session_state.get(Key.REFUSED_DOWNLOADS)
    if type(was).__name__ != "Actor" or not box or not str(box[-1]).endswith("权限已变更，请刷新页面后再保存"):
        return  # stopped, signed out, password reset: said as it is
    with session_scope(engine()) as session:
        now_is = get_actor(session, was.username)
    if now_is is None or now_is.role != was.role or ref.team_id in now_is.team_ids:
        return
    box.pop()
    result = VisitResult(values["result"]) if values.get("result") else None
    lines = [f"信访件 {case_no}，{ref.date.isoformat()}，{team_name}",
             f"结果：{result.label if result is not None else '未选择'}"]
    if result is VisitResult.POSTPONED:
        lines.append(f"改到哪天：{values['later'].isoformat() if values.get('later') else '未约定'}")
    else:
        n = {f: int(values.get(f) or 0) for f in ("households", "leads", "solved")}
        lines.append(f"入户走访 {n['households']} 户次；收集线索 {n['leads']} 条；解决问题 {n['solved']} 个；"
                     f"问题已当场化解：{'是' if values.get('resolved') else '否'}"
                     + ("；回访发现问题反弹、仍未解决" if values.get("back") else ""))
    lines.append(f"核查情况：{values.get('findings') or '（未填写）'}")
    st.session_state[_UNSAVED] = {  # the new teams are named by the run that opens their day (the plan has them)
        "user": was.username, "to": frozenset(now_is.team_ids), "toast": True,
        "said": f"；信访件 {case_no} 的走访点属于{team_name}，你选择的结果（{lines[1].removeprefix('结果：')}）"
                f"没有保存。填写的内容如下，请交给{team_name}组长登记：",
        "text": "\n".join(lines),
    }


def _recorded(record) -> None:
    """已登记 and the record as it stands; under it who of the office corrected it last, and when (walk W17: a
    coordinator's 不实 → 属实 left the phone reading the officer's record as if untouched)."""
    st.markdown(f"**已登记**：{md_text(record.text())}")
    if record.corrected:
        st.caption(md_text(f"{record.corrected}；以上为更正后的记录"))


def _outcome_form(case_no: str, *, open_form: bool, return_visit: bool = False) -> None:
    """The record form of one case at a stop: result, households, leads, problems solved, findings — then 保存; at a
    回访 stop also whether the 回访 found the problem back."""
    if not may_record or case_no in held:
        if plan_id is None:
            st.caption("这是未保存的计划：保存后才能在此登记走访结果。")
        return
    if not recordable_on(day):
        st.caption(f"{day.isoformat()} 还没到：走访当天起可在此登记走访结果。")
        return
    draft = _draft_id(case_no)
    record = records.get(case_no)
    if just_saved and just_saved.get("draft") == draft and just_saved.get("error") is not None:
        show_error(just_saved["error"])
        st.warning("走访结果未保存，已填写的内容仍在表单中。", icon=":material/warning:")
    # The version of the record the form's values came from, kept until they are saved: a correction someone else
    # saved meanwhile is then refused (ConflictError), not overwritten by the values shown before it.
    st.session_state.setdefault(f"xf_{draft}_loaded", record.version if record is not None else None)
    if record is not None:
        _recorded(record)
        for f, v in (("result", record.result.value), ("households", record.households), ("leads", record.leads),
                     ("solved", record.solved), ("findings", record.findings), ("resolved", record.resolved),
                     # A 回访 recorded 已走访 without the problem resolved is one that found it back (save_stop_outcome
                     # keeps a letter 已化解 otherwise).
                     ("back", return_visit and record.result is VisitResult.VISITED and not record.resolved),
                     ("later", record.put_off_to)):
            st.session_state.setdefault(f"xf_{draft}_{f}", v)
    label = "修改走访结果" if record is not None else "登记走访结果"
    # The box's key carries the version of the record the form shows (v0: none). static/phone.js keeps a typed draft
    # with that version and refills the form from it only while the record is still that version: a draft is never
    # older than the saved record it would overwrite.
    version = record.version if record is not None else 0
    # Walk W29: the next stop's form was an expander drawn open, its header (no open/closed mark beside an icon) at the
    # foot of the screen and the form below it: the officer's first tap on 登记走访结果 closed the form unseen, the
    # second opened it. A form drawn open is a box that stays open, its title no toggle; the others open on one tap.
    shell = (st.container(border=True) if open_form and record is None
             else st.expander(label, icon=":material/edit_note:"))
    with shell, st.container(key=f"xfdraft_{draft}_v{version}"), st.form(f"it_form_{draft}", border=False):
        if open_form and record is None:
            st.markdown(f"**{label}**")  # no icon: in Markdown its ligature is read out as "edit_note"
        # 改期 is the last choice (RESULTS): static/phone.css shows 改到哪天 and hides the counts and 问题已当场化解
        # while it is picked (a form does not rerun the page on a choice; walk 1: 问题已当场化解 could be ticked).
        # Nothing picked until the officer picks (walk W13: 已走访 was picked, one tap on 保存 recorded a visit that
        # had not happened); save_stop_outcome refuses a form saved without one.
        st.radio("结果", [r.value for r in RESULTS], format_func=lambda v: VisitResult(v).label, horizontal=True,
                 index=None, key=f"xf_{draft}_result")
        with st.container(key=f"xfwork_{draft}"):
            c1, c2 = st.columns(2)
            c1.number_input("入户走访（户次）", min_value=0, step=1, key=f"xf_{draft}_households")
            c2.number_input("收集线索（条）", min_value=0, step=1, key=f"xf_{draft}_leads")
            # The same 解决问题（个） as the 回访跟踪 form: what 统计 sums, apart from 问题已当场化解 (推动解决问题,
            # 件). A row of its own: under 入户走访 in the first column, a phone stacked it between 入户走访 and
            # 收集线索 (walk C), not in 回访跟踪's order.
            c3, _ = st.columns(2)
            c3.number_input("解决问题（个）", min_value=0, step=1, key=f"xf_{draft}_solved")
        with st.container(key=f"xflater_{draft}"):
            # Walk 1: the new day went into the text (约定12月9日) and the leader's plan did not know it. Not a day
            # gone, nor the visit's own; a day agreed before and gone since stays choosable in its record's form.
            earliest = max(now, day + dt.timedelta(days=1))
            if record is not None and record.put_off_to is not None:
                earliest = min(earliest, record.put_off_to)
            st.date_input("改到哪天（约定的新日期，可不填）", value=None, min_value=earliest, format="YYYY-MM-DD",
                          key=f"xf_{draft}_later")
        st.text_area("核查情况（未找到、改期时写原因）", key=f"xf_{draft}_findings", height=96)
        with st.container(key=f"xfwork2_{draft}"):
            st.checkbox("问题已当场化解", key=f"xf_{draft}_resolved")
        if return_visit:
            # Off by default, as 回访跟踪's 问题保持解决 is on: a 回访 keeps a letter 已化解 unless the officer says the
            # problem came back (the library's problem_back), which sends it back to 已下访.
            st.checkbox("回访发现问题反弹、仍未解决", key=f"xf_{draft}_back")
            st.caption("回访时问题仍已解决：不勾选，问题保持解决，信访件仍为“已化解”；"
                       "回访发现问题反弹、仍未解决：勾选此项，保存后信访件回到“已下访”。")
        st.form_submit_button("保存", type="primary", width="stretch", on_click=_save,
                              args=(TeamDay(day, team_id, plan_id), case_no, draft, record, it.team.name or team_id,
                                    return_visit))


def _nav(card: StopCard, *, primary: bool) -> None:
    """One tap to navigate: Amap (GCJ-02) and Baidu (BD-09) open the phone's map app at the stop."""
    c1, c2 = st.columns(2)
    c1.link_button("高德导航", card.nav.amap_web, type="primary" if primary else "secondary", width="stretch",
                   icon=":material/navigation:")
    c2.link_button("百度导航", card.nav.baidu_web, width="stretch", icon=":material/near_me:")


def _done_mark(card: StopCard) -> str:
    """（已完成）, or what was recorded when the stop was not visited (walk M: a 改期 stop read 已完成); the day's
    files say the same (planner.field.day.done_mark)."""
    return f"（{done_mark(card, marked) or '已完成'}）"


def _handling_order(cases: tuple) -> list:
    """The stop's letters with each one that takes the outcome first and its repeat letters (form collapsed) right
    after it (team leader's walk: the repeat listed first, an officer on a phone scrolled past the letter to record)."""
    here = {c.case_no for c in cases}
    later: dict[str, list] = {}
    for c in cases:
        if c.repeat_of in here:
            later.setdefault(c.repeat_of, []).append(c)
    out = []
    for c in cases:
        if c.repeat_of not in here:
            out += [c, *later.get(c.case_no, ())]
    return out + [c for c in cases if c not in out]  # a repeat of a repeat (never made so) is not lost


def _card(card: StopCard, *, top: bool) -> None:
    """A stop: times, place, its cases with summary and deadline, navigation, 访前五问 and the record forms."""
    # Words, not emoji or icon glyphs: an office PC may lack an emoji font (walk I saw ✅ as a box), and an icon's
    # accessible name is English (check_circle icon).
    mark = "（回访）" if card.return_visit else ""
    if card.put_off:  # recorded 改期 today, moved off today's route since: what was recorded, nothing to do here
        st.markdown(f"### {md_text(card.place)}{mark}（{md_text(card.put_off)}）")
        for case in card.cases:
            st.markdown(f"**{md_text(case.case_no)}** · {md_text(case.category or '未分类')}")
            if case.case_no in records:
                _recorded(records[case.case_no])
        st.caption("此站已移出本日线路：改期记录保留在走访记录中，新的走访日期见上。")
        return
    head = f"{lead_word}：{card.seq}. " if top else f"{card.seq}. "
    st.markdown(f"### {head}{md_text(card.place)}{mark}{_done_mark(card) if card.done and not top else ''}")
    # A letter the register moved off this stop (walk W12b): the stop is still the planned one until the re-plan.
    if gone := [m for c in card.cases if (m := moved.get(c.case_no)) and not m.whole_stop and m.planned != m.now]:
        st.caption(md_text("；".join(f"{m.case_no} 地点已改为 {m.now}，待组长重新规划" for m in gone)))
    # Its planned time and time window, recorded or not; when a result was recorded beside them (walk W26: the
    # recorded minute replaced the planned time and reordered the list), as every sheet says it.
    when = card_recorded(card, marked, day)
    st.markdown(f"**{card.times()}**" + (f" · {when.text()}" if when else ""))
    if card.estimate:  # a seat standing for the place: the times are a guide, not an appointment
        st.caption(md_text(card.estimate))
    _nav(card, primary=top)
    for case in _handling_order(card.cases):
        st.markdown(f"**{md_text(case.case_no)}** · {md_text(case.category or '未分类')}")
        if case.systemic:  # the same matter in other counties: worth knowing on site, in counts only
            st.info(md_text(case.systemic), icon=":material/hub:")
        if case.confidential:
            st.warning(md_text(case.confidential), icon=":material/lock:")
        if case.case_no in moved:
            st.warning(md_text(moved[case.case_no].officer_note()), icon=":material/wrong_location:")
        st.markdown(md_text(case.summary) or "（无摘要）")
        if case.repeats:
            st.caption(md_text(case.repeats))
        if case.settled_text():  # a repeat letter: handled with its first letter (the stop may be done without it)
            (st.success if case.handled else st.info)(md_text(case.settled_text()), icon=":material/done_all:")
        if case.closed:  # closed in 回访跟踪 or at another visit since the plan was issued
            st.success(md_text(case.closed), icon=":material/done_all:")
        text = case.deadline_text(now, day)
        # A letter this visit resolved met its deadline: no 办理期限 (walk C: a month on, the stop of a letter
        # resolved here read 办理期限 2026-12-14（已超期 24 天） in red).
        resolved_here = case.case_no in records and records[case.case_no].resolved
        if text and not case.settled_with and not case.closed and not resolved_here:
            st.markdown(f":red[**{md_text(text)}**]" if case.overdue(now, day) else md_text(text))
        _outcome_form(case.case_no,
                      open_form=top and not case.settled_with and not case.repeat_of and not case.closed,
                      return_visit=card.return_visit)
    with st.expander("访前五问", icon=":material/help:"):
        st.markdown("\n".join(f"{i}. {md_text(q)}" for i, q in enumerate(view.five_questions, start=1)))


# --- one tap back to the day the page opens on (today's route): on a phone, the browser's back button does not go
# back from another day or plan chosen here (the address is replaced, not added to).
with session_scope(engine()) as session:
    home = home_day(session, actor, now, TeamDay(day, team_id, plan_id or 0), days)
if home is not None:
    st.button(home_text(home, now), key="it_home", on_click=_switch_plan, args=(home,), icon=":material/arrow_back:",
              width="stretch")

# --- the day at a glance, then the next stop first
st.subheader(it.title())
if plan_id is not None:  # another live plan books this team on this day too: say so, one tap to see it
    with session_scope(engine()) as session:
        others = other_live_days(session, TeamDay(day, team_id, plan_id))
    if others:
        st.warning(other_days_text(TeamDay(day, team_id, plan_id), others, now), icon=":material/event_busy:")
        for other, _ in others:
            st.button(f"查看计划 #{other.plan_id} 的走访点", key=f"it_other_{other.plan_id}", on_click=_switch_plan,
                      args=(other,), icon=":material/swap_horiz:")
if switch_error := st.session_state.pop("it_switch_error", None):
    st.error(switch_error)
st.markdown(f"**{md_text(TeamDay(day, team_id, 0).label(now))}** · {view.progress_text()}  \n"
            f"出发 {it.depart} · 返回 {it.return_} · 午休 {it.break_text() or '无'}")
st.caption(f"成员：{md_text(it.members_text() or '—')}　驻地：{md_text(it.team.base_name or '—')}"
           + (f"　计划状态：{status.label}" if status is not None else ""))
if status is PlanStatus.DONE and may_record and next_stop is not None:
    # Walk W10: a result saved after 标记完成 went in without a word. A visit made that day and not yet entered (a
    # phone offline) is still entered here; the leader's closing figures then change, which they are told.
    st.warning("这份计划已由组长标记完成：未登记的走访点不再等待走访（其信访件已退回待选）。当天确实走访、尚未登记的，"
               "仍可补登，结果记入本计划，组长的完成统计会随之变化；新的走访请等组长排入新的计划。",
               icon=":material/event_available:")
if status is PlanStatus.DRAFT:
    st.warning("这份计划还是草稿，尚未下发：行程可能还会调整。", icon=":material/edit_calendar:")
if plan_id is not None and status is not PlanStatus.DRAFT:  # a re-plan saved over a plan the team goes by
    from planner.store.plans import route_notices

    with session_scope(engine()) as session:
        # Every day of the team the re-plan changed or cancelled, not only this one (walk: 12-08 and 12-09 dropped
        # from T2's plan were never told, nothing being left on them to open).
        for notice in route_notices(session, plan_id, team_id, {day, now}, now, other_days=True):
            st.warning(md_text(notice), icon=":material/update:")
if just_saved and just_saved.get("error") is not None:
    st.error("走访结果未保存，原因见该站点的表单。", icon=":material/error:")
elif just_saved:
    with st.container(key=f"xfsaved_{just_saved['draft']}_{just_saved['n']}"):
        st.success(just_saved["text"], icon=":material/check_circle:")
if next_stop is None:
    st.success(f"{'今天' if day == now else '这一天'}的走访点都已登记结果。", icon=":material/task_alt:")
else:
    with st.container(border=True, key="it_next"):
        _card(next_stop, top=True)

# --- the day's map: route, numbered stops, base, lunch break (offline basemap, no tiles unless switched on)
try:
    # Fitted for a phone's narrow map, so the whole day is in view at once.
    # Each stop named as its card above names it (a village the table lacks included), not by the visit's label, and
    # coloured by what was recorded there as the offline map colours it (walk W13: 部分完成 read as put off).
    st_folium(route_map([it.route], doc.visits, doc.teams, fit_px=(330, 300),
                        places={s.visit.visit_id: s.place() for s in it.stops},
                        marks=stop_marks(it, view, marked)), key="it_map", height=340,
              use_container_width=True, returned_objects=[])
except USER_ERRORS as exc:
    show_error(exc)

# --- every stop in order, with the lunch break where the plan puts it
base = it.team.base_name or "驻地"
st.markdown(f"**{it.depart} 从{md_text(base)}出发**")
# In route order, recorded or not, with their route numbers (as in every file of the day).
for n, card in enumerate(card_rows(view, marked)):
    if card is None:
        st.markdown(f"**午休 {it.break_text()}**")
        continue
    if next_stop is not None and card.seq == next_stop.seq:
        st.markdown(f"**{card.seq}. {md_text(card.place)}**（{lead_word}，见上）")
        continue
    key = f"it_stop_done_{card.seq}" if card.done else f"it_stop_{card.seq}"
    with st.container(border=True, key=f"it_stop_put_off_{n}" if card.put_off else key):
        _card(card, top=False)
st.markdown(f"**{it.return_} 返回{md_text(base)}**")

# --- petitioner contacts in the files: masked by default; unmasking is for allowed roles, with a reason, audited
contacts, unmask, reason = False, False, ""
# Officers carry no petitioner details in their files (planner.field.export_plan refuses them as well).
# Open while a choice in it is on: the toggle's rerun closed it, hiding 导出完整姓名和电话 (walk E).
with st.expander("信访人联系方式", icon=":material/contact_phone:",
                 expanded=bool(st.session_state.get("it_contacts"))) if is_allowed(actor, "export") else nullcontext():
    if is_allowed(actor, "export"):
        contacts = st.toggle("在导出文件中附信访人联系方式（脱敏：张**、138****1234，不含身份证号；"
                             "信访人要求保密的信访件不附）", key="it_contacts")
    if contacts and _may_unmask(actor):
        unmask = st.toggle("导出完整姓名和电话（记入审计日志；信访人要求保密的信访件仍不附）", key="it_unmask")
        if unmask:
            reason = st.text_input(f"理由（必填，至少 {MIN_REASON_CHARS} 个字）", key="it_reason").strip()
ready = not unmask or len(reason) >= MIN_REASON_CHARS
if not ready:
    # Walk C: "核实" (2 characters) still read "须先填写理由", as if nothing had been typed.
    st.warning(f"导出完整身份须先填写理由（至少 {MIN_REASON_CHARS} 个字" + (f"，现在只有 {len(reason)} 个字）。"
                                                              if reason else "）。"))
eng = engine() if contacts else None


_session_token = st.session_state.get(Key.SESSION_TOKEN)  # the click is checked against this run's session
_live_engine = engine()
# Made now, while the page runs: a refusal at click is then shown on this browser's page (pages.common.live_download).
_live_check = live_download(lambda: None, actor, _session_token, _live_engine)


def _make(fmt: str, team: str | None = None, when: dt.date | None = None) -> bytes:
    """Render on demand (download click) once the live session is re-checked; contacts and audit from the database."""
    _live_check()  # refused: the browser gets no file, and the page says why
    # Every download is in 审计日志 (who took which team-day's sheets, with or without contacts), not only unmasked.
    with session_scope(_live_engine) as session:
        # The saved plan's id: each team-day's files say what re-plans changed of it and keep its stops put off.
        if eng is None:
            return export.export_plan(doc, fmt, team_id=team, date=when, session=session, actor=actor,
                                      plan_id=plan_id, today=now)
        return export.export_plan(doc, fmt, team_id=team, date=when, session=session, contacts=True, actor=actor,
                                  unmask=unmask, reason=reason, plan_id=plan_id, today=now)


# --- downloads: files are made only when a button is pressed; the offline map works with no network at all
st.download_button(
    "离线行程（地图和站点，无网络也能打开）", data=lambda: _make("html", team_id, day),
    file_name=export.file_name("html", it, unmasked=unmask), mime=export.FORMATS["html"][1], key="it_dl_html",
    on_click="ignore", disabled=not ready, type="primary", width="stretch", icon=":material/download:",
)
with st.expander("更多下载：PDF 行程单、日历、GPX/KML/GeoJSON、整包", icon=":material/folder_zip:"):
    cols = st.columns(2)
    day_formats = [f for f in export.FORMATS if f not in ("html", "xlsx")]
    # The day's zip is this team's day only, not to be mistaken for the whole plan's zip below.
    day_labels = {**export.LABELS, "zip": "本日整包 zip（本组当天）"}
    for i, fmt in enumerate(day_formats):
        cols[i % 2].download_button(
            day_labels[fmt], data=lambda f=fmt: _make(f, team_id, day),
            file_name=export.file_name(fmt, it, unmasked=unmask),
            mime=export.FORMATS[fmt][1], key=f"it_dl_{fmt}", on_click="ignore", disabled=not ready, width="stretch",
        )
    st.caption("整个计划：")
    whole = "全部组和日期" if team_scope(actor) is None else "本人的组，全部日期"
    p1, p2 = st.columns(2)
    p1.download_button(
        f"Excel 汇总（{whole}）", data=lambda: _make("xlsx"), file_name=export.file_name("xlsx", unmasked=unmask),
        mime=export.FORMATS["xlsx"][1], key="it_dl_plan_xlsx", on_click="ignore", disabled=not ready,
        width="stretch",
    )
    p2.download_button(
        f"整包 zip（{whole}）", data=lambda: _make("zip"), file_name=export.file_name("zip", unmasked=unmask),
        mime=export.FORMATS["zip"][1], key="it_dl_plan_zip", on_click="ignore", disabled=not ready, width="stretch",
    )
