"""路线规划: plan routes for the chosen visits, teams and days; KPIs, lock and re-plan, compare, save."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from pages.common import (
    PAGE_ITINERARY,
    PAGE_PLANNING,
    PAGE_SELECTION,
    PAGE_TEAMS,
    Key,
    actor_name,
    engine,
    guard,
    office_settings,
    page_actor,
    page_link,
    show_error,
    today,
)
from pages.common_locks import lock_box
from pages.common_stops import held_warning, not_met_notes, save_refused, stop_names
from pages.common_unassigned import count_words, must_out_warning, save_confirmed, show_unassigned, team_day_warning
from planner.errors import USER_ERRORS, InputError
from planner.field.recorded import plan_marks
from planner.followup.overview import plans_in_progress, restore_advice
from planner.followup.put_off import agreed_days, stop_table
from planner.office.authorisation import authorise_cases, plan_refusal, team_scope, visible_team_codes
from planner.office.privacy import md_text
from planner.routing.advice import (
    MAX_DAYS,
    PlanRequest,
    plan_summary,
    status_text,
)
from planner.routing.history import today_rule
from planner.routing.locks import kept_locks, locked_base, plan_locks, with_locks
from planner.routing.plan_words import WINDOW_MEANING, file_faults, window_note
from planner.routing.planio import check_visits_for_office
from planner.routing.problem import POLICIES, PlanOptions
from planner.routing.replan import reopened_start, replan_document
from planner.routing.report import LIMIT_HELP, changes_text, compare, kpis, route_rows
from planner.routing.revisits import REVISITS_FIRST
from planner.routing.solve import Callbacks, plan_time_limit
from planner.selection.labels import skill_names
from planner.store.database import session_scope
from planner.store.moved_letters import live_plan_moves, moved_letters, plan_warning, with_current_places
from planner.store.plan_teams import day_out_reasons, plan_teams, replan_said
from planner.store.plans import kept_history, plan_name, put_off_history, with_held

#: Page-local widget keys (the plan itself lives under Key.PLAN_DOC / Key.PLAN_ID).
PREVIOUS = "planning_previous_doc"
SAVED_DOC = "planning_saved_doc"  # the saved plan as opened, to compare every re-plan with
ORIGINAL = "planning_original_visits"  # visits as chosen, before locks turned into pins
REQUEST = "planning_request"  # PlanRequest the current plan was made with
PENDING = "planning_pending"  # (PlanRequest, visits) of an adopted suggestion, planned on the next run
UPLOADED = "planning_uploaded"  # file id of the visits.csv already read
UPLOAD_NOTE = "planning_upload_note"  # said until the uploaded file's visits are planned
UPLOAD_WARNINGS = "planning_upload_warnings"  # said with UPLOAD_NOTE: the file's visits no team can take
OPENED = "planning_opened"  # (plan id, lock version, name, 版) of the saved plan opened for adjustment
TAKEN_OFF = "planning_taken_off"  # notice: left-out cases of the opened plan that are now elsewhere
NOW = "planning_now"  # optional datetime pinned for tests and demos; the office clock (北京时间) otherwise
TODAY_NOTE = "planning_today_note"  # (level, text) said about today's routes when the plan starts today
NOT_MET = "planning_not_met"  # (plan id, {stop recorded as 未找到: the lock box's note}, OpenedPlan.both) of the plan
REPLAN_NOTE = "planning_replan_note"  # what the last plan did with stops locked to a day gone or put off by 改期
RESTORED = "last_selection_restored"  # once per browser session, as on 选件
CHECKED = "planning_checked_cases"  # the letters the last rights check found the account's (walk W)
POLICY_HELP = "集中出行：用最少的组日，排满一天再排下一天；均衡：各组各天工作量相近；最少里程：总里程最短。"


class _Progress(Callbacks):
    """Drives a Streamlit progress bar from the solver's callbacks."""

    def __init__(self, bar) -> None:
        self.bar = bar

    def on_progress(self, fraction: float, message: str) -> None:
        self.bar.progress(min(1.0, max(0.0, fraction)), text=f"规划中…… {message}")


def _now() -> dt.datetime:
    """Now on the office's clock (Asia/Shanghai), or the time pinned under :data:`NOW`."""
    from planner.office.clock import local_now

    pinned = st.session_state.get(NOW)
    return pinned if isinstance(pinned, dt.datetime) else local_now()


def _from_now(start: dt.date, teams_going) -> tuple[tuple, tuple | None]:
    """:func:`planner.routing.history.today_rule` on the office's clock."""
    return today_rule(start, _now(), teams_going)


def _teams_now(doc, fixed):
    """The plan's teams as the office has them now (:func:`planner.store.plan_teams.plan_teams`, walk W21)."""
    with session_scope(engine()) as session:
        return plan_teams(session, doc, today=_now().date(), fixed=fixed)


def _next_monday(d: dt.date) -> dt.date:
    return d + dt.timedelta(days=(7 - d.weekday()) % 7 or 7)


def _teams_without_people(teams: list) -> list:
    """The chosen teams with no members and no officer or leader account (nobody a sheet could name)."""
    from planner.store.teams import teams_without_people

    if not teams or all(t.members for t in teams):
        return []
    with session_scope(engine()) as session:
        return teams_without_people(session, teams)


def _load_teams(actor) -> list:
    """The teams ``actor`` may plan for: every team for the office (the defaults on a fresh install), a leader's own."""
    from planner.store.teams import default_teams, load_teams, with_people

    with session_scope(engine()) as session:
        codes = visible_team_codes(actor, session)
        # A member-less team's accounts stand for its people, for 回避 as on its field sheets.
        teams = with_people(session, load_teams(session, team_ids=tuple(codes))) if codes else []
    if team_scope(actor) is None:
        return teams or default_teams()
    return teams


