"""Walk S: a coordinator re-planned a running plan at 08:20 and saved it; team 2's day changed and its officer's 行程
said nothing. A saved version that changes a team's route for a day now says so on that team's 行程 (places and stop
numbers, no petitioner names), and only on that team's."""

from __future__ import annotations

import dataclasses
import re

from planner.field import load_document
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.plans import open_plan, resave_plan
from tests.app.test_itinerary import MONDAY, OFFICER_T1, OFFICER_T2, PLAN, _officer_app, _saved


def _replanned(engine, monkeypatch) -> None:
    """The fixture plan issued, then saved again at 08:20 with team 1's Monday V06 (南胜…) moved to team 1's
    Tuesday and V01, V02 swapped; team 2's Monday untouched."""
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:20")
    pid = _saved(engine, monkeypatch)
    doc = load_document(PLAN)
    routes = []
    for r in doc.plan.routes:
        if (r.team_id, r.date) == ("T1", MONDAY):
            v1, v2, *rest = r.stops
            moved = rest.pop()
            r = dataclasses.replace(r, stops=(v2, v1, *rest))
        elif r.team_id == "T1":
            r = dataclasses.replace(r, stops=(*r.stops, moved))
        routes.append(r)
    new = dataclasses.replace(doc, plan=dataclasses.replace(doc.plan, routes=tuple(routes)))
    with session_scope(engine) as s:
        set_plan_status(s, pid, PlanStatus.ISSUED, who="boss")
        resave_plan(s, pid, new, who="boss", expected_version=open_plan(s, pid).version)


def _notices(at) -> list[str]:
    return [w.value for w in at.warning if "计划已于" in w.value]


def test_team_1s_officer_is_told_what_changed_of_todays_route(engine, monkeypatch) -> None:
    _replanned(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    (notice,) = _notices(at)
    assert re.match(r"计划已于 12-07 08:2\d 调整（第 2 版）：本组今天移出 V06 ", notice), notice  # the clock runs on
    assert "（改到本组 12-08）" in notice and "其余走访点的先后顺序有变动" in notice


def test_team_2s_officer_whose_route_did_not_change_is_told_nothing(engine, monkeypatch) -> None:
    _replanned(engine, monkeypatch)
    at = _officer_app(OFFICER_T2, MONDAY)
    at.run()
    assert not at.exception
    assert _notices(at) == []
