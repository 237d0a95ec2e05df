"""Walk W26: an officer's day after results were recorded, read from the phone page and from the exports.

The fixture plan's T1 Monday: 1 隆庆村 08:55, 2 三坪村 09:56, 3 法华村 10:52, 午休 11:22-12:52, 4 龙头村 13:15,
5 埔坪村 14:19 (its visit given the time window 14:00-15:00 here), 6 心田村 15:20. Stops 1 and 3 are recorded
已走访 and stop 4 改期 to 12-09, all entered at 08:00 (Beijing time), before the day's 08:30 departure.

Before: the recorded stops moved to 08:00 in the calendar (overlapping events before the departure), GPX/KML/GeoJSON
were stamped 08:00, every list ran 1, 3, 4, 2, 5, 6 while the route ran 1→…→6, the 改期 stop stayed an ordinary
event, and the window 14:00-15:00 was nowhere. Now every stop keeps its number, its place in the route and its
planned time; a recorded one says 已登记 08:00, the 改期 one is marked (STATUS:CANCELLED in the calendar) and the
window reads 约定时段 14:00-15:00 wherever the stop's time is shown."""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from planner.field import build_itinerary, render
from planner.field.day import day_view, officer_day, save_stop_outcome, stop_records
from planner.field.recorded import with_outcomes
from planner.field.visit_times import card_rows
from planner.field.xlsx import DAY_COLUMNS, HEADER_ROW
from planner.office import security
from planner.office.security import SessionToken
from planner.store.database import session_scope
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import load_plan
from tests.export.test_day import MONDAY, OFFICER_T1, PLAN_PATH, issued, plan_id  # noqa: F401 (fixtures)
from tests.export.test_privacy import _texts

ROUTE = [1, 2, 3, 4, 5, 6]
PLANNED_START = ["08:55", "09:56", "10:52", "13:15", "14:19", "15:20"]
PLANNED_ARRIVE = PLANNED_START  # the fixture plan waits nowhere
WINDOW = "约定时段 14:00-15:00"


@pytest.fixture()
def raw() -> dict:
    """The fixture plan with stop 5's visit (V05) to be started between 14:00 and 15:00."""
    data = json.loads(PLAN_PATH.read_text(encoding="utf-8"))
    for v in data["visits"]:
        if v["id"] == "V05":
            v["window_start"], v["window_end"] = "14:00", "15:00"
    return data


def _record(session, day, case_no: str, result: str, **kw) -> None:
    """``case_no`` recorded by li as ``result``, entered at 08:00 on Monday (Beijing time)."""
    save_stop_outcome(session, day, case_no, result=result, households=int(result == "visited"), leads=0,
                      findings="已入户核实" if result == "visited" else "村干部外出，约定改日", who="li",
                      actor=OFFICER_T1, today=MONDAY, **kw)
    at = dt.datetime.combine(MONDAY, dt.time(8, 0)) - dt.timedelta(hours=8)  # stored in UTC
    case_id = session.scalar(select(CaseRow.id).where(CaseRow.case_no == case_no))
    session.execute(update(VisitOutcomeRow).where(VisitOutcomeRow.case_id == case_id).values(recorded_at=at))
    session.flush()


def _recorded_day(session, plan_id: int):  # noqa: F811
    day = officer_day(session, OFFICER_T1, MONDAY)
    _record(session, day, "ZZ2026-0101", "visited")  # stop 1
    _record(session, day, "ZZ2026-0104", "visited")  # stop 3
    _record(session, day, "ZZ2026-0105", "postponed", put_off_to=dt.date(2026, 12, 9))  # stop 4
    session.commit()
    (sheet,) = with_outcomes([build_itinerary(load_plan(session, plan_id), "T1", MONDAY)], session, plan_id)
    return sheet


def test_the_calendar_keeps_planned_times_in_route_order_and_marks_the_put_off_stop(session, plan_id,  # noqa: F811
                                                                                    issued) -> None:  # noqa: F811
    evs = list(Calendar.from_ical(render("ics", _recorded_day(session, plan_id))).walk("VEVENT"))
    assert [int(str(e.get("summary")).split(".")[0].split("】")[-1]) for e in evs] == ROUTE
    assert [f"{e.decoded('dtstart'):%H:%M}" for e in evs] == PLANNED_START
    ends = [e.decoded("dtend") for e in evs]
    assert all(ends[k] <= evs[k + 1].decoded("dtstart") for k in range(len(evs) - 1))  # nothing overlaps
    assert all(e.decoded("dtstart").time() >= dt.time(8, 30) for e in evs)  # nothing before the departure
    one, four, five = evs[0], evs[3], evs[4]
    assert "已登记 08:00" in str(one.get("description")) and "走访 08:55-09:40" in str(one.get("description"))
    assert str(four.get("status")) == "CANCELLED" and "已改期，约定 12-09" in str(four.get("summary"))
    assert "status" not in one and "status" not in five
    assert WINDOW in str(five.get("description"))


