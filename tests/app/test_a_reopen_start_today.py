"""AppTest of 路线规划: a saved plan of several days opened again after its first day (walk: it runs since Monday,
opened on Wednesday) offered its first day as the start, and 开始规划 refused it (开始日期 … 已过) until someone
changed the date by hand. It now starts today on the office's clock with the days the plan has left, and says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _ui_data import add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.routing.report import plan_document
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.plans import save_plan
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
MONDAY = dt.date(2026, 12, 7)
TEAM = Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委")
VISITS = [Visit(f"V{k}", 117.30 + 0.03 * k, 24.35 + 0.01 * k, 45, label=f"山格镇{k}村", case_nos=(f"ZZ{k}",))
          for k in range(1, 5)]


@pytest.fixture()
def issued(engine, monkeypatch) -> int:
    """A plan of Monday to Friday, issued on Monday."""
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, TEAM)
    for v in VISITS:
        add_case(engine, v.case_nos[0])
    doc = plan_document(VISITS, [TEAM], start_date=MONDAY, days=5, time_limit_s=1.0)
    with session_scope(engine) as s:
        pid = save_plan(s, doc, name="一周走访", who="coord")
        set_plan_status(s, pid, PlanStatus.ISSUED, who="coord")
    return pid


def _opened(pid: int, on: dt.date) -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[Key.TODAY] = on
    app.session_state["planning_now"] = dt.datetime.combine(on, dt.time(9, 0))
    app.session_state[Key.PLAN_ID] = pid
    app.run()
    app.button(key=f"pl_open_{pid}").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    return app


def test_a_plan_opened_after_its_first_day_starts_today_with_the_days_it_has_left(issued: int) -> None:
    wednesday = MONDAY + dt.timedelta(days=2)
    app = _opened(issued, wednesday)
    assert app.date_input(key="pl_start").value == wednesday
    assert app.number_input(key="pl_days").value == 3  # Wednesday to Friday
    said = " ".join(s.value for s in app.success)
    assert "第一天 2026-12-07 已过" in said and "已改为今天（2026-12-09）" in said and "余下的 3 天" in said, said
    next(b for b in app.button if b.label == "开始规划").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]  # not refused as 已过
    doc = app.session_state[Key.PLAN_DOC]
    assert doc.plan.routes and all(r.date >= wednesday for r in doc.plan.routes)


def test_a_plan_opened_before_its_first_day_keeps_its_dates(issued: int) -> None:
    app = _opened(issued, MONDAY - dt.timedelta(days=3))
    assert app.date_input(key="pl_start").value == MONDAY
    assert app.number_input(key="pl_days").value == 5
    assert not any("已改为今天" in s.value for s in app.success)
