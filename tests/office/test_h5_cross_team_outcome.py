"""Walk W10 H1: 第一检查组's plan held ZZ-81 and was marked 完成 (the letter went back to 已登记); the coordinator
handed it to 第二检查组, whose plan #2 was issued. 第一检查组's officer still found it in 回访跟踪 and on 案件地图
and recorded 已走访 on it, saved under plan 1, while 第二检查组's officer still had it as a stop to visit. A letter
another team's issued or running plan holds is no longer the first team's (unless an open plan of theirs holds it
too): hidden from its officer and leader, and a save is refused saying where it went. What only a finished plan of
theirs held, and nobody else took, stays theirs (a visit recorded late)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.errors import PermissionDenied
from planner.followup.outcomes import record_outcome
from planner.followup.worklist import find_visit_choices
from planner.office.authorisation import CaseRef, authorise, held_elsewhere, visible_case_nos
from planner.office.security import Actor
from planner.store.models import CaseRow, PlanCase, PlanRow, TeamRow
from tests.test_followup_records import add_case, visit

DAY = dt.date(2026, 12, 7)
T1_OFFICER = Actor(username="wu_off", role="officer", team_ids=("T1",))
T1_LEADER = Actor(username="lin_lead", role="leader", team_ids=("T1", "T3"))
T2_OFFICER = Actor(username="huang_off", role="officer", team_ids=("T2",))


def _plan(session, status: str, team: str, *case_nos: str) -> int:
    plan = PlanRow(name=f"{team} 计划", start_date=DAY, days=2, status=status)
    session.add(plan)
    session.flush()
    ids = dict(session.execute(select(CaseRow.case_no, CaseRow.id)).all())
    for seq, no in enumerate(case_nos):
        session.add(PlanCase(plan_id=plan.id, case_id=ids[no], visit_id=f"V{seq}", team_id=team, visit_date=DAY,
                             seq=seq))
    session.flush()
    return plan.id


def _walk(session) -> tuple[int, int]:
    for tid, name in (("T1", "第一检查组"), ("T2", "第二检查组"), ("T3", "第三检查组")):
        session.add(TeamRow(id=tid, name=name, base_lon=117.6, base_lat=24.5))
    add_case(session, "ZZ-81", status="registered")  # back in the pool: plan 1 finished without visiting it
    add_case(session, "ZZ-82", status="visited")
    add_case(session, "ZZ-70", status="registered")  # plan 1 left it unvisited; nobody has taken it since
    plan1 = _plan(session, "done", "T1", "ZZ-81", "ZZ-82", "ZZ-70")
    record_outcome(session, visit("ZZ-82"), who="wu_off", plan_id=plan1)
    return plan1, _plan(session, "draft", "T2", "ZZ-81")


def test_a_letter_another_teams_live_plan_holds_is_no_longer_the_first_teams(session) -> None:
    _, plan2 = _walk(session)
    said = f"已排入第二检查组的计划 #{plan2}（已下发），由该组走访和登记"
    # While 第二检查组's plan is a draft, nobody goes yet: the letter is still where it was.
    assert visible_case_nos(T1_OFFICER, session, ["ZZ-81"]) == {"ZZ-81"}
    session.get(PlanRow, plan2).status = "issued"
    session.flush()

    for actor in (T1_OFFICER, T1_LEADER):
        assert visible_case_nos(actor, session, ["ZZ-81", "ZZ-82", "ZZ-70"]) == {"ZZ-82", "ZZ-70"}
        with pytest.raises(PermissionDenied, match=f"信访件 ZZ-81 {said}"):
            authorise(actor, "record_outcome", CaseRef("ZZ-81"), session=session)
        authorise(actor, "record_outcome", CaseRef("ZZ-70"), session=session)  # a late entry for plan 1: allowed
    assert held_elsewhere(T1_OFFICER, session, ["ZZ-81", "ZZ-82", "ZZ-70"]) == {"ZZ-81": said}
    # 回访跟踪's search does not find it for 第一检查组; 第二检查组's officer has it.
    found = find_visit_choices(session, DAY, query="ZZ-81", scope="all", team_ids=("T1",), actor=T1_OFFICER)
    assert [c.case_no for c in found.choices] == []
    assert visible_case_nos(T2_OFFICER, session, ["ZZ-81"]) == {"ZZ-81"}
    authorise(T2_OFFICER, "record_outcome", CaseRef("ZZ-81"), session=session)
    assert held_elsewhere(T2_OFFICER, session, ["ZZ-81"]) == {}

    # A letter 第一检查组 visited is still theirs until another team's live plan takes it too (a 回访 by 第二检查组).
    _plan(session, "in_progress", "T2", "ZZ-82")
    assert "ZZ-82" not in visible_case_nos(T1_OFFICER, session, ["ZZ-82"])
    assert "执行中" in held_elsewhere(T1_OFFICER, session, ["ZZ-82"])["ZZ-82"]
    # An open plan of 第一检查组 that holds it too keeps it theirs (two plans booking it: 下发 refuses the second) —
    # for its officer once issued: a draft is the leader's working copy, not the officer's (h4).
    own = _plan(session, "draft", "T1", "ZZ-82")
    assert visible_case_nos(T1_LEADER, session, ["ZZ-82"]) == {"ZZ-82"}
    assert "ZZ-82" not in visible_case_nos(T1_OFFICER, session, ["ZZ-82"])
    session.get(PlanRow, own).status = "issued"
    session.flush()
    assert visible_case_nos(T1_OFFICER, session, ["ZZ-82"]) == {"ZZ-82"}
    assert held_elsewhere(T1_OFFICER, session, ["ZZ-82"]) == {}
