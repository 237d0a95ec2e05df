"""What a page says to an account that sees no letter: the next step for that role (walk M: an officer was told to
import a register, which only the office may)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor

PAGES = Path(__file__).resolve().parents[2] / "pages"


@pytest.mark.parametrize("page", ["clusters.py", "case_map.py", "places.py"])
@pytest.mark.parametrize(("actor", "said", "unsaid"), [
    (Actor(username="off1", role="officer", team_ids=("T1",)), "本组还没有可查看的信访件", "请先导入"),
    (Actor(username="lead1", role="leader", team_ids=("T1",)), "", ""),
    (Actor(username="off2", role="officer", team_ids=()), "还没有分到检查组", "请先导入"),
    (Actor(username="coord", role="coordinator"), "请先导入信访件登记表", "本组"),
])
def test_a_page_without_letters_says_what_comes_next_for_the_role(engine, monkeypatch, page, actor, said, unsaid):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    add_case(engine, "A1")  # a letter of no team's route: the office sees it, a team does not
    app = AppTest.from_file(str(PAGES / page), default_timeout=30)
    app.session_state[Key.TODAY] = TODAY
    app.session_state[Key.ACTOR] = actor
    app.run()
    assert not app.exception
    infos = " ".join(i.value for i in app.info)
    if actor.role in ("coordinator", "leader"):
        assert "没有可查看的信访件" not in infos  # the office, and who plans, see a letter no plan holds yet
        return
    assert said in infos and unsaid not in infos, infos
