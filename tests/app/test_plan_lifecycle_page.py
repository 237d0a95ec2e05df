"""AppTest of the plan lifecycle on 路线规划: a saved plan is issued from the page and its cases become 已排程."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 12, 7)


def test_a_saved_plan_is_issued_from_the_planning_page(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        case = CaseRow(case_no="PH-01", received_date=DAY, deadline=DAY + dt.timedelta(days=60), status="selected",
                       county="平和县", county_code="350628", lon=117.3, lat=24.4)
        plan = PlanRow(name="第49周", start_date=DAY, days=5, status="draft", created_by="lead")
        s.add_all([case, plan])
        s.flush()
        s.add(PlanCase(plan_id=plan.id, case_id=case.id, visit_id="V1", team_id="T1", visit_date=DAY, seq=1))
        pid = plan.id
    app = AppTest.from_file(str(ROOT / "pages" / "planning.py"), default_timeout=30)
    app.session_state["actor"] = Actor(username="admin", role="admin")
    app.session_state["plan_id"] = pid
    app.run()
    assert not app.exception
    assert any("状态：草稿" in c.value for c in app.caption)
    app.button(key=f"pl_life_{pid}_issued").click().run()
    assert not app.exception and not app.error
    assert any(f"计划 #{pid} 已改为“已下发”" in s.value for s in app.success)
    with session_scope(engine) as s:
        assert s.get(PlanRow, pid).status == "issued"
        assert s.scalars(select(CaseRow.status)).one() == "planned"
    assert any("状态：已下发" in c.value for c in app.caption)
    assert [b.key for b in app.button if b.key.startswith("pl_life_")] == [
        f"pl_life_{pid}_in_progress", f"pl_life_{pid}_done", f"pl_life_{pid}_draft"]



def test_a_saved_plan_tells_its_history_in_chinese_sentences(engine, monkeypatch) -> None:
    """Issue 14: the plan's lifecycle (who issued, started, finished it, when) is read on 路线规划, not in the log."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        plan = PlanRow(name="第49周", start_date=DAY, days=5, status="draft", created_by="lead",
                       created_at=dt.datetime(2026, 12, 1, 8, 5))  # UTC: 16:05 北京时间
        s.add(plan)
        s.flush()
        pid = plan.id
    app = AppTest.from_file(str(ROOT / "pages" / "planning.py"), default_timeout=30)
    app.session_state["actor"] = Actor(username="admin", role="admin")
    app.session_state["plan_id"] = pid
    app.run()
    assert [t.value for t in app.text] == ["2026-12-01 16:05，lead保存了计划「第49周」。"]
    app.button(key=f"pl_life_{pid}_issued").click().run()
    app.button(key=f"pl_life_{pid}_in_progress").click().run()
    assert not app.exception and not app.error
    told = [t.value for t in app.text]
    assert len(told) == 3 and told[0].startswith("2026-12-01 16:05")
    assert told[1].endswith("，admin下发了计划（草稿 → 已下发）。")
    assert told[2].endswith("，admin开始执行计划（已下发 → 执行中）。")
    assert any(c.value == "计划经过" for c in app.caption)