def test_gpx_kml_and_geojson_list_the_route_at_planned_times_with_the_window(session, plan_id,  # noqa: F811
                                                                            issued) -> None:  # noqa: F811
    sheet = _recorded_day(session, plan_id)
    g = {"g": "http://www.topografix.com/GPX/1/1"}
    wpts = ET.fromstring(render("gpx", sheet)).findall("g:wpt", g)[1:]  # the base first
    assert [int(w.findtext("g:name", namespaces=g).split(".")[0]) for w in wpts] == ROUTE
    utc = [dt.datetime.fromisoformat(w.findtext("g:time", namespaces=g).replace("Z", "+00:00")) for w in wpts]
    assert [f"{t + dt.timedelta(hours=8):%H:%M}" for t in utc] == PLANNED_ARRIVE
    assert WINDOW in wpts[4].findtext("g:desc", namespaces=g)
    k = {"k": "http://www.opengis.net/kml/2.2"}
    marks = [p for p in ET.fromstring(render("kml", sheet)).iter(f"{{{k['k']}}}Placemark")
             if p.find("k:Point", k) is not None][1:]
    assert [int(p.findtext("k:name", namespaces=k).split(".")[0]) for p in marks] == ROUTE
    assert [p.findtext("k:TimeStamp/k:when", namespaces=k)[11:16] for p in marks] == PLANNED_ARRIVE
    assert WINDOW in marks[4].findtext("k:description", namespaces=k)
    stops = [f["properties"] for f in json.loads(render("geojson", sheet))["features"]
             if f["properties"]["kind"] == "stop"]
    assert [p["seq"] for p in stops] == ROUTE and [p["order"] for p in stops] == ROUTE
    assert [p["start"] for p in stops] == PLANNED_START and [p["arrive"] for p in stops] == PLANNED_ARRIVE
    assert stops[4]["window"] == WINDOW and stops[0]["window"] is None
    assert stops[0]["recorded"] == "已登记 08:00" and stops[3]["outcome"] == "已改期，约定 12-09"


def test_the_excel_pdf_and_offline_map_keep_route_order_planned_times_and_say_the_window(session, plan_id,  # noqa: F811
                                                                                       issued) -> None:  # noqa: F811
    sheet = _recorded_day(session, plan_id)
    ws = load_workbook(io.BytesIO(render("xlsx", sheet))).worksheets[1]
    heads = [c.value for c in ws[HEADER_ROW]]
    assert heads == [h for h, _ in DAY_COLUMNS]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[4].value]
    assert [r[0] for r in rows] == [1, 2, 3, None, 4, 5, 6]  # None: the lunch break
    stops = [r for r in rows if r[0]]
    assert [r[2] for r in stops] == PLANNED_START
    assert stops[4][heads.index("约定时段")] == WINDOW
    assert stops[0][heads.index("结果登记时间")] == "已登记 08:00"
    pdf = _texts("day.pdf", render("pdf", sheet)).replace("\n", "").replace(" ", "")
    assert WINDOW.replace(" ", "") in pdf
    assert pdf.index("隆庆村") < pdf.index("三坪村") < pdf.index("法华村") < pdf.index("龙头村")
    html = render("html", sheet).decode("utf-8")
    listed = html[html.index('<ol class="stops">'):]
    assert [listed.index(f'data-seq="{n}"') for n in ROUTE] == sorted(listed.index(f'data-seq="{n}"') for n in ROUTE)
    assert WINDOW in listed and "到达 08:55，走访 08:55-09:40；已登记 08:00" in listed
    assert WINDOW in html[html.index('id="xf-data"'):]  # the marker's popup says it too


def test_the_phone_lists_the_route_in_order_and_shows_the_window(engine, session, plan_id,  # noqa: F811
                                                                 issued, monkeypatch) -> None:  # noqa: F811
    sheet = _recorded_day(session, plan_id)
    records = stop_records(session, [c.case_no for s in sheet.stops for c in s.cases], MONDAY, "T1")
    view = day_view(sheet, recorded=records)
    assert [c.seq if c is not None else None for c in card_rows(view, records)] == [1, 2, 3, None, 4, 5, 6]
    assert WINDOW in view.stops[4].times()
    with session_scope(engine) as s:
        security.create_user(s, OFFICER_T1.username, "Xiafang-2026-pass", role=OFFICER_T1.role,
                             team_ids=OFFICER_T1.team_ids, display_name=OFFICER_T1.display_name)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    from tests.app.test_itinerary import ROOT

    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    at.session_state["actor"] = OFFICER_T1
    at.session_state["session_token"] = SessionToken.issue(OFFICER_T1)
    at.session_state["today"] = MONDAY
    at.run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any("到达 08:55 · 走访 08:55-09:40" in t and "已登记 08:00" in t for t in texts), texts
    assert any("走访 14:19-14:49 · " + WINDOW in t for t in texts), texts
    heads = [t for t in texts if t.startswith("### ")]
    # The top card is the next stop (2); below, the day's list in route order (2 named there, not drawn again).
    assert [t.removeprefix("### ").split(".")[0].split("：")[-1] for t in heads] == ["2", "1", "3", "4", "5", "6"]
