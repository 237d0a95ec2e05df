"""The officer's 外出资料包 (zip) with a stop recorded early: every file of it (导航链接.txt, GPX, KML, GeoJSON,
manifest) keeps the route's order and the planned times (walk W26: stamped with the moment a result was saved, the
lists ran out of the route's order) and says when a result was recorded (已登记 08:05), as 行程, the Excel, the PDF,
the offline map and the calendar do; a 补登 (entered on a later day) says so.

The fixture plan's T1 Monday (tests.field.test_s49d_early_record_order): stop 6 心田村 planned 15:20 is recorded at
08:05 and stop 1 隆庆村 planned 08:55 at 09:10."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import gpxpy
from sqlalchemy import select, update

from planner.field import build_itinerary, render
from planner.field.day import officer_day
from planner.field.recorded import with_outcomes
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import load_plan
from tests.export.test_day import MONDAY, OFFICER_T1, issued, plan_id, raw  # noqa: F401 (fixtures)
from tests.field.test_s49d_early_record_order import _early_day, _record

SH = ZoneInfo("Asia/Shanghai")
KML = {"k": "http://www.opengis.net/kml/2.2"}
DAY_ORDER = [1, 2, 3, 4, 5, 6]  # the route's order, on 行程 and every sheet of the day (the lunch break aside)


def _packet(sheet) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(render("zip", sheet))) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _one(files: dict[str, bytes], suffix: str) -> bytes:
    (name,) = [n for n in files if n.endswith(suffix)]
    return files[name]


def _seq(name: str) -> int:
    return int(name.split(".")[0])


def test_every_file_of_the_packet_keeps_route_order_and_planned_times(session, plan_id, issued) -> None:  # noqa: F811
    (sheet,) = with_outcomes([_early_day(session, plan_id)], session, plan_id)
    files = _packet(sheet)

    links = _one(files, "_导航链接.txt").decode("utf-8")
    heads = [ln for ln in links.splitlines() if ln[:1].isdigit()]
    assert [_seq(h) for h in heads] == DAY_ORDER
    assert "到达 15:20；已登记 08:05" in heads[5]
    assert "到达 08:55；已登记 09:10" in heads[0]
    assert "到达 09:56" in heads[1] and "已登记" not in heads[1]  # still to visit: as planned

    g = gpxpy.parse(_one(files, ".gpx").decode("utf-8"))
    stops = [w for w in g.waypoints if w.name[:1].isdigit()]
    assert [_seq(w.name) for w in stops] == DAY_ORDER
    assert [w.time.astimezone(SH).strftime("%H:%M") for w in stops] == ["08:55", "09:56", "10:52", "13:15", "14:19",
                                                                        "15:20"]
    assert "到达 15:20，走访 15:20-15:55；已登记 08:05" in stops[5].description
    (rte,) = g.routes
    six = next(p for p in rte.points if p.name.startswith("6."))
    assert six.time.astimezone(SH).strftime("%H:%M") == "15:20"  # the route's point says what its waypoint says

    root = ET.fromstring(_one(files, ".kml"))
    marks = [m for m in root.iter(f"{{{KML['k']}}}Placemark") if (m.findtext("k:name", namespaces=KML) or "")[:1]
             .isdigit()]
    assert [_seq(m.findtext("k:name", namespaces=KML)) for m in marks] == DAY_ORDER
    last = marks[5].findtext("k:description", namespaces=KML)
    assert "到达 15:20，走访 15:20-15:55；已登记 08:05" in last
    assert marks[5].findtext("k:TimeStamp/k:when", namespaces=KML).startswith(f"{MONDAY.isoformat()}T15:20")

    feats = [f["properties"] for f in json.loads(_one(files, ".geojson"))["features"]
             if f["properties"]["kind"] == "stop"]
    assert [f["seq"] for f in feats] == DAY_ORDER and [f["order"] for f in feats] == [1, 2, 3, 4, 5, 6]
    assert (feats[5]["arrive"], feats[5]["start"], feats[5]["end"]) == ("15:20", "15:20", "15:55")
    assert feats[5]["recorded"] == "已登记 08:05" and feats[5]["planned_arrive"] == "15:20"
    assert feats[1]["arrive"] == "09:56" and feats[1]["recorded"] is None

    (entry,) = json.loads(files["manifest.json"])["itineraries"]
    by_seq = {s.visit.visit_id: s.seq for s in sheet.stops}
    assert [by_seq[v] for v in entry["stops"]] == DAY_ORDER


def test_a_stop_entered_on_a_later_day_keeps_its_planned_time_in_the_packet(session, plan_id, issued) -> None:  # noqa: F811
    day = officer_day(session, OFFICER_T1, MONDAY)
    _record(session, day, "ZZ2026-0107", "08:05")  # stop 6, planned 15:20 ...
    case_id = session.scalar(select(CaseRow.id).where(CaseRow.case_no == "ZZ2026-0107"))
    later = dt.datetime.combine(MONDAY + dt.timedelta(days=1), dt.time(1, 30))  # ... entered Tuesday 09:30 (UTC 01:30)
    session.execute(update(VisitOutcomeRow).where(VisitOutcomeRow.case_id == case_id).values(recorded_at=later))
    session.commit()
    (sheet,) = with_outcomes([build_itinerary(load_plan(session, plan_id), "T1", MONDAY)], session, plan_id)
    files = _packet(sheet)
    tuesday = f"{MONDAY + dt.timedelta(days=1):%m-%d} 补登"

    links = _one(files, "_导航链接.txt").decode("utf-8")
    six = next(ln for ln in links.splitlines() if ln.startswith("6."))
    assert tuesday in six and "到达 15:20" in six
    g = gpxpy.parse(_one(files, ".gpx").decode("utf-8"))
    wpt = next(w for w in g.waypoints if w.name.startswith("6."))
    assert wpt.time.astimezone(SH).strftime("%H:%M") == "15:20" and tuesday in wpt.description
    root = ET.fromstring(_one(files, ".kml"))
    mark = next(m for m in root.iter(f"{{{KML['k']}}}Placemark")
                if (m.findtext("k:name", namespaces=KML) or "").startswith("6."))
    assert "T15:20" in mark.findtext("k:TimeStamp/k:when", namespaces=KML)
    assert tuesday in mark.findtext("k:description", namespaces=KML)
    feat = next(f["properties"] for f in json.loads(_one(files, ".geojson"))["features"]
                if f["properties"].get("seq") == 6)
    assert (feat["arrive"], feat["start"]) == ("15:20", "15:20") and tuesday in feat["recorded"]
