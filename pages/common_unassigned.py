"""路线规划's left-out visits (未安排的走访点): why each is out, and one button per suggested change.

A helper of ``pages/planning.py`` (pages import only ``pages.common*``), not a page: it draws the table and the
buttons and hands the adopted change back to the page, which plans with it on the next run. It also says what
saving the plan on screen would take off the saved plan or clash with (:func:`save_confirmed`,
:func:`team_day_warning`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from pages.common import engine, show_error
from pages.common_stops import stop_label, stop_names
from planner.errors import USER_ERRORS
from planner.office.privacy import md_text
from planner.routing.advice import PlanRequest, apply_suggestion, grouped_suggestions, promise_text, without_held
from planner.routing.plan_words import must_out_lines, team_words
from planner.routing.revisits import awaiting_revisit, not_placed
from planner.selection.labels import group_names, readable

#: Most suggestion buttons shown (the rest stay in the table's 原因与建议).
MAX_BUTTONS = 12
#: The plan on screen (its id()) whose 保存为计划 #N 的新版本 was clicked and awaits confirmation (walk W14).
CONFIRM_SAVE = "planning_confirm_save"


def count_words(k: Mapping, doc) -> str:
    """The plan's stops counted so that they add up, and the letters they hold (walk W14: 已安排走访点 19 / 20 beside
    未安排 0, the 20th a stop 待再访): ``共 20 个走访点（27 件信访件，同村的合为一个点）：已安排 19 个，待再访 1 个，
    未安排 0 个``. ``k``: :func:`planner.routing.report.kpis` of ``doc``."""
    letters = len({no for v in doc.visits.values() for no in v.case_nos})
    parts = [f"已安排 {k['visits']} 个"] + ([f"待再访 {k['revisits']} 个"] if k.get("revisits") else []) \
        + [f"未安排 {k['unassigned']} 个"]
    if (other := k["total"] - k["visits"] - k.get("revisits", 0) - k["unassigned"]) > 0:
        parts.append(f"另有 {other} 个未列入规划")
    return f"共 {k['total']} 个走访点（{letters} 件信访件，同村的合为一个点）：{'，'.join(parts)}"


def save_confirmed(clicked: bool, opened: tuple | None, saved, doc, places: Mapping[str, str] | None = None) -> bool:
    """Whether 保存为计划 #N 的新版本 goes ahead: at once when the plan on screen (``doc``) leaves out nothing the
    saved version (``saved``) held; else the click asks first, naming each stop taken off, why, and what becomes of
    its letters (:func:`planner.store.left_revisits.dropped_on_save`), and 确认保存 saves (walk W14: a revisit with
    its day agreed after the plan's last day was saved out of the plan without a word, its letter 已登记)."""
    if opened is None or saved is None or saved is doc:
        return clicked
    from planner.store.database import session_scope
    from planner.store.left_revisits import dropped_on_save

    try:
        with session_scope(engine()) as session:
            lines = dropped_on_save(session, opened[0], saved, doc, dict(places or {}))
    except USER_ERRORS:
        lines = []  # a stored plan that no longer reads: the save says so
    if not lines:
        return clicked
    if clicked:
        st.session_state[CONFIRM_SAVE] = id(doc)
    if st.session_state.get(CONFIRM_SAVE) != id(doc):
        return False
    st.warning(f"“保存为计划 #{opened[0]} 的新版本”将移出原计划的 {len(lines)} 个走访点，请确认：\n"
               + "\n".join(f"- {md_text(line)}" for line in lines)
               + "\n\n如要排入，可按上方“未安排的走访点”的建议调整后重新规划。", icon=":material/playlist_remove:")
    c1, c2 = st.columns(2)
    if c1.button("确认保存，移出这些走访点", type="primary", key="pl_confirm_save"):
        st.session_state.pop(CONFIRM_SAVE, None)
        return True
    if c2.button("暂不保存", key="pl_cancel_save"):
        st.session_state.pop(CONFIRM_SAVE, None)
        st.rerun()
    return False


def team_day_warning(doc: object, plan_id: int | None) -> None:
    """Warn before 保存 when another issued or running plan already sends one of this plan's teams out on one of
    its days (下发 refuses it: the officer's phone follows one plan a day, the other's stops would go unseen)."""
    from planner.store.database import session_scope
    from planner.store.lifecycle import clash_text, route_team_days, team_day_clashes

    with session_scope(engine()) as session:
        clashes = team_day_clashes(session, route_team_days(doc.plan), plan_id=plan_id)
        drafts = team_day_clashes(session, route_team_days(doc.plan), plan_id=plan_id, statuses=("draft",))
    if clashes:
        st.warning(f"{clash_text(clashes)}可以保存为草稿，但不能下发。", icon=":material/event_busy:")
    if drafts:  # walk F: a second draft for the same team and days was saved without a word
        st.info("；".join(c.sentence() for c in drafts) + "。两个计划同一天派同一个组，只能下发其中一个；"
                "如果这是重新规划，请在上方“已保存的计划”中选原计划、点“打开此计划”，调整后保存为它的新版本。",
                icon=":material/event_busy:")


def must_out_warning(doc, names: Mapping[str, str], opened_id: int | None,
                     places: Mapping[str, str] | None = None) -> None:
    """The warning over the plan when 必访 stops are left out, each named with its letters and why (walk W11b: a
    re-plan of a letter the register moved said only 3 个必访点未排入). A letter the register moved since plan
    ``opened_id`` was saved is said with its old place too (:func:`planner.store.moved_letters.plan_moves`). Each stop
    is named as 行程 names it (``places``: :func:`pages.common_stops.stop_names`; walk S49a)."""
    from planner.store.database import session_scope
    from planner.store.moved_letters import plan_moves

    if not any(v.must for u in not_placed(doc.plan.unassigned) if (v := doc.visits.get(u.visit_id)) is not None):
        return  # letters to visit again (未找到, 改期) are no planner failure: show_revisits says them (walk W12)
    moved: dict[str, str] = {}
    if opened_id is not None:
        try:
            with session_scope(engine()) as session:
                moved = {m.case_no: m.planned for m in plan_moves(session, opened_id) if m.planned != m.now}
        except USER_ERRORS:
            moved = {}  # a stored plan that no longer reads is the page's to say
    group_name = group_names(doc.visits.values())
    lines = must_out_lines(doc.plan.unassigned, doc.visits, lambda t: team_words(readable(t, group_name), names),
                           moved, places or stop_names(doc))
    st.warning(f"{len(lines)} 个必访点未排入（下方“未安排的走访点”可按建议重新规划）：\n"
               + "\n".join(f"- {md_text(line)}" for line in lines), icon=":material/priority_high:")


def show_revisits(doc, places: Mapping[str, str]) -> None:
    """The stops of an opened plan waiting to be visited again (未找到, 改期) with what was recorded and when, apart
    from 未安排 (walk W12: two such letters read as 2 个必访点未排入 on 打开计划 #1), each named as 行程 names it
    (``places``; walk S49a: two stops both 诏安县四都镇, at 溪东村 and 西山村)."""
    if not (waiting := awaiting_revisit(doc.plan.unassigned)):
        return
    from planner.store.database import session_scope
    from planner.store.left_revisits import agreed_after_end, waiting_note

    st.subheader(f"待再访的走访点（{len(waiting)} 个）")
    with session_scope(engine()) as session:  # a day agreed after the plan's end: no re-plan places it (walk S49a)
        last, late = agreed_after_end(session, doc, [u.visit_id for u in waiting])
    st.caption(waiting_note(len(waiting), last, late, {vid: stop_label(vid, places) for vid in late}))
    st.dataframe(pd.DataFrame([{"走访点": u.visit_id, "地点": _place(u.visit_id, doc, places),
                                "信访件": "、".join(v.case_nos) if (v := doc.visits.get(u.visit_id)) else "",
                                "记录": u.reason} for u in waiting]),
                 hide_index=True, width="stretch", column_config={"记录": st.column_config.TextColumn(width="large")})


def show_unassigned(doc, request: PlanRequest | None, names: Mapping[str, str], base_visits: Sequence,
                    opened_id: int | None, places: Mapping[str, str] | None = None) -> tuple | None:
    """Show the plan's left-out visits and the suggestion buttons; return the clicked change applied, as
    ``(PlanRequest, visits)`` (None when nothing was clicked).

    ``names``: code -> name of the teams the account plans for (a suggestion to add another is not offered: a
    leader's click on 加入T4 re-planned with their own teams only, and nothing changed); ``base_visits``: the visits
    as chosen, before locks turned into pins; ``opened_id``: the saved plan opened on the page, if any (its own
    cases are not "on another plan"); ``places``: visit id -> the stop's name on 行程
    (:func:`pages.common_stops.stop_names`, read here when not given): two stops of one town are told apart by their
    villages (walk S49a).
    """
    # Same-day groups by name in reasons and suggestions (the library writes the group's code).
    group_name = group_names(doc.visits.values())
    places = places if places is not None else stop_names(doc)
    show_revisits(doc, places)
    unassigned = not_placed(doc.plan.unassigned)
    if unassigned:
        from planner.store.database import session_scope
        from planner.store.plans import case_holders

        with session_scope(engine()) as session:  # a case on another plan gets no suggestion: it would be on two
            held = case_holders(session, {c for u in unassigned if u.visit_id in doc.visits
                                          for c in doc.visits[u.visit_id].case_nos}, plan_id=opened_id)
        unassigned = without_held(unassigned, tuple(doc.visits.values()), held)
    if not unassigned:
        return None
    st.subheader(f"未安排的走访点（{len(unassigned)} 个）")
    st.dataframe(
        pd.DataFrame([{"走访点": u.visit_id, "地点": _place(u.visit_id, doc, places),
                       "原因与建议": team_words(readable(u.reason, group_name), names)} for u in unassigned]),
        hide_index=True, width="stretch",
        column_config={"原因与建议": st.column_config.TextColumn(width="large")},
    )
    groups = [(s, ids) for s, ids in grouped_suggestions(unassigned) if s.kind != "add_team" or s.team_id in names]
    if request is None or not groups:
        return None
    st.caption("点击一条建议：按建议修改条件并重新规划。")
    base_visits = tuple(base_visits) or tuple(doc.visits.values())
    texts = [team_words(readable(s.label, group_name), names) for s, _ids in groups[:MAX_BUTTONS]]
    for j, (s, ids) in enumerate(groups[:MAX_BUTTONS]):
        c1, c2 = st.columns([2, 3], vertical_alignment="center")
        where = [_place(i, doc, places) or i for i in ids]
        # Two buttons never read the same (walk F: 不要求林业专长 twice, for 湖田村 and for 光祠村).
        text = texts[j] + (f"（{'、'.join(where)}）" if texts.count(texts[j]) > 1 else "")
        clicked = c1.button(text, key=f"pl_fix_{j}", width="stretch")
        c2.caption(promise_text(where))
        if clicked:
            try:
                return apply_suggestion(request, base_visits, s)
            except USER_ERRORS as exc:
                show_error(exc)
                st.stop()
    return None


def _place(visit_id: str, doc, places: Mapping[str, str]) -> str:
    """The stop's name as 行程 writes it, else the visit's label ("" for a visit the plan no longer holds)."""
    v = doc.visits.get(visit_id)
    return places.get(visit_id) or (v.label if v is not None else "")
