"""app.py on an office's own installation (XIAFANG_DEMO=0): no demo register, no demo teams, ever."""

from __future__ import annotations

from pathlib import Path

from _ui_data import db_url
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamRow

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_an_office_installation_loads_no_demo_data(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    monkeypatch.setenv("XIAFANG_DEMO", "0")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(CaseRow)) == 0
        assert s.scalar(select(func.count()).select_from(TeamRow)) == 0


def test_a_database_that_cannot_be_reached_is_one_line_in_chinese(monkeypatch) -> None:
    # Walk P: the page showed Streamlit's English error with a traceback (and links to online help).
    monkeypatch.setenv("DATABASE_URL", "postgresql://walk:Sekret-77@127.0.0.1:1/nowhere")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "无法连接数据库 127.0.0.1:1/nowhere" in shown and "Sekret" not in shown