def _office_teams() -> list:
    """Every team of the office, active or not (the defaults on a fresh install, as 路线规划 offers them)."""
    from planner.store.teams import default_teams, load_teams

    with session_scope(engine()) as session:
        teams = load_teams(session, active_only=False)
    return teams or default_teams()


def _office_team_names() -> dict[str, str]:
    """Every team's name (a visit may be pinned to a team the user does not lead: name it, not its code)."""
    from planner.store.teams import load_teams

    with session_scope(engine()) as session:
        return {t.team_id: t.name for t in load_teams(session, active_only=False)}


def _history(visits, locked=()) -> tuple[tuple, dict, dict]:
    """:func:`planner.store.plans.kept_history` and :func:`~planner.store.plans.put_off_history` (its stops recorded
    only as 改期, planned again from the day after) of the plan opened on this page (none for a new plan), and
    :func:`planner.followup.put_off.agreed_days` of the letters of ``visits`` (a stop put off: from the day agreed)."""
    if (opened := st.session_state.get(OPENED)) is None:
        return (), {}, {}
    with session_scope(engine()) as session:
        agreed = agreed_days(session, {n for v in visits for n in v.case_nos})
        return kept_history(session, opened[0], locked), put_off_history(session, opened[0]), agreed


def _not_met(part: int = 1):
    """The stops of the plan opened on this page recorded as 未找到 (:attr:`planner.store.plans.OpenedPlan.not_met`)
    to what the lock box says of them, none for a new plan; ``part`` 2: those also put off (``OpenedPlan.both``)."""
    opened, said = st.session_state.get(OPENED), st.session_state.get(NOT_MET) or (None,)
    return said[part] if opened is not None and said[0] == opened[0] and len(said) > part else ({}, ())[part - 1]


def _held_elsewhere(visits, plan_id: int | None = None, holders: dict | None = None) -> dict[str, str]:
    """:func:`planner.store.plans.held_visits`, the plan opened on this page (or ``plan_id``) left out."""
    from planner.store.plans import held_visits

    with session_scope(engine()) as session:
        return held_visits(session, visits, plan_id=plan_id or (st.session_state.get(OPENED) or (None,))[0],
                           taker=getattr(actor, "username", None), holders=holders)  # others' drafts: W32


def _check_cases(actor, visits) -> None:
    """Refuse visits naming cases the actor may not plan (another team's), whatever file or page they came from.
    Letters found the actor's before that another plan took since are listed as held there instead (walk W)."""
    from planner.store.plan_claims import taken_since

    nos = {c for v in visits for c in v.case_nos}
    with session_scope(engine()) as session:
        taken = taken_since(actor, session, nos, had=st.session_state.get(CHECKED, ()))
        authorise_cases(actor, "plan", nos - set(taken), session=session)
    st.session_state[CHECKED] = frozenset(nos)


def _offer_to_leave_out(actor, visits) -> None:
    """After a refusal naming cases the account may not plan, offer to plan the rest: letters of a leader's own
    selection that another team's plan has since taken (a re-walk: the administrator issued such a plan and the page
    showed only the refusal, with no way forward). Nothing is said about where those letters went."""
    from planner.office.authorisation import is_allowed, outside_cases

    if not is_allowed(actor, "plan"):
        return
    with session_scope(engine()) as session:
        outside = set(outside_cases(actor, session, {c for v in visits for c in v.case_nos}))
    kept = tuple(v for v in visits if not set(v.case_nos) & outside)
    if not outside or not kept:
        return
    if st.button(f"移出涉及这些信访件的 {len(visits) - len(kept)} 个走访点，规划其余 {len(kept)} 个",
                 key="pl_leave_out", icon=":material/playlist_remove:"):
        st.session_state[Key.VISITS] = list(kept)
        st.session_state[Key.PLAN_DOC] = None
        st.rerun()


def _last_trip() -> PlanRequest | None:
    """The trip (start date, days, teams) of the account's last 选件 selection, as stored; None when there is none
    or it started before today."""
    from planner.selection.memory import load_selection

    with session_scope(engine()) as session:
        last = load_selection(session, actor, on=today())
    trip = last.trip if last is not None else None
    return trip if trip is not None and trip.start_date >= today() else None  # a past trip is no start


def _default_policy() -> str:
    """The plan policy chosen in 设置 (集中出行 when none is stored)."""
    with session_scope(engine()) as session:
        return office_settings(session).plan_policy


def _office_context(visits) -> tuple:
    """Travel model from 设置 and the case details the field packet prints (no petitioner identity)."""
    from planner.office.settings import usable_settings
    from planner.store.cases import field_case_details

    wanted = {c for v in visits for c in v.case_nos}
    with session_scope(engine()) as session:
        travel = usable_settings(session)[0].travel.model()
        cases = field_case_details(session, wanted)  # identities in the letters' text masked
    return travel, cases


st.title("路线规划")
actor = page_actor(PAGE_PLANNING)
st.caption("按检查组、工作日排出走访线路：班次与午休、时间窗、期限、指定组/日期、同日组、专长、回避都会考虑。")


