"""AppTests run a page without ``app.py``: stand in for its login gate with a signed-in administrator.

In the app every page runs behind the login gate, which always sets an actor, and a page with no actor refuses
everything (``pages.common.page_actor``). A test of another role puts its own actor in session state.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
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


@pytest.fixture()
def deferred(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """Each deferred download's callable by file name, as the page registered it (what a click runs)."""
    got: dict[str, Callable[[], bytes]] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        got[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return got
