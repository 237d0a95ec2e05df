"""Walk H1 in a real browser at 1366×900: 导入's 校验结果 showed about four rows before scrolling. A register with
fourteen short reasons now shows them all, the refused rows first, and the table with the 导入 button fits the screen;
a screenshot is kept under artifacts/screenshots."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, DESKTOP, ROOT, SCREENSHOTS, wait_for_app
from openpyxl import Workbook

PASSWORD = "Issue-Table-2026"


def _register() -> bytes:
    """Twelve rows refused for a day that does not exist, two imported with a long 提示 (an empty 编号)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["顺序", "编号", "收件日期", "信访人", "问题发生地", "反映内容"])
    for i in range(1, 15):
        blank = i <= 2
        ws.append([i, "" if blank else f"ZP-{i:03d}", f"2026-11-{i:02d}" if blank else "2026-11-31", "匿名",
                   "漳浦县赤湖镇", f"反映赤湖镇第{i}村村干部在低保评定中优亲厚友。"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def import_server(tmp_path_factory):
    """A server with one administrator and no letters (no demo mode)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    from planner.office import security
    from planner.store.database import make_engine, session_scope, upgrade

    data_dir = tmp_path_factory.mktemp("h1-import-data")
    eng = make_engine(f"sqlite:///{data_dir / 'xiafang.db'}")
    upgrade(eng)
    with session_scope(eng) as s:
        security.create_user(s, "chief", PASSWORD, role="admin")
    eng.dispose()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(XIAFANG_DATA_DIR=str(data_dir), XIAFANG_DEMO="0", PYTHONUNBUFFERED="1")
    log = open(data_dir / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("streamlit did not start:\n" + (data_dir / "streamlit.log").read_text()[-3000:])
            time.sleep(0.3)
        yield base, data_dir
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_the_issue_table_shows_every_short_reason_within_the_screen(import_server, page_factory) -> None:
    base, data_dir = import_server
    page, _rec = page_factory(DESKTOP)
    page.goto(base + "/", wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_label("用户名").fill("chief")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_timeout(1500)
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNavLink"]', has_text="导入").first.click()
    page.wait_for_timeout(800)
    wait_for_app(page)
    register = data_dir / "漳浦县登记表.xlsx"
    register.write_bytes(_register())
    page.locator('input[type="file"]').set_input_files(str(register))
    page.get_by_role("heading", name="校验结果").wait_for(timeout=60_000)
    wait_for_app(page)
    page.get_by_role("heading", name="校验结果").scroll_into_view_if_needed()
    page.evaluate("() => [...document.querySelectorAll('h3')].find(h => h.textContent.includes('校验结果'))"
                  ".scrollIntoView()")
    page.wait_for_timeout(800)
    grid = page.locator('[data-testid="stDataFrame"]').nth(1)
    box = grid.bounding_box()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "h1-import-issue-table-1366x900.png"))
    # Fourteen reasons of one line: the header and all fourteen rows (35 px each), not four.
    assert box is not None and box["height"] >= 40 + 14 * 35 - 2
    go = page.get_by_role("button", name="导入", exact=True).bounding_box()
    assert go is not None and box["y"] >= 0 and go["y"] + go["height"] <= DESKTOP["height"] + 200
    # The refused rows come first: the first data row's 级别 is 错误 (read from the grid's accessible cells).
    cells = grid.locator('[role="gridcell"]').all_inner_texts()
    assert "错误" in cells[:12] and cells.index("错误") < (cells.index("提示") if "提示" in cells else 99)
