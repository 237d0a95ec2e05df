"""After a leader re-plans a running plan during the day:

1. 行程 told the officers of a team whose day changed (计划已于 12-07 08:20 调整（第 2 版）：本组今天…), but the files
   they take to the field (PDF, Excel, offline HTML map, the packet zip, ICS) did not: an officer who printed the
   morning sheet or works from the downloaded HTML never saw it. Every download of that team-day now carries the same
   notice (escaped in HTML, places and stop numbers only).
2. A 改期 recorded today on a stop of today's route vanished from the officer's day (the re-plan moves the case to a
   later day). The day view and its downloads keep that stop today, marked 已改期 with the day it went to, as they
   keep visited stops.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from planner.field import export_plan, load_document
from planner.field.day import TeamDay, day_view, save_stop_outcome
from planner.field.model import build_itinerary
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.plans import load_plan, open_plan, resave_plan, route_notices
from tests.app.test_itinerary import MONDAY, OFFICER_T1, OFFICER_T2, PLAN, _officer_app, _saved

TUESDAY = MONDAY + dt.timedelta(days=1)
PUT_OFF = "ZZ2026-0101"  # V01, T1's first stop on Monday
HOSTILE_LABEL = "坂仔镇<b>心田</b>村"  # V06's label as the re-plan names it (a place name is text, never markup)


def _replanned(engine, monkeypatch, *, postpone: bool = True) -> int:
    """The fixture plan issued; at 08:10 T1's officer records 改期 on stop 1 (V01); at 08:20 the plan is saved again
    with V01 on T1's Tuesday (as a re-plan puts a 改期 stop after its day) and V06 moved to T1's Tuesday too."""
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:10")
    pid = _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        set_plan_status(s, pid, PlanStatus.ISSUED, who="boss")
    if postpone:
        with session_scope(engine) as s:
            save_stop_outcome(s, TeamDay(MONDAY, "T1", pid), PUT_OFF, result="postponed", findings="信访人外出打工",
                              who="li", actor=OFFICER_T1)
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:20")
    doc = load_document(PLAN)
    routes, moved = [], []
    for r in doc.plan.routes:
        if (r.team_id, r.date) == ("T1", MONDAY):
            moved = [s for s in r.stops if s.visit_id in ("V01", "V06")]
            r = dataclasses.replace(r, stops=tuple(s for s in r.stops if s not in moved))
        routes.append(r)
    routes = [dataclasses.replace(r, stops=(*r.stops, *moved)) if (r.team_id, r.date) == ("T1", TUESDAY) else r
              for r in routes]
    visits = {**doc.visits, "V06": dataclasses.replace(doc.visits["V06"], label=HOSTILE_LABEL)}
    new = dataclasses.replace(doc, visits=visits, plan=dataclasses.replace(doc.plan, routes=tuple(routes)))
    with session_scope(engine) as s:
        resave_plan(s, pid, new, who="boss", expected_version=open_plan(s, pid).version)
    return pid


def _pdf(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\n", "").replace(" ", "")


def _xlsx(data: bytes) -> str:
    return " ".join(str(c.value) for ws in load_workbook(io.BytesIO(data)).worksheets
                    for r in ws.iter_rows() for c in r if c.value is not None)


def _ics(data: bytes) -> str:
    return " ".join(str(ev.get("description")) for ev in Calendar.from_ical(data).walk("VEVENT"))


def _files(engine, pid: int, actor=OFFICER_T1, team: str = "T1") -> dict[str, bytes]:
    with session_scope(engine) as s:
        doc = load_plan(s, pid, actor=actor)
        return {fmt: export_plan(doc, fmt, team_id=team, date=MONDAY, session=s, actor=actor, plan_id=pid,
                                 today=MONDAY)
                for fmt in ("pdf", "xlsx", "html", "zip", "ics")}


def _notice(engine, pid: int) -> str:
    with session_scope(engine) as s:
        (notice,) = route_notices(s, pid, "T1", {MONDAY}, MONDAY, other_days=True)  # as every sheet says it
    return notice


def test_every_download_of_the_changed_team_day_carries_the_notice(engine, monkeypatch) -> None:
    pid = _replanned(engine, monkeypatch)
    notice = _notice(engine, pid)
    assert notice.startswith("计划已于 12-07 08:2") and "本组今天移出" in notice
    files = _files(engine, pid)
    flat = notice.replace(" ", "")
    assert flat in _pdf(files["pdf"])
    assert notice in _xlsx(files["xlsx"])
    assert notice in _ics(files["ics"]).replace("\\,", ",").replace("\\;", ";")
    html = files["html"].decode("utf-8")
    assert notice.replace("<", "&lt;").replace(">", "&gt;") in html
    with zipfile.ZipFile(io.BytesIO(files["zip"])) as zf:
        names = zf.namelist()
        pdf = next(n for n in names if n.endswith(".pdf"))
        assert flat in _pdf(zf.read(pdf))
        page = next(n for n in names if n.endswith(".html"))
        assert notice.replace("<", "&lt;").replace(">", "&gt;") in zf.read(page).decode("utf-8")
        book = next(n for n in names if n.endswith(".xlsx"))
        assert notice in _xlsx(zf.read(book))


def test_the_notice_in_the_offline_map_is_text_never_markup(engine, monkeypatch) -> None:
    pid = _replanned(engine, monkeypatch)
    with session_scope(engine) as s:
        (notice,) = route_notices(s, pid, "T1", {TUESDAY}, MONDAY, other_days=True)
        assert HOSTILE_LABEL in notice  # V06 added to Tuesday under its new name
        html = export_plan(load_plan(s, pid, actor=OFFICER_T1), "html", team_id="T1", date=TUESDAY, session=s,
                           actor=OFFICER_T1, plan_id=pid, today=MONDAY).decode("utf-8")
    assert notice.replace("<", "&lt;").replace(">", "&gt;") in html
    assert "<b>心田</b>" not in html


def test_a_team_whose_day_did_not_change_gets_no_notice_in_its_files(engine, monkeypatch) -> None:
    pid = _replanned(engine, monkeypatch)
    files = _files(engine, pid, OFFICER_T2, "T2")
    assert "计划已于" not in _pdf(files["pdf"]) and "计划已于" not in _xlsx(files["xlsx"])
    assert "计划已于" not in files["html"].decode("utf-8")


def test_the_sheet_of_a_plan_never_replanned_has_no_notice(engine, monkeypatch) -> None:
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:10")
    pid = _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        set_plan_status(s, pid, PlanStatus.ISSUED, who="boss")
    files = _files(engine, pid)
    assert "计划已于" not in _pdf(files["pdf"]) and "已改期" not in _pdf(files["pdf"])


def _putoff_place(engine, pid: int) -> str:
    with session_scope(engine) as s:
        before = build_itinerary(load_document(PLAN), "T1", MONDAY)
        assert PUT_OFF not in {c.case_no for st in build_itinerary(load_plan(s, pid), "T1", MONDAY).stops
                               for c in st.cases}
    return before.stops[0].place()


def test_a_stop_put_off_today_stays_on_todays_sheets_marked_with_its_new_day(engine, monkeypatch) -> None:
    pid = _replanned(engine, monkeypatch)
    place = _putoff_place(engine, pid)
    files = _files(engine, pid)
    pdf = _pdf(files["pdf"])
    assert PUT_OFF in pdf and place in pdf and "已改期至2026-12-08" in pdf
    xlsx = _xlsx(files["xlsx"])
    assert "已改期至 2026-12-08" in xlsx and PUT_OFF in xlsx
    html = files["html"].decode("utf-8")
    assert "已改期至 2026-12-08" in html and PUT_OFF in html
    assert "外出打工" not in html  # the officer's reason is the record's, not the sheet's


def test_the_officers_day_keeps_the_put_off_stop_marked(engine, monkeypatch) -> None:
    pid = _replanned(engine, monkeypatch)
    place = _putoff_place(engine, pid)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    heads = [t for t in texts if t.startswith("### ") and place in t]
    assert heads and "已改期至 2026-12-08" in heads[0], heads
    assert any(t.startswith("**已登记**：改期（信访人外出打工）") for t in texts)
    assert any("改期 1" in t for t in texts), texts  # counted as put off, as before the re-plan
    # Its record is not offered for a correction the server would refuse (the stop is no longer on today's route).
    with session_scope(engine) as s:
        left = [c for st in build_itinerary(load_plan(s, pid), "T1", MONDAY).stops for c in st.cases]
    assert len([b for b in at.button if "it_form_" in str(b.key)]) == len(left)  # the letters still to visit
    assert any(w.value.startswith("计划已于") for w in at.warning)


def test_the_day_view_of_the_library_keeps_the_put_off_stop(engine, monkeypatch) -> None:
    from planner.field.replanned import with_changes

    pid = _replanned(engine, monkeypatch)
    with session_scope(engine) as s:
        doc = load_plan(s, pid)
        (it,) = with_changes([build_itinerary(doc, "T1", MONDAY)], s, doc, pid, today=MONDAY)
    view = day_view(it)
    (card,) = [c for c in view.stops if c.put_off]
    assert card.done and card.postponed and [c.case_no for c in card.cases] == [PUT_OFF]
    assert card.put_off.startswith("已改期至 2026-12-08")
    assert view.next_stop is not None and not view.next_stop.put_off
    assert view.progress_text().startswith("已完成 0 · 改期 1 · 待走访 4")


@pytest.mark.parametrize("day", [TUESDAY])
def test_the_put_off_stop_is_not_doubled_on_the_day_it_went_to(engine, monkeypatch, day) -> None:
    pid = _replanned(engine, monkeypatch)
    with session_scope(engine) as s:
        doc = load_plan(s, pid, actor=OFFICER_T1)
        data = export_plan(doc, "pdf", team_id="T1", date=day, session=s, actor=OFFICER_T1, plan_id=pid,
                           today=MONDAY)
    assert "已改期至" not in _pdf(data)


def test_the_officers_downloads_on_the_page_carry_the_notice_and_the_put_off_stop(engine, monkeypatch) -> None:
    """The page's own buttons (their files are built on the click): the day's PDF and offline map, the plan's Excel."""
    import streamlit
    from streamlit.delta_generator import DeltaGenerator

    pid = _replanned(engine, monkeypatch)
    notice = _notice(engine, pid)
    built: dict[str, object] = {}
    drawn = DeltaGenerator.download_button

    def button(self, label, data=None, *args, key=None, **kw):
        built[key] = data  # the click's callable, called below as the click would
        return drawn(self, label, b"", *args, key=key, **kw)

    monkeypatch.setattr(DeltaGenerator, "download_button", button)
    monkeypatch.setattr(streamlit, "download_button", lambda *a, **kw: button(streamlit._main, *a, **kw))
    monkeypatch.setattr("pages.common.live_download", lambda build, *_: build)  # no login session in an AppTest
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    pdf = _pdf(built["it_dl_pdf"]())
    assert notice.replace(" ", "") in pdf and "已改期至2026-12-08" in pdf and PUT_OFF in pdf
    html = built["it_dl_html"]().decode("utf-8")
    # (the notice names Tuesday's new stop too, whose label holds markup: escaped in the page)
    assert notice.replace("<", "&lt;").replace(">", "&gt;") in html and "已改期至 2026-12-08" in html
    assert notice in _xlsx(built["it_dl_plan_xlsx"]())
