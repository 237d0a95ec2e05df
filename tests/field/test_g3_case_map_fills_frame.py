"""案件地图 opens fitted to the letters shown: they fill the frame, not half of it (Leaflet's default whole-number
zoom left Zhangzhou's letters on about half the 560 px map, the rest sea and neighbouring provinces)."""

from __future__ import annotations

import datetime as dt

from planner.domain import Location, PetitionCase
from planner.field.map_layers import case_map
from planner.field.maps import to_html
from planner.places.resolver import resolve

#: The 案件地图 frame on a 1366 px desktop (st_folium height=560, the main column's width).
FRAME = {"width": 906, "height": 560}
PADDING = 24  # case_map's fit_bounds padding on each side


def _case(no: str, address: str) -> PetitionCase:
    r = resolve(address)
    loc = Location(lon=r.lon, lat=r.lat, county=r.county, county_code=r.county_code, town=r.town,
                   town_code=r.town_code, village=r.village, village_code=r.village_code, precision=r.precision,
                   point_source=r.coord_source, precision_km=r.precision_km)
    return PetitionCase(case_no=no, received_date=dt.date(2026, 11, 2), content="反映问题", location=loc)


def _filled(chromium_browser, tmp_path, cases) -> float:
    """The share of the frame (its tighter side, less the padding) that the letters' extent spans once open."""
    m = case_map(cases, today=dt.date(2026, 12, 7), heat=False).map
    path = tmp_path / "case_map.html"
    path.write_text(to_html(m), encoding="utf-8")  # Leaflet inlined: opens offline
    page = chromium_browser.new_page(viewport=FRAME)
    try:
        page.goto(path.as_uri())
        page.wait_for_function(f"() => typeof {m.get_name()} !== 'undefined'")
        lats = [c.location.lat for c in cases]
        lons = [c.location.lon for c in cases]
        size = page.evaluate(
            f"""() => {{ const m = {m.get_name()};
                 const a = m.latLngToContainerPoint([{min(lats)}, {min(lons)}]);
                 const b = m.latLngToContainerPoint([{max(lats)}, {max(lons)}]);
                 const s = m.getSize();
                 return [Math.abs(b.x - a.x), Math.abs(b.y - a.y), s.x, s.y]; }}""")
    finally:
        page.close()
    dx, dy, width, height = size
    return max(dx / (width - 2 * PADDING), dy / (height - 2 * PADDING))


def test_letters_across_zhangzhou_fill_the_frame(chromium_browser, tmp_path):
    # North (华安) to south (东山), west (平和) to east (龙海): the city's whole height.
    cases = [_case("A", "华安县华丰镇"), _case("B", "东山县西埔镇"), _case("C", "平和县小溪镇"),
             _case("D", "龙海区港尾镇")]
    assert _filled(chromium_browser, tmp_path, cases) >= 0.8


def test_letters_of_one_county_fill_the_frame(chromium_browser, tmp_path):
    cases = [_case("A", "南靖县山城镇"), _case("B", "南靖县书洋镇"), _case("C", "南靖县靖城镇")]
    assert _filled(chromium_browser, tmp_path, cases) >= 0.8
