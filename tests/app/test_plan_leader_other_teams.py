"""AppTest (walk S): a team leader (组长 of T1) was offered 打开此计划 and 标记完成 on a saved plan that routes T2
too; 打开此计划 was then refused (「计划 #1 含有其他组（T2）的线路」). The page offers a leader only what he may do
and says why the rest is the coordinator's; a plan of his own team keeps its buttons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 12, 7)
LEADER = Actor("zhou", "leader", team_ids=("T1",), display_name="周组长")


def _plan(engine, teams: tuple[str, ...]) -> int:
    with session_scope(engine) as s:
        cases = [CaseRow(case_no=f"ZZJ-{team}", received_date=DAY, deadline=DAY + dt.timedelta(days=60),
                         status="in_progress", county="平和县", county_code="350628", lon=117.3, lat=24.4)
                 for team in teams]
        plan = PlanRow(name="2026-12-07 起 2 天", start_date=DAY, days=2, status="in_progress", created_by="xie",
                       result={"routes": [{"team": t, "stops": []} for t in teams]})
        s.add_all([*cases, plan])
        s.flush()
        for i, (case, team) in enumerate(zip(cases, teams, strict=True)):
            s.add(PlanCase(plan_id=plan.id, case_id=case.id, visit_id=f"V{i}", team_id=team, visit_date=DAY, seq=1))
        return plan.id


def _app(engine, monkeypatch, pid: int, actor: Actor) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    app = AppTest.from_file(str(ROOT / "pages" / "planning.py"), default_timeout=30)
    app.session_state["actor"] = actor
    app.session_state["plan_id"] = pid
    app.run()
    assert not app.exception
    return app


def _keys(app: AppTest, pid: int) -> list[str]:
    return [b.key for b in app.button if b.key.startswith((f"pl_life_{pid}_", f"pl_open_{pid}"))]


def test_a_leader_is_not_offered_a_plan_with_another_teams_route(engine, monkeypatch) -> None:
    pid = _plan(engine, ("T1", "T2"))
    app = _app(engine, monkeypatch, pid, LEADER)
    assert _keys(app, pid) == []  # neither 标记完成 nor 打开此计划
    assert any(i.value == f"计划 #{pid} 含其他组（T2）的线路：请协调员打开、下发或标记完成。" for i in app.info), [
        i.value for i in app.info]
    assert not app.error


def test_a_leader_keeps_the_buttons_of_his_own_teams_plan(engine, monkeypatch) -> None:
    pid = _plan(engine, ("T1",))
    app = _app(engine, monkeypatch, pid, LEADER)
    assert _keys(app, pid) == [f"pl_life_{pid}_done", f"pl_open_{pid}"]
    assert not any("含其他组" in i.value for i in app.info)


def test_the_coordinator_keeps_the_buttons_of_a_plan_of_several_teams(engine, monkeypatch) -> None:
    pid = _plan(engine, ("T1", "T2"))
    app = _app(engine, monkeypatch, pid, Actor("xie", "coordinator", display_name="谢协调"))
    assert _keys(app, pid) == [f"pl_life_{pid}_done", f"pl_open_{pid}"]