def _plan_lifecycle() -> None:
    """Saved plans move 草稿 → 已下发 → 执行中 → 已完成, and their cases with them (已选件, 已排程, ...)."""
    from planner.store.lifecycle import (
        PLAN_ACTIONS,
        PLAN_TRANSITIONS,
        PlanStatus,
        plan_history,
        plan_revision,
        plan_status,
        set_plan_status,
    )
    from planner.store.plan_labels import choice_labels
    from planner.store.plans import list_plans

    with session_scope(engine()) as session:  # 版, days, teams, who saved it and when: versions told apart
        saved = list_plans(session, actor=actor)
        labels = choice_labels(session, saved, scope=team_scope(actor))
    if not saved:
        return
    current = st.session_state.get(Key.PLAN_ID)
    with st.expander("已保存的计划：下发、执行、完成", expanded=current in labels):
        ids = list(labels)
        # A plan saved or opened since the last run is the one shown (the box keeps its own choice otherwise: a
        # plan saved while the box showed an older plan had no 下发计划 button).
        if current in ids and st.session_state.get("pl_life_current") != current:
            st.session_state["pl_life_plan"] = current
        st.session_state["pl_life_current"] = current
        if st.session_state.get("pl_life_plan") not in ids:
            st.session_state["pl_life_plan"] = current if current in ids else ids[0]
        # A label changed (after 下发 the box still read “（草稿）”, walk B): setting the value again redraws it.
        shown = "|".join(labels.values())
        if st.session_state.get("pl_life_labels") not in (None, shown):
            st.session_state["pl_life_plan"] = st.session_state["pl_life_plan"]
        st.session_state["pl_life_labels"] = shown
        pick = st.selectbox("计划", ids, format_func=labels.get, key="pl_life_plan")
        with session_scope(engine()) as session:
            status, version = plan_status(session, pick)
            revision = plan_revision(session, pick)
            events = plan_history(session, pick)
            refusal = plan_refusal(actor, pick, session=session)  # "" when the actor may open and move it
        st.caption(f"状态：{status.label}，第 {revision} 版（重新规划并保存才出新版，下发、执行、完成不改版次）。"
                   "下发后计划内的信访件为“已排程”；登记第一个走访结果后为“执行中”；完成时未走访的信访件退回“已登记”。")
        if events:  # who saved, issued, started, re-planned or finished it, and when
            st.caption("计划经过")
            for event in events:
                st.text(event.sentence())
        if refusal:  # walk S: a leader was offered 打开此计划 and 标记完成 on a plan with T2's route, then refused
            st.info(f"计划 #{pick} {refusal}。", icon=":material/lock:")
        moves = () if refusal else PLAN_TRANSITIONS[status]  # none when 已完成 or refused: nor 打开此计划 below
        clashes = []
        if PlanStatus.ISSUED in moves:  # say before the click what 下发 would refuse
            from planner.store.lifecycle import clash_text, route_team_days, team_day_clashes
            from planner.store.models import PlanRow

            with session_scope(engine()) as session:
                row = session.get(PlanRow, pick)
                clashes = team_day_clashes(session, route_team_days(row.result if row else {}), plan_id=pick)
            if clashes:
                st.warning(f"计划 #{pick} 现在不能下发：{clash_text(clashes)}", icon=":material/event_busy:")
        chosen_move = None
        for col, target in zip(st.columns(max(1, len(moves))), moves, strict=False):
            blocked = target is PlanStatus.ISSUED and bool(clashes)  # walk B: it was active under the warning
            if col.button(PLAN_ACTIONS[target], key=f"pl_life_{pick}_{target.value}", disabled=blocked):
                if target is PlanStatus.DONE:  # closing sends every unvisited letter back: say so, then confirm
                    st.session_state[CONFIRM_DONE] = (pick, version)
                else:
                    chosen_move = target
        confirm = st.session_state.get(CONFIRM_DONE)
        if confirm is not None and confirm[0] == pick and PlanStatus.DONE in moves:
            st.warning(_done_facts(pick) + "标记完成后计划关闭，未走访的信访件退回“已登记”。确定要标记完成吗？",
                       icon=":material/warning:")
            y, n = st.columns(2)
            if y.button("确认标记完成", key=f"pl_life_{pick}_done_confirm", type="primary"):
                st.session_state.pop(CONFIRM_DONE, None)
                chosen_move, version = PlanStatus.DONE, confirm[1]
            if n.button("取消", key=f"pl_life_{pick}_done_cancel"):
                st.session_state.pop(CONFIRM_DONE, None)
                st.rerun()
        elif confirm is not None:
            st.session_state.pop(CONFIRM_DONE, None)
        if chosen_move is not None:
            try:
                with session_scope(engine()) as session:
                    set_plan_status(session, pick, chosen_move, who=actor_name(), expected_version=version,
                                    actor=actor)
            except USER_ERRORS as exc:
                save_refused(exc, None, actor)
                return
            st.session_state[LIFECYCLE_DONE] = f"计划 #{pick} 已改为“{chosen_move.label}”。"
            st.rerun()
        if moves and st.button("打开此计划：查看线路、调整并重新规划", key=f"pl_open_{pick}"):
            _open_saved(pick)
        if done := st.session_state.pop(LIFECYCLE_DONE, None):
            st.success(done)
        if taken := st.session_state.pop(TAKEN_OFF, None):
            st.info(taken)


def _done_facts(plan_id: int) -> str:
    """:func:`planner.store.plan_closing.done_facts` today."""
    from planner.store.plan_closing import done_facts

    with session_scope(engine()) as session:
        return done_facts(session, plan_id, today())


