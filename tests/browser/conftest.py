"""Real-browser fixtures: ``streamlit run app.py`` on a free localhost port with a temp data folder, and
Debian's chromium driven by Playwright with background networking off; every request is recorded."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser_helpers import CHROMIUM, DESKTOP, LOCAL_HOSTS, PHONE, app_env, start_app


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A real-browser test that timed out waiting for the page gets one more try (pytest-rerunfailures; the summary
    lists it as rerun). On a busy 2-core CI machine a wait that holds on every quiet run sometimes runs out, and one
    such flake in a suite of thousands kept a whole change from landing. An assertion that fails is never retried,
    and a test that times out twice fails."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.flaky(reruns=1, only_rerun=["TimeoutError"]))


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a Streamlit server on the demo data (empty temp database -> demo register loaded)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"chromium not found at {CHROMIUM} (apt-get install -y chromium fonts-noto-cjk)")
        pytest.skip(f"chromium not found at {CHROMIUM}")
    data_dir = tmp_path_factory.mktemp("xiafang-data")
    with start_app(app_env(data_dir)) as base:
        yield base


@pytest.fixture(scope="session")
def browser(chromium_browser) -> Iterator[object]:
    """Headless chromium (Debian's; never a downloaded one), shared with every browser test of the session."""
    yield chromium_browser


class Recorder:
    """Every URL the page (and its iframes) requested."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, request) -> None:
        self.urls.append(request.url)

    def external(self) -> list[str]:
        """Requests that left the machine."""
        out = []
        for url in self.urls:
            p = urlparse(url)
            if p.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
                continue
            if p.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out


@pytest.fixture()
def page_factory(browser):
    """``make(viewport) -> (page, recorder)``; contexts are closed after the test."""
    contexts = []

    def make(viewport: dict | None = None):
        ctx = browser.new_context(viewport=viewport or DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
        rec = Recorder()
        ctx.on("request", rec)
        contexts.append(ctx)
        return ctx.new_page(), rec

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture()
def new_page(browser):
    """Open a page in a browser context of its own (one per person: their own sign-in); phone=True for 390×844."""
    contexts = []

    def make(**phone: object):
        ctx = browser.new_context(**({"viewport": PHONE, "is_mobile": True, "has_touch": True} if phone else
                                     {"viewport": {"width": 1366, "height": 900}}),
                                  locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        return page

    yield make
    for ctx in contexts:
        ctx.close()
