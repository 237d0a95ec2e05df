"""Walk 1 (officer, 390×844, 行程): Streamlit's keyboard hint "Press Ctrl+Enter to submit form" showed in English
inside the 核查情况 box. The app's phone style (pages.common.phone_layout, as app.py adds it to every page) hides
that hint on every text box, in a form or not, while the officer types: nothing of it is shown, in any language."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_helpers import ROOT, start_app

pytestmark = pytest.mark.browser

SCRIPT = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from pages.common import chinese_ui, phone_layout
phone_layout()
chinese_ui()
st.title("行程")
with st.form("f"):
    st.text_area("核查情况（未找到、改期时写原因）", key="findings")
    st.text_input("原因", key="reason")
    st.form_submit_button("保存")
st.text_input("查找信访件", key="query")
"""


def test_no_keyboard_hint_shows_while_typing_on_a_phone(tmp_path: Path, browser) -> None:
    # The session's one chromium (tests/conftest.py): Playwright's sync API allows one per process, and a second
    # sync_playwright() beside it fails inside the first one's event loop.
    script = tmp_path / "form_page.py"
    script.write_text(SCRIPT, encoding="utf-8")
    with start_app(dict(os.environ), script=script, log=tmp_path / "streamlit.log") as url:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        try:
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector("textarea", timeout=60_000)
            for box, text in ((page.locator("textarea").first, "约定12月9日再访"),
                              (page.locator("input[type=text]").nth(0), "外出"),
                              (page.locator("input[type=text]").nth(1), "ZZ")):
                box.click()
                page.keyboard.type(text)
                page.wait_for_timeout(600)
                shown = page.evaluate(
                    "() => [...document.querySelectorAll('[data-testid=\"InputInstructions\"]')]"
                    ".filter(e => e.getBoundingClientRect().width > 0 && getComputedStyle(e).display !== 'none'"
                    " && getComputedStyle(e).visibility !== 'hidden').map(e => e.textContent)")
                assert shown == [], f"keyboard hint shown while typing {text!r}: {shown}"
                body = page.inner_text("[data-testid='stMain']")
                assert "Press" not in body and "Enter" not in body, body
        finally:
            context.close()
