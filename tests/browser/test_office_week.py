"""An office week in real Chromium, one walk per role, from a hand-written register to the figures of 统计.

The register is ``tests/data/registers/office_week.csv``: twelve letters typed like a county office's own list
(its own headers, three date spellings, a petitioner who wrote twice, one letter already closed). Only the
accounts and one closed letter of last month exist before the walk; everything else is done in the browser the way
a new user would:

- the coordinator imports the register on 导入;
- the leader chooses the cases on 选件 (today, one day, every team), plans them on 路线规划, saves and issues the
  plan (its cases become 已排程);
- an officer of 第一检查组 on a phone (390×844) finds only their team's visits of the day on 回访跟踪 and records
  two outcomes, then corrects the first one;
- the coordinator records 双反馈, issues a 澄清函, opens another page, and downloads the letter later from 文书;
  the resolved case has its 回访 proposed;
- 统计 shows the same figures as an independent SQL count of the tables;
- the administrator (a second walk on the same server) creates an account, changes only its team (the role stays),
  deactivates it while the account's 行程 tab is open — that tab's download is refused when clicked — and reads the
  audit log as Chinese sentences.

Screenshots go to ``artifacts/screenshots/office-week-*.png``.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import (
    CHROMIUM,
    PHONE,
    ROOT,
    SCREENSHOTS,
    app_env,
    pick_option,
    sign_in,
    start_app,
    today_for_a_walk,
    wait_for_app,
)

pytestmark = pytest.mark.browser

REGISTER = ROOT / "tests" / "data" / "registers" / "office_week.csv"
PASSWORD = "Xiafang-2026-week!"
ACCOUNTS = {  # username: (role, teams)
    "admin1": ("admin", ()),
    "coord1": ("coordinator", ()),
    "lead1": ("leader", ("T1", "T2", "T3")),
    "officer1": ("officer", ("T1",)),
}


def _walk_day():
    """The office's "today" for the walk: Zhangzhou's date, or the Monday after it on a weekend, when no team works
    and the plan routes nothing "today" (CI failed so at 00:10 on a Saturday, Beijing time)."""
    import datetime as dt

    day = today_for_a_walk()
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A Streamlit server on a database holding only the office's teams and accounts."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    from planner.office.security import create_user
    from planner.store.database import get_engine, session_scope
    from planner.store.models import CaseRow
    from planner.store.teams import ensure_default_teams

    data_dir = tmp_path_factory.mktemp("xiafang-week")
    engine = get_engine(f"sqlite:///{data_dir / 'xiafang.db'}")
    with session_scope(engine) as s:
        teams = {t.team_id: t.name for t in ensure_default_teams(s)}
        for username, (role, team_ids) in ACCOUNTS.items():
            create_user(s, username, PASSWORD, role=role, team_ids=team_ids, display_name=username)
        # Last month's letter, handled and closed: the office's database is in use (never the demo register).
        s.add(CaseRow(case_no="南纪信〔2026〕150号", received_date=dt.date(2026, 9, 1), deadline=dt.date(2026, 10, 31),
                      content="靖城镇菜市场摊位费收取不规范。", category="执法", county="南靖县", county_code="350627",
                      town="靖城镇", status="closed"))
    engine.dispose()
    # The walk plans "today" and a plan for today leaves no earlier than now: the office clock starts at 09:00 of
    # the walk's day, whatever hour CI runs (at 17:00 the plan had no route today).
    env = app_env(data_dir, XIAFANG_DEMO="0", XIAFANG_CLOCK=f"{_walk_day().isoformat()}T09:00")
    with start_app(env) as base:
        yield {"base": base, "db": data_dir / "xiafang.db", "teams": teams, "log": data_dir / "streamlit.log"}


# --------------------------------------------------------------------------------------------- helpers


def _sql(office: dict, query: str, *args: object) -> list[tuple]:
    """An independent read of the office's database (plain sqlite3, not the application's code)."""
    with sqlite3.connect(office["db"]) as conn:
        return conn.execute(query, args).fetchall()


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"office-week-{name}.png"))


def _settle(page, ms: int = 300) -> None:
    """The script finished (and stayed finished), then a moment for the browser to draw."""
    wait_for_app(page)
    page.wait_for_timeout(ms)


def _sign_in(page, office: dict, username: str, password: str = PASSWORD) -> None:
    sign_in(page, office["base"], username, password)
    page.wait_for_timeout(300)  # as _settle: a moment for the browser to draw


def _go(page, title: str) -> None:
    """Open a page from the sidebar (a new URL would start a new, signed-out session)."""
    link = page.locator('[data-testid="stSidebarNav"] a', has_text=title)
    closed = page.evaluate("() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right <= 1")
    if closed:
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right > 200")
    link.click()
    page.wait_for_function("(t) => document.querySelector('h1') && document.querySelector('h1').innerText.includes(t)",
                           arg=title)
    _settle(page)


def _main(page):
    return page.locator('[data-testid="stMain"]')


def _no_error(page) -> None:
    errors = page.locator('[data-testid="stMain"] [data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.all_inner_texts()
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]


def _number(page, label: str, value: int) -> None:
    box = _main(page).get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Enter")
    _settle(page)


def _pick_case(page, case_no: str) -> None:
    """Find a case by its number on 回访跟踪 and open it."""
    search = _main(page).get_by_label("查找信访件")
    search.fill(case_no)
    search.press("Enter")
    _settle(page)
    assert case_no in _choice(page, 0)


def _choice(page, n: int) -> str:
    """What the ``n``-th select box of the page shows."""
    return _main(page).locator('[data-testid="stSelectbox"]').nth(n).locator("input").input_value()


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    _settle(page)


def _success(page) -> str:
    return "\n".join(page.locator('[data-testid="stMain"] [data-testid="stAlertContentSuccess"]').all_inner_texts())


# --------------------------------------------------------------------------------------------- the week


def test_an_office_week_from_register_to_statistics(office, new_page) -> None:
    today = _walk_day()
    # --- the administrator: the accounts are there
    admin = new_page()
    _sign_in(admin, office, "admin1")
    _go(admin, "用户管理")
    _no_error(admin)

    # --- the coordinator imports the register
    page = new_page()
    _sign_in(page, office, "coord1")
    _go(page, "导入")
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(REGISTER))
    page.get_by_text("预览：").wait_for()
    _settle(page)
    _main(page).get_by_role("button", name="导入", exact=True).click()
    page.get_by_text("导入结果").wait_for()
    _settle(page)
    _shot(page, "1-import")
    _no_error(page)
    assert _sql(office, "SELECT COUNT(*) FROM cases") == [(13,)]

    # --- the leader chooses today's cases, plans them, saves and issues the plan
    lead = new_page()
    _sign_in(lead, office, "lead1")
    _go(lead, "选件")
    _main(lead).get_by_role("spinbutton", name="year, 出发日期").click()
    lead.keyboard.type(today.strftime("%Y%m%d"))  # year, month, day segments; each moves on to the next
    lead.keyboard.press("Tab")
    _settle(lead)
    assert _main(lead).get_by_role("spinbutton", name="day, 出发日期").get_attribute("aria-valuenow") == str(
        today.day)
    _number(lead, "下访工作日数", 1)
    _main(lead).get_by_role("button", name="生成走访点").click()
    lead.get_by_text("走访点（").wait_for()
    _no_error(lead)
    _go(lead, "路线规划")
    _number(lead, "求解时间（秒）", 2)
    _main(lead).get_by_role("button", name="开始规划").click()
    lead.get_by_text("规划完成").wait_for()
    _settle(lead)
    _main(lead).get_by_role("button", name="保存方案").click()
    lead.get_by_text("已保存方案 #").wait_for()
    _settle(lead)
    ((plan_id, status),) = _sql(office, "SELECT id, status FROM plans")
    assert status == "draft"
    lead.get_by_role("button", name="下发计划").click()
    lead.get_by_text(f"计划 #{plan_id} 已改为“已下发”").wait_for()
    _settle(lead)
    # Walk B: the plan box still read “（草稿）” after 下发 until the page was left and opened again.
    chosen = _main(lead).get_by_role("combobox", name="计划", exact=True).input_value()
    assert chosen.endswith("· 已下发") and "草稿" not in chosen, chosen
    _shot(lead, "2-plan-issued")
    _no_error(lead)
    planned = _sql(office, "SELECT c.case_no, p.team_id FROM plan_cases p JOIN cases c ON c.id = p.case_id "
                           "WHERE p.plan_id = ? AND p.visit_date = ? ORDER BY p.team_id, p.seq",
                   plan_id, today.isoformat())
    assert planned, "the plan routes no case today"
    statuses = dict(_sql(office, "SELECT case_no, status FROM cases"))
    assert {statuses[no] for no, _ in planned} == {"planned"}  # 已排程 once issued
    mine = [no for no, team in planned if team == "T1"]
    others = [no for no, team in planned if team != "T1"]
    assert len(mine) >= 2, f"第一检查组 has {len(mine)} visit(s) today; the walk needs two"

    # --- the officer of 第一检查组, on a phone: only their team's visits of the day
    officer = new_page(phone=True)
    _sign_in(officer, office, "officer1")
    _go(officer, "回访跟踪")
    _main(officer).get_by_text("今日与回访", exact=True).click()
    _settle(officer)
    box = _main(officer).locator('[data-testid="stSelectbox"]').first
    box.click()
    options = officer.locator('[role="option"]').all_inner_texts()
    officer.keyboard.press("Escape")
    _settle(officer)
    assert len(options) == len(mine), options
    assert all(any(no in o for o in options) for no in mine)
    assert not any(no in o for o in options for no in others)  # another team's cases never show
    assert officer.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(officer, "3-officer-phone")
    first, second = mine[0], mine[1]
    _pick_case(officer, first)
    _main(officer).get_by_text("已走访", exact=True).first.click()  # nothing is picked until the user picks (W13)
    _number(officer, "入户走访（户次）", 15)
    _number(officer, "解决问题（个）", 4)
    _main(officer).get_by_text("问题已解决", exact=True).click()
    _settle(officer)
    _main(officer).get_by_role("button", name="保存走访结果").click()
    officer.get_by_text(f"已保存信访件 {first}").wait_for()
    _pick_case(officer, second)
    _main(officer).get_by_text("已走访", exact=True).first.click()  # nothing is picked until the user picks (W13)
    _number(officer, "入户走访（户次）", 6)
    # The visit found the report untrue: the ground of the 澄清函 below (53ff8da: a 澄清函 needs such a visit).
    _main(officer).get_by_text("不实（需澄清）", exact=True).click()
    _settle(officer)
    _main(officer).get_by_role("button", name="保存走访结果").click()
    officer.get_by_text(f"已保存信访件 {second}").wait_for()
    # the first outcome was wrong: 12 households and 3 problems, not 15 and 4 — corrected, not added
    _pick_case(officer, first)
    assert _choice(officer, 1).startswith("更正：")  # the form shows the recorded visit
    _number(officer, "入户走访（户次）", 12)
    _number(officer, "解决问题（个）", 3)
    _main(officer).get_by_role("button", name="保存更正").click()
    officer.get_by_text(f"已更正信访件 {first}").wait_for()
    _shot(officer, "4-officer-corrected")
    _no_error(officer)
    assert _sql(office, "SELECT COUNT(*), SUM(households_visited) FROM visit_outcomes o JOIN cases c ON "
                        "c.id = o.case_id WHERE c.case_no = ?", first) == [(1, 12)]
    assert _sql(office, "SELECT status FROM plans") == [("in_progress",)]  # started by the first outcome

    # --- the coordinator: 双反馈, a 澄清函, the letter downloaded later, the return visit proposed
    _go(page, "回访跟踪")
    _pick_case(page, first)
    _tab(page, "双反馈")
    _main(page).get_by_label("反馈内容").fill("已当面告知信访人调查处理结果")
    _main(page).get_by_role("button", name="保存反馈").click()
    page.get_by_text("已记录对信访人的反馈").wait_for()
    assert page.get_by_role("tab", name="双反馈", exact=True).get_attribute("aria-selected") == "true"
    _pick_case(page, second)
    _tab(page, "澄清")
    _main(page).get_by_label("被澄清干部姓名").fill("李某某")
    _main(page).get_by_label("被反映的问题").fill("优亲厚友")
    _main(page).get_by_label("调查认定的事实").fill("经核查，所反映问题不属实。")
    _main(page).get_by_label("主送单位").fill("中共南靖县委")
    _main(page).get_by_role("button", name="生成并登记澄清函").click()
    page.get_by_text("澄清函已生成并登记").wait_for()
    _settle(page)
    _no_error(page)
    _go(page, "首页")
    _go(page, "回访跟踪")
    _tab(page, "文书")
    _shot(page, "5-documents")
    with page.expect_download() as download:
        _main(page).get_by_role("button", name="下载 澄清函").last.click()
    letter = Path(download.value.path()).read_bytes()
    assert letter[:2] == b"PK" and second in download.value.suggested_filename
    _tab(page, "回访")
    _main(page).get_by_role("button", name="检查并生成回访建议").click()
    page.get_by_text("已检查回访建议").wait_for()
    assert _sql(office, "SELECT c.case_no, f.kind, f.preferred_team_id FROM followups f JOIN cases c ON "
                        "c.id = f.case_id WHERE f.done = 0") == [(first, "return_visit", "T1")]

    # --- 统计 equals an independent count of the same tables
    _go(page, "统计")
    _shot(page, "6-statistics")
    _no_error(page)
    shown = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        shown[label] = int(metric.locator('[data-testid="stMetricValue"]').inner_text().replace(",", ""))
    year = (dt.date(today.year, 1, 1).isoformat(), today.isoformat())
    latest = ("FROM visit_outcomes v WHERE v.visit_date BETWEEN ? AND ? AND v.id = (SELECT MAX(w.id) FROM "
              "visit_outcomes w WHERE w.case_id = v.case_id AND w.visit_date = v.visit_date AND "
              "w.team_id = v.team_id)")
    ((households, solved, leads),) = _sql(office, "SELECT COALESCE(SUM(households_visited), 0), "
                                                  "COALESCE(SUM(problems_solved), 0), "
                                                  f"COALESCE(SUM(leads_collected), 0) {latest}", *year)
    ((letters,),) = _sql(office, f"SELECT COUNT(DISTINCT case_id) {latest} AND v.result = 'visited'", *year)
    ((resolved,),) = _sql(office, f"SELECT COUNT(DISTINCT case_id) {latest} AND v.problem_resolved", *year)
    ((clarified,),) = _sql(office, "SELECT COUNT(*) FROM clarifications WHERE issued_date BETWEEN ? AND ?", *year)
    assert (households, solved, letters, resolved, clarified) == (18, 3, 2, 1, 1)
    assert shown["带信下访件数"] == letters
    assert shown["推动解决问题（件）"] == resolved
    assert shown["入户走访（户次）"] == households
    assert shown["收集问题线索（条）"] == leads
    assert shown["解决问题（个）"] == solved
    assert shown["澄清（人次）"] == clarified


# --------------------------------------------------------------------------------------------- the administrator


def _open_account(admin, username: str):
    """Pick ``username`` in 用户管理's 账户 box (typed, as a person would) and return its edit form."""
    account = _main(admin).locator('[data-testid="stSelectbox"]', has_text="账户")
    account.click()
    admin.keyboard.type(username)
    admin.locator('[role="option"]', has_text=username).first.click()
    _settle(admin)
    return _main(admin).locator('[data-testid="stForm"]', has_text="启用")


