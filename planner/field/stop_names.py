"""The stops of a plan by the one name 行程 and every field sheet give them, for the pages that list stops otherwise.

A visit's label is written when 选件 builds it, from the place the import found (``云霄县陈岱镇``); the sheets name
a village the letter wrote that the village table lacks (``云霄县陈岱镇陈岱村（村表无此村，待核对）``). 路线规划
listed the label (walk W13: two stops both ``云霄县陈岱镇`` in 锁定, one of them another name in 行程). Every view
names a stop by :func:`planner.field.model.stop_place` on the plan as the sheets read it
(:func:`planner.field.model.enrich_cases`).

``stop_places(session, doc) -> dict[str, str]``
``visit_places(session, visits) -> dict[str, str]``
    The same for visits before any plan holds them (路线规划's 其他计划中 warning, walk: ``V002 诏安县四都镇`` for the
    stop the tables below it call ``诏安县四都镇溪东村``).
(The 其他计划中 warning that names them: :mod:`planner.routing.held_list`.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from planner.field.model import CaseInfo, enrich_cases, stop_place


def stop_places(session: Any, doc: Any) -> dict[str, str]:
    """Visit id -> the stop's name as 行程 writes it (:func:`planner.field.model.stop_place`).

    Parameters
    ----------
    session
        Open session: the letters' place notes as they are today (a village not found, a corrected place).
    doc
        The plan document (its visits and case details).

    Returns
    -------
    dict
        One name per visit of the document, planned or not.
    """
    sheets = enrich_cases(doc, session)
    return {vid: stop_place(v, [CaseInfo.from_json(no, sheets.cases.get(no)) for no in v.case_nos])
            for vid, v in sheets.visits.items()}


def visit_places(session: Any, visits: Iterable[Any]) -> dict[str, str]:
    """Visit id -> the stop's name as 行程 would write it (:func:`stop_places`), for ``visits`` not yet in a plan."""
    from planner.domain import Plan
    from planner.routing.planio import PlanDocument

    return stop_places(session, PlanDocument(plan=Plan(status="", routes=()), visits={v.visit_id: v for v in visits}))


def stop_label(visit_id: str, places: dict[str, str]) -> str:
    """``V001 云霄县陈岱镇陈岱村（村表无此村，待核对）``: a stop in a list (锁定), by id and its one name."""
    name = places.get(visit_id, "")
    return f"{visit_id} {name}" if name and name != visit_id else visit_id


__all__ = ["stop_label", "stop_places", "visit_places"]
