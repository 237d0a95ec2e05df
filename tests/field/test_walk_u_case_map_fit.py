"""Walk U: 案件地图 opens on the letters shown (or on Zhangzhou), not zoomed out to a quarter of the frame."""

from __future__ import annotations

import datetime as dt
import json
import re

from planner.domain import ZHANGZHOU_BBOX, Location, PetitionCase
from planner.field.map_layers import case_map
from planner.places.resolver import resolve


def _case(no: str, address: str) -> PetitionCase:
    r = resolve(address)
    loc = Location(lon=r.lon, lat=r.lat, county=r.county, county_code=r.county_code, town=r.town,
                   town_code=r.town_code, village=r.village, village_code=r.village_code, precision=r.precision,
                   point_source=r.coord_source, precision_km=r.precision_km)
    return PetitionCase(case_no=no, received_date=dt.date(2026, 11, 2), content="反映问题", location=loc)


def _bounds(cases) -> list[list[float]]:
    html = case_map(cases, today=dt.date(2026, 12, 7)).map.get_root().render()
    found = re.findall(r"\.fitBounds\(\s*(\[\[.*?\]\])", html, re.S)
    assert len(found) == 1, "the map is fitted once, on open"
    return json.loads(found[0])


def test_the_map_opens_on_the_letters_shown():
    cases = [_case("A", "诏安县南诏镇"), _case("B", "华安县华丰镇"), _case("C", "龙海区角美镇")]
    (s, w), (n, e) = _bounds(cases)
    lats = [c.location.lat for c in cases]
    lons = [c.location.lon for c in cases]
    # Every letter inside, and the frame no wider than the letters plus a margin (not the whole province).
    assert s <= min(lats) and n >= max(lats) and w <= min(lons) and e >= max(lons)
    assert n - s < (max(lats) - min(lats)) + 0.5 and e - w < (max(lons) - min(lons)) + 0.5


def test_no_letter_placed_opens_on_zhangzhou():
    (s, w), (n, e) = _bounds([])
    x0, y0, x1, y1 = ZHANGZHOU_BBOX
    assert (s, w, n, e) == (y0, x0, y1, x1)
