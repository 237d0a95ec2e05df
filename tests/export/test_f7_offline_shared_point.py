"""Walk 2 (F7): on the offline HTML map two stops at one (estimated) point are one marker numbered 1·3, its popup
lists both stops (as text); before, the later marker hid the earlier number."""

from __future__ import annotations

import dataclasses

import pytest

from planner.field import render


@pytest.mark.browser
def test_f7_stops_sharing_a_point_show_every_number(tmp_path, day, chromium_browser):
    first = day.stops[0]
    stops = tuple(dataclasses.replace(s, visit=dataclasses.replace(s.visit, lon=first.lon, lat=first.lat))
                  if s.seq == 3 else s for s in day.stops)
    shared = dataclasses.replace(day, stops=stops)
    path = tmp_path / "shared.html"
    path.write_bytes(render("html", shared))
    errors: list[str] = []
    page = chromium_browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=10_000)
        numbers = page.locator(".xf-stop").all_inner_texts()
        assert "1·3" in numbers
        assert sorted(int(n) for t in numbers for n in t.split("·")) == list(range(1, len(day.stops) + 1))
        page.locator(".xf-stop", has_text="1·3").click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5_000)
        text = popup.inner_text()
        assert "第 1、3 站在同一地点" in text
        assert f"1. {first.place()}" in text and f"3. {stops[2].place()}" in text
    finally:
        page.close()
    assert errors == []
