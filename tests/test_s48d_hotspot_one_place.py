"""A hotspot is one place (walk W14): 但路 of 但路也没修 read as a place, and a village name shared by two towns,
joined letters of four counties into one hotspot named after the first letter's village (梧宅村), and the map drew
its ring at the mean of the letters' points, over 龙海区. Pure analysis and map tests: no database."""

from __future__ import annotations

import datetime as dt
import json

from planner.analysis import Letter, analyse
from planner.analysis.textmine import mine
from planner.domain import Cluster, Location, PetitionCase
from planner.field import map_layers

_TEXT = "村里光伏扶贫电站的收益分红从来没有发给贫困户，{who}说用来修路了，但路也没修。"


def test_a_conjunction_before_a_road_word_is_no_place():
    assert mine(_TEXT.format(who="村监委会主任")).places == ()
    assert "万家丽路" in [p.name for p in mine("万家丽路晚上施工。").places]  # a named road still is one


def _letters() -> list[Letter]:
    return [
        Letter("L1", _TEXT.format(who="村会计"), dt.date(2026, 9, 15), address="漳浦县赤湖镇后江村"),
        Letter("L2", _TEXT.format(who="村支书"), dt.date(2026, 9, 27), address="漳浦县赤湖镇后江村"),
        Letter("L3", _TEXT.format(who="村主任"), dt.date(2026, 10, 2), address="龙海区海澄镇后江村"),
        Letter("L4", _TEXT.format(who="镇民政办工作人员"), dt.date(2026, 10, 5), address="龙文区郭坑镇"),
        Letter("L5", _TEXT.format(who="镇林业站站长"), dt.date(2026, 10, 12), address="南靖县船场镇梧宅村"),
    ]


def test_letters_of_different_counties_never_share_a_hotspot():
    res = analyse(_letters())
    assert len({res.issue_of[x] for x in ("L1", "L2", "L3", "L4", "L5")}) == 1  # one matter across four counties
    spots = {res.hotspot_of[x] for x in ("L1", "L2", "L3", "L4", "L5")}
    assert res.hotspot_of["L1"] == res.hotspot_of["L2"]
    assert len(spots) == 4, spots  # 赤湖镇后江村 (2), 海澄镇后江村, 郭坑镇, 梧宅村
    labels = {x: res.cluster(res.hotspot_of[x]).label for x in ("L1", "L3", "L4", "L5")}
    # Two villages of one name are two places, and each hotspot names the place of its own letters.
    assert labels["L1"].endswith("（赤湖镇后江村）") and labels["L3"].endswith("（海澄镇后江村）"), labels
    assert labels["L4"].endswith("（郭坑镇）") and labels["L5"].endswith("（梧宅村）"), labels
    for h in res.hotspots:
        counties = {res.letters[[lt.letter_id for lt in res.letters].index(n)].address[:3] for n in h.case_nos}
        assert len(counties) == 1, (h.label, h.case_nos)


def _case(no: str, lon: float, lat: float, county: str, town: str, village: str = "", **kw) -> PetitionCase:
    loc = Location(lon=lon, lat=lat, county=county, county_code=kw.pop("county_code", "350627"), town=town,
                   village=village, precision="village" if village else "town")
    return PetitionCase(case_no=no, received_date=dt.date(2026, 11, 1), content="光伏分红", location=loc,
                        address_text=county + town + village, **kw)


def _ring(page: str) -> list[float]:
    """The [lat, lon] of the hotspot's dashed ring (the circle marker drawn with dashArray 6 4)."""
    at = page.index('"dashArray": "6 4"')
    head = page.rindex("L.circleMarker(", 0, at)
    return json.loads(page[head + len("L.circleMarker(") : page.index("]", head) + 1])


def test_the_ring_stands_on_the_named_village_not_the_mean_of_the_letters():
    cases = [
        _case("A1", 117.16, 24.50, "南靖县", "船场镇", "梧宅村"),
        _case("A2", 117.16, 24.50, "南靖县", "船场镇", "梧宅村"),
        _case("A3", 117.30, 24.60, "南靖县", "船场镇"),  # only the town: a guess of the engine, not the place
    ]
    issue = Cluster("I1", "issue", "光伏、分红", ("A1", "A2", "A3"))
    spot = Cluster("I1@梧宅村", "hotspot", "光伏、分红（梧宅村）", ("A1", "A2", "A3"), parent_id="I1")
    page = map_layers.cluster_map(issue, cases, hotspots=[spot]).get_root().render()
    assert _ring(page) == [24.5, 117.16]  # the mean would be [24.533…, 117.206…]
    assert map_layers.hotspot_point(spot, cases)[0] == (117.16, 24.5)


def test_a_hotspot_of_no_shared_place_has_no_ring():
    cases = [_case("B1", 117.16, 24.50, "南靖县", "船场镇"), _case("B2", 117.8, 24.4, "龙海区", "海澄镇")]
    issue = Cluster("I2", "issue", "光伏、分红", ("B1", "B2"))
    spot = Cluster("I2@多地", "hotspot", "光伏、分红（多地）", ("B1", "B2"), parent_id="I2")
    page = map_layers.cluster_map(issue, cases, hotspots=[spot]).get_root().render()
    assert '"dashArray": "6 4"' not in page
