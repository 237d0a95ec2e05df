"""路线规划: a left-out visit pinned to a team outside the plan.

Found in a browser walk: a leader of 第一、第二检查组 uploaded a visits.csv pinning a visit to T4; the page offered
“加入T4” (a code, and a team the leader may not plan for) and the click re-planned with the leader's teams only —
nothing changed. The button is not offered to the leader; the office's coordinator reads the team's name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import TODAY, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
VISITS = (
    Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村"),
    Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村", team_id="B"),
)


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
        save_team(s, Team("B", "平和二组", 117.313, 24.363, base_name="平和县纪委监委"))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state[Key.VISITS] = VISITS
    return at


def _plan_with_team_a(app: AppTest) -> None:
    app.run()
    assert not app.exception
    app.multiselect(key="pl_teams").set_value(["A"])
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    app.button[0].click().run()  # 开始规划
    assert not app.exception
    assert [u.visit_id for u in app.session_state[Key.PLAN_DOC].plan.unassigned] == ["V2"]


def test_a_leader_is_not_offered_a_team_of_someone_else(app: AppTest) -> None:
    app.session_state["actor"] = Actor("lead", "leader", team_ids=("A",))
    _plan_with_team_a(app)
    labels = [b.label for b in app.button if b.key and b.key.startswith("pl_fix_")]
    assert labels and not any(label.startswith("加入") for label in labels)  # 取消指定检查组 stays


def test_the_coordinator_reads_the_team_name(app: AppTest) -> None:
    app.session_state["actor"] = Actor("coord", "coordinator")
    _plan_with_team_a(app)
    labels = [b.label for b in app.button if b.key and b.key.startswith("pl_fix_")]
    assert "加入平和二组" in labels and "加入B" not in labels
    reasons = " ".join(app.dataframe[0].value["原因与建议"])
    assert "指定的平和二组" in reasons
