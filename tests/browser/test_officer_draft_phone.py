"""An officer on a phone (390×844) whose team has only a draft plan (草稿), then the same officer after the leader
issues it on 路线规划, in real Chromium against ``streamlit run app.py``.

The officer's 行程 listed and opened the draft's day, and opening it was refused (计划 #1 还是草稿，尚未下发): officers
go by issued plans (2004927). Now the page says the leader has not issued a route yet; after 下发计划 the officer's
reload lands on the team's day.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import DESKTOP, PHONE, app_env, sign_in, start_app, wait_for_app

from planner.field.day import NO_TEAM_ITINERARY

pytestmark = pytest.mark.browser


def _office(data_dir: Path) -> None:
    """tests/office/_seed's week for 第一检查组 alone (its leader may issue it), saved as a draft, with accounts."""
    from planner.field import load_document
    from planner.store.database import get_engine
    from tests.office import _seed

    raw = json.loads(_seed.PLAN.read_text(encoding="utf-8"))
    raw["routes"] = [r for r in raw["routes"] if r["team"] == "T1"]
    doc = load_document(raw)
    engine = get_engine(f"sqlite:///{data_dir / 'xiafang.db'}")
    real = _seed.plan_doc
    _seed.plan_doc = lambda: doc
    try:
        _seed.seed(engine, users=True, issued=False)
    finally:
        _seed.plan_doc = real
        engine.dispose()


@pytest.fixture()
def office(tmp_path) -> Iterator[str]:
    _office(tmp_path)
    with start_app(app_env(tmp_path, XIAFANG_DEMO="0", XIAFANG_CLOCK="2026-12-07T08:00")) as base:
        yield base


def test_an_officer_is_told_the_draft_is_not_issued_then_lands_on_it_once_issued(office, browser) -> None:
    from tests.office._seed import ACCOUNTS, PASSWORD

    phone_ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN",
                                    timezone_id="Asia/Shanghai")
    desk_ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        phone = phone_ctx.new_page()
        sign_in(phone, office, ACCOUNTS["officer"].username, PASSWORD)
        phone.goto(office + "/itinerary", wait_until="domcontentloaded")
        wait_for_app(phone)
        main = phone.locator('[data-testid="stMain"]')
        shown = main.inner_text()
        assert NO_TEAM_ITINERARY in shown, shown
        assert "草稿" not in shown and not phone.locator('[data-testid="stAlertContentError"]').count(), shown

        desk = desk_ctx.new_page()
        sign_in(desk, office, ACCOUNTS["leader"].username, PASSWORD)
        desk.goto(office + "/planning", wait_until="domcontentloaded")
        wait_for_app(desk)
        desk.get_by_text("已保存的计划：下发、执行、完成").click()
        desk.get_by_role("button", name="下发计划").click()
        desk.get_by_text("已改为“已下发”").wait_for()

        phone.reload(wait_until="domcontentloaded")
        wait_for_app(phone)
        main.get_by_text("第一检查组 2026-12-07 行程单").wait_for()
        shown = main.inner_text()
        assert "计划状态：已下发" in shown and NO_TEAM_ITINERARY not in shown, shown
    finally:
        phone_ctx.close()
        desk_ctx.close()
