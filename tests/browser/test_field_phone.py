"""The field officer's day on a phone (390×844, touch), in real Chromium against ``streamlit run app.py``.

The office's data: a register from the demo generator (seed 23, 160 letters) imported through the importer, the
default teams, the top-ranked open cases turned into visits and planned by the solver for today, the plan saved;
three accounts (administrator, coordinator, an officer of 第一检查组). Nothing here is shaped to the page's needs.

What must hold: an officer lands on today's route with no tap after signing in (and never on the page the previous
user left open); a map on the page with one marker per stop; one Amap and one Baidu link per stop whose coordinates
are ``geodata.datum``'s conversion of the stop's point; nothing wider than the screen, 16-px text, readable contrast;
the sidebar closes after navigating; an outcome recorded from a stop in at most three taps appears on the
coordinator's 回访跟踪 and in 统计; a dropped connection leaves the typed outcome on the phone and says it was not
saved, and after a reload the draft refills its form (also over an already saved record, with a note and a button
to discard it); signing out forgets every draft; the day's offline HTML opens with no network. The tests do not
depend on their order: each takes a case of the next stop that has no record yet. Screenshots of each state go to
``artifacts/screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from browser_helpers import (
    CHROMIUM,
    SCREENSHOTS,
    app_env,
    map_frame,
    sign_in,
    start_app,
    today_for_a_walk,
    wait_for_app,
)

from geodata import datum

pytestmark = pytest.mark.browser

PHONE_CONTEXT = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
                 "device_scale_factor": 2, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
PASSWORD = "Xiafang-2026-test!"
ACCOUNTS = {  # username: (role, teams, display name)
    "admin1": ("admin", (), "王管理"),
    "coord1": ("coordinator", (), "陈协调"),
    "officer1": ("officer", ("T1",), "李干部"),
}


def _build_office(data_dir: Path, today: dt.date) -> dict:
    """Fill a fresh database as an office would (import, rank, plan, save, accounts); return what tests compare to."""
    from planner.intake.demo import generate_letters, register_xlsx_bytes
    from planner.intake.register import import_register
    from planner.office.security import create_user
    from planner.routing import PlanOptions, build_problem, solve
    from planner.routing.planio import plan_from_json, plan_to_json
    from planner.selection.ranking import build_visits, rank_cases, signals_from_db
    from planner.store.cases import case_details, load_cases
    from planner.store.database import get_engine, session_scope
    from planner.store.lifecycle import PlanStatus, set_plan_status
    from planner.store.plans import save_plan
    from planner.store.teams import ensure_default_teams

    engine = get_engine(f"sqlite:///{data_dir / 'xiafang.db'}")
    import_register(engine, register_xlsx_bytes(generate_letters(seed=23, letters=160)), filename="登记表.xlsx",
                    who="coord1")
    with session_scope(engine) as s:
        teams = ensure_default_teams(s)
        cases = load_cases(s, open_only=True)
        ranked = rank_cases(cases, today=today, signals=signals_from_db(s))
    build = build_visits(ranked[:24], today=today, teams=teams)
    problem = build_problem(build.visits, teams, start_date=today, days=1,
                            options=PlanOptions(skip_weekends=False))
    plan = solve(problem, time_limit_s=3, seed=0)
    by_no = {c.case_no: c for c in cases}
    doc = plan_from_json(plan_to_json(plan, visits=build.visits, teams=teams, cases={
        n: case_details(by_no[n]) for v in build.visits for n in v.case_nos}))
    with session_scope(engine) as s:
        plan_id = save_plan(s, doc, name="本周带信下访", who="coord1")
        set_plan_status(s, plan_id, PlanStatus.ISSUED, who="coord1")  # officers go by issued plans only
        for username, (role, team_ids, name) in ACCOUNTS.items():
            create_user(s, username, PASSWORD, role=role, team_ids=team_ids, display_name=name)
    route = doc.plan.route_for("T1", today)
    assert route is not None and route.stops, "the solver gave 第一检查组 no route today"
    stops = [doc.visits[s.visit_id] for s in route.stops]
    engine.dispose()
    return {"plan_id": plan_id, "today": today, "team": doc.teams["T1"], "stops": stops,
            "db": data_dir / "xiafang.db"}


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A Streamlit server on the office's database; yields the facts of 第一检查组's day and the base URL."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    data_dir = tmp_path_factory.mktemp("xiafang-field")
    facts = _build_office(data_dir, today_for_a_walk())
    with start_app(app_env(data_dir, XIAFANG_DEMO="0")) as base:
        yield {**facts, "base": base}


class Taps:
    """Counts the taps a person makes (typing into a field is not a tap)."""

    def __init__(self, page) -> None:
        self.page = page
        self.count = 0

    def tap(self, locator) -> None:
        locator.tap()
        self.count += 1


@pytest.fixture()
def phone(browser):
    """``new() -> page`` in a fresh phone context (touch, 390×844); contexts are closed after the test."""
    contexts = []

    def new():
        ctx = browser.new_context(**PHONE_CONTEXT)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        return page

    yield new
    for ctx in contexts:
        ctx.close()


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"field-{name}.png"))


def _sign_in(page, base: str, username: str, taps: Taps | None = None) -> None:
    """Sign in with a tap on 登录 (counted by ``taps``); the page opens the app first unless it shows the form."""
    sign_in(page, None if "登录" in page.inner_text("body") else base, username, PASSWORD,
            press=taps.tap if taps else (lambda button: button.tap()))


def _sign_out(page) -> None:
    _open_sidebar(page)
    page.get_by_role("button", name="退出登录").tap()
    page.wait_for_selector("input[autocomplete=username]")


def _open_sidebar(page) -> None:
    page.locator('[data-testid="stExpandSidebarButton"]').tap()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right > 200")


def _go(page, title: str) -> None:
    """Open the sidebar and tap a page in it, as an officer does (a new URL would start a new session)."""
    _open_sidebar(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).tap()
    page.wait_for_function("(t) => document.querySelector('h1') && document.querySelector('h1').innerText.includes(t)",
                           arg=title)
    wait_for_app(page)


def _sidebar_closed(page) -> bool:
    return page.evaluate("() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right <= 1")


def _widest(page) -> dict:
    """Page and main-section scroll widths, and visible elements reaching past the right edge of the screen."""
    return page.evaluate("""() => {
        const vw = window.innerWidth;
        const main = document.querySelector('[data-testid="stMain"]');
        const over = [];
        for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            if (r.right > vw + 0.5 || r.left < -0.5) {
                let clipped = false;
                for (let a = el.parentElement; a && a !== main; a = a.parentElement) {
                    const s = getComputedStyle(a);
                    if (s.overflowX !== 'visible' && a.getBoundingClientRect().right <= vw + 0.5) {
                        clipped = true;
                        break;
                    }
                }
                if (!clipped) over.push((el.getAttribute('data-testid') || el.tagName) + ' ' + Math.round(r.right));
            }
        }
        return {page: document.documentElement.scrollWidth, main: main.scrollWidth, over: over.slice(0, 10)};
    }""")


def _text_style(page) -> dict:
    """Smallest font size and lowest contrast ratio of the text a person reads in the main section."""
    return page.evaluate("""() => {
        function rgb(c) { const m = c.match(/[\\d.]+/g).map(Number); return m.length > 3 ? m : [...m, 1]; }
        function lum(c) {
            const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
        }
        function background(el) {
            for (let a = el; a; a = a.parentElement) {
                const c = rgb(getComputedStyle(a).backgroundColor);
                if (c[3] > 0.5) return c;
            }
            return [255, 255, 255, 1];
        }
        let minSize = 99, minContrast = 99, smallest = '', faintest = '';
        const sel = 'p, li, label, summary, button, a, input, textarea, h1, h2, h3, span';
        // :is() scopes every tag to the main section (a bare list scoped only its first tag, p).
        for (const el of document.querySelectorAll('[data-testid="stMain"] :is(' + sel + ')')) {
            const r = el.getBoundingClientRect();
            if (!r.width || !r.height) continue;
            // Text a person reads: icon ligatures (Material Symbols) are not text.
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            let readable = (el.value || '').trim() !== '';
            for (let n = walker.nextNode(); n && !readable; n = walker.nextNode()) {
                readable = n.textContent.trim() !== ''
                    && !getComputedStyle(n.parentElement).fontFamily.includes('Material');
            }
            if (!readable) continue;
            const s = getComputedStyle(el);
            if (s.visibility === 'hidden' || s.fontFamily.includes('Material')) continue;  // icons, not text
            const size = parseFloat(s.fontSize);
            if (size < minSize) { minSize = size; smallest = (el.innerText || el.value).slice(0, 30); }
            const fg = rgb(s.color), bg = background(el);
            const l1 = lum(fg), l2 = lum(bg);
            const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
            if (ratio < minContrast) { minContrast = ratio; faintest = (el.innerText || el.value).slice(0, 30); }
        }
        return {minSize, minContrast, smallest, faintest};
    }""")


def _lon_lat_amap(url: str) -> tuple[float, float]:
    lon, lat = parse_qs(urlparse(url).query)["to"][0].split(",")[:2]
    return float(lon), float(lat)


def _lon_lat_baidu(url: str) -> tuple[float, float]:
    dest = parse_qs(urlparse(url).query)["destination"][0].split("|")[0].removeprefix("latlng:")
    lat, lon = dest.split(",")
    return float(lon), float(lat)


def test_officer_lands_on_todays_route_with_map_links_and_a_phone_layout(office, phone) -> None:
    page = phone()
    base = office["base"]
    # The administrator leaves 用户管理 open and signs out; the officer signs in on the same phone.
    _sign_in(page, base, "admin1")
    _go(page, "用户管理")
    assert "用户管理" in page.inner_text("h1")
    _sign_out(page)
    taps = Taps(page)
    _sign_in(page, base, "officer1", taps)
    assert taps.count == 1  # the 登录 button; the day is there without another tap
    assert urlparse(page.url).path.rstrip("/").endswith("/itinerary"), page.url
    body = page.inner_text("body")
    assert "manage_users" not in body and "无权" not in body
    team = office["team"]
    assert f"{team.name} {office['today'].isoformat()} 行程单" in body
    assert "今天 " + office["today"].isoformat() in body
    _shot(page, "1-landing")

    # The map on the page: the route, one numbered marker per point (stops at one point share one, numbered 1·3),
    # every stop's number shown once, the base.
    frame = map_frame(page)
    frame.wait_for_selector(".xf-stop")
    stops = office["stops"]
    markers = [m.inner_text().strip() for m in frame.query_selector_all(".xf-stop")]
    assert len(markers) == len({(round(v.lon, 5), round(v.lat, 5)) for v in stops})
    assert sorted(int(n) for m in markers for n in m.split("·")) == list(range(1, len(stops) + 1))
    assert len(frame.query_selector_all(".xf-base")) == 1
    assert frame.query_selector_all("path.leaflet-interactive"), "no route line drawn"

    # One Amap (GCJ-02) and one Baidu (BD-09) link per stop, in route order.
    amap = [a.get_attribute("href") for a in page.query_selector_all('a[href^="https://uri.amap.com/navigation"]')]
    baidu = [a.get_attribute("href") for a in page.query_selector_all('a[href^="https://api.map.baidu.com/direction"]')]
    assert len(amap) == len(baidu) == len(stops)
    for url, v in zip(amap, stops, strict=True):
        assert _lon_lat_amap(url) == pytest.approx(datum.wgs84_to_gcj02(v.lon, v.lat), abs=2e-6)
    for url, v in zip(baidu, stops, strict=True):
        assert _lon_lat_baidu(url) == pytest.approx(datum.wgs84_to_bd09(v.lon, v.lat), abs=2e-6)

    # Nothing wider than the screen; 16-px text; contrast readable outdoors.
    wide = _widest(page)
    assert wide["page"] <= 390 and wide["main"] <= 390 and not wide["over"], wide
    style = _text_style(page)
    assert style["minSize"] >= 16, style
    assert style["minContrast"] >= 4.5, style
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 390, "height": min(height + 40, 8000)})
    page.wait_for_timeout(500)
    _shot(page, "2-day-full")
    page.set_viewport_size({"width": 390, "height": 844})

    # Navigating from the sidebar closes it.
    _go(page, "统计")
    page.wait_for_timeout(600)
    assert _sidebar_closed(page)
    _shot(page, "3-after-navigation")


def _fresh_form(page):
    """The next stop's first form for a case with no saved record yet (its box is ``xfdraft_{id}_v0``)."""
    return page.locator(".st-key-it_next [class*='st-key-xfdraft_'][class*='_v0']").first


