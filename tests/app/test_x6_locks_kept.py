"""AppTest of 路线规划 (walk W32): locks are saved with the plan, shown again when it is opened, kept by every plan.

The leader opened saved plan #1, locked V006 and V044, pressed 开始规划 and saved a new version: the version had no
lock, the lock box of that session still showed both locked, and a new session showed none.
"""

from __future__ import annotations

from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.store.database import session_scope
from planner.store.plans import load_plan
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
VISITS = (
    Visit("V1", 117.43, 24.37, 60, priority=5, label="山格镇隆庆村", case_nos=("ZZ1",)),
    Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村", case_nos=("ZZ2",)),
    Visit("V3", 117.27, 24.45, 45, label="坂仔镇", case_nos=("ZZ3",)),
    Visit("V4", 117.30, 24.40, 45, skills=("水利",), label="无人能去", case_nos=("ZZ4",)),
)


def _app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.session_state[Key.TODAY] = TODAY
    return at


def _click(app: AppTest, label: str) -> AppTest:
    next(b for b in app.button if b.label == label).click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    return app


def _where(doc, vid: str):
    return next((r.team_id, r.date) for r in doc.plan.routes for s in r.stops if s.visit_id == vid)


def _planned(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    for no in ("ZZ1", "ZZ2", "ZZ3", "ZZ4"):
        add_case(engine, no)
    app = _app()
    app.session_state[Key.VISITS] = VISITS
    app.run()
    app.number_input(key="pl_days").set_value(2)
    app.number_input(key="pl_limit").set_value(1)
    return _click(app, "开始规划")


def _lock(app: AppTest, *vids: str) -> AppTest:
    app.multiselect(key="pl_locked").set_value(list(vids))
    app.button(key="FormSubmitter:pl_replan-重新规划其余走访点").click().run()
    assert not app.exception and not app.error
    return app


def _open(plan_id: int) -> AppTest:
    app = _app()
    app.run()
    app.button(key=f"pl_open_{plan_id}").click().run()
    assert not app.exception and not app.error
    return app


def test_x6_start_planning_an_opened_plan_keeps_its_locks_and_saves_them(engine, monkeypatch) -> None:
    app = _lock(_planned(engine, monkeypatch), "V1", "V2")
    at = {v: _where(app.session_state[Key.PLAN_DOC], v) for v in ("V1", "V2")}
    _click(app, "保存方案")
    pid = app.session_state[Key.PLAN_ID]
    with session_scope(engine) as s:
        assert {v for v, x in load_plan(s, pid).visits.items() if x.locked} == {"V1", "V2"}

    app = _open(pid)  # a new session: the box shows the plan's locks
    assert app.multiselect(key="pl_locked").value == ["V1", "V2"]
    app.radio(key="pl_policy").set_value("balanced")
    _click(app, "开始规划")  # from scratch, as the walk did: the locks stay, on their team and day
    doc = app.session_state[Key.PLAN_DOC]
    assert {v for v, x in doc.visits.items() if x.locked} == {"V1", "V2"}
    assert {v: _where(doc, v) for v in ("V1", "V2")} == at
    assert app.multiselect(key="pl_locked").value == ["V1", "V2"]  # the box says what the plan holds
    _click(app, f"保存为计划 #{pid} 的新版本")
    if any(b.label == "确认保存" for b in app.button):
        _click(app, "确认保存")
    with session_scope(engine) as s:
        assert {v for v, x in load_plan(s, pid).visits.items() if x.locked} == {"V1", "V2"}
    assert _open(pid).multiselect(key="pl_locked").value == ["V1", "V2"]


def test_x6_the_box_shows_the_plan_on_the_page_not_its_last_value(engine, monkeypatch) -> None:
    """A lock taken off by a re-plan is off after 开始规划 too; the box follows each new plan."""
    app = _lock(_planned(engine, monkeypatch), "V1", "V2")
    app = _lock(app, "V2")
    assert app.multiselect(key="pl_locked").value == ["V2"]
    _click(app, "开始规划")
    doc = app.session_state[Key.PLAN_DOC]
    assert {v for v, x in doc.visits.items() if x.locked} == {"V2"}
    assert app.multiselect(key="pl_locked").value == ["V2"]
    assert "上方“开始规划”重新规划全部走访点时，锁定的点仍保持组和日期" in " ".join(c.value for c in app.caption)


def test_x6_an_adopted_suggestion_keeps_the_locks(engine, monkeypatch) -> None:
    app = _lock(_planned(engine, monkeypatch), "V1")
    at = _where(app.session_state[Key.PLAN_DOC], "V1")
    _click(app, "不要求水利专长")  # V4's suggestion: planned again at once
    doc = app.session_state[Key.PLAN_DOC]
    assert "V4" in doc.plan.planned_visit_ids()
    assert doc.visits["V1"].locked and _where(doc, "V1") == at
