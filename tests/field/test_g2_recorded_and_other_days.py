"""A field officer's phone day (user walk):

1. After recording the morning's visits on 行程 (已完成, 未找到, 改期), the offline HTML map and the PDF downloaded
   next showed every stop as still to visit: only the page marked them. Every file of the day now marks each stop in
   行程's words (已完成 / 已改期，约定 12-09 / 未找到，已记录) and says the day's progress; the map greys and ticks a
   visited stop's marker. Excel has a 走访结果 column; ICS, GPX and KML carry the mark in the stop's description.
2. A leader's re-plan that cancelled T2's 12-08 and 12-09 told T2's officer nothing: 计划已调整 spoke of the viewed
   day only, and a cancelled day has nothing left to open. The notice names every day of the team the re-plan
   changed or cancelled.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re

from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from planner.field import export_plan, load_document
from planner.field.day import TeamDay, save_stop_outcome
from planner.field.model import build_itinerary
from planner.field.xlsx import DAY_COLUMNS, HEADER_ROW
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow
from planner.store.plans import load_plan, open_plan, resave_plan, save_plan
from tests.app.test_itinerary import MONDAY, OFFICER_T1, OFFICER_T2, PLAN, _officer_app, _saved

TUESDAY, WEDNESDAY = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)


def _pdf(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\n", "").replace(" ", "")


def _recorded(engine, monkeypatch) -> tuple[int, list[str]]:
    """The fixture plan issued; by 11:30 T1's officer recorded stop 1 已走访, stop 3 未找到 and stop 4 改期 (agreed
    for 12-09); stops 2, 5 and 6 wait. Returns the plan id and the places of T1's Monday stops in order."""
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T09:00")
    pid = _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        set_plan_status(s, pid, PlanStatus.ISSUED, who="boss")
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T11:30")
    day = TeamDay(MONDAY, "T1", pid)
    with session_scope(engine) as s:
        save_stop_outcome(s, day, "ZZ2026-0101", result="visited", households=3, findings="已核实", who="li",
                          actor=OFFICER_T1, today=MONDAY)
        save_stop_outcome(s, day, "ZZ2026-0104", result="not_found", findings="信访人不在家", who="li",
                          actor=OFFICER_T1, today=MONDAY)
        save_stop_outcome(s, day, "ZZ2026-0105", result="postponed", findings="信访人外出", who="li",
                          put_off_to=WEDNESDAY, actor=OFFICER_T1, today=MONDAY)
    places = [st.place() for st in build_itinerary(load_document(PLAN), "T1", MONDAY).stops]
    return pid, places


def _files(engine, pid: int, fmts=("pdf", "html", "xlsx", "ics", "gpx", "kml")) -> dict[str, bytes]:
    with session_scope(engine) as s:
        doc = load_plan(s, pid, actor=OFFICER_T1)
        return {f: export_plan(doc, f, team_id="T1", date=MONDAY, session=s, actor=OFFICER_T1, plan_id=pid,
                               today=MONDAY) for f in fmts}


MARKS = {1: "已完成", 3: "未找到，已记录", 4: "已改期，约定 12-09"}


def test_the_offline_map_marks_each_recorded_stop_as_the_day_page_does(engine, monkeypatch) -> None:
    pid, places = _recorded(engine, monkeypatch)
    html = _files(engine, pid, ("html",))["html"].decode("utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="xf-data">(.*?)</script>', html, re.S)[1])
    by_seq = {s["seq"]: s for s in data["stops"]}
    for seq, mark in MARKS.items():  # the popup's first line, as 行程's card head: 1. 山格镇…（已完成）
        assert by_seq[seq]["lines"][0] == f"{seq}. {places[seq - 1]}（{mark}）", by_seq[seq]["lines"]
        assert by_seq[seq]["mark"] == mark
    assert by_seq[1]["state"] == "done" and by_seq[3]["state"] == by_seq[4]["state"] == "off"
    for seq in (2, 5, 6):
        assert by_seq[seq]["state"] == "" and "（" not in by_seq[seq]["lines"][0]
    assert re.search(r'<li value="1" data-seq="1" class="done">.*?<span class="mark">（已完成）</span>', html)
    assert '<li value="2" data-seq="2">' in html
    assert "走访进度（截至 12-07 11:30）：已完成 1 · 改期 1 · 未找到 1 · 待走访 3（共 6 站）" in html
    assert "xf-done" in html and "信访人外出" not in html and "信访人不在家" not in html  # reasons stay in the record


def test_the_pdf_and_excel_mark_each_recorded_stop(engine, monkeypatch) -> None:
    pid, places = _recorded(engine, monkeypatch)
    files = _files(engine, pid)
    pdf = _pdf(files["pdf"])
    for seq, mark in MARKS.items():
        assert f"{seq}．{places[seq - 1]}（{mark}）".replace(" ", "") in pdf
    assert f"2．{places[1]}到达".replace(" ", "") in pdf  # waits: no mark
    assert "走访进度（截至12-0711:30）：已完成1·改期1·未找到1·待走访3（共6站）" in pdf
    ws = load_workbook(io.BytesIO(files["xlsx"])).worksheets[1]
    col = [h for h, _ in DAY_COLUMNS].index("走访结果") + 1
    got = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=col).value
           for r in range(HEADER_ROW + 1, ws.max_row + 1) if isinstance(ws.cell(row=r, column=1).value, int)}
    assert got == {1: "已完成", 2: None, 3: "未找到，已记录", 4: "已改期，约定 12-09", 5: None, 6: None}
    events = {str(ev.get("summary")).split(".")[0]: str(ev.get("description"))
              for ev in Calendar.from_ical(files["ics"]).walk("VEVENT")}
    assert "走访结果：已完成" in events["1"] and "走访结果" not in events["2"]
    assert "【已完成】" in files["gpx"].decode("utf-8") and "（未找到，已记录）" in files["kml"].decode("utf-8")
    for data in files.values():  # the officer's reasons are the record's, not the files'
        assert "信访人外出".encode() not in data
    with session_scope(engine) as s:  # Tuesday: nothing recorded, nothing marked
        tuesday = _pdf(export_plan(load_plan(s, pid, actor=OFFICER_T1), "pdf", team_id="T1", date=TUESDAY,
                                   session=s, actor=OFFICER_T1, plan_id=pid, today=MONDAY))
    assert "走访进度" not in tuesday and "已完成" not in tuesday


