"""AppTest of 路线规划's 求解时间 help (walk S49a): it said the cap and the shorter search of a small plan, not that the
search also stops once every stop is placed and no better plan came for :data:`planner.routing.report.PLAN_STALL_S`
seconds — a leader who set 60 秒 saw the plan back in 3."""

from __future__ import annotations

from _ui_data import TODAY, add_case, db_url
from app_steps import MONDAY_7, planning_page

from pages.common import Key
from planner.domain import Team, Visit
from planner.routing.report import PLAN_STALL_S
from planner.store.database import session_scope
from planner.store.teams import save_team


def test_the_limit_help_says_the_search_stops_when_it_stalls(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    add_case(engine, "ZZ1")
    app = planning_page(TODAY, MONDAY_7)
    app.session_state[Key.VISITS] = (Visit("V1", 117.33, 24.37, 45, label="平和县小溪镇", case_nos=("ZZ1",)),)
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    said = app.number_input(key="pl_limit").help
    assert "最长求解时间" in said and "0.25 秒" in said, said
    assert "所有走访点都排入后" in said and f"连续 {PLAN_STALL_S:g} 秒" in said and "没有找到更好的方案" in said, said
