"""路线规划's stops by the one name 行程 gives them (:func:`planner.field.stop_names.stop_places`), read in a session.

Walk W13: 锁定 listed ``V001 云霄县陈岱镇`` (the visit's label) for the stop 行程 calls
``云霄县陈岱镇陈岱村（村表无此村，待核对）``; the lock list, the stops table, the map and the 未找到 note under the
lock list name each stop as 行程 does.
"""

from __future__ import annotations

from pages.common import engine
from planner.field.stop_names import stop_label, stop_places
from planner.store.database import session_scope

__all__ = ["not_met_notes", "stop_label", "stop_names"]  # stop_label: ``V001 <the stop's name>`` for lists


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