def _draft_id(box) -> str:
    return re.search(r"st-key-xfdraft_([A-Za-z0-9]+)", box.get_attribute("class")).group(1)


def _box(page, draft: str):
    return page.locator(f"[class*='st-key-xfdraft_{draft}_v']").first


def _drafts(page) -> str:
    return page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('xiafang.draft.'))"
                         ".map(k => localStorage.getItem(k)).join(' ')")


class _Link:
    """The phone's link to the server, which the test can cut: the app's websocket and its health checks."""

    def __init__(self, page) -> None:
        self.page = page
        self.cut = False
        self.sockets: list = []
        page.route_web_socket(re.compile(r".*/_stcore/stream"), self._ws)
        page.route("**/_stcore/health", lambda r: r.abort() if self.cut else r.continue_())
        page.route("**/_stcore/host-config", lambda r: r.abort() if self.cut else r.continue_())

    def _ws(self, ws) -> None:
        if self.cut:
            ws.close()
            return
        ws.connect_to_server()
        self.sockets.append(ws)

    def drop(self) -> None:
        self.cut = True
        for ws in self.sockets:
            ws.close()
        self.page.wait_for_function(
            "() => document.querySelector('[data-testid=stApp]')"
            ".getAttribute('data-test-connection-state') !== 'CONNECTED'", timeout=30_000)

    def back_after_reload(self, base: str) -> None:
        """Network back; the page was reloaded meanwhile (a new session: the browser's cookie keeps the sign-in)."""
        self.cut = False
        self.page.reload(wait_until="domcontentloaded")
        wait_for_app(self.page)
        assert self.page.locator("input[autocomplete=username]").count() == 0, "a reload must not sign the officer out"


