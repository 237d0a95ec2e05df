"""AppTest of 路线规划: two people plan the same letters and both click 保存方案 — the second save is refused in
words, names the letters and the plan that took them, and writes nothing (walk V: both saves went through, the
same petitions on two plans; each page even said the letters were "已在其他计划中")."""

from __future__ import annotations

from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase
from planner.store.plans import list_plans
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
VISITS = (
    Visit("V1", 117.43, 24.37, 60, priority=5, label="山格镇隆庆村", case_nos=("ZZ1",)),
    Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村", case_nos=("ZZ2",)),
)


def _planned(name: str) -> AppTest:
    """A page that has planned VISITS over one day (not saved yet), the plan named ``name``."""
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[Key.TODAY] = TODAY
    app.session_state[Key.VISITS] = VISITS
    app.run()
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    next(b for b in app.button if b.label == "开始规划").click().run()
    assert not app.exception and not app.error
    app.text_input(key="pl_name").input(name)
    return app


def _texts(app: AppTest) -> str:
    return " ".join(str(x.value) for x in (*app.markdown, *app.caption, *app.success, *app.info, *app.text))


def test_the_second_of_two_pages_planning_the_same_letters_cannot_save_them(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    add_case(engine, "ZZ1")
    add_case(engine, "ZZ2")
    first, second = _planned("第一组方案"), _planned("第二组方案")  # both planned while the letters were free
    next(b for b in first.button if b.label == "保存方案").click().run()
    assert not first.exception and not first.error
    pid = first.session_state[Key.PLAN_ID]
    next(b for b in second.button if b.label == "保存方案").click().run()
    assert not second.exception
    (error,) = [e.value for e in second.error]
    assert error.startswith("保存失败：") and f"已由计划 #{pid}「第一组方案」" in error
    assert "ZZ1" in error and "ZZ2" in error
    assert "已保存方案" not in _texts(second)  # no success beside the refusal
    with session_scope(engine) as s:
        assert [p.plan_id for p in list_plans(s)] == [pid]
        held = s.execute(select(CaseRow.case_no, PlanCase.plan_id).join(PlanCase, PlanCase.case_id == CaseRow.id)
                         .where(PlanCase.team_id != "")).all()
    assert sorted(held) == [("ZZ1", pid), ("ZZ2", pid)]
