"""Walk W16b: a team leader ran 关联分析 (stored only for an account that sees every letter), and the coordinator's
选件 offered no 同类问题 and said nothing. 选件 now says when letters have not been analysed, and how many, and who
can store the analysis; the note goes once the groups are stored, and names only the letters imported since."""

from __future__ import annotations

from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.store.cases import load_cases
from planner.store.clusters import recluster
from planner.store.database import session_scope
from planner.store.models import TeamRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "selection.py")

LETTERS = [
    ("U1", "350628", "平和县", "九峰镇", "九峰镇林业站向林农收取桉树砍伐保证金每亩200元，砍伐后不予退还。"),
    ("U2", "350627", "南靖县", "书洋镇", "书洋镇林业站收取桉树砍伐保证金，林农砍伐桉树后保证金一直不退。"),
    ("U3", "350602", "芗城区", "石亭镇", "石亭镇某工程偷工减料，道路刚修好就开裂。"),
]


def _note(engine) -> list[str]:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    assert not at.exception
    return [c.value for c in at.caption if "尚未做关联分析" in c.value]


def test_selection_says_which_letters_the_analysis_has_not_stored(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    with session_scope(engine) as s:
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51))
    (said,) = _note(engine)
    assert said.startswith("这些信件尚未做关联分析") and "关联分析" in said, said
    with session_scope(engine) as s:
        recluster(s, load_cases(s), save=True)  # what 关联分析 stores when a coordinator opens it
    assert _note(engine) == []
    add_case(engine, "U4", county_code="350629", county="华安县", town="仙都镇",
             content="仙都镇林业站要求砍伐桉树先交保证金，至今未退还。")
    (said,) = _note(engine)
    assert "其中 1 件" in said, said