def _open_saved(plan_id: int) -> None:
    """Put a saved plan on the page: its routes, KPIs, map and left-out visits, ready to lock, re-plan and save."""
    from planner.store.plans import open_plan

    try:
        with session_scope(engine()) as session:
            opened = open_plan(session, plan_id, actor=actor)
    except USER_ERRORS as exc:
        show_error(exc)
        return
    # Walk W11: a letter the register moved since is planned again at its place now, not where the plan put it.
    with session_scope(engine()) as session:
        doc = with_current_places(session, opened.doc, moved_letters(session, opened.doc, opened.plan_id))
    team_ids = tuple(doc.teams)
    visits = tuple(doc.visits.values())
    st.session_state[Key.VISITS] = list(visits)
    st.session_state[ORIGINAL] = visits
    st.session_state[Key.PLAN_DOC] = doc
    st.session_state[Key.PLAN_ID] = opened.plan_id
    st.session_state[OPENED] = (opened.plan_id, opened.version, opened.name, opened.revision)
    st.session_state[PREVIOUS] = None
    st.session_state[SAVED_DOC] = doc
    st.session_state[TODAY_NOTE] = None
    st.session_state[REPLAN_NOTE] = None
    # A plan whose first day has passed starts today (a start in the past is refused on planning)
    st.session_state["pl_start"], st.session_state["pl_days"], moved = reopened_start(
        doc.plan.start_date, int(doc.plan.days), _now().date())
    st.session_state["pl_teams"] = list(team_ids)
    st.session_state["pl_name"] = opened.name
    policy = st.session_state["pl_policy"] = doc.policy or st.session_state.get("pl_policy") or _default_policy()
    st.session_state[REQUEST] = PlanRequest(doc.plan.start_date, int(doc.plan.days), team_ids, policy)
    st.session_state[LIFECYCLE_DONE] = f"已打开计划 #{opened.plan_id}「{opened.name}」（{opened.status.label}，" \
                                       f"第 {opened.revision} 版）：调整后可保存为本计划的新版本。{moved}"
    if opened.taken_off:
        st.session_state[TAKEN_OFF] = opened.notice()
    # Walk W8: a stop recorded as 未找到 came locked as 已走访或已约定; it is free now, and the lock box says why.
    st.session_state[NOT_MET] = (opened.plan_id, not_met_notes(opened), opened.both)  # named as on 行程 (W13)
    st.rerun()


def _show_file_errors(exc: BaseException, file_name: str) -> None:
    """An uploaded file's faults one per line (:func:`planner.routing.plan_words.file_faults`); a single fault is
    shown as any other error."""
    if (listed := file_faults(str(exc), file_name)) is None:
        show_error(exc)
    else:
        st.error(listed, icon="⚠️")


def _moved_warning() -> None:
    """Letters of the account's draft or issued plans that a later import (or a correction) moved: which, from where
    to where, and the button that opens the plan to plan it again (walk W11: the leader was told nothing)."""
    from planner.store.plans import list_plans

    with session_scope(engine()) as session:
        names = {p.plan_id: p.label() for p in list_plans(session, actor=actor)}
        moved = {pid: (m, plan_refusal(actor, pid, session=session)) for pid, m in live_plan_moves(
            session, plan_ids=names).items()}
    for pid, (moves, refused) in moved.items():
        st.warning(md_text(plan_warning(names[pid], moves)), icon=":material/wrong_location:")
        if not refused and st.button(f"打开计划 #{pid} 重新规划", key=f"pl_moved_{pid}"):
            _open_saved(pid)


LIFECYCLE_DONE = "planning_lifecycle_done"
CONFIRM_DONE = "planning_confirm_done"  # (plan id, lock version) whose 标记完成 awaits confirmation
_moved_warning()
_plan_lifecycle()

# --- visits: from 选件, or an uploaded visits.csv (read once; it then replaces the selection)
upload = st.file_uploader("或上传 visits.csv（选件页下载的走访点文件）", type=["csv"], key="pl_upload",
                          help="列名可写中文或英文：编号 id、经度 lon、纬度 lat、核查分钟 service_min、"
                               "优先级 priority（1–5 或 must）、时间窗开始、时间窗结束、同日组、回避人员 …。"
                               f"{WINDOW_MEANING}。")
read = None  # the visits of a file uploaded just now
if upload is not None and st.session_state.get(UPLOADED) != getattr(upload, "file_id", upload.name):
    from planner.intake.plan_files import read_visits

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "visits.csv"
        path.write_bytes(upload.getvalue())
        try:
            read = list(read_visits(path, shown_as=upload.name))
        except USER_ERRORS as exc:
            # The visits chosen before stay, and so does the form with what the user entered (st.stop here
            # dropped the form's widgets, and 工作日数 fell back to 选件's value once a good file came).
            _show_file_errors(exc, upload.name)
    if read is not None:
        # A 指定组 that is no team of the office is refused here, by the names people know (walk E: T9).
        # A 所需专长 no team has is said here, with its row, not found after planning (walk E: 魔法).
        office = _office_teams()
        checked = check_visits_for_office(read, teams={t.team_id: t.name for t in office},
                                          skills=set().union(*(t.all_skills() for t in office)), where=upload.name)
        if checked.errors:
            _show_file_errors(InputError("\n".join(checked.errors)), upload.name)
            read = None
        else:
            read = list(checked.visits)
    if read is not None:
        st.session_state[Key.VISITS] = read
if upload is not None and read is not None:
    st.session_state[UPLOADED] = getattr(upload, "file_id", upload.name)
    # The plan on screen was made from other visits: it must not stay under the new file's visits (walk A).
    st.session_state[Key.PLAN_DOC] = None
    st.session_state[Key.PLAN_ID] = None
    st.session_state.pop(OPENED, None)
    st.session_state[UPLOAD_NOTE] = (f"已读入 {upload.name} 的 {len(st.session_state[Key.VISITS])} 个走访点；"
                                     "此前的规划结果已清除，请点击“开始规划”。")
    st.session_state[UPLOAD_WARNINGS] = checked.warnings
