"""AppTest: 案件地图's detail of a letter already 已办结 or 已化解 gives no countdown (walk W23: YX-1012 已办结 read
"办理期限：…（剩 3 天）" as if its deadline still ran); an open letter still counts its days (SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

PAGES = Path(__file__).resolve().parents[2] / "pages"


def _deadline_line(case_no: str) -> str:
    at = AppTest.from_file(str(PAGES / "case_map.py"), default_timeout=90)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["cm_pick"] = case_no
    at.run()
    assert not at.exception
    (line,) = [m.value for m in at.markdown if m.value.startswith("**办理期限**")]
    return line


def test_a_closed_letter_shows_its_status_not_days_left(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    received = TODAY - dt.timedelta(days=57)  # due in 3 days
    add_case(engine, "DONE-1", status="closed", received=received)
    add_case(engine, "SOLVED-1", status="resolved", received=received)
    add_case(engine, "OPEN-1", status="registered", received=received)
    assert _deadline_line("DONE-1").endswith("（已办结）")
    assert _deadline_line("SOLVED-1").endswith("（已化解）")
    assert _deadline_line("OPEN-1").endswith("（剩 3 天）")
