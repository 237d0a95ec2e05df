"""AppTest (walk Q): choose letters on 选件, plan, issue, record the visits, 标记完成, reopen 选件: the letters visited
are not brought back as the last selection, and the page says how many, when and on which plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.store.database import session_scope
from planner.store.models import TeamRow
from tests.test_selection_restore_after_plan import DAY, _carry_out, _case

ROOT = Path(__file__).resolve().parents[2]
CHOSEN_ON = DAY - dt.timedelta(days=3)


@pytest.fixture()
def db(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add_all([_case("ZQ-01", 1, petitioner="p-lin"), _case("ZQ-02", 1, petitioner="p-lin"), _case("ZQ-03", 2),
                   _case("ZQ-04", 3)])
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51))
    return engine


def _page(on: dt.date) -> AppTest:  # a fresh browser session
    at = AppTest.from_file(str(ROOT / "pages" / "selection.py"), default_timeout=60)
    at.session_state["today"] = on
    return at


def _choose_all() -> dict[str, str]:
    app = _page(CHOSEN_ON)
    app.run()
    app.number_input(key="sel_top").set_value(4).run()
    app.button(key="sel_build").click().run()
    assert not app.exception
    return {c: v.visit_id for v in app.session_state[Key.VISITS] for c in v.case_nos}


def test_reopened_after_the_plan_was_done_the_visited_letters_are_not_restored(db) -> None:
    _carry_out(db, _choose_all(), {"ZQ-01": "visited", "ZQ-03": "visited"})
    app = _page(DAY + dt.timedelta(days=2))
    app.run()
    assert not app.exception
    assert [c for v in app.session_state[Key.VISITS] for c in v.case_nos] == ["ZQ-04"]
    note = " ".join(i.value for i in app.info)
    assert "已恢复上次选定的 1 个走访点（1 件，尚未走访）；另有 3 件已于 12-07 走访（计划「第49周」已完成），未恢复" \
        in note, note


def test_reopened_with_every_letter_visited_nothing_is_restored(db) -> None:
    _carry_out(db, _choose_all(), {"ZQ-01": "visited", "ZQ-03": "visited", "ZQ-04": "visited"})
    app = _page(DAY + dt.timedelta(days=2))
    app.run()
    assert not app.exception
    assert Key.VISITS not in app.session_state or not app.session_state[Key.VISITS]
    assert not any(s.value.startswith("走访点") for s in app.subheader)
    note = " ".join(i.value for i in app.info)
    assert "上次选定的信访件未恢复：4 件已于 12-07 走访（计划「第49周」已完成）。请重新选件。" in note, note
