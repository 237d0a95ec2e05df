"""案件地图 on the officer's phone (walk W18, 390 px): the county names were drawn at the county seats, and 芗城区
and 龙文区 (seats 6 km apart) ran together as 「芗龙文区」. Each name now stands inside its county, only where it
fits and clears a larger county's name; zooming in brings the small districts' names back."""

from __future__ import annotations

from browser_helpers import SCREENSHOTS

import geodata
from planner.field import maps

#: The case map's box on a 390 px phone (the page less its margins), as the walk saw it.
PHONE_MAP = {"width": 340, "height": 520}

_SHOWN = """() => Array.from(document.querySelectorAll('.xf-county-label')).map(e => {
  const r = e.getBoundingClientRect();
  return {t: e.textContent, x0: r.left, x1: r.right, y0: r.top, y1: r.bottom};
}).filter(b => b.x1 > b.x0)"""


def _overlaps(a: dict, b: dict) -> bool:
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]


def _assert_readable(shown: list[dict]) -> None:
    names = {c.name for c in geodata.counties()}
    assert shown and all(b["t"] in names for b in shown), shown
    assert len({b["t"] for b in shown}) == len(shown)
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            assert not _overlaps(a, b), (a, b)


def test_county_names_do_not_run_together_on_a_phone(browser, page_factory) -> None:
    counts = {c.code: n for n, c in enumerate(geodata.counties(), start=1)}
    page, rec = page_factory(PHONE_MAP)
    page.set_content(maps.to_html(maps.base_map(counts=counts)), wait_until="load")
    page.wait_for_selector(".xf-county-label", timeout=20_000)
    shown = page.evaluate(_SHOWN)
    _assert_readable(shown)
    assert len(shown) >= 7  # the larger counties are all named at the phone's zoom
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "f11-phone-county-labels.png"))
    for _ in range(2):
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(600)
    page.evaluate("() => new Promise(r => setTimeout(r, 300))")
    zoomed = page.evaluate(_SHOWN)
    _assert_readable(zoomed)
    assert {"芗城区", "龙文区"} <= {b["t"] for b in zoomed}, zoomed
    page.screenshot(path=str(SCREENSHOTS / "f11-phone-county-labels-zoomed.png"))
    assert not rec.external(), rec.external()[:5]


def test_a_county_name_never_covers_a_stop_or_the_lunch_label(browser, page_factory) -> None:
    """The walk's day ran through 华安县 with the 午休 label beside its name: the name showed through the label. Stops
    placed right on two counties' names: each stop's number and the 午休 label are what a tap reaches."""
    import datetime as dt

    from planner.domain import Route, Stop, Team, Visit
    from planner.field import map_layers
    from planner.field.county_labels import county_labels

    at = {c.name: c for c in county_labels()}
    team = Team("T1", "第一检查组", 117.65, 24.51, base_name="漳州市纪委监委")
    ha, nj = at["华安县"], at["南靖县"]
    # Lunch on the leg across 华安县's name (its label stands at the leg's middle), the last stop on 南靖县's name.
    visits = {"V1": Visit("V1", ha.lon - 0.08, ha.lat, 60, label="华安县某村", case_nos=("A1",)),
              "V2": Visit("V2", ha.lon + 0.08, ha.lat, 60, label="华安县另一村", case_nos=("A2",)),
              "V3": Visit("V3", nj.lon, nj.lat, 60, label="南靖县某村", case_nos=("A3",))}
    route = Route("T1", dt.date(2026, 12, 7), 510, 1000,
                  (Stop("V1", 600, 600, 660, 50000, 3600), Stop("V2", 730, 730, 790, 16000, 1500),
                   Stop("V3", 860, 860, 920, 40000, 3000)),
                  150000, 9000, break_start_min=675, break_end_min=705)
    page, rec = page_factory({"width": 366, "height": 340})
    page.set_content(maps.to_html(map_layers.route_map([route], visits, {"T1": team}, fit_px=(330, 300))),
                     wait_until="load")
    page.wait_for_selector(".xf-break", timeout=20_000)
    page.wait_for_selector(".xf-county-label", timeout=20_000)
    covered = page.evaluate("""() => {
      const names = Array.from(document.querySelectorAll('.xf-county-label')).map(e => e.getBoundingClientRect());
      const out = [];
      for (const el of document.querySelectorAll('.xf-stop, .xf-break, .xf-base')) {
        const r = el.getBoundingClientRect();
        for (const n of names) {
          const x0 = Math.max(r.left, n.left), x1 = Math.min(r.right, n.right);
          const y0 = Math.max(r.top, n.top), y1 = Math.min(r.bottom, n.bottom);
          if (x1 > x0 && y1 > y0) {
            const top = document.elementFromPoint((x0 + x1) / 2, (y0 + y1) / 2);
            out.push({marker: el.className, top: top ? top.className : ''});
          }
        }
      }
      return out;
    }""")
    assert "xf-stop" in {k for c in covered for k in c["marker"].split()}, covered  # the stops stand on names
    for c in covered:
        assert "xf-county-label" not in c["top"], c
    # Wherever they meet at any zoom: the names' layer lies under the stops', the 午休 label's and the base's.
    names_z, markers_z = page.evaluate("""() => {
      const z = s => Array.from(document.querySelectorAll(s)).map(e => Number(getComputedStyle(
        e.closest('.leaflet-pane')).zIndex));
      return [Math.max(...z('.xf-county-label')), Math.min(...z('.xf-stop, .xf-break, .xf-base'))];
    }""")
    assert names_z < markers_z, (names_z, markers_z)
    assert not rec.external(), rec.external()[:5]
