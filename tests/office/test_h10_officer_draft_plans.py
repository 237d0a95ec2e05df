"""A draft plan (草稿, not yet issued) is the leader's working copy and can still change: it is no officer's plan.
Before, 第一检查组's officer found a draft's stops in 行程 (its plan box, its day), its letters on 案件地图 and in
回访跟踪, and could record an outcome on them as the team's. Now an officer's plans and letters are the issued,
running and finished ones; leaders and admins still see and open drafts. The rule of 34ce937 holds: a letter
another team's live plan holds is not the first team's."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.errors import PermissionDenied
from planner.followup.overview import plans_in_progress
from planner.office.authorisation import (
    CaseRef,
    PlanRef,
    authorise,
    held_elsewhere,
    visible_case_nos,
    visible_plan_ids,
)
from planner.office.security import Actor
from planner.store.models import PlanRow, TeamRow
from planner.store.plans import list_plans
from tests.office.test_h5_cross_team_outcome import _plan
from tests.test_followup_records import add_case

OFFICER = Actor(username="wu_off", role="officer", team_ids=("T1",))
LEADER = Actor(username="lin_lead", role="leader", team_ids=("T1",))
ADMIN = Actor(username="admin", role="admin")
T2_OFFICER = Actor(username="huang_off", role="officer", team_ids=("T2",))


@pytest.fixture()
def draft(session) -> int:
    for tid, name in (("T1", "第一检查组"), ("T2", "第二检查组")):
        session.add(TeamRow(id=tid, name=name, base_lon=117.6, base_lat=24.5))
    add_case(session, "ZZ-1", status="selected")
    add_case(session, "ZZ-2", status="selected")
    plan = _plan(session, "draft", "T1", "ZZ-1", "ZZ-2")
    row = session.get(PlanRow, plan)
    row.result = {"routes": [{"team": "T1", "stops": []}]}
    session.flush()
    return plan


def test_an_officer_neither_sees_nor_records_a_drafts_letters(session, draft) -> None:
    assert visible_case_nos(OFFICER, session, ["ZZ-1", "ZZ-2"]) == frozenset()
    with pytest.raises(PermissionDenied, match="不属于本组"):
        authorise(OFFICER, "record_outcome", CaseRef("ZZ-1"), session=session)
    for planner in (LEADER, ADMIN):
        assert visible_case_nos(planner, session, ["ZZ-1", "ZZ-2"]) == {"ZZ-1", "ZZ-2"}
        authorise(planner, "record_outcome", CaseRef("ZZ-1"), session=session)

    session.get(PlanRow, draft).status = "issued"
    session.flush()
    assert visible_case_nos(OFFICER, session, ["ZZ-1", "ZZ-2"]) == {"ZZ-1", "ZZ-2"}
    authorise(OFFICER, "record_outcome", CaseRef("ZZ-1"), session=session)


def test_an_officer_is_not_offered_a_draft_plan_nor_may_open_it(session, draft) -> None:
    assert draft not in visible_plan_ids(OFFICER, session)
    assert [p.plan_id for p in list_plans(session, actor=OFFICER)] == []
    assert [p.plan_id for p in plans_in_progress(session, actor=OFFICER)] == []
    with pytest.raises(PermissionDenied, match=f"计划 #{draft} 还是草稿，尚未下发"):
        authorise(OFFICER, "view_cases", PlanRef(plan_id=draft), session=session)
    for planner in (LEADER, ADMIN):
        assert draft in visible_plan_ids(planner, session)
        assert [p.plan_id for p in list_plans(session, actor=planner)] == [draft]
        authorise(planner, "view_cases", PlanRef(plan_id=draft), session=session)

    for status in ("issued", "in_progress", "done"):
        session.get(PlanRow, draft).status = status
        session.flush()
        assert [p.plan_id for p in list_plans(session, actor=OFFICER)] == [draft]
        authorise(OFFICER, "view_cases", PlanRef(plan_id=draft), session=session)


def test_an_own_draft_does_not_keep_a_letter_another_teams_live_plan_holds(session, draft) -> None:
    # 第一检查组's finished plan held ZZ-3; 第二检查组's issued plan holds it now; 第一检查组's leader drafts it again.
    add_case(session, "ZZ-3", status="planned")
    _plan(session, "done", "T1", "ZZ-3")
    other = _plan(session, "issued", "T2", "ZZ-3")
    _plan(session, "draft", "T1", "ZZ-3")
    assert visible_case_nos(OFFICER, session, ["ZZ-3"]) == frozenset()
    assert f"计划 #{other}（已下发）" in held_elsewhere(OFFICER, session, ["ZZ-3"])["ZZ-3"]
    with pytest.raises(PermissionDenied, match="已排入第二检查组的计划"):
        authorise(OFFICER, "record_outcome", CaseRef("ZZ-3"), session=session)
    assert visible_case_nos(LEADER, session, ["ZZ-3"]) == {"ZZ-3"}  # the leader's draft is the leader's
    assert visible_case_nos(T2_OFFICER, session, ["ZZ-3"]) == {"ZZ-3"}


def test_an_officers_day_in_the_worklist_lists_no_draft_stop(session, draft) -> None:
    from planner.followup.outcomes import record_outcome
    from planner.followup.worklist import visit_choices
    from tests.office.test_h5_cross_team_outcome import DAY
    from tests.test_followup_records import visit

    # ZZ-4 was visited by 第一检查组 before (theirs, by the visit); the leader's draft puts it on the day again.
    add_case(session, "ZZ-4", status="visited")
    record_outcome(session, visit("ZZ-4", DAY - dt.timedelta(days=20)), who="wu_off")
    _plan(session, "draft", "T1", "ZZ-4")
    assert visible_case_nos(OFFICER, session, ["ZZ-4"]) == {"ZZ-4"}
    today = visit_choices(session, DAY, team_ids=("T1",), include_open=False, actor=OFFICER)
    assert [c.case_no for c in today] == []  # 今日: the draft's stop is not the officer's day
    today = visit_choices(session, DAY, team_ids=("T1",), include_open=False, actor=LEADER)
    assert "ZZ-4" in [c.case_no for c in today if c.planned_today]
