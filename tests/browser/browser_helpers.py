"""Helpers shared by the real-browser tests (kept out of conftest.py so test modules can import them)."""

from __future__ import annotations

import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("XIAFANG_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    """Wait until the script has finished running and stays finished (sign-in and deep links rerun it)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                               timeout=max(1000, int((deadline - time.monotonic()) * 1000)))
        page.wait_for_timeout(700)
        settled = page.evaluate(
            "() => document.querySelector('[data-testid=\"stApp\"]').getAttribute('data-test-script-state')"
            " === 'notRunning' && !!document.querySelector('[data-testid=\"stMain\"] h1')"
        )
        if settled:
            return
        if time.monotonic() > deadline:
            raise AssertionError("the Streamlit script did not settle")


def map_frame(page, timeout_ms: int = 30_000):
    """The iframe of the first st_folium map once Leaflet has drawn into it."""
    page.wait_for_selector('iframe[title*="streamlit_folium"]', state="attached", timeout=timeout_ms)
    handle = page.query_selector('iframe[title*="streamlit_folium"]')
    frame = handle.content_frame()
    frame.wait_for_selector(".leaflet-container", state="attached", timeout=timeout_ms)
    page.wait_for_function(
        "() => { const f = document.querySelector('iframe[title*=\"streamlit_folium\"]');"
        " return f && f.getBoundingClientRect().height > 100; }",
        timeout=timeout_ms,
    )
    return frame


def pick_option(page, box, option: str) -> None:
    """Open the dropdown ``box`` (a select or multiselect input) and click ``option``.

    On a loaded machine the first click may land while an expander is still opening and the list never shows:
    try again, up to five times (from the third, typing the start of the option to filter the list, as a user
    does), before the click that fails with Playwright's own message (a screenshot of the page is kept).
    """
    wanted = page.locator('[role="option"]', has_text=option).first
    for attempt in range(5):
        box.click()
        try:
            wanted.wait_for(state="visible", timeout=5_000)
            break
        except Exception:
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)
            if attempt >= 2:
                # As a user does with a long list: type part of the name to filter it (multiselects filter).
                try:
                    box.click()
                    box.fill(option[:4])
                    wanted.wait_for(state="visible", timeout=5_000)
                    break
                except Exception:
                    page.keyboard.press("Escape")
    if not wanted.is_visible():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"pick-option-missing-{option}.png"), full_page=True)
    # Under load the open list can be drawn again while the click waits (CI once saw "element was detached from the
    # DOM, retrying" for a whole minute): click with a shorter wait, and open the list again before the next try.
    for attempt in range(3):
        try:
            wanted.click(timeout=15_000)
            return
        except Exception:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            page.wait_for_timeout(1_000)
            box.click()
            wanted.wait_for(state="visible", timeout=10_000)


def today_for_a_walk(margin_min: int = 15):
    """Zhangzhou's date for a walk that plans "today" and checks the officer's day: a walk started in the last
    ``margin_min`` minutes before midnight (Beijing time, 16:00 UTC) waits for the new day, because the server's
    today would change under it halfway (CI once failed so, at 16:00 UTC)."""
    import datetime as dt

    from planner.office.clock import local_now

    now = local_now()
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=now.tzinfo)
    if midnight - now < dt.timedelta(minutes=margin_min):
        time.sleep((midnight - now).total_seconds() + 5)
    return local_now().date()
