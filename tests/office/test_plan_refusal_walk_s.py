"""Walk S: a team leader (组长 of T1) was offered 打开此计划 and 标记完成 on a plan with T2's route too; the click was
refused (「计划 #1 含有其他组（T2）的线路」). :func:`plan_refusal` says before the click what the server refuses, in
the words the page shows, and the server still refuses every move and the opening."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.errors import PermissionDenied
from planner.office.authorisation import plan_refusal
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import PlanRow
from planner.store.plans import open_plan

DAY = dt.date(2026, 12, 7)
LEADER = Actor("zhou", "leader", team_ids=("T1",), display_name="周组长")
COORDINATOR = Actor("xie", "coordinator", display_name="谢协调")
OFFICER = Actor("wu1", "officer", team_ids=("T1",), display_name="吴干部")


def _plan(engine, teams: tuple[str, ...], status: str = "in_progress") -> int:
    with session_scope(engine) as s:
        row = PlanRow(name="2026-12-07 起 2 天", start_date=DAY, days=2, status=status, created_by="xie",
                      result={"routes": [{"team": t, "stops": []} for t in teams]})
        s.add(row)
        s.flush()
        return row.id


def test_a_leader_is_told_why_a_plan_with_another_team_is_not_his(engine) -> None:
    mixed, own, foreign = _plan(engine, ("T1", "T2")), _plan(engine, ("T1",)), _plan(engine, ("T2",))
    with session_scope(engine) as s:
        assert plan_refusal(LEADER, mixed, session=s) == "含其他组（T2）的线路：请协调员打开、下发或标记完成"
        assert plan_refusal(LEADER, own, session=s) == ""
        assert "不含本组的线路" in plan_refusal(LEADER, foreign, session=s)
        assert plan_refusal(COORDINATOR, mixed, session=s) == ""
        assert "无权规划路线" in plan_refusal(OFFICER, own, session=s)


@pytest.mark.parametrize("target", [PlanStatus.DONE, PlanStatus.ISSUED])
def test_the_server_still_refuses_the_leader(engine, target: PlanStatus) -> None:
    mixed = _plan(engine, ("T1", "T2"))
    with session_scope(engine) as s, pytest.raises(PermissionDenied, match="含有其他组（T2）的线路"):
        set_plan_status(s, mixed, target, who="zhou", actor=LEADER)
    with session_scope(engine) as s, pytest.raises(PermissionDenied, match="含有其他组（T2）的线路"):
        open_plan(s, mixed, actor=LEADER)
    with session_scope(engine) as s:
        assert s.get(PlanRow, mixed).status == "in_progress"
