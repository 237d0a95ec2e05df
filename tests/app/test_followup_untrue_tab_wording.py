"""Walk U: recording 不实 points to the 澄清 tab of this page, not to a “澄清” page the menu does not have."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app_steps import routed_letter
from streamlit.testing.v1 import AppTest

from planner.office.security import Actor
from planner.store.database import session_scope

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)


def test_an_untrue_finding_names_the_clarification_tab_of_this_page(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        routed_letter(s)
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = Actor(username="zhou", role="coordinator")
    at.run()
    at.radio(key="fu_PH-01_new_truth").set_value("false")
    at.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    at.button(key="fu_PH-01_new_save").click().run()
    assert not at.exception and not at.error
    said = " ".join(s.value for s in at.success)
    assert "出具澄清函" in said
    assert "页出具" not in said and "“澄清”页" not in said  # 澄清 is a tab of 回访跟踪, not a page
    assert "标签" in said and "回访跟踪" in said