upload_note = st.empty()  # emptied once the file's visits are planned
if note := st.session_state.get(UPLOAD_NOTE):
    if st.session_state.get(Key.PLAN_DOC) is None:
        with upload_note.container():
            st.info(md_text(note), icon=":material/upload_file:")  # names the uploaded file: shown as text (W33)
            for warning in st.session_state.get(UPLOAD_WARNINGS) or ():
                st.warning(md_text(warning), icon=":material/engineering:")  # the file's words, shown as text
    else:
        st.session_state.pop(UPLOAD_NOTE, None)
# A suggestion adopted on the last run: its request fills the form and is planned right away.
pending = st.session_state.pop(PENDING, None)
if pending is not None:
    st.session_state[Key.VISITS] = list(pending[1])
if not st.session_state.get(Key.VISITS) and not st.session_state.get(RESTORED):
    # A reload (F5) or a link starts a new session: the account's last 选件 selection is read back (rights checked
    # again); a plan computed but not saved is not kept, so say it must be planned again.
    from planner.selection.memory import load_selection, restore_note, with_sent

    st.session_state[RESTORED] = True
    _sent: list[str] = []
    with session_scope(engine()) as session:
        last = load_selection(session, actor, on=today())
        running = plans_in_progress(session, actor=actor)  # under way: re-plan it there, not 重新选件
    if last is not None and last.visits:
        st.session_state[Key.VISITS] = list(last.visits)
        st.session_state[Key.TRIP] = last.trip
        # Letters sent from 关联分析 or 案件地图 stay chosen, with the form, for 选件 (walk W28: they were lost).
        _cases, _sent, _held = with_sent(st.session_state.get(Key.SELECTED_CASES) or [], last.visits)
        st.session_state[Key.SELECTED_CASES], st.session_state["sel_sent"] = _cases, [*_sent, *_held]
        st.session_state["last_selection_form"] = last.form  # 选件's form, read back there (pages/selection.py)
    # Letters visited since the selection are not restored: say which and when as 选件 does, also when none is left
    # (the guard below alone said 还没有要走访的点, as if nothing had been chosen).
    if last is not None and st.session_state.get(Key.PLAN_DOC) is None and (note := restore_note(last)):
        # A coordinator's hand-over not yet adopted was never planned here: no plan of it can have been lost.
        lost = last.visits and (last.handover is None or last.handover.adopted)
        st.info(restore_advice(note, running)
                + ("页面刷新后，未保存的规划结果不会保留：请点击“开始规划”重新规划。" if lost else "")
                + (f"从关联分析或案件地图转来的 {len(_sent)} 件尚未生成走访点：请到选件页生成。" if _sent else ""),
                icon=":material/history:")
st.session_state[RESTORED] = True
visits = tuple(st.session_state.get(Key.VISITS) or ())
guard(visits, "还没有要走访的点。请先在选件页选定信访件，或上传 visits.csv。", PAGE_SELECTION)

try:
    _check_cases(actor, visits)
    all_teams = _load_teams(actor)
except USER_ERRORS as exc:
    # A refused file is not "read": its note must not stand beside the refusal (walk C).
    st.session_state.pop(UPLOAD_NOTE, None)
    upload_note.empty()
    show_error(exc)
    _offer_to_leave_out(actor, visits)
    st.stop()
guard(all_teams, "还没有检查组。请先在“检查组”页录入检查组。" if team_scope(actor) is None
      else "账户没有负责的检查组：请管理员在“用户管理”中为账户指定所负责的组。")
held_visits = _held_elsewhere(visits, holders=(holders := {}))
# The plan on screen, just saved or issued, holds its own visits: it is not "another plan" (walk I listed all 15).
shown = st.session_state.get(Key.PLAN_ID) if held_visits and st.session_state.get(OPENED) is None else None
others = _held_elsewhere(visits, shown, holders=(holders := {})) if shown else held_visits
if len(others) < len(held_visits):
    st.caption(f"本页的走访点已在刚保存的计划 #{shown} 中。要调整它，请在“已保存的计划”中打开此计划后重新规划。")
if others:
    held_warning(visits, others, holders)  # each stop named as 行程 names it; many in a table (walk W36)

# The form starts from what 选件 chose (teams, days, start date) and the policy from 设置; an adopted suggestion
# overrides both. Widget values live in session state, so set them before the widgets exist.
names = {t.team_id: t.name for t in all_teams}
start_from = pending[0] if pending is not None else st.session_state.get(Key.TRIP)
if pending is not None or "pl_start" not in st.session_state:
    # 选件's stored trip stands in when this session has none (walk E: after an upload, next Monday, not 12-07).
    if start_from is None:
        start_from = _last_trip()
    st.session_state["pl_start"] = start_from.start_date if start_from else _next_monday(today())
    st.session_state["pl_days"] = int(start_from.days) if start_from else 5
    st.session_state["pl_teams"] = [t for t in (start_from.team_ids if start_from else ()) if t in names] or list(names)
elif "pl_teams" in st.session_state:  # teams may have changed since: keep only those still offered
    st.session_state["pl_teams"] = [t for t in st.session_state["pl_teams"] if t in names]
if pending is not None or "pl_policy" not in st.session_state:
    st.session_state["pl_policy"] = pending[0].policy if pending is not None else _default_policy()
