"""Offline maps: no CDN URL survives, user text is escaped, routes/breaks/hotspots are drawn."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from planner.domain import CaseStatus, Cluster, Location, PetitionCase, Route, Stop, Team, Visit
from planner.errors import InputError
from planner.field import map_layers, maps

TODAY = dt.date(2026, 12, 7)


def _case(no: str, *, county: str = "350628", lon: float = 117.35, lat: float = 24.35, **kw) -> PetitionCase:
    loc = Location(lon=lon, lat=lat, county_code=county, county="平和县", town="山格镇", precision="town")
    return PetitionCase(case_no=no, received_date=dt.date(2026, 11, 1), content="反映桉树砍伐保证金", location=loc,
                        **kw)


def _render(m) -> str:
    return m.get_root().render()


def test_vendored_assets_exist_and_only_local_urls_remain() -> None:
    cm = map_layers.case_map([_case("A1"), _case("A2", status=CaseStatus.RESOLVED)], today=TODAY)
    urls = maps.asset_urls(cm.map)
    assert urls and all(u.startswith("/app/static/vendor/") for u in urls)
    for u in urls:
        assert (maps.VENDOR_DIR / u.rsplit("/", 1)[1]).stat().st_size > 100
    html_page = _render(cm.map)
    assert not re.search(r'<(script src|link rel="stylesheet" href)="https?:', html_page)


def test_to_html_is_standalone() -> None:
    page = maps.to_html(maps.base_map())
    assert "/app/static/" not in page
    assert "L.map(" in page or "L.map (" in page
    assert not re.search(r'src="https?:', page)


def test_unknown_asset_is_an_error() -> None:
    with pytest.raises(InputError, match="没有放在 static/vendor/"):
        maps.asset_file("https://cdn.example.org/x.js")


def test_user_text_is_escaped() -> None:
    evil = _case("<script>alert(1)</script>", category="<img src=x onerror=alert(1)>")
    page = _render(map_layers.case_map([evil], today=TODAY).map)
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page


def test_case_map_counts_and_unplaced() -> None:
    cases = [
        _case("A1"),
        _case("A2", county="350681", lon=117.8, lat=24.45),  # old 龙海市 code
        PetitionCase(case_no="N1", received_date=TODAY, content="x"),
        _case("R1", status=CaseStatus.RESOLVED),
    ]
    cm = map_layers.case_map(cases, today=TODAY, color_by="deadline")
    assert cm.shown == 3
    assert cm.unplaced == ("N1",)
    assert cm.county_open == {"350628": 1, "350604": 1}
    assert sum(item.count for item in cm.legend) == 3


def test_color_by_cluster_puts_members_in_legend() -> None:
    cl = Cluster("I1", "issue", "桉树砍伐保证金", ("A1", "A2"), systemic=True)
    cm = map_layers.case_map([_case("A1"), _case("A2"), _case("B1")], today=TODAY, color_by="cluster", clusters=[cl])
    labels = {i.label: i.count for i in cm.legend}
    assert labels == {"桉树砍伐保证金": 2, "未归入关联问题": 1}
    with pytest.raises(InputError, match="着色方式"):
        map_layers.case_map([_case("A1")], today=TODAY, color_by="colour")


def test_tooltip_round_trip() -> None:
    c = _case("XF-2026-001")
    text = re.sub(r"<[^>]+>", "", map_layers.case_tooltip(c))
    assert map_layers.case_no_from_tooltip(text, {"XF-2026-001"}) == "XF-2026-001"
    assert map_layers.case_no_from_tooltip("漳浦县", {"XF-2026-001"}) is None


def _route() -> tuple[Route, dict[str, Visit], dict[str, Team]]:
    team = Team("T1", "第一组", 117.647, 24.513, base_name="市纪委监委")
    visits = {
        "V1": Visit("V1", 117.35, 24.35, 60, label="山格镇<土田村>", case_nos=("A1",)),
        "V2": Visit("V2", 117.30, 24.30, 45, label="小溪镇", case_nos=("A2", "A3")),
    }
    route = Route("T1", TODAY, 510, 1000, (Stop("V1", 560, 560, 620, 3000, 40000),
                                           Stop("V2", 740, 740, 785, 1200, 9000)), 5400, 90000,
                  break_start_min=630, break_end_min=720)
    return route, visits, {"T1": team}


def test_route_map_draws_line_numbered_stops_base_and_break() -> None:
    route, visits, teams = _route()
    page = _render(map_layers.route_map([route], visits, teams))
    assert page.count("L.polyline(") == 1
    numbers = re.findall(r'xf-stop\\" style=\\"--c:#\w+\\"\\u003e(\d+)\\u003c', page)
    assert numbers == ["1", "2"]
    assert "xf-base" in page
    assert "午休 10:30" in page
    assert "山格镇&lt;土田村&gt;" in page and "山格镇<土田村>" not in page


def test_route_map_rejects_unknown_visit() -> None:
    route, visits, teams = _route()
    del visits["V2"]
    with pytest.raises(InputError, match="V2"):
        map_layers.route_map([route], visits, teams)


def test_timeline_puts_break_between_the_stops_it_falls_between() -> None:
    route, visits, _ = _route()
    kinds = [r.kind for r in map_layers.route_timeline(route, visits)]
    assert kinds == ["depart", "travel", "visit", "break", "travel", "visit", "return"]


def test_amap_tiles_shift_overlays_to_gcj02() -> None:
    plain = map_layers.cluster_map(Cluster("I1", "issue", "x", ("A1",)), [_case("A1")])
    amap = map_layers.cluster_map(Cluster("I1", "issue", "x", ("A1",)), [_case("A1")], tiles=maps.MapTiles(amap=True))
    assert "[24.35, 117.35]" in _render(plain)
    page = _render(amap)
    assert "autonavi" in page and "[24.35, 117.35]" not in page


def test_no_tiles_by_default() -> None:
    page = _render(maps.base_map())
    assert "L.tileLayer" not in page
    import geodata

    assert all(c.name in page for c in geodata.counties())  # county names are the basemap's labels


def test_candidates_map_marks_must_visits_and_escapes() -> None:
    visits = [Visit("V1", 117.35, 24.35, 60, priority=5, must=True, label="<b>山格</b>", case_nos=("A1",)),
              Visit("V2", 117.6, 24.5, 30, priority=2, label="芗城", case_nos=("A2", "A3"))]
    page = _render(map_layers.candidates_map(visits))
    assert page.count("L.circleMarker(") >= 2
    assert "必访" in page and "&lt;b&gt;山格&lt;/b&gt;" in page and "<b>山格</b>" not in page


def test_large_case_maps_leave_summaries_out_of_tooltips() -> None:
    few = _render(map_layers.case_map([_case("A1")], today=TODAY).map)
    assert "反映桉树砍伐保证金" in few
    many = [_case(f"N{i}") for i in range(map_layers.SUMMARY_LIMIT + 1)]
    page = _render(map_layers.case_map(many, today=TODAY).map)
    assert "反映桉树砍伐保证金" not in page and "N2000" in page


def test_cluster_map_rings_only_real_hotspots() -> None:
    issue = Cluster("I1", "issue", "桉树保证金", ("A1", "A2", "B1"), systemic=False)
    spots = [Cluster("I1@a", "hotspot", "桉树保证金（土田村）", ("A1", "A2"), parent_id="I1"),
             Cluster("I1@b", "hotspot", "桉树保证金（<b>村）", ("B1",), parent_id="I1")]
    cases = [_case("A1"), _case("A2"), _case("B1", lon=117.6, lat=24.6)]
    page = _render(map_layers.cluster_map(issue, cases, hotspots=spots))
    import json

    assert "土田村 2件" in page or json.dumps("土田村 2件")[1:-1] in page
    assert "热点：桉树保证金（土田村）" in page
    assert "村）（1 件）" not in page  # the single-letter "hotspot" is not marked
    assert map_layers.hotspot_place("桉树、保证金（茶阳村）") == "茶阳村"


def test_scale_bar_is_metric_only() -> None:
    """The walk saw "30 mi" on the map: one scale bar, kilometres only."""
    page = maps.to_html(maps.base_map())
    assert page.count("L.control.scale(") == 1
    assert "L.control.scale({imperial: false})" in page


def test_a_break_scheduled_after_the_return_is_drawn_nowhere() -> None:
    """Re-walk E: a one-stop day back at base by 11:00 read 午休 无 in its header, yet the map drew 午休 11:43 on the
    way home. Map and timeline now follow the sheets: a break after the return is no break of that day."""
    route, visits, teams = _route()
    short = Route("T1", TODAY, 510, 640, (route.stops[0],), 3000, 40000, break_start_min=700, break_end_min=790)
    assert "午休 11:40" not in _render(map_layers.route_map([short], visits, teams))
    assert "break" not in [r.kind for r in map_layers.route_timeline(short, visits)]
    # A break inside the day is still drawn (the test above).
    assert "午休 10:30" in _render(map_layers.route_map([route], visits, teams))
