"""关联分析 (walk): 查看关联问题 showed empty after a decision until the page was reloaded.

The browser keeps a picker's choice as the label it showed; when the group picked got another label (confirming a pair
in 待确认关联 made it 3 件 instead of 2 件) and the choice stayed the same group, the page never sent the new label, so
the browser held a label no longer among the options. The test follows the picker as the browser does: the label last
sent with the picker (``set_value``), or the one it held before, must be one of the options after every run."""

from __future__ import annotations

from pathlib import Path

from _ui_data import TODAY, add_forestry_fee_letters, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")


class _Browser:
    """What the browser shows in the 查看关联问题 picker: the label the server last sent with ``set_value``."""

    def __init__(self) -> None:
        self.shown: str | None = None

    def follow(self, at: AppTest) -> str | None:
        proto = at.selectbox(key="cl_pick").proto
        if self.shown is None:  # first drawn: the option at the default index, or the value sent
            self.shown = proto.options[proto.default] if proto.HasField("default") else None
        if proto.set_value:
            self.shown = proto.raw_value
        return self.shown if self.shown in proto.options else None


def test_the_picker_keeps_showing_the_group_after_a_confirmed_pair_changes_its_size(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    add_forestry_fee_letters(engine)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["cl_tab"] = "待确认关联"
    at.run()
    browser = _Browser()
    at.button(key="cl_nm_yes_F1_F4").click().run()
    assert not at.exception
    group = at.session_state[Key.CLUSTER_RESULT].issue_of["F4"]
    shown = browser.follow(at)
    assert shown is not None and shown.startswith(group) and "2 件" in shown, shown

    at.button(key="cl_nm_yes_F2_F4").click().run()  # the same group, now of 3 letters
    assert not at.exception
    assert at.selectbox(key="cl_pick").value == group
    shown = browser.follow(at)
    assert shown is not None, "查看关联问题 shows nothing: the browser still holds the label of the group of 2"
    assert shown.startswith(group) and "3 件" in shown, shown
    # The next click anywhere keeps the group picked.
    at.run()
    assert at.selectbox(key="cl_pick").value == group and browser.follow(at) == shown
