"""路线规划's stops by the one name 行程 gives them (:func:`planner.field.stop_names.stop_places`), read in a session.

Walk W13: 锁定 listed ``V001 云霄县陈岱镇`` (the visit's label) for the stop 行程 calls
``云霄县陈岱镇陈岱村（村表无此村，待核对）``; the lock list, the stops table, the map and the 未找到 note under the
lock list name each stop as 行程 does.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import engine, show_error
from planner.field.stop_names import stop_label, stop_places, visit_places
from planner.office.privacy import md_text
from planner.routing.held_list import (
    INLINE,
    conflict_groups,
    conflict_text,
    held_groups,
    held_text,
    plan_words,
    routed_stops,
    table_rows,
)
from planner.store.database import session_scope

# stop_label: ``V001 <the stop's name>`` for lists
__all__ = ["held_warning", "not_met_notes", "save_refused", "stop_label", "stop_names"]


def stop_names(doc) -> dict[str, str]:
    """Visit id -> the stop's name on 行程, for every visit of ``doc``."""
    with session_scope(engine()) as session:
        return stop_places(session, doc)


def not_met_notes(opened) -> dict[str, str]:
    """Each stop of an opened plan recorded as 未找到 -> what the lock box says of them
    (:meth:`planner.store.plans.OpenedPlan.not_met_notice`), the stops named as on 行程."""
    if not opened.not_met:
        return {}
    said = opened.not_met_notice(stop_names(opened.doc))
    return {vid: said for vid, _day in opened.not_met}


def held_warning(visits, held: dict[str, str], holders: dict[str, str] | None = None) -> None:
    """路线规划's warning of the stops another plan holds (``held``: visit id -> where; ``holders``: case number ->
    where, ``planner.store.plans.held_visits``), each named as 行程 and the tables below name it (walk: ``V002
    诏安县四都镇`` there, ``诏安县四都镇溪东村`` in 未安排的走访点). Many stops: counted per plan, listed in a
    collapsed table per plan (walk W36: 40 stops in one paragraph)."""
    with session_scope(engine()) as session:
        places = visit_places(session, [v for v in visits if v.visit_id in held])
    groups = held_groups(held, holders or {}, {v.visit_id: v.case_nos for v in visits}, places)
    st.warning(md_text(held_text(held, groups, places)), icon=":material/event_busy:")
    if len(held) > INLINE and groups:
        _tables(f"已在其他计划中的 {len(held)} 个走访点", groups)


def _tables(title: str, groups) -> None:
    """A collapsed expander: per plan (``groups``: (holder, stops)), its name and a table of its stops."""
    with st.expander(title, expanded=False):
        for holder, stops in groups:
            if len(groups) > 1:
                st.caption(md_text(f"{plan_words(holder)}：{len(stops)} 个走访点"))
            rows = pd.DataFrame(table_rows(stops), columns=["编号", "走访点", "检查组", "信访件"])
            st.dataframe(rows, hide_index=True, width="stretch")


def save_refused(exc: BaseException, doc, actor) -> None:
    """A refused save or move of ``doc`` (None: a move of a saved plan). A conflict's message already says what
    to do (刷新后重新规划), so the general hint is not added below it (the box said the advice twice); a save of
    ``doc`` whose letters other plans hold is said shortly, its stops listed per plan under it (walk W36: tab A of
    two read its 40 stops in one paragraph); other errors as :func:`pages.common.show_error` shows them."""
    from planner.errors import ConflictError
    from planner.office.authorisation import plan_refusal
    from planner.store.plan_claims import PlanConflictError

    if isinstance(exc, PlanConflictError) and doc is not None:
        with session_scope(engine()) as session:
            groups = conflict_groups(exc.held, doc, stop_places(session, doc))
            openable = {h[0] for h, _g in groups if not plan_refusal(actor, h[0], session=session)}
        if groups:
            st.error(md_text(conflict_text(groups, routed_stops(doc), openable)), icon="⚠️")
            stops = len({s[0] for _h, g in groups for s in g})
            if stops > INLINE:
                _tables(f"没有保存的 {stops} 个走访点（按安排它们的计划）", groups)
            return
    if isinstance(exc, ConflictError):
        st.error(md_text(exc), icon="⚠️")
    else:
        show_error(exc)
