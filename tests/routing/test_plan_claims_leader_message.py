"""Walk W: two leaders saved plans a few milliseconds apart. The second, whose letters the first plan had just taken,
was told 无权规划路线：信访件 … 不属于本人负责的组，请联系管理员 (the letters had left the pool, so the rights refused
them) instead of 保存失败 naming the plan that holds them, as a save a second later is told."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import Team, Visit
from planner.errors import PermissionDenied
from planner.office.security import Actor
from planner.routing.report import plan_document
from planner.store.models import CaseRow
from planner.store.plan_claims import PlanConflictError
from planner.store.plans import save_plan
from planner.store.teams import save_team

MONDAY = dt.date(2026, 12, 7)
T1 = Team("T1", "第一检查组", 117.313, 24.363)
T3 = Team("T3", "第三检查组", 117.313, 24.363)
LEADER1 = Actor("zuzhang1", "leader", team_ids=("T1",))
LEADER3 = Actor("zuzhang3", "leader", team_ids=("T3",))
OFFICER3 = Actor("ganbu3", "officer", team_ids=("T3",))


def _plan(team: Team, *numbers: str):
    visits = [Visit(f"V{no}", 117.43, 24.37, 60, label="山格镇隆庆村", case_nos=(no,)) for no in numbers]
    return plan_document(visits, [team], start_date=MONDAY, days=1, time_limit_s=1.0)


@pytest.fixture()
def taken(session) -> int:
    save_team(session, T1)
    save_team(session, T3)
    for no in ("1", "2"):
        session.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31)))
    session.flush()
    first = save_plan(session, _plan(T1, "1"), name="一组方案", who="zuzhang1", actor=LEADER1)
    session.commit()
    return first


def test_a_leader_whose_letter_another_plan_took_is_told_which_plan(session, taken) -> None:
    with pytest.raises(PlanConflictError) as err:
        save_plan(session, _plan(T3, "1", "2"), name="三组方案", who="zuzhang3", actor=LEADER3)
    assert str(err.value).startswith("保存失败：") and f"已由计划 #{taken}「一组方案」" in str(err.value)
    session.rollback()


def test_someone_who_may_not_plan_is_still_refused_by_the_rights(session, taken) -> None:
    with pytest.raises(PermissionDenied) as err:
        save_plan(session, _plan(T3, "1", "2"), name="三组方案", who="ganbu3", actor=OFFICER3)
    assert not isinstance(err.value, PlanConflictError) and "一组方案" not in str(err.value)
    session.rollback()