def _multiselect_choose(page, label: str, option: str) -> None:
    """Pick one option of the multiselect labelled ``label``, close its list and see it chosen (under load a click
    can land on a list drawn again and choose nothing: then pick again)."""
    combo = _main(page).get_by_role("combobox", name=label, exact=True)
    box = combo.locator("xpath=ancestor::*[@data-testid='stMultiSelect'][1]")
    for _ in range(3):
        pick_option(page, combo, option)
        page.keyboard.press("Escape")
        for _ in range(10):
            page.wait_for_timeout(500)
            if option in box.inner_text():
                return
    raise AssertionError(f"{option} was not chosen in {label}: {box.inner_text()!r}")


def _audit_text(page) -> str:
    """The audit table's cells as the grid exposes them to screen readers (the visible rows)."""
    grid = _main(page).locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    return " ".join(grid.locator('[role="gridcell"], td').all_inner_texts())


def test_the_administrator_sets_up_changes_and_stops_an_account(office, new_page) -> None:
    """Admin creates an account, changes only its team (the role stays), deactivates it — an open tab of the account
    then gets no file — and reads the audit log in Chinese."""
    from planner.routing.planio import plan_from_json
    from planner.store.database import get_engine, session_scope
    from planner.store.plans import save_plan

    engine = get_engine(f"sqlite:///{office['db']}")  # a saved plan with 第一检查组's routes, for 行程's downloads
    with session_scope(engine) as s:
        doc = plan_from_json(json.loads((ROOT / "tests" / "data" / "plan_zhangzhou.json").read_text("utf-8")))
        save_plan(s, doc, name="管理员测试计划", who="admin1")
    engine.dispose()
    admin = new_page()
    _sign_in(admin, office, "admin1")
    _go(admin, "用户管理")
    # --- a new account: 干部 by default, of 第二检查组
    _main(admin).get_by_text("新建账户").click()
    _main(admin).get_by_label("用户名", exact=True).fill("officer9")
    _main(admin).get_by_label("姓名（显示用）").fill("吴干部")
    _multiselect_choose(admin, "所属/负责的组", office["teams"]["T2"])
    _main(admin).get_by_label("初始密码").fill(PASSWORD)
    _main(admin).get_by_role("button", name="创建", exact=True).click()
    admin.get_by_text("已创建账户 officer9").wait_for()
    _settle(admin)
    assert "角色：干部" in _success(admin)
    assert _sql(office, "SELECT role, team_ids, active FROM users WHERE username = 'officer9'") == [
        ("officer", '["T2"]', 1)]

    # --- only its team changes: 第二检查组 → 第一检查组; the role stays 干部
    form = _open_account(admin, "officer9")
    form.get_by_role("combobox", name="组", exact=True).click()
    admin.keyboard.press("Backspace")  # the last (only) team chip goes
    admin.keyboard.press("Escape")
    _multiselect_choose(admin, "组", office["teams"]["T1"])
    form.get_by_role("button", name="保存", exact=True).click()
    admin.get_by_text("已保存 officer9").wait_for()
    _settle(admin)
    assert _sql(office, "SELECT role, team_ids FROM users WHERE username = 'officer9'") == [("officer", '["T1"]')]

    # --- the account signs in: the administrator's 初始密码 must first become its own; then 行程 has the downloads
    officer = new_page()
    _sign_in(officer, office, "officer9")
    main = _main(officer)
    main.get_by_text("请先设置新密码").wait_for()
    assert not officer.locator('[data-testid="stSidebarNav"]').is_visible()  # no page before the new password
    officer.reload(wait_until="domcontentloaded")  # walk L: a reload here signed the account out
    _main(officer).get_by_text("请先设置新密码").wait_for()
    assert officer.locator("input[autocomplete=username]").count() == 0
    own = "Own-choice-2026!"
    main.get_by_label("当前密码").fill(PASSWORD)
    main.get_by_label("新密码", exact=True).fill(own)
    main.get_by_label("再次输入新密码").fill(own)
    main.get_by_role("button", name="修改密码").click()
    officer.wait_for_selector("input[autocomplete=username]")
    assert _sql(office, "SELECT must_change_password FROM users WHERE username = 'officer9'") == [(0,)]
    _sign_in(officer, office, "officer9", own)
    _go(officer, "行程")
    download = _main(officer).get_by_role("button", name="离线行程（地图和站点，无网络也能打开）")
    download.wait_for()
    with officer.expect_download(timeout=60_000) as got:
        download.click()
    assert got.value.suggested_filename.endswith(".html")

    # --- the administrator deactivates it; the tab still open gets no file
    _go(admin, "首页")
    _go(admin, "用户管理")
    form = _open_account(admin, "officer9")
    form.get_by_text("启用", exact=True).click()
    form.get_by_role("button", name="保存", exact=True).click()
    admin.get_by_text("已保存 officer9").wait_for()
    assert "启用：否" in _success(admin)
    assert _sql(office, "SELECT role, team_ids, active FROM users WHERE username = 'officer9'") == [
        ("officer", '["T1"]', 0)]
    refused = []
    officer.on("download", lambda d: refused.append(d))
    download.click()
    officer.wait_for_timeout(8_000)
    assert refused == [], "a deactivated account's open tab still downloaded a file"
    assert "已停用，不能下载" in office["log"].read_text(encoding="utf-8")  # refused by authorise_live

    # --- the audit log reads as Chinese sentences
    _go(admin, "首页")
    _go(admin, "用户管理")
    log = _audit_text(admin)
    assert "officer9" in log and "user_update" not in log and "user_create" not in log, log[:2000]
    assert "创建" in log and "停用" in log, log[:2000]
    admin.screenshot(path=str(SCREENSHOTS / "office-week-7-admin-audit.png"), full_page=True)
