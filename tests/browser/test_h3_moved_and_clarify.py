"""Two walks in a real browser, on one office database.

- 行程 (walk W6/F7): an officer moved by the administrator from 第一检查组 to 第二检查组 while filling in a stop's
  result clicks 保存: the page said only 未保存：账户的权限已变更，请刷新页面后再保存 and showed the new team's day, the
  result picked gone. It now says what happened and keeps what was typed on screen for the leader.
- 回访跟踪 → 澄清: right after 生成并登记澄清函, the letter's download button is there and downloads, at once.

Screenshots go to ``artifacts/screenshots/h3-*.png``.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, ROOT, SCREENSHOTS, wait_for_app

pytestmark = pytest.mark.browser

PASSWORD = "Xiafang-2026-h3walk!"
MONDAY = dt.date(2026, 12, 7)


def _office_data(engine) -> None:
    """Two teams, an issued plan of four stops on MONDAY (two each), an officer of 第一检查组, a coordinator, and
    three letters whose visit found the report untrue (ground for a 澄清函)."""
    from planner.domain import Team, Visit
    from planner.office.security import create_user
    from planner.routing.problem import PlanOptions
    from planner.routing.report import plan_document
    from planner.store.database import session_scope
    from planner.store.lifecycle import PlanStatus, set_plan_status
    from planner.store.models import CaseRow, VisitOutcomeRow
    from planner.store.plans import save_plan
    from planner.store.teams import save_team

    teams = [Team("T1", "第一检查组", 117.313, 24.363, max_visits_per_day=2),
             Team("T2", "第二检查组", 117.313, 24.363, max_visits_per_day=2)]
    visits = [Visit(f"V{k}", 117.33 + 0.02 * k, 24.37 - 0.01 * k, 45, case_nos=(f"PH-0{k}",), label=f"村{k}")
              for k in range(1, 5)]
    with session_scope(engine) as s:
        for t in teams:
            save_team(s, t)
        create_user(s, "li", PASSWORD, role="officer", team_ids=["T1"], display_name="李干部")
        create_user(s, "coord1", PASSWORD, role="coordinator", display_name="协调一")
        for v in visits:
            s.add(CaseRow(case_no=v.case_nos[0], received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                          content="反映村务不公开。", county="平和县", county_code="350628", status="planned"))
        for k in range(1, 4):
            case = CaseRow(case_no=f"CL-0{k}", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                           content="反映村干部侵占集体资金。", county="平和县", county_code="350628", status="visited")
            s.add(case)
            s.flush()
            s.add(VisitOutcomeRow(case_id=case.id, team_id="T1", visit_date=dt.date(2026, 12, 4), result="visited",
                                  report_true=False, findings="经核实反映不实", recorded_by="coord1"))
        s.flush()
        doc = plan_document(visits, teams, start_date=MONDAY, days=1, time_limit_s=2.0,
                            options=PlanOptions(policy="compact"))
        assert {r.team_id for r in doc.plan.routes if r.stops} == {"T1", "T2"}, doc.plan.routes
        pid = save_plan(s, doc, name="平和", who="coord1")
        set_plan_status(s, pid, PlanStatus.ISSUED, who="coord1")


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A Streamlit server on :func:`_office_data`, its clock at MONDAY 10:00."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    from planner.store.database import get_engine

    data_dir = tmp_path_factory.mktemp("xiafang-h3")
    engine = get_engine(f"sqlite:///{data_dir / 'xiafang.db'}")
    _office_data(engine)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(XIAFANG_DATA_DIR=str(data_dir), XIAFANG_DEMO="0", PYTHONUNBUFFERED="1",
               XIAFANG_CLOCK=f"{MONDAY.isoformat()}T10:00")
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
                log.flush()
                pytest.fail("streamlit did not start:\n" + (data_dir / "streamlit.log").read_text()[-3000:])
            time.sleep(0.3)
        yield {"base": base, "engine": engine, "log": data_dir / "streamlit.log"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        engine.dispose()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai",
                              accept_downloads=True)
    p = ctx.new_page()
    p.set_default_timeout(60_000)
    yield p
    ctx.close()


def _sign_in(page, office: dict, username: str) -> None:
    page.goto(office["base"] + "/", wait_until="domcontentloaded")
    page.wait_for_selector("input[autocomplete=username]")
    page.fill("input[autocomplete=username]", username)
    page.fill("input[type=password]", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_function("() => !document.querySelector('input[autocomplete=username]')")
    wait_for_app(page)


def _go(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
    wait_for_app(page)
    page.wait_for_timeout(500)


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"h3-{name}.png"), full_page=True)


def _main(page, kind: str) -> str:
    return "\n".join(page.locator(f'[data-testid="stMain"] [data-testid="stAlertContent{kind}"]').all_inner_texts())


def test_a_moved_officers_refused_save_says_why_and_keeps_what_was_typed(office, page) -> None:
    from planner.office import security
    from planner.store.database import session_scope

    _sign_in(page, office, "li")
    _go(page, "行程")
    form = page.locator(".st-key-it_next [class*='st-key-xfdraft_'][class*='_v0']").first  # the next stop's form
    form.wait_for()
    t1_text = page.locator('[data-testid="stMain"]').inner_text()
    form.get_by_text("已走访", exact=True).first.click()  # nothing is picked until the officer picks (walk W13)
    form.locator("[class*='_households'] input").fill("6")
    form.locator("textarea").fill("入户走访6户，村务公开栏已更新")
    page.wait_for_timeout(300)
    with session_scope(office["engine"]) as s:  # the administrator, in 用户管理, while the form is filled in
        security.update_user(s, "li", team_ids=["T2"])
    form.get_by_role("button", name="保存").click()
    page.get_by_text("未保存：").first.wait_for(timeout=30_000)
    wait_for_app(page)
    assert "填写的内容保留在页面顶部" in page.locator('[data-testid="stToast"]').first.inner_text()
    page.locator('[data-testid="stMain"] [data-testid="stCode"]').scroll_into_view_if_needed()
    _shot(page, "moved-unsaved")
    said = _main(page, "Error")
    assert "你已被调到第二检查组" in said and "属于第一检查组" in said, said
    assert "你选择的结果（已走访）没有保存" in said and "请刷新页面" not in said, said
    kept = page.locator('[data-testid="stMain"] [data-testid="stCode"]').inner_text()
    assert "入户走访 6 户次" in kept and "核查情况：入户走访6户，村务公开栏已更新" in kept, kept
    case_no = kept.split("，", 1)[0].removeprefix("信访件 ").strip()
    # the page is 第二检查组's day now: of 第一检查组's, only the letter the form was for is named
    main = page.locator('[data-testid="stMain"]').inner_text()
    t1_cases = {f"PH-0{k}" for k in range(1, 5) if f"PH-0{k}" in t1_text} - {case_no}
    assert t1_cases and not [no for no in t1_cases if no in main], main
    assert "你的检查组已改为第二检查组" in _main(page, "Info")
    with session_scope(office["engine"]) as s:
        from planner.store.models import VisitOutcomeRow

        assert s.query(VisitOutcomeRow).filter(VisitOutcomeRow.findings.like("%村务公开栏%")).count() == 0
    page.get_by_role("button", name="已交给组长，不再显示").click()
    wait_for_app(page)
    assert not page.locator('[data-testid="stMain"] [data-testid="stCode"]').count()


@pytest.mark.parametrize("case_no", ["CL-01", "CL-02"])
def test_the_clarification_letter_downloads_right_after_it_is_generated(office, page, case_no) -> None:
    _sign_in(page, office, "coord1")
    _go(page, "回访跟踪")
    page.get_by_label("查找信访件").fill(case_no)
    page.keyboard.press("Enter")
    wait_for_app(page)
    page.get_by_role("tab", name="澄清").click()
    wait_for_app(page)
    for label, text in (("被澄清干部姓名", "张三"), ("职务", "村主任"), ("被反映的问题", "侵占集体资金"),
                        ("调查认定的事实", "经查不实"), ("主送单位", "某镇党委")):
        page.get_by_label(label).fill(text)
    page.get_by_role("button", name="生成并登记澄清函").click()  # at once, the last box still focused
    page.get_by_text("澄清函已生成并登记").wait_for(timeout=30_000)
    button = page.get_by_role("tabpanel", name="澄清").get_by_role("button", name=f"下载 澄清函-{case_no}-张三")
    button.wait_for(timeout=10_000)  # no reload
    _shot(page, f"clarified-{case_no}")
    with page.expect_download(timeout=60_000) as got:
        button.click()
    assert got.value.suggested_filename == f"澄清函-{case_no}-张三-{MONDAY.isoformat()}.docx"
    assert Path(got.value.path()).read_bytes()[:2] == b"PK"
