"""AppTests run a page without ``app.py``: stand in for its login gate with a signed-in administrator.

In the app every page runs behind the login gate, which always sets an actor, and a page with no actor refuses
everything (``pages.common.page_actor``). A test of another role puts its own actor in session state.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from planner.office.security import Actor

#: The stand-in account: an administrator without the right to reveal petitioners' identity.
TESTER = Actor("tester", "admin", display_name="测试管理员")


@pytest.fixture(autouse=True)
def _signed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    original = AppTest.from_file

    def from_file(*args, **kwargs) -> AppTest:
        at = original(*args, **kwargs)
        at.session_state["actor"] = TESTER
        return at

    monkeypatch.setattr(AppTest, "from_file", staticmethod(from_file))