def _note_shown(page, draft: str) -> None:
    """Wait until the restored-draft note of a form is drawn and readable: read at once, it was sometimes empty
    while Streamlit was still re-rendering the form it sits on (local CI, quiet machine)."""
    page.wait_for_function(
        "(d) => [...document.querySelectorAll(`[class*='st-key-xfdraft_${d}_v'] .xf-draft-note`)]"
        ".some(n => n.innerText.includes('已恢复未保存的草稿（'))", arg=draft, timeout=15_000)


def test_a_dropped_connection_keeps_the_typed_outcome_and_says_it_is_not_saved(office, phone) -> None:
    # Order-independent: it takes whichever case of the next stop has no record yet, then corrects that record.
    page = phone()
    link = _Link(page)
    _sign_in(page, office["base"], "officer1")

    # 1. A stop with no saved record yet.
    form = _fresh_form(page)
    draft = _draft_id(form)
    typed = "信访人不在家，邻居称外出务工，约定下周再访"
    form.get_by_text("已走访", exact=True).first.tap()  # no result is picked until the officer picks (walk W13)
    form.locator("textarea").fill(typed)
    form.locator("[class*='_leads'] input").fill("1")
    link.drop()  # the network goes while the outcome is typed: nothing reaches the server any more
    banner = page.locator("#xf-banner")
    banner.wait_for(state="visible")
    assert "尚未保存" in banner.inner_text()
    assert form.locator("textarea").input_value() == typed
    assert typed in _drafts(page)
    _shot(page, "7-offline-not-saved")
    link.back_after_reload(office["base"])
    box = _box(page, draft)
    page.wait_for_function(
        "([d, t]) => [...document.querySelectorAll(`[class*='st-key-xfdraft_${d}_v0'] textarea`)]"
        ".some(x => x.value === t)", arg=[draft, typed])
    assert "已恢复" in page.locator("#xf-banner").inner_text()
    _note_shown(page, draft)
    _shot(page, "8-restored")
    box.get_by_role("button", name="保存").tap()
    page.wait_for_selector(f"[class*='st-key-xfsaved_{draft}_']", timeout=30_000)
    page.wait_for_function("() => !Object.keys(localStorage).some(k => k.startsWith('xiafang.draft.'))")
    wait_for_app(page)

    # 2. The same visit now has a saved record (version 1): a correction typed over it is a draft too.
    saved = page.locator(f"[class*='st-key-xfdraft_{draft}_v1']")
    saved.wait_for(state="attached")
    page.locator("[data-testid='stExpander']", has=saved).locator("summary").tap()
    corrected = typed + "；已电话联系，本人同意下周三在村委会面谈"
    saved.locator("textarea").fill(corrected)
    assert corrected in _drafts(page)
    link.drop()
    page.locator("#xf-banner").wait_for(state="visible")
    link.back_after_reload(office["base"])
    # The form shows the saved record (folded away); the newer draft refills it, opened, with a note.
    page.wait_for_function(
        "([d, t]) => [...document.querySelectorAll(`[class*='st-key-xfdraft_${d}_v1'] textarea`)]"
        ".some(x => x.value === t)", arg=[draft, corrected])
    box = _box(page, draft)
    note = box.locator(".xf-draft-note")
    _note_shown(page, draft)
    assert box.locator("textarea").is_visible()
    assert "已恢复" in page.locator("#xf-banner").inner_text()
    _shot(page, "8b-restored-over-saved")
    # 放弃草稿: the form goes back to the saved record and the phone forgets the draft.
    note.get_by_role("button", name="放弃草稿").tap()
    assert box.locator("textarea").input_value() == typed
    assert note.count() == 0
    assert _drafts(page) == ""


