"""检查组's table of teams: 每日最多走访点 mixed numbers with the text 不限, so every render logged an Arrow
traceback (ArrowInvalid: Could not convert '不限' ...) and Streamlit rewrote the column itself (walk C)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.teams import default_teams, save_team

ROOT = Path(__file__).resolve().parents[2]


def test_the_teams_table_needs_no_arrow_fix(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    teams = default_teams()
    with session_scope(engine) as s:
        for k, t in enumerate(teams):
            save_team(s, dataclasses.replace(t, max_visits_per_day=6) if k == 0 else
                      dataclasses.replace(t, max_visits_per_day=None))
    fixed: list[list[str]] = []
    original = dataframe_util.fix_arrow_incompatible_column_types

    def spy(df, *args, **kwargs):
        fixed.append(list(df.columns))
        return original(df, *args, **kwargs)

    monkeypatch.setattr(dataframe_util, "fix_arrow_incompatible_column_types", spy)
    at = AppTest.from_file(str(ROOT / "pages" / "teams.py"), default_timeout=30)
    at.session_state["actor"] = Actor("coord", "coordinator", display_name="陈协调")
    at.run()
    assert not at.exception
    assert not fixed, fixed  # no dataframe on the page needed Streamlit's fallback (and its logged traceback)
    column = list(at.dataframe[0].value["每日最多走访点"])
    assert column[0] == "6" and set(column[1:]) == {"不限"}
