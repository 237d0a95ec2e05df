"""Walk W12: leader lead_zp opening /itinerary?plan=1&team=T3 (another team's plan) was quietly shown their own plan.
It is still refused, and now said to be, without a word of the other team's day; the same for an officer, for a team
of the plan that is not theirs, and for a plan number that does not exist (read alike: its existence is not told)."""

from __future__ import annotations

import dataclasses

from planner.field import load_document
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.plans import save_plan
from tests.app.test_itinerary import MONDAY, OFFICER_T1, PLAN, _officer_app, _saved

LEADER_T1 = Actor(username="huang", role="leader", team_ids=("T1",))


def _t2_only(engine, own: int) -> int:
    """A second plan routing T2 alone (a draft re-plan of ``own``: a letter is on one live plan's routes only)."""
    doc = load_document(PLAN)
    doc = dataclasses.replace(doc, plan=dataclasses.replace(
        doc.plan, routes=tuple(r for r in doc.plan.routes if r.team_id == "T2")))
    with session_scope(engine) as s:
        pid = save_plan(s, doc, name="漳浦 12 月", who="boss", parent_id=own)
    return pid


def _warnings(at) -> list[str]:
    return [w.value for w in at.warning]


def _open(actor, params):
    at = _officer_app(actor, MONDAY)
    at.query_params.update(params)
    at.run()
    assert not at.exception
    return at


def test_another_teams_plan_a_plan_that_does_not_exist_and_another_team_are_said_to_be_refused(
        engine, monkeypatch) -> None:
    own = _saved(engine, monkeypatch)
    other = _t2_only(engine, own)
    for actor in (LEADER_T1, OFFICER_T1):
        for asked in (str(other), "999"):
            at = _open(actor, {"plan": asked, "team": "T2"})
            assert at.session_state["plan_id"] == own and at.session_state["itinerary_team"] == "T1"
            said = [w for w in _warnings(at) if "无权" in w]
            assert said == [f"计划 #{asked} 不存在或你无权查看，已显示本组的行程。"], _warnings(at)
            assert "漳浦 12 月" not in str(at.main)  # nothing of the other plan
        # The own plan, asking for the other team of it: T1's day is shown, and T2 is said to be refused.
        at = _open(actor, {"plan": str(own), "team": "T2", "day": MONDAY.isoformat()})
        assert at.session_state["itinerary_team"] == "T1"
        assert [w for w in _warnings(at) if "无权" in w] == ["你无权查看检查组 T2 的行程，已显示本组的行程。"]
        # The own plan and team, without a day: opened as asked, nothing said.
        at = _open(actor, {"plan": str(own), "team": "T1"})
        assert at.session_state["plan_id"] == own and not [w for w in _warnings(at) if "无权" in w or "不存在" in w]


def test_a_day_that_is_no_date_is_named_not_the_plan(engine, monkeypatch) -> None:
    # Walk W22: ?plan=1&team=T1&day=xx said "计划 #1 不存在或你无权查看" of the officer's own plan.
    own = _saved(engine, monkeypatch)
    at = _open(OFFICER_T1, {"plan": str(own), "team": "T1", "day": "xx"})
    assert at.session_state["plan_id"] == own
    said = _warnings(at)
    assert not [w for w in said if "不存在" in w], said
    assert any(w.startswith("地址中的日期“xx”无法识别") for w in said), said
