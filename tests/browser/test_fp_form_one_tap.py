"""行程 on a phone (390×844): one tap on 「登记走访结果」 shows the form, at the next stop and at every other stop.

Walk W29: the next stop's form was an expander drawn open, its header at the foot of the screen and the form below
it; the officer's first tap on 登记走访结果 closed the form unseen and only the second opened it (访前五问 opened on
the first). The office is test_field_phone's (demo register imported, today planned for 第一检查组, an officer).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import PHONE, app_env, sign_in, start_app, today_for_a_walk

pytestmark = pytest.mark.browser


def test_one_tap_on_record_outcome_shows_the_form(chromium_browser, tmp_path: Path) -> None:
    from test_field_phone import PASSWORD, _build_office

    _build_office(tmp_path, today_for_a_walk())
    with start_app(app_env(tmp_path, XIAFANG_DEMO="0")) as base:
        ctx = chromium_browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN",
                                           timezone_id="Asia/Shanghai")
        try:
            page = ctx.new_page()
            page.set_default_timeout(30_000)
            sign_in(page, base, "officer1", PASSWORD, press=lambda b: b.tap())
            # The next stop: its title 登记走访结果 scrolled to the foot of the screen, as an officer reading the
            # letter above it sees it, and tapped once.
            top = page.locator(".st-key-it_next")
            title = top.get_by_text("登记走访结果", exact=True).first
            title.scroll_into_view_if_needed()
            page.evaluate("(y) => window.scrollBy(0, y)",
                          title.bounding_box()["y"] - PHONE["height"] + 60)
            title.tap()
            page.wait_for_timeout(1_200)
            form = top.locator("[class*='st-key-xfdraft_']").first
            assert form.locator("textarea").is_visible(), "the next stop's form is not shown after one tap"
            assert form.get_by_role("button", name="保存").count() == 1
            # Another stop: its 登记走访结果 opens on one tap too.
            other = page.locator("[class*='st-key-it_stop_']").first
            summary = other.locator("summary", has_text="登记走访结果").first
            summary.scroll_into_view_if_needed()
            summary.tap()
            page.wait_for_timeout(1_200)
            assert other.locator("[class*='st-key-xfdraft_'] textarea").first.is_visible()
        finally:
            ctx.close()
