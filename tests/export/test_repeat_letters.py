"""A letter whose petitioner wrote again about it (重复件) says so on the officers' sheets: the later letters wait
for it and are settled along with it, so the officer must know they exist."""

from __future__ import annotations

import io

import openpyxl

from planner.field import build_itinerary, render
from planner.field.day import day_view
from planner.intake.register import import_register
from planner.store.cases import field_case_details, load_cases
from planner.store.database import session_scope
from planner.store.teams import ensure_default_teams
from tests.export.test_confidential import plan_letters
from tests.export.test_privacy import _texts


def _register() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "信访人", "联系电话", "问题发生地", "反映内容"])
    ws.append(["HJ-1", "2026-09-02", "蔡水生", "13905960001", "漳浦县赤湖镇后江村", "后江村干部侵占征地补偿款"])
    ws.append(["HJ-2", "2026-10-08", "蔡水生", "13905960001", "漳浦县赤湖镇后江村",
               "再次反映征地补偿款被侵占，至今未处理"])
    ws.append(["HJ-3", "2026-11-12", "蔡水生", "13905960001", "漳浦县赤湖镇后江村", "第三次反映后江村征地补偿款问题"])
    ws.append(["OT-1", "2026-10-01", "陈阿水", "13905965678", "漳浦县赤湖镇", "赤湖镇某村收取砍伐保证金"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_first_letter_of_a_chain_lists_the_resent_letters_on_every_sheet(engine):
    import_register(engine, _register(), filename="重复件.xlsx", who="test")
    with session_scope(engine) as s:
        cases = [c for c in load_cases(s) if c.case_no in ("HJ-1", "OT-1")]  # 选件 took the first letter only
        teams = ensure_default_teams(s)
        details = field_case_details(s, [c.case_no for c in cases])
    assert details["HJ-1"]["repeats"] == "HJ-2、HJ-3" and "repeats" not in details["OT-1"]
    doc = plan_letters(cases, teams, details)
    route = next(r for r in doc.plan.routes
                 if any("HJ-1" in doc.visits[st.visit_id].case_nos for st in r.stops))
    it = build_itinerary(doc, route.team_id, route.date)
    cards = {c.case_no: c for s in day_view(it).stops for c in s.cases}
    assert "HJ-2、HJ-3" in cards["HJ-1"].repeats and "随本件一并办结" in cards["HJ-1"].repeats
    for fmt, name in (("pdf", "d.pdf"), ("xlsx", "d.xlsx"), ("html", "d.html"), ("ics", "d.ics")):
        text = _texts(name, render(fmt, it)).replace("\n", "").replace(" ", "").replace("\r", "")
        assert "同一信访人此后又来信：HJ-2、HJ-3" in text, fmt
        assert "蔡水生" not in text and "13905960001" not in text, fmt


def test_a_repeat_letter_at_the_same_stop_says_so_and_is_handled_with_the_first(engine):
    """Walk C: 选件 took HJ-1 and HJ-2 (same village: one stop). HJ-1's card listed HJ-2 as a repeat, HJ-2's own
    card said nothing, and after 已走访 on HJ-1 the stop stayed open with HJ-2 still to record."""
    import_register(engine, _register(), filename="重复件.xlsx", who="test")
    with session_scope(engine) as s:
        cases = [c for c in load_cases(s) if c.case_no in ("HJ-1", "HJ-2")]
        teams = ensure_default_teams(s)
        details = field_case_details(s, [c.case_no for c in cases])
    doc = plan_letters(cases, teams, details)
    route = next(r for r in doc.plan.routes if any("HJ-1" in doc.visits[st.visit_id].case_nos for st in r.stops))
    it = build_itinerary(doc, route.team_id, route.date)
    (stop,) = [s for s in day_view(it).stops if any(c.case_no == "HJ-1" for c in s.cases)]
    cards = {c.case_no: c for c in stop.cases}
    assert set(cards) == {"HJ-1", "HJ-2"} and cards["HJ-2"].repeat_of == "HJ-1"
    assert "随 HJ-1 一并办理" in cards["HJ-2"].settled_text() and "在 HJ-1 登记结果即可" in cards["HJ-2"].settled_text()
    assert not stop.done
    (stop,) = [s for s in day_view(it, recorded={"HJ-1"}).stops if any(c.case_no == "HJ-1" for c in s.cases)]
    assert stop.done and "HJ-1 已登记结果" in {c.case_no: c for c in stop.cases}["HJ-2"].settled_text()
