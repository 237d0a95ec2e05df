"""Walk W12: at a stop the officer recorded one letter 已走访, one 未找到 and one 改期; the stop read 已改期 and the day
已完成 0 · 改期 1. A stop whose letters were recorded differently says what happened to each (部分完成：已走访 1 ·
未找到 1 · 改期 1), on 行程 and on every sheet of the day, and the day's progress counts each stop once."""

from __future__ import annotations

import dataclasses
import datetime as dt

from planner.domain import VisitResult
from planner.field import build_itinerary, load_document, render
from planner.field.day import StopRecord, day_view, done_mark, save_stop_outcome
from planner.field.recorded import with_outcomes
from tests.export.stop_steps import first_of_two_visited
from tests.export.test_day import MONDAY, OFFICER_T1, issued, plan_id, raw  # noqa: F401 (fixtures)
from tests.export.test_privacy import _texts


def _rec(result: VisitResult, agreed: dt.date | None = None) -> StopRecord:
    return StopRecord(outcome_id=1, version=1, result=result, households=0, leads=0, findings="原因",
                      resolved=False, put_off_to=agreed)


def test_a_stop_of_letters_recorded_differently_counts_each_and_the_day_counts_it_once(raw) -> None:  # noqa: F811
    it = build_itinerary(load_document(raw), "T1", MONDAY)
    # The first stop holds the letters of the first three (as 隆庆村 held 0088, 0168 and 0164).
    three = dataclasses.replace(it.stops[0], cases=tuple(c for s in it.stops[:3] for c in s.cases))
    it = dataclasses.replace(it, stops=(three, *it.stops[3:]))
    nos = [c.case_no for c in three.cases]
    results = [VisitResult.VISITED, VisitResult.NOT_FOUND] + [VisitResult.POSTPONED] * (len(nos) - 2)
    records = {no: _rec(r, dt.date(2026, 12, 9) if r is VisitResult.POSTPONED else None)
               for no, r in zip(nos, results, strict=True)}
    view = day_view(it, recorded=records)
    card = view.stops[0]
    assert card.partial and not card.postponed and not card.not_found
    assert done_mark(card, records) == f"部分完成：已走访 1 · 未找到 1 · 改期 {len(nos) - 2}，约定 12-09"
    n = len(it.stops)
    assert view.progress_text() == f"已完成 0 · 部分完成 1 · 待走访 {n - 1}（共 {n} 站）"
    # Nobody met, one letter put off and one not found: put off as a whole, and both said.
    none_met = {**records, nos[0]: _rec(VisitResult.NOT_FOUND)}
    view = day_view(it, recorded=none_met)
    assert view.stops[0].postponed and not view.stops[0].partial
    assert done_mark(view.stops[0], none_met) == f"已改期：未找到 2 · 改期 {len(nos) - 2}，约定 12-09"
    assert view.progress_text() == f"已完成 0 · 改期 1 · 待走访 {n - 1}（共 {n} 站）"
    # Every letter visited, or every letter put off, reads as before.
    visited = {no: _rec(VisitResult.VISITED) for no in nos}
    assert done_mark(day_view(it, recorded=visited).stops[0], visited) == "已完成"
    put_off = {no: _rec(VisitResult.POSTPONED) for no in nos}
    assert done_mark(day_view(it, recorded=put_off).stops[0], put_off) == "已改期"


def test_the_days_sheets_say_partly_done_as_the_page_does(engine, session, plan_id, issued, raw) -> None:  # noqa: F811
    day, it, two, second = first_of_two_visited(session, plan_id)
    save_stop_outcome(session, day, second, result="postponed", households=0, leads=0, findings="信访人周三在家",
                      who="li", actor=OFFICER_T1, put_off_to=dt.date(2028, 1, 5))
    session.commit()
    (sheet,) = with_outcomes([it], session, plan_id)
    marks = {s.seq: s.outcome for s in sheet.stops}
    assert marks[two.seq] == "部分完成：已走访 1 · 改期 1，约定 01-05"
    n = len(it.stops)
    assert sheet.progress.endswith(f"已完成 0 · 部分完成 1 · 待走访 {n - 1}（共 {n} 站）")
    for fmt, name in (("pdf", "day.pdf"), ("xlsx", "day.xlsx"), ("ics", "day.ics")):
        text = _texts(name, render(fmt, sheet)).replace("\n", "").replace(" ", "").replace("\r", "")
        assert "部分完成：已走访1·改期1，约定01-05" in text, fmt
        assert "已改期，约定" not in text, fmt
