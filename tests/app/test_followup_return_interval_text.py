"""AppTest of 回访跟踪's 回访 tab: it names the interval set on 设置, and 检查并生成回访建议 uses it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, FollowUpRow, SettingRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
RESOLVED_ON = dt.date(2026, 11, 20)


@pytest.fixture()
def app(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        # Resolved in the register it came from: no 回访 proposed yet, the check below proposes it.
        case = CaseRow(case_no="PH-09", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                       content="反映林业站收取桉树砍伐保证金", category="林业", county="平和县",
                       county_code="350628", town="山格镇", village="土田村", lon=117.3, lat=24.4, status="resolved")
        s.add(case)
        s.flush()
        s.add(VisitOutcomeRow(case_id=case.id, visit_date=RESOLVED_ON, result="visited", problem_resolved=True,
                              team_id="T5", recorded_by="zhou"))
        # An open letter, so the page has one to show (a resolved letter is not 未办结).
        s.add(CaseRow(case_no="PH-10", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                      content="反映村道损坏", category="交通", county="平和县", county_code="350628", town="山格镇",
                      village="土田村", lon=117.3, lat=24.4, status="selected"))
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = Actor(username="zhou", role="coordinator")
    return at


def _set_interval(engine, days: int) -> None:
    with session_scope(engine) as s:
        s.add(SettingRow(key="general", value={"return_delay_days": days}))


def _captions(app: AppTest) -> list[str]:
    return [c.value for c in app.caption]


def test_the_tab_names_the_default_interval(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert any("按设置的 30 天自动提出回访" in c for c in _captions(app)), _captions(app)


def test_the_tab_names_the_set_interval_and_the_check_uses_it(app: AppTest, engine) -> None:
    _set_interval(engine, 45)
    app.run()
    assert not app.exception
    assert any("按设置的 45 天自动提出回访" in c for c in _captions(app)), _captions(app)
    assert not any("默认 30 天" in c for c in _captions(app))
    app.button(key="fu_propose").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    with session_scope(engine) as s:
        (task,) = s.scalars(select(FollowUpRow)).all()
        assert task.due_date == RESOLVED_ON + dt.timedelta(days=45)
