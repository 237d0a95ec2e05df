"""Walk W26 (390 px phone): the offline HTML map's +/- buttons covered the start of a stop's popup, Leaflet panning a
popup only 5 px clear of the map's edge. A popup now opens right of the buttons and within the screen's width."""

from __future__ import annotations

import pytest

from planner.field import render


@pytest.mark.browser
def test_every_popup_opens_clear_of_the_zoom_buttons_on_a_phone(tmp_path, day, chromium_browser) -> None:
    path = tmp_path / "day.html"
    path.write_bytes(render("html", day))
    page = chromium_browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=10_000)
        count = page.locator(".xf-stop, .xf-base").count()
        assert count >= len(day.stops)
        for k in range(count):
            page.goto(path.as_uri())  # each popup from the map as it opens, not as the last one panned it
            page.wait_for_selector("body[data-ready='1']", state="attached", timeout=10_000)
            zoom = page.locator(".leaflet-control-zoom").bounding_box()
            page.locator(".xf-stop, .xf-base").nth(k).click(force=True)
            page.wait_for_timeout(700)  # the pan that brings the popup in view
            box = page.locator(".leaflet-popup-content-wrapper").bounding_box()
            assert box["x"] >= zoom["x"] + zoom["width"], (k, box, zoom)
            assert box["x"] + box["width"] <= 390, (k, box)
    finally:
        page.close()