def _three_days_of_t2(engine, monkeypatch) -> int:
    """T2 out on 12-07 (V07), 12-08 (V08) and 12-09 (V10), issued; at 08:20 the leader re-plans and drops T2's
    12-08 and 12-09 (left out), T2's 12-07 unchanged."""
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:00")
    doc = load_document(PLAN)
    t2 = doc.plan.route_for("T2", MONDAY)
    v07, v08 = t2.stops
    v10 = dataclasses.replace(v07, visit_id="V10")
    routes = [dataclasses.replace(t2, stops=(v07,)) if r is t2 else r for r in doc.plan.routes]
    routes += [dataclasses.replace(t2, date=TUESDAY, stops=(v08,)), dataclasses.replace(t2, date=WEDNESDAY,
                                                                                          stops=(v10,))]
    first = dataclasses.replace(doc, plan=dataclasses.replace(
        doc.plan, routes=tuple(routes), days=max(doc.plan.days, 3),
        unassigned=tuple(u for u in doc.plan.unassigned if u.visit_id != "V10")))
    with session_scope(engine) as s:
        for no, c in doc.cases.items():
            s.add(CaseRow(case_no=no, received_date=dt.date.fromisoformat(c["received_date"]),
                          deadline=dt.date.fromisoformat(c["deadline"]), title=c["summary"], content=c["summary"],
                          category=c["category"], county=c["county"], town=c["town"], village=c["village"],
                          status="planned"))
        s.flush()
        pid = save_plan(s, first, name="二组三天", who="boss")
        set_plan_status(s, pid, PlanStatus.ISSUED, who="boss")
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:20")
    second = dataclasses.replace(first, plan=dataclasses.replace(first.plan, routes=tuple(
        r for r in first.plan.routes if not (r.team_id == "T2" and r.date > MONDAY))))
    with session_scope(engine) as s:
        resave_plan(s, pid, second, who="boss", expected_version=open_plan(s, pid).version)
    monkeypatch.setenv("DATABASE_URL", str(engine.url.render_as_string(hide_password=False)))
    return pid


CANCELLED = ("本组 12-08 的走访取消，移出 V08 龙山镇涌口村（本次未排入）。"
             "本组 12-09 的走访取消，移出 V10 大溪镇（本次未排入）。")


def test_the_officers_day_names_the_other_days_the_replan_cancelled(engine, monkeypatch) -> None:
    _three_days_of_t2(engine, monkeypatch)
    at = _officer_app(OFFICER_T2, MONDAY)
    at.run()
    assert not at.exception
    notices = [w.value for w in at.warning if w.value.startswith("计划已于")]
    assert len(notices) == 1, [w.value for w in at.warning]
    assert re.fullmatch(r"计划已于 12-07 08:2\d 调整（第 2 版）：" + re.escape(CANCELLED), notices[0]), notices[0]
    # T1's officer: nothing of T1 changed, nothing said
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not [w.value for w in at.warning if w.value.startswith("计划已于")]


def test_the_days_files_name_the_cancelled_days_too(engine, monkeypatch) -> None:
    pid = _three_days_of_t2(engine, monkeypatch)
    with session_scope(engine) as s:
        doc = load_plan(s, pid, actor=OFFICER_T2)
        pdf = _pdf(export_plan(doc, "pdf", team_id="T2", date=MONDAY, session=s, actor=OFFICER_T2, plan_id=pid,
                               today=MONDAY))
    assert CANCELLED.replace(" ", "") in pdf
