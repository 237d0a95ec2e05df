"""AppTest: 路线规划 reads the last 选件 selection back as 选件 does, and says why letters visited since were not
restored (walk Q's fix on 选件 left the plan page saying only 还没有要走访的点 when every letter had been visited)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest
from test_selection_restore_after_plan_page import _choose_all, db  # noqa: F401  (db is a fixture)

from pages.common import Key
from tests.test_selection_restore_after_plan import DAY, _carry_out

ROOT = Path(__file__).resolve().parents[2]


def _plan_page() -> AppTest:  # a fresh browser session on 路线规划
    at = AppTest.from_file(str(ROOT / "pages" / "planning.py"), default_timeout=60)
    at.session_state[Key.TODAY] = DAY + dt.timedelta(days=2)
    return at


def _infos(app: AppTest) -> str:
    return " ".join(i.value for i in app.info)


def test_every_letter_visited_the_plan_page_says_why_nothing_was_restored(db) -> None:  # noqa: F811
    _carry_out(db, _choose_all(), {"ZQ-01": "visited", "ZQ-03": "visited", "ZQ-04": "visited"})
    app = _plan_page()
    app.run()
    assert not app.exception
    note = _infos(app)
    assert "上次选定的信访件未恢复：4 件已于 12-07 走访（计划「第49周」已完成）。请重新选件。" in note, note
    assert "还没有要走访的点" in note  # the guard still says what to do


def test_some_letters_visited_the_plan_page_says_what_came_back_and_what_did_not(db) -> None:  # noqa: F811
    _carry_out(db, _choose_all(), {"ZQ-01": "visited", "ZQ-03": "visited"})
    app = _plan_page()
    app.run()
    assert not app.exception
    assert [c for v in app.session_state[Key.VISITS] for c in v.case_nos] == ["ZQ-04"]
    note = _infos(app)
    assert ("已恢复上次选定的 1 个走访点（1 件，尚未走访）；另有 3 件已于 12-07 走访（计划「第49周」已完成），未恢复。"
            "页面刷新后，未保存的规划结果不会保留") in note, note
