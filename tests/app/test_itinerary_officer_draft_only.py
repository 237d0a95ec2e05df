"""行程 for an officer whose team has only a draft plan (草稿): team_days listed the draft's day, officer_day landed
the officer on it, and opening it was refused (计划 #1 还是草稿，尚未下发 — officers go by issued plans, 2004927).
The page now says plainly that the leader has not issued a route yet; once the leader issues it, the officer lands
on its day."""

from __future__ import annotations

import datetime as dt

from planner.field.day import NO_TEAM_ITINERARY
from planner.store.database import session_scope
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _officer_app, _saved


def test_an_officer_with_only_a_draft_is_told_the_leader_has_not_issued_it(engine, monkeypatch) -> None:
    from planner.store.lifecycle import PlanStatus, set_plan_status

    plan_id = _saved(engine, monkeypatch, issued=False)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]  # no refusal
    assert [i.value for i in at.info if NO_TEAM_ITINERARY in i.value], [i.value for i in at.info]
    assert "plan_id" not in at.session_state or at.session_state["plan_id"] is None
    with session_scope(engine) as s:
        set_plan_status(s, plan_id, PlanStatus.ISSUED, who="boss")
    issued = _officer_app(OFFICER_T1, MONDAY)  # signed in again after the leader issued it
    issued.run()
    assert not issued.exception and not issued.error
    assert (issued.session_state["plan_id"], issued.session_state["itinerary_date"]) == (plan_id, MONDAY)
    assert not [i.value for i in issued.info if NO_TEAM_ITINERARY in i.value]


def test_an_officer_with_only_past_routes_is_sent_to_the_leader_too(engine, monkeypatch) -> None:
    """Past routes to look at, none issued from today on (the leader's draft for tomorrow is no route yet): the officer
    is told to ask the leader, not only that nothing is scheduled."""
    from planner.store.models import PlanRow

    plan_id = _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        s.get(PlanRow, plan_id).status = "done"
    at = _officer_app(OFFICER_T1, MONDAY + dt.timedelta(days=2))
    at.run()
    assert not at.exception and not at.error
    said = " ".join(i.value for i in at.info)
    assert "本组今天及以后没有已下发的行程" in said and "请联系本组组长" in said and "查看以往的行程" in said, said
