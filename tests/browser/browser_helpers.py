"""Helpers shared by the real-browser tests (kept out of conftest.py so test modules can import them)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("XIAFANG_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
USERNAME_BOX = "input[autocomplete=username]"


def free_port() -> int:
    """A localhost port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(data_dir: Path, *, without: tuple[str, ...] = ("DATABASE_URL",), **settings: str) -> dict[str, str]:
    """The server's environment: this process's without ``without`` (by default the database URL, so the app uses
    the SQLite file in ``data_dir``), with XIAFANG_DATA_DIR, unbuffered output and ``settings`` (XIAFANG_DEMO="0",
    XIAFANG_CLOCK=... ) set."""
    env = {k: v for k, v in os.environ.items() if k not in without}
    env.update(XIAFANG_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    env.update(settings)
    return env


@contextmanager
def start_app(env: Mapping[str, str], *, script: str | Path = "app.py", log: Path | None = None,
              start_s: float = 60) -> Iterator[str]:
    """``streamlit run script`` on a free localhost port with ``env``; yields the base URL once the server answers
    its health check, and stops the server on leaving. Its output goes to ``log`` (by default streamlit.log in the
    env's XIAFANG_DATA_DIR); a server that exits or does not answer in ``start_s`` seconds fails the test with the
    end of that log."""
    import pytest

    log_path = Path(log) if log is not None else Path(env["XIAFANG_DATA_DIR"]) / "streamlit.log"
    port = free_port()
    with open(log_path, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port), "--server.address",
             "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_s
            while True:
                try:
                    with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                        if r.read().strip() == b"ok":
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    out.flush()
                    pytest.fail("streamlit did not start:\n" + log_path.read_text()[-3000:])
                time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


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


def sign_in(page, base: str | None, username: str, password: str, *, press=None, form_timeout_ms: int | None = None,
            shot: str | None = None) -> None:
    """Sign in on the app's form as a user does and wait until the app has run after it.

    ``base``: open the app there first (None: the page shows the form already). ``press(button)`` presses 登录
    (for instance a tap on a phone; by default a click). ``form_timeout_ms``: how long to wait for the form (by
    default the page's timeout); ``shot``: a screenshot name kept when the form never shows.
    """
    if base is not None:
        page.goto(base + "/", wait_until="domcontentloaded")
    try:
        page.wait_for_selector(USERNAME_BOX, **({} if form_timeout_ms is None else {"timeout": form_timeout_ms}))
    except Exception:
        if shot:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"))
        raise
    page.fill(USERNAME_BOX, username)
    page.fill("input[type=password]", password)
    button = page.get_by_role("button", name="登录")
    (press or (lambda b: b.click()))(button)
    page.wait_for_function("() => !document.querySelector('input[autocomplete=username]')")
    wait_for_app(page)


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
