"""路线规划 names each 必访 stop a plan leaves out, with its letters, the reason and what to do (walk W11b: a re-plan
said only 3 个必访点未排入，原因与建议见下方 and the leader could not tell which stops were dropped nor why)."""

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
    Visit("V1", 117.43, 24.37, 45, must=True, skills=("forestry",), case_nos=("W11B-1", "W11B-2"),
          label="山格镇隆庆村"),
    Visit("V2", 117.27, 24.45, 45, case_nos=("W11B-3",), label="坂仔镇"),
)


def test_w11b_the_warning_names_the_must_stop_left_out_its_letters_and_why(engine, monkeypatch) -> None:
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
    said = [w.value for w in app.warning if "个必访点未排入" in w.value]
    assert len(said) == 1, [w.value for w in app.warning]
    assert said[0].startswith("1 个必访点未排入")
    assert "- V1 山格镇隆庆村（信访件 W11B-1、W11B-2）：必访点无法排入：" in said[0], said[0]
    assert "建议：不要求林业专长" in said[0] and "坂仔镇" not in said[0]
