"""路线规划: the plan just saved is the one the “已保存的计划” box shows, ready to be issued.

Found in a browser walk: a coordinator opened 路线规划 while plan #2 existed (the box showed #2), planned and saved
plan #3 — the page said “已保存方案 #3（草稿）” but the box still showed #2 (已下发), so there was no 下发计划 for #3.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import PlanRow

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 12, 7)


def test_the_plan_saved_last_is_the_one_shown_for_issuing(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        old = PlanRow(name="第49周", start_date=DAY, days=5, status="issued", created_by="coord")
        s.add(old)
        s.flush()
        old_id = old.id
    app = AppTest.from_file(str(ROOT / "pages" / "planning.py"), default_timeout=30)
    app.session_state["actor"] = Actor(username="coord", role="coordinator")
    app.run()  # the page opened before planning: the box shows the only plan, 已下发
    assert not app.exception
    assert app.selectbox(key="pl_life_plan").value == old_id
    with session_scope(engine) as s:  # what 保存方案 does: a new draft, and the page's current plan
        new = PlanRow(name="第50周", start_date=DAY + dt.timedelta(days=7), days=5, status="draft", created_by="coord")
        s.add(new)
        s.flush()
        new_id = new.id
    app.session_state["plan_id"] = new_id
    app.run()
    assert not app.exception
    assert app.selectbox(key="pl_life_plan").value == new_id
    assert f"pl_life_{new_id}_issued" in [b.key for b in app.button]
    # choosing another plan in the box still works, and stays chosen on the next run
    app.selectbox(key="pl_life_plan").set_value(old_id).run()
    app.run()
    assert app.selectbox(key="pl_life_plan").value == old_id
