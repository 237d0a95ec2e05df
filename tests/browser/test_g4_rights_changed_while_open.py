"""Walk W4, in a real browser: the administrator changes an account while its tab is open.

- 统计's 下载登记表 refused at click (the account's rights changed): the page says why and stays saying it (Streamlit's
  own note under the button goes after five seconds), and the server log has one line, no traceback;
- a 组长 made 干部 clicks 路线规划 in the menu drawn before: 首页 opens with the note, and the menu is the 干部's;
- 用户管理: making a 组长 干部 says 可查看身份 went, the form then shows it unticked, and making the account 组长 again
  does not give it back (the browser kept the box ticked, and the second save restored the right unasked).

Screenshots go to ``artifacts/screenshots/g4-*.png``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, SCREENSHOTS, app_env, pick_option, sign_in, start_app, wait_for_app

pytestmark = pytest.mark.browser

PASSWORD = "Xiafang-2026-g4walk!"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A Streamlit server on a database with a coordinator, a leader and one letter."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    from planner.office.security import create_user
    from planner.store.database import get_engine, session_scope
    from planner.store.models import CaseRow
    from planner.store.teams import ensure_default_teams

    data_dir = tmp_path_factory.mktemp("xiafang-g4")
    engine = get_engine(f"sqlite:///{data_dir / 'xiafang.db'}")
    with session_scope(engine) as s:
        ensure_default_teams(s)
        create_user(s, "admin1", PASSWORD, role="admin", display_name="管理员")
        create_user(s, "coord1", PASSWORD, role="coordinator", display_name="协调一")
        create_user(s, "lead3", PASSWORD, role="leader", team_ids=["T2"], display_name="组长三", can_unmask=True)
        create_user(s, "lead1", PASSWORD, role="leader", team_ids=["T1"], display_name="组长一", can_unmask=True)
        s.add(CaseRow(case_no="ZZ-01", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                      content="反映村财务不公开。", county="平和县", county_code="350628", status="registered"))
    try:
        with start_app(app_env(data_dir, XIAFANG_DEMO="0", XIAFANG_CLOCK="2026-12-07T09:00")) as base:
            yield {"base": base, "engine": engine, "log": data_dir / "streamlit.log"}
    finally:
        engine.dispose()


@pytest.fixture()
def page(new_page):
    return new_page()


def _sign_in(page, office: dict, username: str) -> None:
    sign_in(page, office["base"], username, PASSWORD)


def _go(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
    wait_for_app(page)
    page.wait_for_timeout(500)


def _h1(page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text()


def _errors(page) -> str:
    return "\n".join(page.locator('[data-testid="stMain"] [data-testid="stAlertContentError"]').all_inner_texts())


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"g4-{name}.png"), full_page=True)


def _update(office: dict, username: str, **changes: object) -> None:
    """What the administrator saves on 用户管理 while the account's tab is open."""
    from planner.office import security
    from planner.store.database import session_scope

    with session_scope(office["engine"]) as s:
        security.update_user(s, username, **changes)


def test_a_download_refused_at_click_says_why_on_the_page(office, page) -> None:
    _sign_in(page, office, "coord1")
    _go(page, "统计")
    button = page.locator('[data-testid="stDownloadButton"] button', has_text="下载登记表（Excel）")
    with page.expect_download(timeout=60_000) as got:
        button.click()
    assert got.value.suggested_filename.endswith(".xlsx")
    wait_for_app(page)

    _update(office, "coord1", role="leader", team_ids=["T1"])  # the administrator, while 统计 is open
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    button.click()
    page.get_by_text("未下载：").first.wait_for(timeout=20_000)
    wait_for_app(page)
    page.wait_for_timeout(6_000)  # longer than Streamlit's own note under the button stays
    _shot(page, "refused-download")
    assert downloads == [], "a refused download still gave a file"
    assert "未下载：账户“coord1”的权限已变更" in _errors(page)
    log = office["log"].read_text(encoding="utf-8")
    refused = [line for line in log.splitlines() if "权限已变更" in line]
    assert len(refused) == 1 and "PermissionDenied" in refused[0], log[-3000:]
    assert "Traceback" not in log, log[-3000:]


def test_a_leader_made_officer_gets_the_officers_menu_at_the_next_click(office, page) -> None:
    _sign_in(page, office, "lead1")
    _go(page, "选件")
    assert _h1(page) == "选件"
    _update(office, "lead1", role="officer")  # the administrator, while 选件 is open
    _go(page, "路线规划")  # the menu drawn before still lists it
    page.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText === '首页'")
    wait_for_app(page)
    _shot(page, "demoted-leader")
    assert not _errors(page)
    menu = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "行程" in menu
    assert not any(name in menu for name in ("选件", "路线规划", "检查组")), menu
    warnings = "\n".join(page.locator('[data-testid="stMain"] [data-testid="stAlertContentWarning"]').all_inner_texts())
    assert "“路线规划”页面不对干部开放" in warnings, warnings


def test_a_role_change_that_takes_the_identity_right_says_so(office, page) -> None:
    from planner.office import security
    from planner.store.database import session_scope

    _sign_in(page, office, "admin1")
    _go(page, "用户管理")
    form = page.locator('[data-testid="stExpander"]').filter(has_text="修改账户").first
    main = page.locator('[data-testid="stMain"]')

    def save_role(role: str) -> str:
        account = form.locator('[data-testid="stSelectbox"]').filter(has_text="账户").first
        if "lead3" not in account.inner_text():
            pick_option(page, account.locator("input"), "lead3")
            wait_for_app(page)
        pick_option(page, form.locator('[data-testid="stSelectbox"]').filter(has_text="角色").first.locator("input"),
                    role)
        form.get_by_role("button", name="保存", exact=True).click()
        page.get_by_text("已保存 lead3").wait_for()
        wait_for_app(page)
        return main.locator('[data-testid="stAlertContentSuccess"]').first.inner_text()

    said = save_role("干部")
    assert "已取消 lead3 的可查看身份权限（干部不能查看信访人身份）" in said, said
    assert not form.get_by_label("可查看信访人身份").is_checked()  # the form shows the account as saved
    _shot(page, "demoted-identity-right")
    said = save_role("组长")
    assert "可查看身份：否" in said and "lead3 未授予可查看身份权限" in said, said
    with session_scope(office["engine"]) as s:
        assert security.get_actor(s, "lead3").can_unmask is False

