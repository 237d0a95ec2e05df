"""AppTest (M4): a plan made at 14:31 for today sends nobody out at 08:30; after the shift, today gets no visits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _ui_data import TODAY, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.store.database import session_scope
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
VISITS = (
    Visit("V1", 117.43, 24.37, 30, label="山格镇隆庆村"),
    Visit("V2", 117.375, 24.325, 30, label="文峰镇三坪村"),
    Visit("V3", 117.27, 24.45, 30, label="坂仔镇"),
)


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state[Key.VISITS] = VISITS
    return at


def _plan_today(app: AppTest, now: dt.datetime, days: int):
    app.session_state["planning_now"] = now
    app.run()
    assert not app.exception
    app.date_input(key="pl_start").set_value(TODAY)
    app.number_input(key="pl_days").set_value(days)
    app.number_input(key="pl_limit").set_value(1)
    next(b for b in app.button if b.label == "开始规划").click().run()
    assert not app.exception
    return app.session_state[Key.PLAN_DOC]


def test_todays_routes_start_from_now(app: AppTest) -> None:
    doc = _plan_today(app, dt.datetime(2026, 12, 7, 14, 31), 1)
    routes = [r for r in doc.plan.routes if r.date == TODAY and r.stops]
    assert routes
    assert all(r.depart_min >= 14 * 60 + 35 and all(s.arrive_min >= 14 * 60 + 35 for s in r.stops) for r in routes)
    assert any("14:35 以后出发" in i.value for i in app.info)


def test_after_the_shift_today_gets_no_visits_and_the_page_says_so(app: AppTest) -> None:
    doc = _plan_today(app, dt.datetime(2026, 12, 7, 17, 45), 2)
    assert not [r for r in doc.plan.routes if r.date == TODAY and r.stops]
    assert doc.plan.planned_visit_ids() == {"V1", "V2", "V3"}  # on the next working day
    # It names the shift's end, not only the time now (the re-walk read "现在已过 17:45" as a typo).
    shift_end = Team("A", "x", 0, 0).shift_end_min
    end = f"{shift_end // 60:02d}:{shift_end % 60:02d}"
    assert any(f"现在（17:45）已过所选检查组的收班时间 {end}" in w.value and "今天不安排走访" in w.value
               for w in app.warning)


def test_a_small_plan_does_not_take_the_whole_time_limit(app: AppTest, monkeypatch) -> None:
    """L8: 3 visits with 求解时间 10 s searched for the whole 10 s; they now get 2.25 s."""
    import planner.routing.report as report

    seen = []
    real = report.plan_document

    def spy(*args, **kwargs):
        seen.append(kwargs["time_limit_s"])
        return real(*args, **{**kwargs, "time_limit_s": 0.5})

    monkeypatch.setattr(report, "plan_document", spy)
    app.run()
    next(b for b in app.button if b.label == "开始规划").click().run()
    assert not app.exception
    assert seen == [2.25]


def test_a_start_already_past_is_refused(app: AppTest) -> None:
    """Walk G: a plan for a day two days gone was made and saved as a draft; the page now refuses it."""
    app.session_state["planning_now"] = dt.datetime(2026, 12, 9, 9, 0)
    app.run()
    app.date_input(key="pl_start").set_value(TODAY)  # Monday 12-07, two days before the office's today
    app.number_input(key="pl_limit").set_value(1)
    next(b for b in app.button if b.label == "开始规划").click().run()
    assert not app.exception
    assert any("开始日期 2026-12-07 已过（今天 2026-12-09）" in e.value for e in app.error)
    assert Key.PLAN_DOC not in app.session_state or app.session_state[Key.PLAN_DOC] is None
