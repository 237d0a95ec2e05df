"""AppTest of 回访跟踪's 澄清 tab (walk W10): a letter opened warns of a 澄清函 only when one is its business — a visit
found the report untrue and no letter was issued, or a letter is being filled in without that ground."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.domain import VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow, TeamRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
LEADER = Actor(username="zhou", role="leader", team_ids=("T1",), display_name="周组长")
#: Letter -> its one visit (None: never visited).
VISITS = {
    "ZZ-TRUE": dict(result="visited", report_true=True, problem_resolved=True, findings="情况属实，已整改"),
    "ZZ-NONE": None,
    "ZZ-AWAY": dict(result="not_found", reason="信访人外出务工"),
    "ZZ-FALSE": dict(result="visited", report_true=False, findings="经核实反映不实"),
}


@pytest.fixture()
def seeded(engine, monkeypatch):
    """Four letters on 第一检查组's plan today in 佛昙镇: visited 属实, never visited, visited 未找到, visited 不实."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.6, base_lat=24.5))
        for no in VISITS:
            s.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 2), deadline=dt.date(2027, 1, 1),
                          content=f"{no} 反映佛昙镇岸头村支书承包村里海蛎养殖区不交承包费", category="三资管理",
                          county="漳浦县", county_code="350623", town="佛昙镇", village="岸头村", lon=117.9,
                          lat=24.2, status="planned"))
        s.flush()
        plan = PlanRow(name="第49周", start_date=TODAY, days=5, status="issued")
        s.add(plan)
        s.flush()
        for seq, case in enumerate(s.scalars(select(CaseRow).order_by(CaseRow.id)), 1):
            s.add(PlanCase(plan_id=plan.id, case_id=case.id, visit_id=f"V{seq}", team_id="T1", visit_date=TODAY,
                           seq=seq))
    for no, visit in VISITS.items():
        if visit is not None:
            with session_scope(engine) as s:
                record_outcome(s, VisitOutcome(case_no=no, visit_date=TODAY, team_id="T1", **visit), who="wu1",
                               today=TODAY)
    return engine


def _page(case_no: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = LEADER
    at.session_state["fu_scope"] = "all"  # 全部: a letter 已化解 too
    at.run()
    at.selectbox(key="fu_case").set_value(case_no).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def _clarify_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "澄清" in w.value]


@pytest.mark.parametrize("case_no", ["ZZ-TRUE", "ZZ-NONE", "ZZ-AWAY"])
def test_no_clarification_warning_when_none_is_due(seeded, case_no: str) -> None:
    """Walk W10: a letter found 属实, never visited or visited 未找到 warned 澄清函须以一次认定反映不实的走访为据 as
    soon as it was opened; it now says quietly that none is due."""
    at = _page(case_no)
    assert _clarify_warnings(at) == []
    assert any("本件无需出具澄清函" in c.value for c in at.caption)


def test_a_letter_found_untrue_without_a_clarification_warns_that_one_is_due(seeded) -> None:
    """The code's own ground for a 澄清函 (a visit 已走访 finding the report 不实) with none issued: said."""
    at = _page("ZZ-FALSE")
    (said,) = _clarify_warnings(at)
    assert "反映问题不实" in said and "尚未出具澄清函" in said
    assert not any("本件无需出具澄清函" in c.value for c in at.caption)


def test_filling_in_a_letter_without_ground_warns_before_it_is_issued(seeded) -> None:
    """Walk S kept: typing a 澄清函 for a letter visited 未找到 says why it cannot be issued, before 生成."""
    at = _page("ZZ-AWAY")
    at.text_input(key="fu_ZZ-AWAY_cl_cadre").input("陈建明").run()
    (said,) = _clarify_warnings(at)
    assert "均为未找到或改期" in said
