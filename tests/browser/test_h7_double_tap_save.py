"""Walk W11: on the phone's 行程 a quick double tap on 保存 of a stop's form saved once and then said in red
走访结果未保存…该记录 已被他人修改, though the only change was the officer's own (cc019c8 covered a second tap that
reaches the server after the first save; this one reaches it while the first is still saving).

Streamlit's fast reruns start the second tap's run at once, beside the first one still inside its save: the second
read a form the first save had just emptied (结果：应为…收到 None), or the two saves ran side by side and the second
lost the race on the record's version (该记录 已被他人修改). Here the first save
is held at the database (the test keeps SQLite's write lock) while the second tap arrives, as a slow phone link or a
busy server does. What must hold: the page says 已保存, not a refusal; one record, holding what was typed.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, app_env, sign_in, start_app, today_for_a_walk, wait_for_app
from test_field_phone import PASSWORD, PHONE_CONTEXT, _build_office

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The field walk's office (demo register, 第一检查组's day planned, accounts), the plan issued; the app on it."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    from planner.store.database import get_engine, session_scope
    from planner.store.lifecycle import PlanStatus, set_plan_status

    data_dir = tmp_path_factory.mktemp("xiafang-double-tap")
    facts = _build_office(data_dir, today_for_a_walk())
    engine = get_engine(f"sqlite:///{facts['db']}")
    with session_scope(engine) as s:
        set_plan_status(s, facts["plan_id"], PlanStatus.ISSUED, who="admin1")
    engine.dispose()
    with start_app(app_env(data_dir, XIAFANG_DEMO="0")) as base:
        yield {**facts, "base": base}


@pytest.fixture()
def phone(browser) -> Iterator[object]:
    ctx = browser.new_context(**PHONE_CONTEXT)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    yield page
    ctx.close()


def _records(db: Path, case_no: str) -> list[tuple[int, str, int]]:
    with sqlite3.connect(db) as con:
        return con.execute(
            "SELECT o.version, o.findings, o.leads_collected FROM visit_outcomes o JOIN cases c ON c.id = o.case_id "
            "WHERE c.case_no = ? ORDER BY o.id", (case_no,)).fetchall()


def _double_tap_while_saving(page, db: Path, button) -> None:
    """Tap 保存 twice; the first save waits for the database (write lock held here) until the second tap is in."""
    lock = sqlite3.connect(db, isolation_level=None, timeout=30)
    try:
        lock.execute("BEGIN IMMEDIATE")
        button.tap()
        button.tap()
        # The second tap's run starts on the server beside the first, which still waits to write.
        page.wait_for_timeout(2_000)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    wait_for_app(page)


def _no_refusal(page) -> str:
    alerts = " ".join(page.locator("[data-testid=stAlert]").all_inner_texts())
    assert "未保存" not in alerts and "已被他人修改" not in alerts and "已由他人登记" not in alerts, alerts
    said = " ".join(page.locator("[class*='st-key-xfsaved_']").all_inner_texts())
    assert "已保存信访件" in said, said
    return re.search(r"已保存信访件 (\S+) 的走访结果", said).group(1)


def test_a_double_tap_on_save_while_the_first_save_runs_reads_saved(office, phone) -> None:
    page = phone
    sign_in(page, office["base"], "officer1", PASSWORD, press=lambda button: button.tap())

    # A new record, 保存 tapped twice.
    form = page.locator(".st-key-it_next [class*='st-key-xfdraft_'][class*='_v0']").first
    draft = re.search(r"st-key-xfdraft_([A-Za-z0-9]+)", form.get_attribute("class")).group(1)
    form.get_by_text("已走访", exact=True).first.tap()  # nothing is picked until the officer picks (walk W13)
    form.locator("textarea").fill("已入户核实，信访人反映的补贴已发放")
    form.locator("[class*='_leads'] input").fill("2")
    _double_tap_while_saving(page, office["db"], form.get_by_role("button", name="保存"))
    case_no = _no_refusal(page)
    assert _records(office["db"], case_no) == [(1, "已入户核实，信访人反映的补贴已发放", 2)]

    # A correction of that record (the walk's case: 该记录 已被他人修改), 保存 tapped twice.
    saved = page.locator(f"[class*='st-key-xfdraft_{draft}_v1']")
    saved.wait_for(state="attached")
    page.locator("[data-testid='stExpander']", has=saved).locator("summary").tap()
    saved.locator("textarea").fill("已入户核实，补贴已发放；另收集线索 3 条")
    saved.locator("[class*='_leads'] input").fill("3")
    _double_tap_while_saving(page, office["db"], saved.get_by_role("button", name="保存"))
    assert _no_refusal(page) == case_no
    assert _records(office["db"], case_no) == [(2, "已入户核实，补贴已发放；另收集线索 3 条", 3)]
