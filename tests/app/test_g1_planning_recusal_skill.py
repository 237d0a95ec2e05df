"""路线规划: visits left out because the only team with their 专长 has someone to 回避 say who, and one button
drops the 专长 so the other team takes them (user walk of 规划: no button was offered)."""

from __future__ import annotations

from pathlib import Path

from _ui_data import TODAY, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, TeamMember, Visit
from planner.store.database import session_scope
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")


def test_recusal_in_the_team_with_the_skill_offers_a_button_that_lets_the_other_team_go(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委",
                          members=(TeamMember("a1", "林明", skills=("forestry",)), TeamMember("a2", "陈华"))))
        save_team(s, Team("B", "平和二组", 117.313, 24.363, base_name="平和县纪委监委",
                          members=(TeamMember("b1", "黄强"),)))
    visits = (Visit("V1", 117.43, 24.37, 45, skills=("forestry",), excluded_members=("a2",), label="山格镇隆庆村"),
              Visit("V2", 117.375, 24.325, 45, skills=("forestry",), excluded_members=("a2",), label="文峰镇三坪村"))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[Key.TODAY] = TODAY
    app.session_state[Key.VISITS] = visits
    app.run()
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    app.button[0].click().run()  # 开始规划
    assert not app.exception
    assert app.session_state[Key.PLAN_DOC].plan.planned_visit_ids() == set()
    table = app.dataframe[0].value
    reasons = list(table["原因与建议"])
    said = "具备林业专长的只有平和一组，其中陈华须回避；平和二组无须回避的人员，但不具备林业专长"
    assert len(reasons) == 2 and all(said in r for r in reasons), reasons
    fixes = [b for b in app.button if b.key and b.key.startswith("pl_fix_")]
    labels = [b.label for b in fixes]
    assert labels[0] == "不要求这些专长（2 个走访点）", labels
    assert any(x.startswith("不要求林业专长，可由平和二组走访") for x in labels), labels
    fixes[0].click().run()
    assert not app.exception
    doc = app.session_state[Key.PLAN_DOC]
    assert doc.plan.planned_visit_ids() == {"V1", "V2"}
    assert {r.team_id for r in doc.plan.routes if r.stops} == {"B"}


def test_a_plan_with_time_windows_says_a_window_bounds_the_start(engine, monkeypatch) -> None:
    """Walk: a 09:00-10:30 window gave a visit 10:27-11:27 and nothing said the window bounds only the start."""
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    visits = (Visit("V1", 117.43, 24.37, 120, window_start_min=9 * 60, window_end_min=9 * 60 + 30,
                    label="山格镇隆庆村"),)
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[Key.TODAY] = TODAY
    app.session_state[Key.VISITS] = visits
    app.run()
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    app.button[0].click().run()  # 开始规划
    assert not app.exception
    assert app.session_state[Key.PLAN_DOC].plan.planned_visit_ids() == {"V1"}
    said = [c.value for c in app.caption if "时间窗约束到达（开始走访）的时间" in c.value]
    assert len(said) == 1 and "山格镇隆庆村：时间窗 09:00-09:30" in said[0], [c.value for c in app.caption]
