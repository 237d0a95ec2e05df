"""案件地图 → 信访件: 加入选件清单 is offered only to roles that may choose letters (选件 needs 规划路线);
walk W12 found an officer offered it on a letter of the team's issued plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from tests.office import _seed

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "case_map.py")


def _detail(engine, monkeypatch, role: str, no: str = "") -> tuple[AppTest, str]:
    team_of = _seed.seed(engine)
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.TODAY] = _seed.DAY
    at.session_state["actor"] = _seed.ACCOUNTS[role]
    at.run()
    assert not at.exception
    no = no or sorted(n for n, t in team_of.items() if t == "T1")[0]  # on the team's issued plan
    at.selectbox(key="cm_pick").select(no).run()
    assert not at.exception
    assert any(f"信访件 {no}" in h.value for h in at.subheader)
    return at, no


def test_officer_is_not_offered_the_selection(engine, monkeypatch) -> None:
    at, no = _detail(engine, monkeypatch, "officer")
    assert not [b for b in at.button if b.key == "cm_add_to_selection"]
    assert not any("选件清单" in c.value for c in at.caption)
    assert not any("选件清单" in s.value for s in at.success)
    # A letter left in the session's 选件清单 (from another account's session) offers no link to 选件 either.
    at.session_state[Key.SELECTED_CASES] = [no]
    at.run()
    assert not any("选件清单" in s.value for s in at.success)


@pytest.mark.parametrize("role", ["coordinator", "leader"])
def test_planners_still_add_the_letter(engine, monkeypatch, role: str) -> None:
    at, no = _detail(engine, monkeypatch, role, _seed.POOL_CASE if role == "coordinator" else "ZZ2026-0109")
    at.button(key="cm_add_to_selection").click().run()
    assert not at.exception
    assert at.session_state[Key.SELECTED_CASES] == [no]
