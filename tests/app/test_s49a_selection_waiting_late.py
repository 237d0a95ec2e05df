"""AppTest of 选件's 待再访 note past the agreed day (walk S49a): ZZ1B, 改期 with 12-09 agreed and left out by the
re-plan of a plan ending 12-08, read 待再访：12-07 改期，约定 12-09 再访 on Thursday 12-10, where 回访跟踪 said
（已逾期 1 天）: 选件 read the note on the day of the record, not on the office's day. Both now read it on today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor
from planner.store.database import session_scope
from tests.test_s48i_waiting_revisits import MONDAY, _left_out

SELECTION = str(Path(__file__).resolve().parents[2] / "pages" / "selection.py")


def _reasons(engine, monkeypatch, day: dt.date) -> dict[str, str]:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        _left_out(s)
    at = AppTest.from_file(SELECTION, default_timeout=60)
    at.session_state[Key.TODAY] = day
    at.session_state["actor"] = Actor("coord", "coordinator")
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (table,) = [d.value for d in at.dataframe if "排序理由" in d.value.columns]
    return dict(zip(table["编号"], table["排序理由"], strict=True))


def test_selection_says_a_waiting_revisit_is_late(engine, monkeypatch) -> None:
    reasons = _reasons(engine, monkeypatch, MONDAY + dt.timedelta(days=3))  # Thursday 12-10
    assert "约定 12-09 再访（已逾期 1 天）" in reasons["ZZ1B"], reasons


def test_selection_says_nothing_late_before_the_day(engine, monkeypatch) -> None:
    reasons = _reasons(engine, monkeypatch, MONDAY + dt.timedelta(days=1))  # Tuesday 12-08
    assert "约定 12-09 再访" in reasons["ZZ1B"] and "逾期" not in reasons["ZZ1B"], reasons
