"""行程 map on a phone (walk 2, D7, 390×844): the 午休 label sat on stop 2's marker and hid its number — two stops of
a short leg are close on a small map, and the label was centred on the leg's middle, above the stops."""

from __future__ import annotations

import datetime as dt

from browser_helpers import SCREENSHOTS

from planner.domain import Route, Stop, Team, Visit
from planner.field import map_layers, maps

#: The map's box on the officer's phone (the 390 px page less its margins).
PHONE_MAP = {"width": 366, "height": 340}


def _walk_route() -> tuple[Route, dict[str, Visit], dict[str, Team]]:
    """漳浦 base, two stops some 8 km apart, lunch between them (as jc2's day on the walk)."""
    team = Team("T2", "第二检查组", 117.614, 24.117, base_name="漳浦县纪委监委")
    visits = {"V1": Visit("V1", 117.46, 24.49, 60, label="芗城区某村", case_nos=("A1",)),
              "V2": Visit("V2", 117.38, 24.53, 60, label="靖城镇古湖村", case_nos=("A2",))}
    route = Route("T2", dt.date(2026, 12, 8), 510, 1000,
                  (Stop("V1", 600, 600, 660, 50000, 3600), Stop("V2", 730, 730, 790, 22000, 1500)),
                  120000, 7000, break_start_min=671, break_end_min=701)
    return route, visits, {"T2": team}


def test_the_lunch_label_leaves_every_stop_number_readable(browser, page_factory) -> None:
    route, visits, teams = _walk_route()
    page, rec = page_factory(PHONE_MAP)
    fit = (330, 300)  # as 行程 fits its map (pages/itinerary.py)
    page.set_content(maps.to_html(map_layers.route_map([route], visits, teams, fit_px=fit)), wait_until="load")
    page.wait_for_selector(".xf-break", timeout=20_000)
    stops = page.locator(".xf-stop")
    assert stops.count() == 2
    for k in range(2):
        box = stops.nth(k).bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        # The number's middle and around it, where it is inside the map.
        points = [(cx + dx, cy + dy) for dx in (-5, 0, 5) for dy in (-5, 0, 5)
                  if 0 <= cx + dx < PHONE_MAP["width"] and 0 <= cy + dy < PHONE_MAP["height"]]
        assert points
        for x, y in points:
            on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).className", [x, y])
            assert "xf-stop" in on_top, (k + 1, x, y, on_top)
    label = page.locator(".xf-break").bounding_box()
    assert label and label["width"] > 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "m-phone-map-break-label.png"))
    assert not rec.external(), rec.external()[:5]