with st.form("pl_form"):
    c1, c2, c3 = st.columns(3)
    start = c1.date_input("开始日期", key="pl_start")
    days = c2.number_input("工作日数", min_value=1, max_value=MAX_DAYS, step=1, key="pl_days")
    limit = c3.number_input("求解时间（秒）", min_value=1, max_value=300, value=10, key="pl_limit",
                            help=LIMIT_HELP)
    chosen = st.multiselect("参加的检查组", list(names), format_func=names.get, key="pl_teams",
                            placeholder="请选择检查组")
    policy = st.radio("规划方式", list(POLICIES), format_func=POLICIES.get, horizontal=True, key="pl_policy",
                      help=POLICY_HELP)
    submitted = st.form_submit_button("开始规划", type="primary") or pending is not None

doc = st.session_state.get(Key.PLAN_DOC)
teams = [t for t in all_teams if t.team_id in chosen]
if nobody := _teams_without_people(teams):  # 用户管理 accounts on a team are not its members: both empty here
    st.warning(f"{'、'.join(t.name or t.team_id for t in nobody)} 没有成员，也没有分配到该组的干部或组长账号：行程单上"
               "“成员”将为空，回避也无从检查。请在“检查组”页录入成员，或在“用户管理”中把干部账号分到该组。",
               icon=":material/group_off:")
# Said before planning, not found afterwards in a collapsed list of reasons: visits needing a skill no chosen team
# has (a fresh office's teams start with no skills and no members).
_have = set().union(*(t.all_skills() for t in teams)) if teams else set()
_blocked = [v for v in visits if v.skills and not set(v.skills) <= _have]
if teams and _blocked:
    _missing = sorted(set().union(*(set(v.skills) for v in _blocked)) - _have)
    st.warning(f"所选检查组都不具备 {skill_names(_missing)} 专长：需要这些专长的 {len(_blocked)} 个走访点排不进计划。"
               "请在“检查组”页为组或成员录入专长，或换用具备专长的组。", icon=":material/engineering:")
    page_link(PAGE_TEAMS, label="前往检查组")

if submitted:
    if not teams:
        st.error("请至少选择一个检查组。")
        st.stop()
    if start < _now().date():
        # Walk G: a suggestion moved the start to a day already past and the plan was saved for it.
        st.error(f"开始日期 {start.isoformat()} 已过（今天 {_now().date().isoformat()}）：请改为今天或以后的日期。")
        st.stop()
    bar = st.progress(0.0, text="规划中……")
    try:
        request = PlanRequest(start, int(days), tuple(chosen), policy)
        travel, cases = _office_context(visits)
        not_before, today_note = _from_now(start, teams)
        locks = kept_locks(doc, visits, pending is not None)  # walk W32: the plan on the page's locks are kept
        to_plan = with_locks([v for v in visits if v.visit_id not in held_visits], doc, locks)
        kept, put_off, agreed = _history(to_plan, locks)  # an opened plan's teams on the road keep today's stops
        new, replan_note = replan_document(
            to_plan, teams, start_date=start, days=int(days), time_limit_s=plan_time_limit(len(to_plan), float(limit)),
            callbacks=_Progress(bar), travel=travel, cases=cases, all_teams=all_teams, kept=kept, put_off=put_off,
            agreed=agreed, team_names=_office_team_names(), not_met=_not_met(), both=_not_met(2), locked=locks,
            options=PlanOptions(policy=policy, not_before=not_before, today=_now().date()),
            previous=st.session_state.get(SAVED_DOC) if st.session_state.get(OPENED) else None)
        new = with_held(new, visits, held_visits)
    except USER_ERRORS as exc:
        bar.empty()  # "规划中……" stood above the refusal as if the plan were still being made (walk E)
        show_error(exc)
        st.stop()
    bar.progress(1.0, text=f"规划完成：{plan_summary(new.plan, new.visits)}")
    st.session_state[PREVIOUS] = doc
    st.session_state[ORIGINAL] = tuple(visits)  # all of them: the next plan checks the other plans again
    st.session_state[REQUEST] = request
    if st.session_state.get(Key.PLAN_ID) is not None and st.session_state.get(OPENED) is None:
        st.session_state.pop("pl_name", None)  # the saved plan's name is not the next new plan's (re-walk H)
    st.session_state[Key.PLAN_DOC] = doc = new
    st.session_state[Key.PLAN_ID] = None
    st.session_state[TODAY_NOTE] = today_note
    st.session_state[REPLAN_NOTE] = replan_note
    st.session_state.pop(UPLOAD_NOTE, None)
    upload_note.empty()

if doc is None:
    st.info("选好检查组和日期后点击“开始规划”。")
    st.stop()

# --- KPIs
request = st.session_state.get(REQUEST)
# Idle hours of a plan starting today count only the shift left when it was made.
k = kpis(doc, not_before=_from_now(doc.plan.start_date, list(doc.teams.values()))[0])
m1, m2, m3, m4 = st.columns(4)
m1.metric("已安排走访点", f"{k['visits']} / {k['total']}")
m2.metric("出行组日", k["team_days"], help="有走访的（检查组，日期）个数")
m3.metric("每组日走访点", k["visits_per_day"])
m4.metric("总里程", f"{k['km']} km")
m5, m6, m7, m8 = st.columns(4)
m5.metric("车程", f"{k['drive_h']} 小时")
m6.metric("工作", f"{k['work_h']} 小时", help="出发到返回")
m7.metric("空闲", f"{k['idle_h']} 小时", help="出行组日班次内（午休除外）既不在路上也不在走访点的时间")
m8.metric("未安排", k["unassigned"], help="规划未能排入的走访点；待再访（未找到、改期）的不计入，见“待再访的走访点”")
policy_name = POLICIES.get(p := getattr(doc, "policy", "") or (request.policy if request else ""), p)  # as planned
st.caption(f"{count_words(k, doc)}。状态：{status_text(doc.plan, doc.visits)}"  # walk W14: counts that add up
           + (f" · 规划方式：{policy_name}" if policy_name else "") + f" · 用时 {doc.plan.runtime_s:.1f} 秒")
