"""Walk W13: 回访跟踪's new record opened with 已走访 already picked, so one click on 保存走访结果 recorded a visit
that had not happened. As on 行程's 下一站 form, the new record starts with no result picked and a save without one
is refused with the same message (planner.domain.picked_result, used by VisitOutcome and save_stop_outcome);
nothing is stored and what was typed stays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.domain import VisitOutcome, VisitResult
from planner.errors import InputError
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
NO = "W13F7-01"


@pytest.fixture()
def page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        case = CaseRow(case_no=NO, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                       content="反映林业站收取桉树砍伐保证金", category="林业", county="平和县", county_code="350628",
                       town="山格镇", village="土田村", lon=117.3, lat=24.4, status="planned")
        plan = PlanRow(name="第49周", start_date=TODAY, days=5, status="issued")
        s.add_all([case, plan])
        s.flush()
        s.add(PlanCase(plan_id=plan.id, case_id=case.id, visit_id="V1", team_id="T5", visit_date=TODAY, seq=1))
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = Actor(username="zhou", role="coordinator")
    return at


def _stored(engine) -> list[tuple[str, int]]:
    with session_scope(engine) as s:
        return [(r.result, r.households_visited) for r in s.scalars(select(VisitOutcomeRow))]


def test_a_new_record_starts_with_no_result_and_a_save_without_one_records_nothing(page: AppTest, engine) -> None:
    page.run()
    assert not page.exception, page.exception
    assert page.selectbox(key="fu_case").value == NO
    assert page.radio(key=f"fu_{NO}_new_result").value is None  # not 已走访 (nor any other) until the user picks
    page.number_input(key=f"fu_{NO}_new_households").set_value(7)
    page.text_area(key=f"fu_{NO}_new_findings").input("已入户核实")
    page.button(key=f"fu_{NO}_new_save").click().run()
    assert not page.exception, page.exception
    assert _stored(engine) == []  # one click on 保存 records no visit
    said = [e.value for e in page.error]
    assert any("请先选择结果（已走访、未找到、改期）再保存" in e for e in said), said
    assert not any("已保存信访件" in m.value for m in page.success)
    # What was typed is kept, and still nothing is picked for the user.
    assert page.number_input(key=f"fu_{NO}_new_households").value == 7
    assert page.text_area(key=f"fu_{NO}_new_findings").value == "已入户核实"
    assert page.radio(key=f"fu_{NO}_new_result").value is None
    page.radio(key=f"fu_{NO}_new_result").set_value(VisitResult.VISITED.value).run()
    page.button(key=f"fu_{NO}_new_save").click().run()
    assert not page.exception, page.exception
    assert _stored(engine) == [("visited", 7)]
    assert any("已保存信访件" in m.value for m in page.success)


@pytest.mark.parametrize("missing", [None, ""])
def test_an_outcome_without_a_result_is_refused_with_the_itinerary_forms_words(missing) -> None:
    with pytest.raises(InputError) as refused:
        VisitOutcome(case_no=NO, visit_date=TODAY, result=missing, findings="已核实")
    from planner.field.day import RESULTS  # 行程's form: the same words, from the same function
    assert str(refused.value) == f"请先选择结果（{'、'.join(r.label for r in RESULTS)}）再保存"
