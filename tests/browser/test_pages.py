"""Real browser (Debian chromium via Playwright) against ``streamlit run app.py`` on the demo data, offline:
every page loads without a Streamlit error and requests nothing beyond localhost; the case map draws the 11
county polygons and case markers and opens a case on click; the route map draws route lines.
Screenshots of each page (1366×900 and 390×844) go to ``artifacts/screenshots/``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_helpers import DESKTOP, PHONE, ROOT, SCREENSHOTS, map_frame, wait_for_app

from pages.common import PAGES, pages_for
from planner.office.security import DEMO_ACTOR

pytestmark = pytest.mark.browser

EXISTING = [(path, title) for _s, path, title, _i in PAGES if (ROOT / path).exists()]
#: What the browser session (signed in as the demo coordinator) may open; the rest must not show.
DEMO_PAGES = {path for _s, path, _t, _i in pages_for(DEMO_ACTOR)}


def _url(base: str, path: str) -> str:
    stem = Path(path).stem
    return base + ("/" if stem == "home" else "/" + stem)


def _no_streamlit_error(page) -> None:
    exceptions = page.query_selector_all('[data-testid="stException"]')
    assert not exceptions, exceptions[0].inner_text()[:500]


def _screenshots(page, stem: str, name: str, viewport: dict) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{stem}-{name}.png"))
    # Streamlit scrolls inside its main section, so a full-page shot needs a viewport as tall as that section.
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], section.main')]"
        ".map(e => e.scrollHeight), 0)"
    )
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(height + 40, 6000)})
        page.wait_for_timeout(400)
        page.screenshot(path=str(SCREENSHOTS / f"{stem}-{name}-full.png"))


@pytest.mark.parametrize(("path", "title"), EXISTING, ids=[Path(p).stem for p, _t in EXISTING])
def test_page_loads_offline_and_screenshot(app_server, page_factory, path, title) -> None:
    """Each page at 1366×900, then the same session resized to a 390×844 phone (no second script run)."""
    page, rec = page_factory(DESKTOP)
    page.goto(_url(app_server, path), wait_until="domcontentloaded")
    wait_for_app(page)
    has_map = page.query_selector('iframe[title*="streamlit_folium"]') is not None
    if has_map:
        map_frame(page)
        page.wait_for_timeout(400)
    _no_streamlit_error(page)
    if path not in DEMO_PAGES:  # a deep link to a page the role may not open lands elsewhere and says so
        body = page.inner_text("body")
        assert f"“{title}”页面不对" in body and body.count(title) == 1, body[:300]
        return
    assert title in page.inner_text("body")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = Path(path).stem
    _screenshots(page, stem, "desktop", DESKTOP)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(800 if has_map else 400)
    _no_streamlit_error(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"] + 1  # no sideways scroll
    _screenshots(page, stem, "phone", PHONE)
    assert rec.urls, "no request recorded"
    assert not rec.external(), f"requests left localhost: {rec.external()[:5]}"


def test_case_map_draws_counties_and_cases_and_opens_a_case(app_server, page_factory) -> None:
    page, rec = page_factory(DESKTOP)
    page.goto(app_server + "/case_map", wait_until="domcontentloaded")
    wait_for_app(page)
    frame = map_frame(page)
    frame.wait_for_selector(".leaflet-counties-pane path", timeout=20_000)
    assert frame.locator(".leaflet-counties-pane path").count() == 11
    frame.wait_for_function(
        "() => document.querySelectorAll('.marker-cluster, .leaflet-cases-pane path').length > 0", timeout=20_000
    )
    shown = frame.evaluate(
        """() => { let n = 0; window.map.eachLayer(l => { if (l.getLayers && l._needsClustering !== undefined)
                   n += l.getLayers().length; }); return n; }"""
    )
    assert shown > 100  # the demo register's letters with coordinates
    # Zoom to one case (no clustering at that zoom) and click its marker like a user: the page reads the
    # tooltip and opens that case.
    # On a loaded machine the first click can land before the map component listens for clicks (nothing
    # happens, as for a user), and a late rerun of the page can set the map back to its opening view after the zoom
    # (CI, stop 41: no unclustered marker within 20 s): zoom and click again, up to four times, before failing.
    heading = page.locator("h3", has_text="信访件 ")
    for attempt in range(4):
        try:
            frame = map_frame(page)
            frame.evaluate(
                """() => { let g; window.map.eachLayer(l => { if (l._needsClustering !== undefined) g = l; });
                           window.map.setView(g.getLayers()[0].getLatLng(), 16, {animate: false}); }"""
            )
            marker = frame.locator(".leaflet-cases-pane path").first
            marker.wait_for(state="visible", timeout=15_000)
            marker.click(force=True)
            heading.wait_for(timeout=15_000 if attempt < 3 else 30_000)
            break
        except Exception:
            if attempt == 3:
                raise
            wait_for_app(page)
    number = heading.inner_text().split("信访件", 1)[1].strip()
    assert number
    wait_for_app(page)
    assert page.locator(f"text={number}").count() >= 1
    _no_streamlit_error(page)
    assert not rec.external(), rec.external()[:5]


def test_route_map_draws_route_lines_offline(browser, page_factory) -> None:
    from planner.field import map_layers, maps
    from planner.routing.planio import plan_from_json

    doc = plan_from_json(json.loads((ROOT / "tests" / "data" / "plan_zhangzhou.json").read_text(encoding="utf-8")))
    html_page = maps.to_html(map_layers.route_map(doc.plan.routes, doc.visits, doc.teams))
    page, rec = page_factory(DESKTOP)
    page.set_content(html_page, wait_until="load")
    page.wait_for_selector(".leaflet-routes-pane path", timeout=20_000)
    assert page.locator(".leaflet-routes-pane path").count() == len(doc.plan.routes)
    # One marker per point of a route (stops at one point share one, numbered 1·3), every stop's number once.
    numbers = page.locator(".xf-stop").all_inner_texts()
    assert sorted(int(n) for m in numbers for n in m.split("·")) == sorted(
        k for r in doc.plan.routes for k in range(1, len(r.stops) + 1))
    assert page.locator(".leaflet-counties-pane path").count() == 11
    scale = page.locator(".leaflet-control-scale-line")
    assert scale.count() == 1 and scale.first.inner_text().strip().endswith(("km", "m"))  # no miles
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "route-map-standalone.png"))
    assert not rec.external(), rec.external()[:5]


def test_planning_draws_route_lines_in_the_app(app_server, page_factory, tmp_path) -> None:
    """Drive 路线规划 like a team leader: upload visits, plan for 1 s, see the routes on the map."""
    visits = json.loads((ROOT / "tests" / "data" / "plan_zhangzhou.json").read_text(encoding="utf-8"))["visits"]
    csv_path = tmp_path / "visits.csv"
    csv_path.write_text(
        "id,lon,lat,service_min,priority,label\n"
        + "".join(f"{v['id']},{v['lon']},{v['lat']},{v['service_min']},3,{v['label']}\n" for v in visits[:8]),
        encoding="utf-8",
    )
    page, rec = page_factory(DESKTOP)
    page.goto(app_server + "/planning", wait_until="domcontentloaded")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(csv_path))
    # exact: the help button beside it is labelled "求解时间（秒） 的说明"
    page.get_by_label("求解时间（秒）", exact=True).wait_for(timeout=60_000)
    page.get_by_label("求解时间（秒）", exact=True).fill("1")
    page.get_by_label("工作日数").fill("2")
    page.get_by_role("button", name="开始规划").click()
    frame = map_frame(page, timeout_ms=90_000)
    frame.wait_for_selector(".leaflet-routes-pane path", timeout=30_000)
    assert frame.locator(".leaflet-routes-pane path").count() >= 1
    assert frame.locator(".xf-stop").count() >= 1
    assert frame.locator(".leaflet-counties-pane path").count() == 11
    _no_streamlit_error(page)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "planning-routes-desktop.png"))
    assert not rec.external(), rec.external()[:5]
