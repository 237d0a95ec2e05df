"""Walk W13: stops on one town point were told two ways.

行程's stop 3 (云霄县火田镇火田村, a village without a point of its own) said 「点为火田镇驻地」 and stop 4 (a letter
naming only 火田镇), on the very same point, 「火田镇的大致位置，未核实到驻地」: the village's words took any town
point for its seat, the town's words went by the seat's error. 火田镇's point is the built-in hand estimate;
陈岱镇's is a GeoNames seat. Every letter on one point now says what that point is in the same words
(:func:`planner.places.estimates.seat_point`), and the words follow the point's source, not the letter's kind.
"""

from __future__ import annotations

import re
from dataclasses import replace
from types import SimpleNamespace

from sqlalchemy import update

import geodata
from planner.domain import Location
from planner.field.model import build_itinerary, enrich_cases
from planner.places.estimates import county_wide_bound, estimate_words, seat_point, written_village
from planner.places.letters import locate_letters
from planner.places.resolver import resolve
from planner.store.database import session_scope
from planner.store.models import CaseRow
from tests.office import _seed

#: Four letters on T1's day (stops 1 to 4 of the seed's week): two on 火田镇's point, two on 陈岱镇's.
ADDRESSES = {
    "ZZ2026-0101": "云霄县火田镇火田村",  # a village of the table, no point of its own: on its town's point
    "ZZ2026-0104": "云霄县火田镇",  # only the town
    "ZZ2026-0105": "云霄县陈岱镇",  # only the town
    "ZZ2026-0106": "云霄县陈岱镇陈岱村",  # a village the table does not hold in 陈岱镇: on the town's point
}


def _stops(engine) -> dict[str, str]:
    """Case number -> its stop's estimate note on 行程, the letters placed as the import places them."""
    _seed.seed(engine)
    fields = locate_letters([SimpleNamespace(values={"address_text": a, "content": ""}) for a in ADDRESSES.values()])
    with session_scope(engine) as s:
        for no, address, loc in zip(ADDRESSES, ADDRESSES.values(), fields, strict=True):
            s.execute(update(CaseRow).where(CaseRow.case_no == no).values(address_text=address, **loc))
    doc = _seed.plan_doc()
    doc = replace(doc, cases={no: c for no, c in doc.cases.items() if no not in ADDRESSES})
    with session_scope(engine) as s:
        it = build_itinerary(enrich_cases(doc, s), "T1", _seed.DAY)
    return {no: stop.estimate_text() for stop in it.stops for no in (c.case_no for c in stop.cases) if no in ADDRESSES}


def _point(note: str) -> str:
    """What a note says the point is: the words after 点为, up to the next instruction."""
    m = re.search(r"点为(.+?)(?:）|，(?:村未知|到镇后|所指地点))", note)
    assert m, note
    return m[1]


def test_the_letters_are_on_one_point_per_town():
    # The premise of the walk: the village letter and the town letter of each town share the town's point.
    for village, town in (("云霄县火田镇火田村", "云霄县火田镇"), ("云霄县陈岱镇陈岱村", "云霄县陈岱镇")):
        a, b = resolve(village), resolve(town)
        assert (a.lon, a.lat) == (b.lon, b.lat) and a.coord_source == b.coord_source == "town_seat"


def test_every_letter_on_one_town_point_says_what_the_point_is_in_the_same_words(engine):
    notes = _stops(engine)
    assert all(notes.values()), notes  # every one is an estimate, and says so
    for pair in (("ZZ2026-0101", "ZZ2026-0104"), ("ZZ2026-0105", "ZZ2026-0106")):
        assert _point(notes[pair[0]]) == _point(notes[pair[1]]), [notes[no] for no in pair]


def test_the_words_follow_where_the_point_comes_from(engine):
    notes = _stops(engine)
    for no, town in (("ZZ2026-0101", "火田镇"), ("ZZ2026-0105", "陈岱镇")):
        r = resolve(ADDRESSES[no])
        built_in = geodata.town_by_code(r.town_code)
        said = _point(notes[no])
        assert said == seat_point(r.coord_source, county=r.county, town=town, town_code=r.town_code,
                                  lon=r.lon, lat=r.lat)
        # A hand-estimated town point is never called the seat; a GeoNames seat is (within its error).
        assert ("未核实到驻地" in said) == (built_in.source == "estimate"), (built_in.source, said)
        assert said.startswith(town)


def test_a_county_seat_is_named_as_the_county_government_s():
    r = resolve("漳浦县旧镇镇浯源村")  # 浯源村 is of 赤土乡: the county seat covers both readings
    assert r.coord_source == "county_seat"
    assert seat_point(r.coord_source, county=r.county, town=r.town, town_code=r.town_code) == "漳浦县政府驻地"


def test_the_case_map_says_the_county_seat_and_its_bound_not_a_seat_error():
    """案件地图 called the county seat's county-wide bound the town seat's own error (驻地点位误差约 48.9 km)."""
    r = resolve("漳浦县旧镇镇浯源村")
    loc = Location(lon=r.lon, lat=r.lat, county=r.county, county_code=r.county_code, town=r.town,
                   town_code=r.town_code, precision=r.precision, point_source=r.coord_source,
                   precision_km=r.precision_km)
    words = estimate_words(loc, written_village(r.message))
    assert words.startswith(f"点在漳浦县政府驻地，{county_wide_bound(r.precision_km)}；")
    assert "驻地点位误差" not in words
