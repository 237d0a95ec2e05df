"""AppTest of 路线规划 as an office uses it: starts from 选件's trip, policy from 设置, a leader's own teams, KPIs in
Chinese, and a left-out visit's suggestion adopted in one click (the plan is re-run with it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _ui_data import TODAY, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.office.security import Actor
from planner.office.settings import AppSettings, load_settings, save_settings
from planner.routing.advice import PlanRequest
from planner.store.database import session_scope
from planner.store.teams import save_team

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "planning.py")
SETTINGS_PAGE = str(ROOT / "pages" / "settings.py")
VISITS = (
    Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村"),
    Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村"),
    Visit("V3", 117.27, 24.45, 45, label="坂仔镇"),
    # Due Wednesday 2026-12-09, before the plan's start (Monday 2026-12-14).
    Visit("DUE", 117.30, 24.40, 45, latest_date=dt.date(2026, 12, 9), label="小溪镇"),
)


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
        save_team(s, Team("B", "平和二组", 117.36, 24.34, base_name="平和县纪委监委"))
        save_team(s, Team("C", "市区组", 117.652, 24.512, base_name="漳州市纪委监委"))
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.session_state[Key.TODAY] = TODAY
    at.session_state[Key.VISITS] = VISITS
    return at


def test_form_starts_from_the_trip_chosen_on_selection(app: AppTest) -> None:
    app.session_state[Key.TRIP] = PlanRequest(dt.date(2026, 12, 8), 3, ("A", "B"))
    app.run()
    assert not app.exception
    assert app.date_input(key="pl_start").value == dt.date(2026, 12, 8)
    assert app.number_input(key="pl_days").value == 3
    assert app.multiselect(key="pl_teams").value == ["A", "B"]
    assert app.radio(key="pl_policy").value == "compact", "集中出行 unless 设置 says otherwise"


def test_policy_default_comes_from_settings(app: AppTest, engine) -> None:
    with session_scope(engine) as s:
        save_settings(s, AppSettings(plan_policy="balanced"))
    app.run()
    assert app.radio(key="pl_policy").value == "balanced"
    assert app.multiselect(key="pl_teams").value == ["A", "B", "C"], "no trip: every team"


def test_leader_is_offered_only_their_teams(app: AppTest) -> None:
    app.session_state[Key.ACTOR] = Actor("lead", "leader", team_ids=("A", "B"), display_name="组长")
    app.run()
    assert not app.exception
    ms = app.multiselect(key="pl_teams")
    assert ms.options == ["平和一组", "平和二组"] and ms.value == ["A", "B"]


def test_kpis_status_and_a_suggestion_adopted_in_one_click(app: AppTest) -> None:
    app.session_state[Key.TRIP] = PlanRequest(dt.date(2026, 12, 14), 2, ("A",))
    app.run()
    app.number_input(key="pl_limit").set_value(1)
    app.button[0].click().run()  # 开始规划
    assert not app.exception
    doc = app.session_state[Key.PLAN_DOC]
    assert doc.plan.planned_visit_ids() == {"V1", "V2", "V3"}
    labels = [m.label for m in app.metric]
    for want in ("出行组日", "每组日走访点", "总里程", "车程", "空闲", "未安排"):
        assert want in labels
    assert next(m.value for m in app.metric if m.label == "出行组日") == "1", "集中出行: one day holds three visits"
    caption = " ".join(c.value for c in app.caption)
    assert "状态：可行" in caption and "集中出行" in caption and "feasible" not in caption
    table = app.dataframe[0].value
    (reason,) = table.loc[table["走访点"] == "DUE", "原因与建议"]
    assert "期限 2026-12-09 早于规划开始日期 2026-12-14" in reason
    fix = app.button(key="pl_fix_0")
    assert fix.label.startswith("开始日期提前到 2026-12-09")
    fix.click().run()
    assert not app.exception
    again = app.session_state[Key.PLAN_DOC]
    assert again.plan.start_date == dt.date(2026, 12, 9)
    assert again.plan.planned_visit_ids() == {"V1", "V2", "V3", "DUE"}
    assert app.date_input(key="pl_start").value == dt.date(2026, 12, 9)
    assert app.number_input(key="pl_days").value == 5, "12-09 .. 12-15: five working days, the old last day kept"


def test_settings_page_stores_the_plan_policy(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    at = AppTest.from_file(SETTINGS_PAGE, default_timeout=30)
    at.session_state[Key.ACTOR] = Actor("coord", "coordinator")
    at.run()
    assert at.radio(key="set_plan_policy").value == "compact"
    at.radio(key="set_plan_policy").set_value("distance")
    at.button[0].click().run()
    assert not at.exception
    with session_scope(engine) as s:
        assert load_settings(s).plan_policy == "distance"


def test_selection_stores_the_trip_a_leader_chose(engine, monkeypatch) -> None:
    from _ui_data import add_case

    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
        save_team(s, Team("B", "平和二组", 117.36, 24.34, base_name="平和县纪委监委"))
    add_case(engine, "ZZ1", deadline=dt.date(2026, 12, 20))
    at = AppTest.from_file(str(ROOT / "pages" / "selection.py"), default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state[Key.ACTOR] = Actor("lead", "leader", team_ids=("A",), display_name="组长")
    at.run()
    assert not at.exception
    teams = at.multiselect(key="sel_team_ids")
    assert teams.options == ["平和一组"] and teams.value == ["A"]
    # Today while its office day is ahead (walk 2, F5: not the next Monday); TODAY is a working day.
    assert at.date_input(key="sel_start").value == TODAY, "today, a working day"
    at.date_input(key="sel_start").set_value(dt.date(2026, 12, 15))
    at.number_input(key="sel_days").set_value(3).run()
    at.button(key="sel_build").click().run()
    assert not at.exception
    assert at.session_state[Key.TRIP] == PlanRequest(dt.date(2026, 12, 15), 3, ("A",))
