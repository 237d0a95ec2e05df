"""关联分析: a letter's 热点 column names a hotspot only when the issue row counts it (2+ letters in one place); a
one-letter hotspot is no hotspot in either (browser walk: 热点 0 on the row, a hotspot label on each of its letters)."""

from __future__ import annotations

from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")
LETTERS = [
    ("H1", "平和县山格镇土田村林业站收取桉树砍伐保证金，砍完树不退还保证金。"),
    ("H2", "平和县山格镇新南村林业站收取桉树砍伐保证金，一直不退还。"),
    ("H3", "平和县山格镇淮阳村林业站收取桉树砍伐保证金，至今不退。"),
]


def test_one_letter_hotspots_are_not_labelled_on_the_letters(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, text in LETTERS:
        add_case(engine, no, content=text)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["actor"] = Actor("coord", "coordinator", display_name="协调员")
    at.run()
    assert not at.exception
    result = at.session_state[Key.CLUSTER_RESULT]
    issue = result.issue_of["H1"]
    assert result.issue_of["H2"] == result.issue_of["H3"] == issue
    sizes = {h.cluster_id: h.size for h in result.hotspots_of(issue)}
    assert sizes and max(sizes.values()) == 1, sizes  # the case of the walk: each letter its own one-letter place
    table = at.dataframe[0].value
    assert list(table[table["编号"] == issue]["热点"]) == [0]
    letters = at.dataframe[1].value
    assert set(letters["热点"]) == {""}
