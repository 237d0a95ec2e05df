"""路线规划 with teams that have no 专长 (a new office): the status says the 必访 visits were not placed, and one
button drops the 专长 of all of them and re-plans (walk B M3)."""

from __future__ import annotations

from pathlib import Path

from _ui_data import TODAY, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.store.database import session_scope
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
VISITS = (
    Visit("V1", 117.43, 24.37, 45, must=True, skills=("forestry",), label="山格镇隆庆村"),
    Visit("V2", 117.375, 24.325, 45, must=True, skills=("finance",), label="文峰镇三坪村"),
    Visit("V3", 117.27, 24.45, 45, label="坂仔镇"),
)


def test_must_visits_left_out_for_skills_are_said_and_dropped_in_one_click(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[Key.TODAY] = TODAY
    app.session_state[Key.VISITS] = VISITS
    app.run()
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    app.button[0].click().run()  # 开始规划
    assert not app.exception
    assert app.session_state[Key.PLAN_DOC].plan.planned_visit_ids() == {"V3"}
    said = [c.value for c in app.caption]
    assert any("状态：不满足必访要求（2 个必访点未排入）" in c for c in said), said  # not 可行 (walk W13)
    assert any("2 个必访点未排入" in w.value for w in app.warning)
    every = [b for b in app.button if b.label == "不要求这些专长（2 个走访点）"]
    assert len(every) == 1, [b.label for b in app.button]
    every[0].click().run()
    assert not app.exception
    doc = app.session_state[Key.PLAN_DOC]
    assert doc.plan.planned_visit_ids() == {"V1", "V2", "V3"}
    assert not any("必访点未排入" in c.value for c in app.caption)


def test_two_suggestions_of_the_same_words_name_their_places(engine, monkeypatch) -> None:
    """Walk F: two buttons read 不要求林业专长, one for 湖田村 and one for 光祠村; only a small caption told them
    apart."""
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    visits = (Visit("V1", 117.43, 24.37, 45, skills=("forestry",), label="山格镇隆庆村"),
              Visit("V2", 117.375, 24.325, 45, skills=("forestry",), label="文峰镇三坪村"),
              Visit("V3", 117.27, 24.45, 45, label="坂仔镇"))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[Key.TODAY] = TODAY
    app.session_state[Key.VISITS] = visits
    app.run()
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    app.button[0].click().run()  # 开始规划
    assert not app.exception
    labels = [b.label for b in app.button if b.key and b.key.startswith("pl_fix_")]
    assert len(labels) == len(set(labels)), labels
    assert any("山格镇隆庆村" in x for x in labels) and any("文峰镇三坪村" in x for x in labels), labels
