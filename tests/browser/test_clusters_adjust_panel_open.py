"""关联分析 → 人工调整 in chromium (browser walk): split two letters into a new group, open it, move one of them out.
The group left holds one letter; the page now shows the group the letter went to, 人工调整 stays open and its message
stands inside the panel, saying where the letter went (before: an unrelated group, the panel folded, the message on
top of the page)."""

from __future__ import annotations

import re

import pytest
from browser_helpers import DESKTOP, pick_option, wait_for_app

pytestmark = pytest.mark.browser
PANEL = "人工调整（合并、拆分、移出、移入、加入）"


def _letters_box(page):
    return page.locator('[data-testid="stMultiSelect"]').filter(has_text="选择信件").locator("input")


def _first_letters(page, n: int) -> list[str]:
    box = _letters_box(page)
    for _ in range(6):  # a loaded machine may still be rerunning the page when the list is first opened
        box.scroll_into_view_if_needed()
        box.click()
        try:
            page.locator('[role="option"]').nth(n - 1).wait_for(state="visible", timeout=10_000)
            break
        except Exception:
            page.keyboard.press("Escape")
            wait_for_app(page)
    names = [t.split("｜", 1)[0] for t in page.locator('[role="option"]').all_inner_texts()[:n]]
    page.keyboard.press("Escape")
    return names


def _pick_and_click(page, letters: list[str], button: str) -> None:
    for letter in letters:
        pick_option(page, _letters_box(page), letter)
        page.keyboard.press("Escape")
        wait_for_app(page)
    page.wait_for_function(
        "(name) => [...document.querySelectorAll('button')].some(b => b.innerText.includes(name) && !b.disabled)",
        arg=button, timeout=30_000)
    page.get_by_role("button", name=button).click()
    wait_for_app(page)


def _panel_success(page, expect: str) -> str:
    """The panel's success line once it says ``expect`` (a loaded machine may return from the rerun wait before
    the line is drawn: one CI run read an empty panel), or what it says after 90 s."""
    panel = page.locator('[data-testid="stExpander"]').filter(has_text=PANEL)
    said = ""
    for _ in range(180):
        said = " ".join(panel.locator('[data-testid="stAlertContentSuccess"]').all_inner_texts())
        if expect in said:
            break
        page.wait_for_timeout(500)
    return said


def test_moving_a_letter_out_of_a_group_of_two_keeps_the_panel_open_on_where_it_went(app_server, page_factory):
    page, _rec = page_factory(DESKTOP)
    page.goto(app_server + "/clusters", wait_until="domcontentloaded")
    wait_for_app(page, 180_000)
    page.get_by_text(PANEL).click()
    wait_for_app(page)
    two = _first_letters(page, 2)
    _pick_and_click(page, two, "拆分为新的一组")
    said = _panel_success(page, "拆分为新的一组")
    new = re.search(r"拆分为新的一组「(.+?)」（2 件", said)  # the group in words, not its id (test_f13)
    assert new, said
    assert _letters_box(page).is_visible()  # the panel is still open

    group_box = page.locator('[data-testid="stSelectbox"]').filter(has_text="查看关联问题").locator("input")
    pick_option(page, group_box, f"｜{new.group(1)}（2 件")
    wait_for_app(page)
    _pick_and_click(page, two[1:], "逐件移出（各自成组）")
    said = _panel_success(page, f"{two[1]} 现单独一件")
    assert f"原组「{new.group(1)}」（2 件）只剩 {two[0]} 一件" in said and f"现显示 {two[1]}（单独一件）" in said, said
    shown = page.locator('[data-testid="stSelectbox"]').filter(has_text="查看关联问题")
    assert "（1 件" in (shown.text_content() or "") + shown.locator("input").input_value(), shown.inner_html()[:3000]
    assert _letters_box(page).is_visible()  # open on the group shown
