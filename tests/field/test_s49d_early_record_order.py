"""A stop visited out of order (recorded 08:05, planned 15:20): walk W14b had the day list recorded stops by when they
were recorded, at that time; walk W26 found the lists then ran 1, 3, 2 beside the route's 1→2→3 and the times were
the moment of saving. Every stop now keeps its number, its place in the route and its planned time; a recorded one
says when it was recorded beside them (已登记 08:05): the phone view, the Excel, the PDF and the offline map alike.

The fixture plan's T1 Monday: 1 隆庆村 08:55, 2 三坪村 09:56, 3 法华村 10:52, 午休 11:22-12:52, 4 龙头村 13:15,
5 埔坪村 14:19, 6 心田村 15:20. Stop 6 is recorded at 08:05 and stop 1 at 09:10 (Beijing time)."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook
from sqlalchemy import select, update

from planner.field import build_itinerary, render
from planner.field.day import day_view, officer_day, save_stop_outcome, stop_records
from planner.field.recorded import with_outcomes
from planner.field.visit_times import card_rows, sheet_rows
from planner.store.database import session_scope
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import load_plan
from tests.app.test_itinerary import _officer_app, _saved
from tests.export.test_day import MONDAY, OFFICER_T1, issued, plan_id, raw  # noqa: F401 (fixtures)
from tests.export.test_privacy import _texts

ORDER = [1, 2, 3, None, 4, 5, 6]  # None: the lunch break


def _record(session, day, case_no: str, local: str) -> None:
    """``case_no`` recorded 已走访 by li, as entered at ``local`` (HH:MM, Beijing time) on Monday."""
    save_stop_outcome(session, day, case_no, result="visited", households=1, leads=0, findings="已入户核实",
                      who="li", actor=OFFICER_T1, today=MONDAY)
    hour, minute = map(int, local.split(":"))
    at = dt.datetime.combine(MONDAY, dt.time(hour, minute)) - dt.timedelta(hours=8)  # stored in UTC
    case_id = session.scalar(select(CaseRow.id).where(CaseRow.case_no == case_no))
    session.execute(update(VisitOutcomeRow).where(VisitOutcomeRow.case_id == case_id).values(recorded_at=at))
    session.flush()


def _early_day(session, plan_id: int):  # noqa: F811
    day = officer_day(session, OFFICER_T1, MONDAY)
    _record(session, day, "ZZ2026-0107", "08:05")  # stop 6, planned 15:20
    _record(session, day, "ZZ2026-0101", "09:10")  # stop 1, planned 08:55
    session.commit()
    return build_itinerary(load_plan(session, plan_id), "T1", MONDAY)


def _flat(text: str) -> str:
    return text.replace("\n", "").replace(" ", "").replace("\r", "")


def test_the_phone_cards_keep_the_route_order_once_stops_are_recorded(session, plan_id, issued) -> None:  # noqa: F811
    it = _early_day(session, plan_id)
    records = stop_records(session, [c.case_no for s in it.stops for c in s.cases], MONDAY, "T1")
    view = day_view(it, recorded=records)
    assert [c.seq if c is not None else None for c in card_rows(view, records)] == ORDER
    assert view.next_stop.seq == 2  # the next stop is still the first planned one left


def test_the_excel_the_pdf_and_the_offline_map_keep_planned_times_and_say_the_recorded_one(session, plan_id,  # noqa: F811
                                                                                     issued) -> None:  # noqa: F811
    (sheet,) = with_outcomes([_early_day(session, plan_id)], session, plan_id)
    assert [s.seq if s is not None else None for s in sheet_rows(sheet)] == ORDER
    ws = load_workbook(io.BytesIO(render("xlsx", sheet))).worksheets[1]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5)]
    assert [r[0] for r in rows] == [1, 2, 3, None, 4, 5, 6]
    assert rows[0][1:4] == ["08:55", "08:55", "09:40"] and rows[6][1:4] == ["15:20", "15:20", "15:55"]
    assert rows[0][-2] == "已登记 09:10" and rows[6][-2] == "已登记 08:05" and rows[1][-2] is None
    assert rows[3][4] == "午休"
    pdf = _flat(_texts("day.pdf", render("pdf", sheet)))
    assert "已登记08:05" in pdf and "已登记09:10" in pdf
    assert pdf.index("隆庆村") < pdf.index("三坪村") < pdf.index("法华村") < pdf.index("心田村")
    assert pdf.index("法华村") < pdf.index("午休", pdf.index("法华村")) < pdf.index("龙头村")
    html = render("html", sheet).decode("utf-8")
    listed = html[html.index('<ol class="stops">'):]
    assert "到达 15:20，走访 15:20-15:55；已登记 08:05" in listed
    assert listed.index('data-seq="1"') < listed.index('data-seq="2"') < listed.index('data-seq="6"')


def test_the_itinerary_page_shows_the_recorded_time_beside_the_planned_one_in_route_order(engine, monkeypatch) -> None:
    pid = _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        _early_day(s, pid)
    at = _officer_app(OFFICER_T1, MONDAY).run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any("到达 15:20 · 走访 15:20-15:55** · 已登记 08:05" in t for t in texts), texts
    heads = [t for t in texts if t.startswith("### ") or t.startswith("**午休")]
    # The top card is the next stop (2); below, the day's list in route order, recorded or not.
    order = [t for t in heads[1:]]
    assert [o.split(".")[0].removeprefix("### ") if o.startswith("### ") else "午休" for o in order] == [
        "1", "3", "午休", "4", "5", "6"], order
