"""路线规划's stops by the one name 行程 gives them (:func:`planner.field.stop_names.stop_places`), read in a session.

Walk W13: 锁定 listed ``V001 云霄县陈岱镇`` (the visit's label) for the stop 行程 calls
``云霄县陈岱镇陈岱村（村表无此村，待核对）``; the lock list, the stops table, the map and the 未找到 note under the
lock list name each stop as 行程 does.
"""

from __future__ import annotations

import streamlit as st

from pages.common import engine
from planner.field.stop_names import held_text, stop_label, stop_places, visit_places
from planner.office.privacy import md_text
from planner.store.database import session_scope

# stop_label: ``V001 <the stop's name>`` for lists
__all__ = ["held_warning", "not_met_notes", "stop_label", "stop_names"]


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


def held_warning(visits, held: dict[str, str]) -> None:
    """路线规划's warning of the stops another plan holds (``held``: visit id -> where), each named as 行程 and the
    tables below name it (walk: ``V002 诏安县四都镇`` there, ``诏安县四都镇溪东村`` in 未安排的走访点)."""
    with session_scope(engine()) as session:
        places = visit_places(session, [v for v in visits if v.visit_id in held])
    st.warning(md_text(held_text(held, places)), icon=":material/event_busy:")
