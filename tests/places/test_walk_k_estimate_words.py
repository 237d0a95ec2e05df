"""Walk K: a town-only letter is not promised its seat's 3 km; walk W35: its stored bound covers the town."""

from __future__ import annotations

import dataclasses

from planner.domain import Location
from planner.places.estimates import estimate_words, shared_point_words, town_only
from planner.places.resolver import resolve


def _loc(address: str) -> Location:
    r = resolve(address)
    return Location(lon=r.lon, lat=r.lat, county=r.county, county_code=r.county_code, town=r.town,
                    town_code=r.town_code, village=r.village, village_code=r.village_code, precision=r.precision,
                    point_source=r.coord_source, precision_km=r.precision_km)


def test_a_letter_naming_only_a_geonames_town_is_not_promised_3_km():
    town, village = _loc("诏安县南诏镇"), _loc("诏安县南诏镇城内社区")
    assert (town.lon, town.lat) == (village.lon, village.lat)
    # Walk W35: the stored number bounds the place (anywhere in the town), as a village's does, not the seat's 3 km.
    assert town.precision_km == village.precision_km > 30 and not town_only(town)
    words = estimate_words(town)
    assert "3 km" not in words and "可在南诏镇内任何位置" in words and "只定位到乡镇" in words
    assert estimate_words(village).endswith(f"实际地点可能在 {village.precision_km:g} km 以内")
    # A letter stored before with the seat's 3 km: its words still say the number is the seat's.
    old = dataclasses.replace(town, precision_km=3.0)
    assert town_only(old) and "驻地点位误差约 3 km" in estimate_words(old)
    assert "实际地点可能在 3 km 以内" not in estimate_words(old)


def test_bounds_that_cover_the_town_keep_their_words():
    # A hand-estimated town states a bound covering its county; a reading kept to be checked, its territory.
    for address in ("平和县山格镇", "龙海区角美镇东美", "漳浦县"):
        loc = _loc(address)
        assert not town_only(loc)
    assert "实际地点可能在" in estimate_words(_loc("漳浦县"))
    # Walk U: a letter naming no village says so and gives no radius, its town's point a rough one.
    for address in ("平和县山格镇", "龙海区角美镇东美"):
        words = estimate_words(_loc(address))
        assert "只定位到乡镇" in words and "大致位置" in words and "实际地点可能在" not in words


def test_a_shared_marker_says_what_holds_for_every_letter_on_it():
    town, village = _loc("诏安县南诏镇"), _loc("诏安县南诏镇城内社区")
    # A GeoNames seat is named as every other view names it, not as a rough estimate (walk W35).
    assert shared_point_words([town]) == ("信中只写到乡镇，只定位到乡镇，村未知，所指地点可在乡镇内任何位置"
                                          "（点为南诏镇驻地附近）")
    assert shared_point_words([dataclasses.replace(town, precision_km=3.0)]) == (
        "信中只写到乡镇，所指地点可在乡镇内任何位置（驻地点位误差约 3 km）")
    assert shared_point_words([town, village]) == (
        f"按全县区范围计，实际地点可能在 {village.precision_km:g} km 以内任何位置")


def test_the_visit_brief_and_the_map_tooltip_use_these_words():
    import datetime as dt

    from planner.domain import PetitionCase
    from planner.field.map_layers import approximate_layers
    from planner.selection.ranking import build_visits

    loc = _loc("诏安县南诏镇")
    case = PetitionCase(case_no="T1", received_date=dt.date(2026, 11, 2), content="反映问题", location=loc)
    (brief,) = build_visits([case], today=dt.date(2026, 11, 26)).briefs
    assert "3 km 以内" not in brief.checklist[3] and "可在南诏镇内任何位置" in brief.checklist[3]
    import json

    import folium

    m = folium.Map()
    for layer in approximate_layers([case], lambda lon, lat: (lat, lon)):
        layer.add_to(m)
    html = m.get_root().render()

    def shown(text: str) -> bool:
        return text in html or json.dumps(text)[1:-1] in html

    assert shown("乡镇内任何位置") and not shown("3 km 以内")
