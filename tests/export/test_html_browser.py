"""The offline HTML map in headless Chromium with the network cut: route and markers draw, nothing is fetched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planner.field import render

CHROMIUM = "/usr/bin/chromium"

# Attributes and CSS that make a browser fetch something.
_RESOURCE = re.compile(
    r"""(?:<(?:script|img|link|iframe|source|video|audio|embed)\b[^>]*\b(?:src|href)\s*=\s*["']?https?:)"""
    r"""|(?:url\(\s*["']?https?:)|(?:@import\s+(?:url\()?["']?https?:)""",
    re.IGNORECASE,
)


def test_file_has_no_external_resource(day):
    page = render("html", day).decode("utf-8")
    assert not _RESOURCE.findall(page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "L.polyline" in page or "polyline" in page


@pytest.mark.browser
def test_map_draws_offline_in_chromium(tmp_path, day, chromium_browser):
    path = tmp_path / "day.html"
    path.write_bytes(render("html", day))
    attempted: list[str] = []
    errors: list[str] = []
    page = chromium_browser.new_page(viewport={"width": 420, "height": 900})
    try:

        def guard(route):
            url = route.request.url
            if url.startswith("file:"):
                route.continue_()
            else:
                attempted.append(url)
                route.abort()

        page.route("**/*", guard)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=10_000)
        assert page.locator("path.xf-route").count() == 1
        d = page.locator("path.xf-route").get_attribute("d")
        assert d and d.count("L") >= len(day.stops) + 1  # base, every stop, back to base
        assert page.locator(".xf-base").count() == 1
        numbers = page.locator(".xf-stop").all_inner_texts()  # stops at one point share a marker numbered 1·3
        assert sorted(int(n) for m in numbers for n in m.split("·")) == list(range(1, len(day.stops) + 1))
        page.locator(".xf-stop").first.click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5_000)
        assert "到达" in popup.inner_text()
    finally:
        page.close()
    assert attempted == []
    assert errors == []


@pytest.mark.browser
def test_hostile_text_does_not_run_in_the_browser(tmp_path, hostile_day, chromium_browser):
    path = tmp_path / "hostile.html"
    path.write_bytes(render("html", hostile_day))
    dialogs: list[str] = []
    page = chromium_browser.new_page()
    try:
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=10_000)
        page.locator(".xf-stop").first.click()
        page.locator(".leaflet-popup-content").wait_for(timeout=5_000)
        assert '<script>alert("x")</script>' in page.locator(".leaflet-popup-content").inner_text()
        assert page.locator("ol.stops b:text('不公')").count() == 0
    finally:
        page.close()
    assert dialogs == []


def test_vendored_leaflet_is_folium_offlines(monkeypatch):
    from offlinefolium.elements import _res

    from planner.field import html_map

    html_map._leaflet.cache_clear()
    try:
        js, css = html_map._leaflet()
        assert js == _res[html_map._LEAFLET_JS] and css == _res[html_map._LEAFLET_CSS]
        monkeypatch.setattr(html_map, "VENDOR_DIR", Path("/nonexistent"))
        html_map._leaflet.cache_clear()
        assert html_map._leaflet() == (js, css)
    finally:
        html_map._leaflet.cache_clear()