# 可行 alone read as if every 必访 letter went in; each is named with why (walk W11b)
named = stop_names(doc)  # each stop by its one name on 行程 (W13: 锁定 had V001 云霄县陈岱镇 for …陈岱村; S49a)
must_out_warning(doc, names, (st.session_state.get(OPENED) or (None,))[0], named)
today_note = st.session_state.get(TODAY_NOTE)
if today_note and doc.plan.start_date == _now().date():
    (st.warning if today_note[0] == "warning" else st.info)(today_note[1], icon=":material/schedule:")
if replan_note := st.session_state.get(REPLAN_NOTE):  # stops not visited on their day, planned again
    st.warning("\n".join(f"- {n}" for n in replan_note), icon=":material/event_repeat:")
if k["dropped_by_priority"]:
    # The library keys priorities P1..P5 (and 必访); people read 优先级 3.
    st.write("未安排（按优先级）：" + "，".join(f"{'优先级 ' + p[1:] if p.startswith('P') else p}：{n} 个"
                                          for p, n in k["dropped_by_priority"].items()))
# Left-out visits with their reasons and one button per suggested change (pages/common_unassigned.py).
adopted = show_unassigned(doc, request, names, locked_base(st.session_state.get(ORIGINAL) or (), doc),
                          (st.session_state.get(OPENED) or (None,))[0], named)
if adopted is not None:
    st.session_state[PENDING] = adopted
    st.rerun()

# --- map and stops
try:
    from streamlit_folium import st_folium

    from planner.field import map_layers

    st_folium(map_layers.route_map(doc.plan.routes, doc.visits, doc.teams, places=named),
              use_container_width=True, height=460, returned_objects=[], key="pl_map")
except ImportError:
    pass
except USER_ERRORS as exc:
    show_error(exc)
with session_scope(engine()) as session:  # walk 1: a stop put off (改期) stood at its old time, unmarked; W13: 部分完成
    stop_rows, put_off_said = stop_table(session, doc, rows := route_rows(doc, named), recorded=plan_marks(
        session, (st.session_state.get(OPENED) or (None,))[0], today=_now().date()))
if put_off_said:
    st.warning(put_off_said, icon=":material/event_repeat:")
st.dataframe(pd.DataFrame(stop_rows if any(r["走访情况"] for r in stop_rows) else rows), hide_index=True,
             width="stretch", column_config={"走访情况": st.column_config.TextColumn(width="large")})  # W13: 部分完成…
if window_said := window_note(doc.plan, doc.visits):  # walk: a 09:00-10:30 window gave 10:27-11:27, unexplained
    st.caption(md_text(window_said))

# --- lock and re-plan
locked_now = list(plan_locks(doc))
# A plan is re-planned the way it was planned (walk 2: plan #1, saved as 均衡, was re-planned as 集中出行).
replan_policy = getattr(doc, "policy", "") or (request.policy if request is not None else "compact")
if said := _teams_now(doc, locked_now).said():  # walk W21: the team import took 12-09 out, unsaid
    st.warning(said, icon=":material/groups:")
with st.form("pl_replan"):
    locked = lock_box(doc, named, f"按{'本方案的' if getattr(doc, 'policy', '') else '所选'}规划方式："
                                  f"{POLICIES.get(replan_policy, replan_policy)}")  # walk W32: as the plan has them
    if said := sorted(set(_not_met().values())):  # walk W8: why a stop recorded as 未找到 is not locked
        st.caption("；".join(said))
    first = st.checkbox(REVISITS_FIRST, key="pl_revisits_first", help="排不下时先安排再访点（未找到、改期），原计划"
                        "已安排的必访点可能移出；不勾选时先保留原计划已安排的必访点。移出的点在保存前逐个说明。")
    replan = st.form_submit_button("重新规划其余走访点")
if replan:
    bar = st.progress(0.0, text="重新规划中……")
    try:
        base = st.session_state.get(ORIGINAL) or tuple(doc.visits.values())
        held_base = _held_elsewhere(base)
        to_plan = [v for v in base if v.visit_id not in held_base]
        kept, put_off, agreed = _history(to_plan, locked)  # stops with a recorded result stay where they were
        # The teams as they are now, the plan's locked and recorded days kept (walk W21: its saved copy was used)
        now_teams = _teams_now(doc, {*locked, *(v.visit_id for p in kept for v in p.visits)})
        # From now: today's routes leave no earlier than now, and no stop goes on a day gone (plan_document)
        not_before, st.session_state[TODAY_NOTE] = _from_now(max(doc.plan.start_date, _now().date()),
                                                             list(now_teams.teams))
        options = PlanOptions(policy=replan_policy, not_before=not_before, today=_now().date(), revisits_first=first)
        new, st.session_state[REPLAN_NOTE] = replan_document(
            to_plan, list(now_teams.teams), start_date=doc.plan.start_date, days=doc.plan.days,
            time_limit_s=plan_time_limit(len(to_plan), float(limit)), callbacks=_Progress(bar), previous=doc,
            locked=locked, kept=kept, cases=doc.cases, travel=_office_context(())[0], options=options,
            all_teams=all_teams, team_names=_office_team_names(), put_off=put_off, agreed=agreed,
            not_met=_not_met(), both=_not_met(2), places=named)  # stops named as 行程 does (walk W13)
        new = day_out_reasons(with_held(new, base, held_base), doc, now_teams)
        st.session_state[REPLAN_NOTE] = replan_said(now_teams) + list(st.session_state[REPLAN_NOTE] or ())
    except USER_ERRORS as exc:
        bar.empty()
        show_error(exc)
        st.stop()
    st.session_state[PREVIOUS] = doc
    st.session_state[Key.PLAN_DOC] = new
    st.session_state[Key.PLAN_ID] = None
    st.session_state.pop("pl_locked", None)  # the box then shows what the new plan locks (done stops included)
    st.rerun()

