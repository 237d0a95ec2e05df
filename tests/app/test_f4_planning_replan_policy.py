"""AppTest of 路线规划 (walk 2): a saved plan is re-planned with the policy it was planned with, which the page says,
and the lock box says a lock takes effect with 重新规划其余走访点 and is then kept by 开始规划 too (walk W32)."""

from __future__ import annotations

from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.store.database import session_scope
from planner.store.plans import open_plan
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
VISITS = (
    Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村", case_nos=("ZZ1",)),
    Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村", case_nos=("ZZ2",)),
)


def _app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    return at


def _captions(app: AppTest) -> str:
    return " ".join(str(c.value) for c in app.caption)


def test_a_plan_saved_as_balanced_is_re_planned_as_balanced(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    add_case(engine, "ZZ1")
    add_case(engine, "ZZ2")
    app = _app()
    app.session_state[Key.VISITS] = VISITS
    app.run()
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    app.radio(key="pl_policy").set_value("balanced")
    next(b for b in app.button if b.label == "开始规划").click().run()
    next(b for b in app.button if b.label == "保存方案").click().run()
    assert not app.exception and not app.error
    saved = app.session_state[Key.PLAN_ID]
    with session_scope(engine) as s:
        assert open_plan(s, saved).doc.policy == "balanced"

    again = _app()  # another session, whose 设置 policy is 集中出行
    again.run()
    again.button(key=f"pl_open_{saved}").click().run()
    assert not again.exception and not again.error
    assert again.radio(key="pl_policy").value == "balanced"
    again.radio(key="pl_policy").set_value("compact")  # chosen on the form, not read by 重新规划其余走访点
    said = _captions(again)
    assert "锁定在点击“重新规划其余走访点”后生效（按本方案的规划方式：均衡）" in said
    assert "上方“开始规划”重新规划全部走访点时，锁定的点仍保持组和日期" in said
    again.button(key="FormSubmitter:pl_replan-重新规划其余走访点").click().run()
    assert not again.exception and not again.error
    assert again.session_state[Key.PLAN_DOC].policy == "balanced"
    assert "规划方式：均衡" in _captions(again)
