"""Walk F: an officer signed in on 12-08 and landed on a draft (plan #2, T1 on 12-08 and 12-09) although an issued
plan (#3) sends T1 out on 12-09. A draft is the leader's work in progress, not the team's instructions: the landing
is the first day of an issued (or running) plan; a leader's is a draft's day only while nothing is issued. An officer
never lands on, nor is offered, a draft's day: opening it was refused (计划 #N 还是草稿，尚未下发, 2004927).
"""

from __future__ import annotations

import copy
import datetime as dt

from planner.field.day import officer_day, team_days
from planner.store.database import session_scope
from planner.store.models import PlanRow
from tests.export.test_day import LEADER_T1, MONDAY, OFFICER_T1, OFFICER_T2, _store, raw  # noqa: F401 - fixture

TUESDAY = MONDAY + dt.timedelta(days=1)


def _issue(engine, plan_id: int) -> None:
    with session_scope(engine) as s:
        s.get(PlanRow, plan_id).status = "issued"


def test_an_officer_lands_on_the_issued_plans_day_not_an_earlier_draft_day(engine, session, raw) -> None:  # noqa: F811
    draft = _store(engine, raw, name="草稿")
    tuesday_only = copy.deepcopy(raw)
    tuesday_only["routes"] = [r for r in raw["routes"] if r.get("team", r.get("team_id")) == "T1"
                              and r["date"] == TUESDAY.isoformat()]
    assert tuesday_only["routes"], "the fixture plan has a T1 route on Tuesday"
    # Saved as a re-plan of the draft: a plan sharing letters with another live plan must descend from it (f6f53cc).
    issued = _store(engine, tuesday_only, name="已下发", replaces=draft)
    _issue(engine, issued)
    landing = officer_day(session, OFFICER_T1, MONDAY)
    assert (landing.date, landing.plan_id, landing.plan_status) == (TUESDAY, issued, "issued")
    # The draft's Monday stays listed for the leader's choosing; the officer is not offered it.
    assert any(d.date == MONDAY and d.plan_id == draft for d in team_days(session, LEADER_T1, since=MONDAY))
    assert [(d.date, d.plan_id) for d in team_days(session, OFFICER_T1, since=MONDAY)] == [(TUESDAY, issued)]


def test_with_nothing_issued_a_leader_lands_on_the_draft_and_an_officer_nowhere(engine, session, raw) -> None:  # noqa: F811
    draft = _store(engine, raw, name="草稿")
    landing = officer_day(session, LEADER_T1, MONDAY)
    assert (landing.date, landing.plan_id, landing.plan_status) == (MONDAY, draft, "draft")
    # The officer's page says the leader has not issued a route yet (NO_TEAM_ITINERARY), not a refusal.
    assert officer_day(session, OFFICER_T2, MONDAY) is None
    assert team_days(session, OFFICER_T2, since=MONDAY) == []
    _issue(engine, draft)
    landing = officer_day(session, OFFICER_T2, MONDAY)
    assert (landing.date, landing.plan_id, landing.plan_status) == (MONDAY, draft, "issued")
