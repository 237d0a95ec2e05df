"""Walk E: an officer whose team has no issued itinerary is told so and sent to the team's leader (组长) on 行程 and
首页, not to 导入 or 路线规划, which they cannot open; those who plan keep the hints of what to do first."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow

ROOT = Path(__file__).resolve().parents[2]
OFFICER_T4 = Actor(username="ganbu4", role="officer", team_ids=("T4",))
LEADER_T4 = Actor(username="zuzhang4", role="leader", team_ids=("T4",))
COORDINATOR = Actor(username="coord", role="coordinator")


def _page(engine, monkeypatch, page: str, actor: Actor) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=30)
    at.session_state[Key.TODAY] = TODAY
    at.session_state[Key.ACTOR] = actor
    at.run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest) -> str:
    return " ".join([i.value for i in at.info] + [m.value for m in at.markdown] + [c.value for c in at.caption])


def test_an_officer_without_an_issued_itinerary_is_sent_to_the_team_leader(engine, monkeypatch) -> None:
    add_case(engine, "A1")  # letters in the office, none on a route of team T4
    for page in ("itinerary.py", "home.py"):
        shown = _shown(_page(engine, monkeypatch, page, OFFICER_T4))
        assert "本组还没有已下发的行程" in shown and "请联系本组组长" in shown, page
        assert "请先导入" not in shown and "路线规划" not in shown, page
        assert "今天及以后没有排定的行程" not in shown, page  # no 以往的行程 to look at either


@pytest.mark.parametrize("actor", [LEADER_T4, COORDINATOR], ids=["leader", "coordinator"])
def test_those_who_plan_keep_the_hints_of_what_to_do_first(engine, monkeypatch, actor) -> None:
    shown = _shown(_page(engine, monkeypatch, "itinerary.py", actor))
    assert "请先在路线规划页生成并保存计划" in shown and "组长" not in shown
    shown = _shown(_page(engine, monkeypatch, "home.py", actor))
    assert "请先导入信访件登记表" in shown and "请联系本组组长" not in shown


def test_an_officer_with_letters_but_no_plan_in_progress_is_not_sent_to_planning(engine, monkeypatch) -> None:
    """首页's 暂无进行中的下访计划 offered 去制定路线规划 to an officer, whose team's last plan is finished."""
    add_case(engine, "A1")
    with session_scope(engine) as s:
        plan = PlanRow(name="十一月", start_date=TODAY, days=1, status="done", created_by="zuzhang4")
        s.add(plan)
        s.flush()
        case_id = s.query(CaseRow.id).filter(CaseRow.case_no == "A1").scalar()
        s.add(PlanCase(plan_id=plan.id, case_id=case_id, visit_id="V1", team_id="T4", visit_date=TODAY))
    shown = _shown(_page(engine, monkeypatch, "home.py", OFFICER_T4))
    assert "本组还没有已下发的行程" in shown and "去制定路线规划" not in shown
    shown = _shown(_page(engine, monkeypatch, "home.py", LEADER_T4))
    assert "暂无进行中的下访计划" in shown and "去制定路线规划" in shown
