"""The offline HTML map (外出资料包) drew the county outlines with no names (walk W18): it names them now, as the
app's maps do — each name inside its county, where it fits and clears the others — and an outline names its county
when touched."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, shape

import geodata
from planner.field import render

_SHOWN = """() => Array.from(document.querySelectorAll('.xf-county-label')).map(e => {
  const r = e.getBoundingClientRect();
  return {t: e.textContent, x0: r.left, x1: r.right, y0: r.top, y1: r.bottom};
}).filter(b => b.x1 > b.x0)"""


def test_every_label_point_is_inside_its_county() -> None:
    from planner.field.county_labels import county_labels

    polygons = {f["properties"]["code"]: shape(f["geometry"]) for f in geodata.county_geojson()["features"]}
    labels = county_labels()
    assert {c.code for c in labels} == set(polygons)
    for c in labels:
        assert polygons[c.code].contains(Point(c.lon, c.lat)), c
        # Well inside, not on a border as the seats of 南靖县 and 平和县 were.
        assert polygons[c.code].boundary.distance(Point(c.lon, c.lat)) > 0.02, c


def test_the_file_carries_the_county_names(day) -> None:
    page = render("html", day).decode("utf-8")
    for c in geodata.counties():
        assert c.name in page
    assert "xf-county-label" in page


@pytest.mark.browser
def test_the_offline_map_names_the_counties_in_chromium(tmp_path, day, chromium_browser) -> None:
    path = tmp_path / "day.html"
    path.write_bytes(render("html", day))
    page = chromium_browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    attempted: list[str] = []
    try:
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                   else (attempted.append(r.request.url), r.abort()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=10_000)
        page.evaluate("() => new Promise(r => setTimeout(r, 300))")
        shown = page.evaluate(_SHOWN)
        names = {c.name for c in geodata.counties()}
        assert shown and all(b["t"] in names for b in shown), shown
        for i, a in enumerate(shown):
            for b in shown[i + 1:]:
                assert not (a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"])
        # The names lie above the outlines' fill (not greyed under it) and under the route and the stops.
        names_z, fill_z, route_z, stops_z = page.evaluate("""() => {
          const z = s => Array.from(document.querySelectorAll(s)).map(e => Number(getComputedStyle(
            e.closest('.leaflet-pane')).zIndex));
          return [Math.max(...z('.xf-county-label')), Math.max(...z('path:not(.xf-route)')),
                  Math.min(...z('path.xf-route')), Math.min(...z('.xf-stop, .xf-base'))];
        }""")
        assert fill_z < names_z < min(route_z, stops_z), (fill_z, names_z, route_z, stops_z)
        # The stops stay on top of the names: every stop marker is what a tap at its middle reaches.
        for k in range(page.locator(".xf-stop").count()):
            box = page.locator(".xf-stop").nth(k).bounding_box()
            if 0 < box["y"] + box["height"] / 2 < 844 * 0.6:
                cls = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('.xf-stop') !== null",
                                    [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
                assert cls, k
        page.screenshot(path=str(tmp_path / "offline.png"))
    finally:
        page.close()
    assert errors == [] and attempted == []