# --- compare with the previous plan, and for a saved plan opened above with its saved version (walk G: after two
# re-plans the box said +0 everywhere, comparing the last two, just before saving over a version with 3 more visits)
prev = st.session_state.get(PREVIOUS)
comparisons = [("与上一方案比较", prev)] if prev is not None else []
if (opened_now := st.session_state.get(OPENED)) and (saved_doc := st.session_state.get(SAVED_DOC)) is not None \
        and saved_doc is not prev and saved_doc is not doc:
    comparisons.insert(0, (f"与已保存的计划 #{opened_now[0]} 第 {opened_now[3]} 版比较", saved_doc))
for title, prev in comparisons:
    diff = compare(prev, doc)
    if not any(diff["delta"].values()) and not (diff["moved"] or diff["added"] or diff["removed"]):
        # Walk 1: Enter in 工作日数 had already planned (a form submits on Enter), then 开始规划 planned the same
        # again: a box of +0 read as a comparison with a plan that did not exist. Say it is the same plan.
        st.caption(f"{title}：相同（走访点、组日、里程都没有变化）。")
        continue
    with st.expander(title, expanded=True):
        d = diff["delta"]
        st.write(f"走访点 {d['visits']:+}，出行组日 {d['team_days']:+}，里程 {d['km']:+} km，"
                 f"车程 {d['drive_h']:+} 小时，空闲 {d['idle_h']:+} 小时，未安排 {d['unassigned']:+}")
        st.write(changes_text(diff))

# --- save: a new plan, or (for a saved plan opened above) a new version of the same plan
opened = st.session_state.get(OPENED)
if doc.plan.start_date is not None:  # a name that only tells the dates follows them (a typed name stays)
    st.session_state["pl_name"] = plan_name(st.session_state.get("pl_name"), doc.plan.start_date, doc.plan.days)
if not any(r.stops for r in doc.plan.routes):
    # Saving would list its cases as 已选件 on a plan no team's itinerary shows (the re-walk's orphan draft).
    st.warning("这个方案没有排入任何走访点，不能保存。请按上面的原因调整后重新规划。", icon=":material/block:")
    st.stop()
team_day_warning(doc, opened[0] if opened is not None else st.session_state.get(Key.PLAN_ID))
with st.form("pl_save"):
    name = st.text_input("方案名称", key="pl_name")
    if opened is not None:
        st.caption(f"当前调整的是已保存的计划 #{opened[0]}（第 {opened[3]} 版）。")
        resave = st.form_submit_button(f"保存为计划 #{opened[0]} 的新版本", type="primary")
    else:
        resave = False
    save = st.form_submit_button("另存为新方案" if opened is not None else "保存方案")
if save_confirmed(resave, opened, st.session_state.get(SAVED_DOC), doc, named):  # walk W14: asked when stops go out
    from planner.store.left_revisits import as_saved
    from planner.store.lifecycle import plan_revision
    from planner.store.plans import resave_plan

    try:
        with session_scope(engine()) as session:
            version = resave_plan(session, opened[0], doc, who=actor_name(), expected_version=opened[1], name=name,
                                  actor=actor)
            revision = plan_revision(session, opened[0])
            doc = as_saved(session, opened[0], doc)  # its left-out revisits 待再访, as when opened (walk S49a)
    except USER_ERRORS as exc:
        save_refused(exc, doc, actor)
        st.stop()
    saved_name = plan_name(name if name.strip() else opened[2], doc.plan.start_date, doc.plan.days)  # as stored
    st.session_state[Key.PLAN_ID] = opened[0]
    st.session_state[OPENED] = (opened[0], version, saved_name, revision)
    st.session_state[Key.PLAN_DOC] = st.session_state[SAVED_DOC] = doc  # the next re-plan compares with this version
    st.session_state[LIFECYCLE_DONE] = f"已保存计划 #{opened[0]} 的第 {revision} 版（「{saved_name}」）；" \
                                       "计划经过中记下了这次调整。"
    st.rerun()
if save:
    from planner.store.plans import save_plan

    try:
        with session_scope(engine()) as session:
            pid = save_plan(session, doc, name=name, who=actor_name(), actor=actor, parent_id=opened and opened[0],
                            had=st.session_state.get(CHECKED, ()))
    except USER_ERRORS as exc:
        save_refused(exc, doc, actor)
        st.stop()
    st.session_state[Key.PLAN_ID] = pid
    st.session_state[OPENED] = None  # what is on the page now is the new plan, not the one opened before
    # Rerun so that 已保存的计划 (drawn above) lists the new draft, ready to be issued.
    st.session_state[LIFECYCLE_DONE] = f"已保存方案 #{pid}（草稿），其中的信访件已列为“已选件”；下发后为“已排程”。"
    st.rerun()
if st.session_state.get(Key.PLAN_ID):
    page_link(PAGE_ITINERARY, label="查看行程")
