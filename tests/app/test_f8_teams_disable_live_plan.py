"""AppTest of 检查组 (walk W6): a team an issued plan still sends out says so beside 启用, naming the plan and days,
and unticking 启用 is refused with what to do first; the team stays switched on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.domain import Team
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import PlanRow, TeamRow
from planner.store.teams import save_team

ROOT = Path(__file__).resolve().parents[2]
COORD = Actor("coord", "coordinator", display_name="陈协调")


@pytest.fixture()
def page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        save_team(s, Team("T6", "第六检查组", 117.3, 24.5))
        s.add(PlanRow(name="东山线", start_date=dt.date(2026, 12, 7), days=2, status="issued", created_by="coord",
                      result={"routes": [{"team": "T6", "date": "2026-12-08", "stops": [{"visit": "v1"}]}]}))
    at = AppTest.from_file(str(ROOT / "pages" / "teams.py"), default_timeout=30)
    at.session_state["actor"] = COORD
    at.session_state["today"] = dt.date(2026, 12, 7)
    return at


def test_switching_off_a_team_an_issued_plan_sends_out_is_refused_with_the_plan(page: AppTest, engine) -> None:
    page.run()
    assert page.selectbox(key="tm_choice").value == "T6"
    shown = " ".join(c.value for c in page.caption)
    assert "第六检查组 12-08 已在已下发的计划 #" in shown and "东山线" in shown and "停用前请先" in shown
    page.checkbox(key="tm_T6_active").uncheck()
    next(b for b in page.button if b.label == "保存").click().run()
    assert not page.exception
    errors = " ".join(e.value for e in page.error)
    assert "不能停用" in errors and "12-08" in errors and "重新规划" in errors
    assert "请刷新页面" not in errors  # refreshing changes nothing: the plan must be re-planned or closed first
    assert not page.success
    with session_scope(engine) as s:
        assert s.get(TeamRow, "T6").active is True


def test_a_team_without_live_days_is_switched_off_as_before(page: AppTest, engine) -> None:
    page.session_state["today"] = dt.date(2026, 12, 9)  # the plan's day is gone
    page.run()
    assert "停用前请先" not in " ".join(c.value for c in page.caption)
    page.checkbox(key="tm_T6_active").uncheck()
    next(b for b in page.button if b.label == "保存").click().run()
    assert not page.error and "已停用" in page.success[0].value
    with session_scope(engine) as s:
        assert s.get(TeamRow, "T6").active is False
