"""Issue 13.5 in a real browser: a register whose 编号, 来源 and 被反映单位 hold Markdown/HTML image syntax.

The office's register (tests/data/registers/normal_utf8.csv) is imported with those cells replaced; an
administrator signs in and opens 案件地图 (with the case panel), 关联分析 and 选件. The browser must never request
the beacon URLs and no <img> may point at them, in the page or in the map's iframe.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, ROOT, SCREENSHOTS, app_env, sign_in, start_app, wait_for_app

PASSWORD = "Hostile-Reg-2026"
BEACON = "http://127.0.0.1:9/beacon"
HOSTILE_NO = f"![m]({BEACON}-no.png)"
PAYLOADS = {
    "编号": None,  # only the first row, so case numbers stay unique
    "来源": f"![m]({BEACON}-src.png)",
    "被反映单位": f'<img src="{BEACON}-unit.png">![u]({BEACON}-unit2.png)',
    "问题类别": f"![c]({BEACON}-cat.png)",
}


def _hostile_register() -> bytes:
    rows = list(csv.reader((ROOT / "tests/data/registers/normal_utf8.csv").open(encoding="utf-8")))
    head = rows[0]
    for r in rows[1:]:
        for col, payload in PAYLOADS.items():
            if payload:
                r[head.index(col)] = payload
        r[head.index("办理状态")] = "办理中"
    # A second letter about each matter (another number): the same issue forms clusters, so that
    # 关联分析 shows the hostile 被反映单位 in its cluster heading and captions.
    again = []
    for r in rows[1:]:
        copy = list(r)
        copy[head.index("编号")] = r[head.index("编号")] + "-再"
        again.append(copy)
    rows[1][head.index("编号")] = HOSTILE_NO
    rows += again
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """A server whose database holds the hostile register and one administrator (no demo mode)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    from planner.intake.register import import_register
    from planner.office import security
    from planner.store.database import make_engine, session_scope, upgrade

    data_dir = tmp_path_factory.mktemp("hostile-data")
    eng = make_engine(f"sqlite:///{data_dir / 'xiafang.db'}")
    upgrade(eng)
    with session_scope(eng) as s:
        security.create_user(s, "chief", PASSWORD, role="admin")
    import_register(eng, _hostile_register(), filename="hostile.csv", who="chief")
    eng.dispose()
    with start_app(app_env(data_dir, XIAFANG_DEMO="0")) as base:
        yield base


def _sign_in(page, base: str) -> None:
    sign_in(page, base, "chief", PASSWORD)


def _open(page, title: str) -> None:
    """Go to a page through the sidebar, as a user does (a reload would start a new session)."""
    page.locator('[data-testid="stSidebarNavLink"]', has_text=title).first.click()
    page.wait_for_timeout(800)
    wait_for_app(page)


def _beacon_images(page) -> list[str]:
    srcs = []
    for frame in page.frames:
        try:
            srcs += frame.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('src') || '')")
        except Exception:
            continue
    return [s for s in srcs if "beacon" in s]


def test_register_values_never_render_as_images(hostile_server, page_factory) -> None:
    page, rec = page_factory()
    _sign_in(page, hostile_server)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    _open(page, "案件地图")
    picker = page.locator('[data-testid="stSelectbox"]', has_text="查看信访件")
    picker.click()
    page.keyboard.type("beacon-no")
    page.wait_for_timeout(500)
    assert page.locator('[role="option"]', has_text="beacon-no").count() >= 1
    assert _beacon_images(page) == []  # the open list shows the numbers as text too
    page.keyboard.press("Enter")
    page.wait_for_timeout(1500)
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    # The case panel shows the cells as the characters the office typed, but for the colon of "://", shown full-width
    # so that no autolink makes it a live link (walk E: backslash escapes do not stop GFM's autolinks).
    assert "![m](http：//127.0.0.1:9/beacon-src.png)" in main.inner_text()
    # (a heading's own anchor, case_map#m-http-…-beacon-no-png, stays on the page: only links away count)
    assert not page.locator('[data-testid="stMain"] a[href*="127.0.0.1:9"]').count()
    page.screenshot(path=str(SCREENSHOTS / "hostile_case_map.png"), full_page=True)

    _open(page, "关联分析")
    main = page.locator('[data-testid="stMain"]')
    assert "beacon-unit" in main.inner_text()  # a cluster of the hostile letters is open, its 被反映对象 as text
    page.screenshot(path=str(SCREENSHOTS / "hostile_clusters.png"), full_page=True)
    _open(page, "选件")
    page.screenshot(path=str(SCREENSHOTS / "hostile_selection.png"), full_page=True)

    assert _beacon_images(page) == []
    assert [u for u in rec.urls if "beacon" in u] == []
