"""路线规划 when another team's plan has since taken letters of a leader's unsaved selection (re-walk N1,
2026-12-03): the page showed only "无权规划路线…不属于本人负责的组…请联系管理员" and offered no way forward; a reload
then dropped the visits without a word. The refusal stays (a file naming other teams' cases is refused, and where
those letters went is not the leader's to know), and one button plans the rest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from _ui_data import TODAY, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")


def test_visits_taken_by_another_teams_plan_can_be_left_out_in_one_click(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
        save_team(s, Team("B", "南靖组", 117.36, 24.51, base_name="南靖县纪委监委"))
        for no in ("C1", "C2"):
            s.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                          content=f"{no} 村干部截留补助款", county="平和县", county_code="350628", town="山格镇",
                          lon=117.43, lat=24.37, precision="town", status="selected"))
        s.flush()
        c2 = s.query(CaseRow).filter_by(case_no="C2").one()
        plan = PlanRow(name="南靖本周", start_date=TODAY, days=1, status="issued", created_at=dt.datetime(2026, 12, 3),
                       created_by="admin", solver_status="feasible", objective=0, runtime_s=1.0, problem={},
                       result={}, version=1)
        s.add(plan)
        s.flush()
        s.add(PlanCase(plan_id=plan.id, case_id=c2.id, visit_id="X1", team_id="B", visit_date=TODAY, seq=1))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["actor"] = Actor("lead12", "leader", team_ids=("A",), display_name="林组长")
    at.session_state[Key.VISITS] = (Visit("V1", 117.43, 24.37, 30, label="山格镇隆庆村", case_nos=("C1",)),
                                    Visit("V2", 117.375, 24.325, 30, label="文峰镇三坪村", case_nos=("C2",)))
    at.run()
    assert not at.exception, at.exception
    assert any("不能规划路线" in e.value and "C2" in e.value and "计划 #" in e.value for e in at.error), at.error
    assert not any(b.label == "开始规划" for b in at.button)
    assert not any("南靖本周" in t.value for t in [*at.error, *at.warning, *at.info, *at.markdown])
    at.button(key="pl_leave_out").click().run()
    assert not at.exception, at.exception
    assert [v.visit_id for v in at.session_state[Key.VISITS]] == ["V1"]
    assert not at.error
    assert any(b.label == "开始规划" for b in at.button)
