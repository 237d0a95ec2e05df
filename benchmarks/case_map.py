"""Benchmark of the case map with many letters: time until it is interactive in headless Chromium (target 3 s).

Usage::

    python benchmarks/case_map.py                  # 10,000 letters: standalone map and the 案件地图 page
    python benchmarks/case_map.py --letters 2000 --no-app

Two measurements:

1. **Standalone map** (``map_layers.case_map`` -> ``maps.to_html``): Python build time, then in Chromium the time
   from navigation until the clustered markers are drawn, and the time a zoom-in takes to re-cluster.
2. **The app page** (``streamlit run app.py`` on a temp SQLite database holding the letters): time from
   opening ``/case_map`` until the map inside the page shows the county polygons and case clusters, then
   the time a zoom-in takes there. This includes loading the cases from the database.

"Interactive" = the map has drawn its counties and case clusters and answers a zoom (re-clusters) — what a
user needs to start working. Prints figures; asserts nothing. Chromium: Debian's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import geodata  # noqa: E402
from planner.domain import CaseStatus, Location, PetitionCase  # noqa: E402

BENCH_PASSWORD = "Zhangzhou-map-2026!x"
CHROMIUM = os.environ.get("XIAFANG_CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("林业", "扶贫资金", "征地拆迁", "低保", "村务财务", "工程建设", "环境", "干部作风")
TEXTS = (
    "{t}{v}村干部在低保评定中优亲厚友，困难群众吃不上低保，请求核查。",
    "{t}林业站收取桉树砍伐保证金，砍伐后不予退还。",
    "{t}{v}征地补偿款被截留，至今未发放到户。",
    "{t}{v}村财务长期不公开，集体收入去向不明。",
    "{t}道路工程偷工减料，刚修好就开裂。",
)
ZOOM_JS = """(L) => new Promise(resolve => {
    const map = Object.values(window).find(v => v instanceof L.Map) || window.map;
    const t0 = performance.now();
    map.once('zoomend', () => requestAnimationFrame(() => requestAnimationFrame(
        () => resolve(performance.now() - t0))));
    map.setZoom(map.getZoom() + 2, {animate: false});
})"""


def synthetic_cases(n: int, seed: int = 7) -> list[PetitionCase]:
    """``n`` letters spread over the real towns of Zhangzhou (jittered around the town seats)."""
    rng = random.Random(seed)
    towns = geodata.towns()
    villages = geodata.villages()
    out = []
    for i in range(n):
        t = rng.choice(towns)
        v = rng.choice(villages).name
        received = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(330))
        out.append(
            PetitionCase(
                case_no=f"BM-{i:05d}",
                received_date=received,
                content=rng.choice(TEXTS).format(t=t.name, v=v),
                category=rng.choice(CATEGORIES),
                status=rng.choice((CaseStatus.REGISTERED,) * 6 + tuple(CaseStatus)),
                location=Location(
                    lon=t.lon + rng.uniform(-0.03, 0.03), lat=t.lat + rng.uniform(-0.03, 0.03),
                    county=t.county, county_code=t.county_code, town=t.name, town_code=t.code, village=v,
                    precision="village",
                ),
            )
        )
    return out


def _browser(p):
    return p.chromium.launch(executable_path=CHROMIUM, headless=True,
                             args=["--disable-background-networking", "--no-sandbox", "--disable-dev-shm-usage"])


def standalone(cases: list[PetitionCase]) -> None:
    """Build the map in Python, open its standalone HTML in Chromium, time drawing and a zoom."""
    from playwright.sync_api import sync_playwright

    from planner.field import map_layers, maps

    t0 = time.perf_counter()
    cm = map_layers.case_map(cases, today=dt.date(2026, 12, 7))
    html_page = maps.to_html(cm.map)
    build_s = time.perf_counter() - t0
    path = Path(tempfile.mkdtemp()) / "case_map.html"
    path.write_text(html_page, encoding="utf-8")
    with sync_playwright() as p:
        b = _browser(p)
        page = b.new_page(viewport={"width": 1366, "height": 900})
        t1 = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function(
            "() => document.querySelectorAll('.leaflet-counties-pane path').length === 11"
            " && document.querySelectorAll('.marker-cluster').length > 0", timeout=60_000)
        ready_s = time.perf_counter() - t1
        zoom_ms = page.evaluate(ZOOM_JS.replace("(L) =>", "() =>").replace("L.Map", "window.L.Map"))
        b.close()
    print(f"standalone: {len(cases):,} letters ({cm.shown:,} on the map), HTML {len(html_page) / 1e6:.1f} MB")
    print(f"  python build + HTML  {build_s:6.2f} s")
    print(f"  browser: drawn       {ready_s:6.2f} s  (navigation -> 11 counties + clusters)")
    print(f"  browser: zoom +2     {zoom_ms / 1000:6.2f} s  (re-cluster)")
    print(f"  interactive after    {ready_s + zoom_ms / 1000:6.2f} s  (target <= 3 s)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def in_app(cases: list[PetitionCase]) -> None:
    """Put the letters in a temp database, serve the app, time the 案件地图 page."""
    from playwright.sync_api import sync_playwright

    from planner.office.security import create_user
    from planner.store.database import make_engine, session_scope, upgrade
    from planner.store.models import CaseRow

    data = Path(tempfile.mkdtemp())
    eng = make_engine(f"sqlite:///{data / 'xiafang.db'}")
    upgrade(eng)
    with session_scope(eng) as s:
        s.add_all(
            CaseRow(case_no=c.case_no, received_date=c.received_date, deadline=c.deadline, category=c.category,
                    content=c.content, county=c.location.county, county_code=c.location.county_code,
                    town=c.location.town, town_code=c.location.town_code, village=c.location.village,
                    lon=c.location.lon, lat=c.location.lat, precision="village", status=c.status.value)
            for c in cases
        )
        # A database that is not the demo register needs a real sign-in.
        create_user(s, "mapuser", BENCH_PASSWORD, role="coordinator")
    eng.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"XIAFANG_DATA_DIR": str(data)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=1).read().strip() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            b = _browser(p)
            page = b.new_page(viewport={"width": 1366, "height": 900})
            page.goto(base + "/")
            page.get_by_label("用户名").fill("mapuser")
            page.get_by_label("密码").fill(BENCH_PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=120_000)
            for attempt in ("first opening (server caches cold)", "second opening"):
                page.locator('[data-testid="stSidebarNav"] a', has_text="首页").click()
                page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
                page.wait_for_timeout(500)
                # Timed from the click on 案件地图 in the sidebar, as a signed-in user opens the map.
                t0 = time.perf_counter()
                page.locator('[data-testid="stSidebarNav"] a', has_text="案件地图").click()
                page.wait_for_selector('iframe[title*="streamlit_folium"]', state="attached", timeout=120_000)
                frame = page.query_selector('iframe[title*="streamlit_folium"]').content_frame()
                try:
                    frame.wait_for_function(
                        "() => document.querySelectorAll('.leaflet-counties-pane path').length === 11"
                        " && document.querySelectorAll('.marker-cluster').length > 0", timeout=60_000)
                except Exception:
                    page.screenshot(path=str(data / "failed.png"))
                    print(f"map not drawn; screenshot in {data / 'failed.png'}")
                    raise
                ready_s = time.perf_counter() - t0
                zoom_ms = frame.evaluate(ZOOM_JS.replace("(L) =>", "() =>").replace("L.Map", "window.L.Map"))
                print(f"app 案件地图, {attempt}: drawn {ready_s:.2f} s, zoom +2 {zoom_ms / 1000:.2f} s, "
                      f"interactive after {ready_s + zoom_ms / 1000:.2f} s (from the click in the sidebar)")
            b.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    """Run the benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--letters", type=int, default=10_000)
    ap.add_argument("--no-app", action="store_true", help="skip the measurement through the Streamlit app")
    args = ap.parse_args()
    cases = synthetic_cases(args.letters)
    standalone(cases)
    if not args.no_app:
        in_app(cases)


if __name__ == "__main__":
    main()
