"""AppTest: 标记完成 asks first and says how many letters were visited and whether the plan's days have come (M5)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow, RecordHistory

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 3)
DAY = dt.date(2026, 12, 7)


def _issued_plan(engine) -> int:
    with session_scope(engine) as s:
        cases = [CaseRow(case_no=f"PH-0{i}", received_date=TODAY, deadline=DAY + dt.timedelta(days=60),
                         status="planned", county="平和县", county_code="350628", lon=117.3, lat=24.4)
                 for i in (1, 2)]
        plan = PlanRow(name="第49周", start_date=DAY, days=2, status="issued", created_by="lead")
        s.add_all([*cases, plan])
        s.flush()
        for i, (case, day) in enumerate(zip(cases, (DAY, DAY + dt.timedelta(days=1)), strict=True)):
            s.add(PlanCase(plan_id=plan.id, case_id=case.id, visit_id=f"V{i}", team_id="T1", visit_date=day, seq=1))
        return plan.id


def _app(engine, monkeypatch, pid: int) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    app = AppTest.from_file(str(ROOT / "pages" / "planning.py"), default_timeout=30)
    app.session_state["actor"] = Actor(username="admin", role="admin")
    app.session_state["plan_id"] = pid
    app.session_state["today"] = TODAY
    app.run()
    assert not app.exception
    return app


def test_mark_done_on_a_future_plan_asks_first_and_states_the_facts(engine, monkeypatch) -> None:
    pid = _issued_plan(engine)
    app = _app(engine, monkeypatch, pid)
    app.button(key=f"pl_life_{pid}_done").click().run()
    assert not app.exception
    with session_scope(engine) as s:  # nothing happened yet
        assert s.get(PlanRow, pid).status == "issued"
        assert set(s.scalars(select(CaseRow.status))) == {"planned"}
    warning = " ".join(w.value for w in app.warning)
    assert "2 件中 0 件已走访" in warning and "12-07 至 12-08 尚未到来" in warning, warning
    app.button(key=f"pl_life_{pid}_done_cancel").click().run()
    assert not app.exception
    with session_scope(engine) as s:
        assert s.get(PlanRow, pid).status == "issued"
    assert not any("尚未到来" in w.value for w in app.warning)

    app.button(key=f"pl_life_{pid}_done").click().run()
    app.button(key=f"pl_life_{pid}_done_confirm").click().run()
    assert not app.exception and not app.error
    assert any(f"计划 #{pid} 已改为“已完成”" in s.value for s in app.success)
    with session_scope(engine) as s:
        assert s.get(PlanRow, pid).status == "done"
        assert set(s.scalars(select(CaseRow.status))) == {"registered"}
        assert s.scalars(select(RecordHistory).where(RecordHistory.kind == "plan",
                                                     RecordHistory.record_id == pid)).all()  # audit kept


def test_mark_done_counts_the_routed_letters_and_names_the_left_out_ones_apart(engine, monkeypatch) -> None:
    """Re-walk F: a plan that routed 5 letters and left 7 out asked “12 件中 1 件已走访”."""
    pid = _issued_plan(engine)
    with session_scope(engine) as s:
        extra = CaseRow(case_no="PH-09", received_date=TODAY, deadline=DAY + dt.timedelta(days=60), status="selected",
                        county="平和县", county_code="350628", lon=117.3, lat=24.4)
        s.add(extra)
        s.flush()
        s.add(PlanCase(plan_id=pid, case_id=extra.id, visit_id="V9", team_id="", visit_date=None, seq=0))
    app = _app(engine, monkeypatch, pid)
    app.button(key=f"pl_life_{pid}_done").click().run()
    assert not app.exception
    warning = " ".join(w.value for w in app.warning)
    assert "排入的 2 件中 0 件已走访（另有 1 件未排入，完成后退回待选）" in warning, warning
