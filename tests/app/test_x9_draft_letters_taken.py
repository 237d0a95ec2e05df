"""Walk W32: a leader's draft (草稿) held letters his team could never do, and hid them from the team that could.

leader3 (T3: 工程/环保) took the top 25 in 选件 and saved drafts; the overdue must-visit ZZ平2026-035 (财务) sat in
them. leader1, whose T2 has 财务, could not see it, add it, nor plan it from a visits.csv (无权规划路线 … 不属于本人
负责的组 … 请联系管理员). A draft is a working copy: its letters stay in other leaders' pool, a planner's save takes
them from it (the draft's owner reads it on opening the draft), and issued plans keep theirs as before — a letter one
holds is refused for that, the plan named, not as a rights problem.
"""

from __future__ import annotations

import datetime as dt

import pytest
from _ui_data import TODAY, add_case
from sqlalchemy import select

from planner.domain import Team, Visit
from planner.errors import PermissionDenied
from planner.office.authorisation import authorise_cases, visible_case_nos
from planner.office.security import Actor
from planner.routing.report import plan_document
from planner.store.database import session_scope
from planner.store.history import record_history
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import PlanCase, PlanRow
from planner.store.plan_claims import PlanConflictError
from planner.store.plans import held_visits, save_plan
from planner.store.teams import save_team

T2 = Team("T2", "漳浦云霄财务组", 117.611, 24.119, base_name="漳浦县纪委监委", skills=("finance",))
T3 = Team("T3", "长泰工程环保组", 117.756, 24.622, base_name="长泰区纪委监委", skills=("engineering",))
LEADER1 = Actor("zuzhang1", "leader", team_ids=("T2",), display_name="许组长")
LEADER3 = Actor("zuzhang3", "leader", team_ids=("T3",), display_name="蔡组长")
DUE = "ZZ平2026-035"
VISITS = (
    Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村", case_nos=(DUE,)),
    Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村", case_nos=("ZZ平2026-036",)),
)


@pytest.fixture()
def office(engine):
    with session_scope(engine) as s:
        save_team(s, T2)
        save_team(s, T3)
    for no in (DUE, "ZZ平2026-036"):
        add_case(engine, no, category="惠农补贴", deadline=TODAY - dt.timedelta(days=3))
    return engine


def _doc(team: Team, visits=VISITS):
    return plan_document(list(visits), [team], start_date=TODAY + dt.timedelta(days=1), days=1, time_limit_s=1.0)


def _routes(engine, pid: int) -> set[str]:
    from planner.store.models import CaseRow

    with session_scope(engine) as s:
        return set(
            s.scalars(
                select(CaseRow.case_no)
                .join(PlanCase, PlanCase.case_id == CaseRow.id)
                .where(PlanCase.plan_id == pid, PlanCase.team_id != "", PlanCase.visit_date.is_not(None))
            )
        )


def test_another_leaders_draft_leaves_its_letters_in_the_pool_and_a_save_takes_them(office) -> None:
    with session_scope(office) as s:
        draft = save_plan(s, _doc(T3), name="长泰草稿", who="zuzhang3", actor=LEADER3)
    assert _routes(office, draft) == {DUE, "ZZ平2026-036"}
    with session_scope(office) as s:
        assert visible_case_nos(LEADER1, s, [DUE]) == {DUE}  # in leader1's pool: a draft is a working copy
        # planning it anew, leader1's page does not count the other leader's draft as holding it
        assert held_visits(s, VISITS, taker="zuzhang1") == {}
        version = s.get(PlanRow, draft).version
        mine = save_plan(s, _doc(T2, VISITS[:1]), name="漳浦计划", who="zuzhang1", actor=LEADER1, had={DUE})
    assert _routes(office, mine) == {DUE}
    assert _routes(office, draft) == {"ZZ平2026-036"}  # taken: one letter, one plan's route
    with session_scope(office) as s:
        row = s.get(PlanRow, draft)
        assert row.version > version and row.problem["taken"] == {DUE: "zuzhang1"}
        assert [c.action for c in record_history(s, "plan", draft)][-1] == "cases_taken"
        # leader3, opening the draft, reads where the letter went
        told = held_visits(s, VISITS, plan_id=draft, taker="zuzhang3")
        assert set(told) == {"V1"} and f"已在计划 #{mine}" in told["V1"] and "漳浦云霄财务组，草稿" in told["V1"]
        with pytest.raises(PlanConflictError, match=f"已由计划 #{mine}"):  # issuing the draft as it was is refused
            from planner.store.plans import update_plan

            update_plan(s, draft, _doc(T3), actor=None)


def test_ones_own_draft_and_issued_plans_still_hold_their_letters(office) -> None:
    with session_scope(office) as s:
        first = save_plan(s, _doc(T2), name="漳浦草稿", who="zuzhang1", actor=LEADER1)
    with session_scope(office) as s, pytest.raises(PlanConflictError, match=f"已由计划 #{first}"):
        save_plan(s, _doc(T2), name="第二份", who="zuzhang1", actor=LEADER1, had={DUE})
    with session_scope(office) as s:
        set_plan_status(s, first, PlanStatus.ISSUED, who="zuzhang1")
    with session_scope(office) as s, pytest.raises(PlanConflictError, match=f"已由计划 #{first}"):
        save_plan(s, _doc(T3), name="长泰", who="zuzhang3", actor=LEADER3, had={DUE, "ZZ平2026-036"})
    assert _routes(office, first) == {DUE, "ZZ平2026-036"}


def test_a_letter_another_teams_issued_plan_holds_is_refused_for_that_not_the_rights(office) -> None:
    with session_scope(office) as s:
        pid = save_plan(s, _doc(T2), name="漳浦计划", who="zuzhang1", actor=LEADER1)
        set_plan_status(s, pid, PlanStatus.ISSUED, who="zuzhang1")
    with session_scope(office) as s:
        assert visible_case_nos(LEADER3, s, [DUE]) == frozenset()
        with pytest.raises(PermissionDenied) as err:
            authorise_cases(LEADER3, "plan", [DUE], session=s)
    text = str(err.value)
    assert f"信访件 {DUE} 已排入漳浦云霄财务组的计划 #{pid}（已下发）" in text, text
    assert "无权" not in text and "不属于本人负责的组" not in text