def test_a_reload_keeps_the_sign_in_until_signing_out(office, phone) -> None:
    page = phone()
    _sign_in(page, office["base"], "officer1")
    assert urlparse(page.url).path.rstrip("/").endswith("/itinerary"), page.url
    page.reload(wait_until="domcontentloaded")  # a phone that dropped the tab reloads it
    wait_for_app(page)
    assert page.locator("input[autocomplete=username]").count() == 0
    assert "行程单" in page.inner_text("body")
    other = page.context.new_page()  # a second tab of the same browser
    other.goto(office["base"] + "/itinerary", wait_until="domcontentloaded")
    wait_for_app(other)
    assert other.locator("input[autocomplete=username]").count() == 0
    _sign_out(page)
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector("input[autocomplete=username]")
    # Signing out in one tab ends the other tab's sign-in at its next action.
    other.reload(wait_until="domcontentloaded")
    other.wait_for_selector("input[autocomplete=username]")
    assert not any(c["name"] == "xf_session" and c["value"] for c in page.context.cookies())
    other.close()


def test_the_password_form_opens_from_the_sidebar_on_the_phone(office, phone) -> None:
    """Walk I: 修改密码 was a popover whose panel did not open from the phone's sidebar drawer."""
    page = phone()
    _sign_in(page, office["base"], "officer1")
    _open_sidebar(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("修改密码").first.tap()
    field = sidebar.locator("input[autocomplete=current-password]")
    field.wait_for(state="visible", timeout=10_000)
    box = field.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    size = field.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 16, size  # a smaller field makes a phone zoom into the page when it is focused
    assert sidebar.get_by_role("button", name="修改密码").is_visible()


def test_signing_out_forgets_the_drafts_on_the_phone(office, phone) -> None:
    page = phone()
    _sign_in(page, office["base"], "officer1")
    form = _fresh_form(page)
    draft = _draft_id(form)
    typed = "草稿：入户走访中，尚未填完"
    form.locator("textarea").fill(typed)
    assert typed in _drafts(page)
    _sign_out(page)  # a shared phone: the next user must not get this draft
    assert _drafts(page) == ""
    _sign_in(page, office["base"], "officer1")
    box = _box(page, draft)
    box.wait_for(state="attached")
    page.wait_for_timeout(1000)  # time for the phone script to (not) refill it
    assert box.locator("textarea").input_value() == ""
    assert box.locator(".xf-draft-note").count() == 0


def test_outcome_recorded_at_a_stop_reaches_followup_and_statistics(office, phone) -> None:
    import sqlite3

    page = phone()
    _sign_in(page, office["base"], "officer1")
    form = _fresh_form(page)  # order-independent: a case of the next stop with no record yet
    draft = _draft_id(form)
    taps = Taps(page)
    taps.tap(form.get_by_text("已走访", exact=True).first)  # no result is picked until the officer picks (walk W13)
    form.locator("[class*='_households'] input").fill("14")
    form.locator("[class*='_leads'] input").fill("2")
    form.locator("textarea").fill("入户走访 14 户，核实保证金已部分退还")
    taps.tap(form.get_by_role("button", name="保存"))
    page.wait_for_selector(f"[class*='st-key-xfsaved_{draft}_']", timeout=30_000)
    wait_for_app(page)
    assert taps.count <= 4
    said = page.locator(f"[class*='st-key-xfsaved_{draft}_']").inner_text()
    case_no = re.search(r"已保存信访件 (\S+) 的走访结果", said).group(1)
    _shot(page, "4-saved")

    with sqlite3.connect(office["db"]) as db:
        stored = db.execute(
            "SELECT o.visit_date, o.team_id, o.plan_id, o.households_visited, o.leads_collected FROM visit_outcomes o "
            "JOIN cases c ON c.id = o.case_id WHERE c.case_no = ?", (case_no,)).fetchall()
        households = db.execute("SELECT COALESCE(SUM(households_visited), 0) FROM visit_outcomes").fetchone()[0]
    assert stored == [(office["today"].isoformat(), "T1", office["plan_id"], 14, 2)]

    # The coordinator, on another phone, sees it at once.
    coord = phone()
    _sign_in(coord, office["base"], "coord1")
    assert coord.inner_text("h1") == "首页"  # a coordinator's own start page
    _go(coord, "统计")
    metric = coord.locator('[data-testid="stMetric"]', has_text="入户走访")
    assert metric.locator('[data-testid="stMetricValue"]').inner_text().replace(",", "") == str(households)
    _shot(coord, "5-coordinator-statistics")
    _go(coord, "回访跟踪")
    coord.get_by_label("查找信访件").fill(case_no)
    coord.keyboard.press("Enter")
    wait_for_app(coord)
    text = coord.inner_text("body")
    # The case moved on, and the officer's record is the one the form loads to be read or corrected.
    assert "共 1 件符合" in text and "状态：已下访" in text and "保存更正" in text
    assert coord.get_by_label("入户走访（户次）").input_value() == "14"
    assert coord.get_by_label("收集线索（条）").input_value() == "2"
    _shot(coord, "6-coordinator-followup")


def test_a_put_off_visit_hides_what_did_not_happen_and_takes_the_day_agreed(office, phone) -> None:
    """Walk 1: on 改期 the form still offered 问题已当场化解 (dropped on save) and had no field for the new day (the
    officer wrote 约定12月9日 in the text). Choosing 改期 hides the counts and 问题已当场化解 and shows 改到哪天; the
    day is saved with the 改期, and what was typed in the hidden fields is not."""
    import sqlite3

    page = phone()
    _sign_in(page, office["base"], "officer1")
    form = _fresh_form(page)
    draft = _draft_id(form)
    later = form.locator("[class*='st-key-xflater_'] input")
    assert not later.is_visible()
    form.locator("[class*='_households'] input").fill("3")
    form.get_by_text("问题已当场化解").click()
    form.get_by_text("改期", exact=True).first.click()
    page.wait_for_timeout(300)
    for hidden in ("[class*='_households'] input", "[class*='_leads'] input", "[class*='_solved'] input",
                   "[class*='_resolved'] input"):
        assert not form.locator(hidden).is_visible(), hidden
    assert later.is_visible() and form.get_by_text("改到哪天（约定的新日期，可不填）").is_visible()
    agreed = office["today"] + dt.timedelta(days=2)
    later.fill(agreed.isoformat())
    form.locator("textarea").fill("村里办丧事，约定后天再来")
    _shot(page, "7-put-off-form")
    form.get_by_role("button", name="保存").click()
    page.wait_for_selector(f"[class*='st-key-xfsaved_{draft}_']", timeout=30_000)
    wait_for_app(page)
    said = page.locator(f"[class*='st-key-xfsaved_{draft}_']").inner_text()
    case_no = re.search(r"已保存信访件 (\S+) 的走访结果", said).group(1)
    assert f"约定 {agreed.isoformat()} 再访" in said, said
    with sqlite3.connect(office["db"]) as db:
        stored = db.execute(
            "SELECT o.result, o.put_off_to, o.households_visited, o.problem_resolved FROM visit_outcomes o "
            "JOIN cases c ON c.id = o.case_id WHERE c.case_no = ?", (case_no,)).fetchall()
    assert stored == [("postponed", agreed.isoformat(), 0, 0)]
    assert f"已改期，约定 {agreed:%m-%d}" in page.inner_text("[data-testid='stMain']")


def test_the_days_offline_packet_opens_with_no_network(office, phone, tmp_path) -> None:
    page = phone()
    _sign_in(page, office["base"], "officer1")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("离线行程")).tap()
    path = tmp_path / "day.html"
    info.value.save_as(path)
    offline = page.context.browser.new_context(**PHONE_CONTEXT)
    try:
        offline.set_offline(True)
        requests: list[str] = []
        packet = offline.new_page()
        packet.on("request", lambda r: requests.append(r.url))
        packet.goto(path.as_uri())
        packet.wait_for_selector("body[data-ready='1']")
        numbers = [m.inner_text().strip() for m in packet.query_selector_all(".xf-stop")]  # 1·3: one point, two stops
        assert sorted(int(n) for m in numbers for n in m.split("·")) == list(range(1, len(office["stops"]) + 1))
        assert [r for r in requests if not r.startswith(("file:", "data:"))] == []
        # The packet's stop list keeps a navigation link per stop (the phone's map app opens it when back online).
        assert len(packet.query_selector_all('a[href^="https://uri.amap.com/navigation"]')) == len(office["stops"])
        _shot(packet, "9-offline-packet")
    finally:
        offline.close()
