"""Every format read back with an independent reader: stops, order and times equal the plan's."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from zoneinfo import ZoneInfo

import gpxpy
import openpyxl
import pytest
from icalendar import Calendar
from pypdf import PdfReader
from shapely.geometry import LineString, Point, shape

from planner.domain import FIVE_QUESTIONS
from planner.errors import InputError
from planner.field import FORMATS, render
from planner.field.xlsx import DAY_COLUMNS, HEADER_ROW
from tests.export.conftest import expected_route

SH = ZoneInfo("Asia/Shanghai")


def _stops(raw_plan, team="T1", date="2026-12-07"):
    return expected_route(raw_plan, team, date)["stops"]


def _visit(raw_plan, vid):
    return next(v for v in raw_plan["visits"] if v["id"] == vid)


def _place(raw_plan, vid):
    c = raw_plan["cases"][_visit(raw_plan, vid)["case_nos"][0]]
    return c["county"] + c["town"] + c["village"]


def test_ics_one_event_per_visit_with_shanghai_times_and_members_in_the_description(day, raw_plan):
    data = render("ics", day)
    cal = Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    stops = _stops(raw_plan)
    assert len(events) == len(stops)
    team = next(t for t in raw_plan["teams"] if t["id"] == "T1")
    for ev, s in zip(sorted(events, key=lambda e: e.decoded("dtstart")), stops, strict=True):
        start, end = ev.decoded("dtstart"), ev.decoded("dtend")
        assert ev["dtstart"].params["TZID"] == "Asia/Shanghai"
        assert start.utcoffset() == dt.timedelta(hours=8)
        assert start.astimezone(SH).strftime("%Y-%m-%d %H:%M") == f"2026-12-07 {s['start']}"
        assert end.astimezone(SH).strftime("%H:%M") == s["end"]
        assert str(ev["location"]) == _place(raw_plan, s["visit"])
        # No ATTENDEE (calendar apps would offer to invite made-up addresses); the members are named in the text.
        assert "ATTENDEE" not in ev
        description = str(ev["description"])
        assert f"检查组：{team['name']}（" in description
        assert all(m["name"] in description for m in team["members"])
        assert FIVE_QUESTIONS[0] in description
    assert len({str(e["uid"]) for e in events}) == len(events)
    text = data.decode("utf-8")
    assert "ATTENDEE" not in text and "@xiafang.invalid" not in text and "mailto:" not in text
    # No English COMMENT (icalendar's generated VTIMEZONE says "This timezone only works from 1970-01-01 to …").
    assert not re.search(r"^COMMENT", text, re.M)
    assert "This timezone" not in text
    (tz,) = cal.walk("VTIMEZONE")
    assert tz["tzid"] == "Asia/Shanghai"
    (std,) = tz.walk("STANDARD")
    assert std.decoded("tzoffsetfrom") == std.decoded("tzoffsetto") == dt.timedelta(hours=8)
    assert not tz.walk("DAYLIGHT")
    first = stops[0]["start"].replace(":", "")
    assert f"DTSTART;TZID=Asia/Shanghai:20261207T{first}00" in text


def test_gpx_waypoints_and_route_in_order(day, raw_plan):
    g = gpxpy.parse(render("gpx", day).decode("utf-8"))
    stops = _stops(raw_plan)
    wpts = [w for w in g.waypoints if not w.name.startswith("驻地")]
    assert [w.name for w in wpts] == [f"{i}. {_place(raw_plan, s['visit'])}" for i, s in enumerate(stops, 1)]
    for w, s in zip(wpts, stops, strict=True):
        v = _visit(raw_plan, s["visit"])
        assert (w.latitude, w.longitude) == pytest.approx((v["lat"], v["lon"]))
        assert w.time.astimezone(SH).strftime("%H:%M") == s["arrive"]
    (rte,) = g.routes
    assert len(rte.points) == len(stops) + 2  # base, stops, base
    assert [p.name for p in rte.points[1:-1]] == [w.name for w in wpts]


def test_kml_placemarks_and_line(day, raw_plan):
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.fromstring(render("kml", day))
    marks = root.findall(".//k:Placemark", ns)
    points = [m for m in marks if m.find("k:Point", ns) is not None]
    names = [m.findtext("k:name", namespaces=ns) for m in points]
    stops = _stops(raw_plan)
    assert names[1:] == [f"{i}. {_place(raw_plan, s['visit'])}" for i, s in enumerate(stops, 1)]
    for m, s in zip(points[1:], stops, strict=True):
        lon, lat, *_ = map(float, m.findtext(".//k:coordinates", namespaces=ns).split(","))
        v = _visit(raw_plan, s["visit"])
        assert (lon, lat) == pytest.approx((v["lon"], v["lat"]))
        assert f"到达 {s['arrive']}" in m.findtext("k:description", namespaces=ns)
    (line,) = root.findall(".//k:LineString", ns)
    coords = line.findtext("k:coordinates", namespaces=ns).split()
    assert len(coords) == len(stops) + 2


def test_geojson_points_line_and_times(day, raw_plan):
    fc = json.loads(render("geojson", day))
    stops = _stops(raw_plan)
    pts = [f for f in fc["features"] if f["properties"]["kind"] == "stop"]
    assert [f["properties"]["visit"] for f in pts] == [s["visit"] for s in stops]
    assert [(f["properties"]["arrive"], f["properties"]["end"]) for f in pts] == [
        (s["arrive"], s["end"]) for s in stops]
    (route,) = [f for f in fc["features"] if f["properties"]["kind"] == "route"]
    line = shape(route["geometry"])
    assert isinstance(line, LineString) and line.is_valid
    for f in pts:
        p = shape(f["geometry"])
        assert isinstance(p, Point) and line.distance(p) < 1e-9
    coords = list(line.coords)
    assert coords[0] == coords[-1]  # back to base


def test_xlsx_whole_plan_sheets_headers_print_setup(all_days, raw_plan):
    wb = openpyxl.load_workbook(io.BytesIO(render("xlsx", all_days, unassigned=[("V10", "大溪镇", "无技能")])))
    assert wb.sheetnames[0] == "汇总"
    assert len(wb.sheetnames) == 1 + len(raw_plan["routes"])
    ws = wb[wb.sheetnames[1]]
    assert [c.value for c in ws[HEADER_ROW]] == [h for h, _ in DAY_COLUMNS]
    assert ws.column_dimensions["G"].width == dict(DAY_COLUMNS)["案件摘要"]
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    rows = [r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0] is not None]
    stops = _stops(raw_plan)
    assert [(r[1], r[2], r[3]) for r in rows] == [(s["arrive"], s["start"], s["end"]) for s in stops]
    assert [r[4] for r in rows] == [_place(raw_plan, s["visit"]) for s in stops]
    breaks = [r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[4] == "午休"]
    assert len(breaks) == 1
    # Each letter's deadline on its own line beside its number (walk G: a two-letter stop showed one deadline).
    col = [h for h, _ in DAY_COLUMNS].index("办理期限")
    for r in rows:
        nos = str(r[5]).split("\n")
        assert str(r[col]).split("\n") == [raw_plan["cases"][no]["deadline"] for no in nos], r
    assert any("\n" in str(r[5]) for r in rows)  # the fixture has a stop of two letters
    summary = [r for r in wb["汇总"].iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0]]
    assert ("第一检查组", "2026-12-07") in [(r[0], r[1]) for r in summary]
    assert any(r[0] == "V10" for r in summary)


def test_pdf_text_has_chinese_places_times_and_checklist(day, raw_plan):
    data = render("pdf", day)
    reader = PdfReader(io.BytesIO(data))
    text = "".join(p.extract_text() for p in reader.pages)
    flat = re.sub(r"\s+", "", text)
    stops = _stops(raw_plan)
    positions = []
    for s in stops:
        place = _place(raw_plan, s["visit"])
        assert place in flat
        assert s["arrive"] in flat and s["end"] in flat
        positions.append(flat.index(place))
    assert positions == sorted(positions)  # in visiting order
    assert re.sub(r"\s+", "", FIVE_QUESTIONS[2]) in flat
    assert "午休11:22-12:52" in flat
    assert "2026-12-19" in flat  # deadline of the first case
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4


def test_pdf_embeds_its_font(day):
    reader = PdfReader(io.BytesIO(render("pdf", day)))
    fonts = set()
    for page in reader.pages:
        for f in page["/Resources"]["/Font"].values():
            f = f.get_object()
            desc = f.get("/FontDescriptor")
            if desc is not None:
                fonts.add((str(f["/BaseFont"]), "/FontFile2" in desc.get_object()))
    assert any("WenQuanYi" in name and embedded for name, embedded in fonts)


def test_zip_packet_of_one_day_has_every_format(day):
    z = zipfile.ZipFile(io.BytesIO(render("zip", day)))
    names = set(z.namelist())
    for ext in ("pdf", "html", "ics", "gpx", "kml", "geojson"):
        assert f"T1_2026-12-07.{ext}" in names
    assert "行程汇总.xlsx" in names and "manifest.json" in names
    m = json.loads(z.read("manifest.json"))
    assert m["itineraries"][0]["stops"] == [s.visit.visit_id for s in day.stops]


def test_zip_of_whole_plan_has_a_folder_per_team_day(all_days):
    z = zipfile.ZipFile(io.BytesIO(render("zip", all_days)))
    folders = {n.split("/")[0] for n in z.namelist() if "/" in n}
    assert folders == {"T1_2026-12-07", "T2_2026-12-07", "T1_2026-12-08"}


def test_unknown_format_and_multi_day_html_are_refused(all_days):
    with pytest.raises(InputError, match="导出格式"):
        render("docx", all_days)
    with pytest.raises(InputError, match="一个组一天"):
        render("html", all_days)
    assert set(FORMATS) == {"pdf", "html", "ics", "gpx", "kml", "geojson", "xlsx", "zip", "gpkg", "shp"}


def test_a_letter_without_a_category_reads_unclassified_on_every_sheet(day):
    """Walk E: the PDF printed 类别：— where the app and the map say 未分类."""
    import dataclasses

    blank = dataclasses.replace(day, stops=tuple(
        dataclasses.replace(s, cases=tuple(dataclasses.replace(c, category="") for c in s.cases)) for s in day.stops))
    flat = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(render("pdf", blank))).pages))
    visits = sum(1 for s in blank.stops if s.cases)
    assert visits and flat.count("类别：未分类") == sum(len(s.cases) for s in blank.stops) and "类别：—" not in flat
    wb = openpyxl.load_workbook(io.BytesIO(render("xlsx", blank)))
    (ws,) = [w for w in wb.worksheets if [c.value for c in w[HEADER_ROW]] == [h for h, _ in DAY_COLUMNS]]
    col = [h for h, _ in DAY_COLUMNS].index("类别")
    cells = [r[col] for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0] is not None and r[5]]
    assert cells and set(cells) == {"未分类"}
