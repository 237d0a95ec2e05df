"""Walk W12b: at stop 1 the officer recorded one letter 已走访 and another 未找到 (or 改期); the leader re-planned the
rest and saved it as 第 2 版. The re-plan splits the letters not visited off the stop (V1-未找到, V1-改期) to visit
them again, and the day's sheets then showed the stop with the visited letter only: the 未找到 letter was on no
sheet of the day, the stop read 下一站 again, the progress line and the Excel 走访结果 went blank. What happened on
a day stays on that day's itinerary in every version, with the letters it concerns."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from planner.field import build_itinerary, export_plan, render
from planner.field.day import day_view, done_mark, officer_day, save_stop_outcome, stop_records
from planner.field.recorded import with_outcomes
from planner.field.replanned import with_changes
from planner.store.plans import load_plan, open_plan, resave_plan, split_history
from tests.export.test_day import MONDAY, OFFICER_T1, issued, plan_id, raw  # noqa: F401 (fixtures)
from tests.export.test_privacy import _texts


def _flat(text: str) -> str:
    return text.replace("\n", "").replace(" ", "").replace("\r", "")


@pytest.mark.parametrize("second, said", [("not_found", "未找到 1"), ("postponed", "改期 1")])
def test_a_letter_split_off_by_the_re_plan_stays_on_the_day_it_was_recorded(
        engine, session, plan_id, issued, raw, second, said) -> None:  # noqa: F811
    day = officer_day(session, OFFICER_T1, MONDAY)
    two = next(s for s in build_itinerary(load_plan(session, plan_id), "T1", MONDAY).stops if len(s.cases) == 2)
    first, other = (c.case_no for c in two.cases)
    save_stop_outcome(session, day, first, result="visited", households=2, leads=1, findings="已入户核实",
                      who="li", actor=OFFICER_T1)
    save_stop_outcome(session, day, other, result=second, households=0, leads=0, findings="信访人外出",
                      who="li", actor=OFFICER_T1)
    session.commit()
    # The re-plan's split (V1-未找到 / V1-改期 off the routes: 排不下), saved as the plan's 第 2 版.
    split, again = split_history(session, plan_id, load_plan(session, plan_id))
    assert again and all(v.startswith(f"{two.visit.visit_id}-") for v in again)
    resave_plan(session, plan_id, split, who="huang", expected_version=open_plan(session, plan_id).version)
    session.commit()

    doc = load_plan(session, plan_id, actor=OFFICER_T1)
    (it,) = with_changes([build_itinerary(doc, "T1", MONDAY)], session, doc, plan_id, today=MONDAY)
    stop = next(s for s in it.stops if s.visit.visit_id == two.visit.visit_id)
    assert {c.case_no for c in stop.cases} == {first, other}  # both letters, on their stop, not one gone
    assert not it.put_off
    # The 第 2 版 notice names the letters' new stop, left out (排不下), on the day they left.
    (split_id,) = again
    notice = " ".join(it.notices)
    assert f"移出 {split_id}" in notice and "本次未排入" in notice, notice
    records = stop_records(session, [first, other], MONDAY, "T1")
    view = day_view(it, recorded=records)
    card = next(c for c in view.stops if c.seq == stop.seq)
    assert done_mark(card, records) == f"部分完成：已走访 1 · {said}"
    assert view.next_stop is None or view.next_stop.seq != stop.seq
    (sheet,) = with_outcomes([it], session, plan_id)
    assert sheet.progress.endswith(f"已完成 0 · 部分完成 1 · 待走访 {len(it.stops) - 1}（共 {len(it.stops)} 站）")
    for fmt, name in (("pdf", "day.pdf"), ("xlsx", "day.xlsx")):
        text = _flat(_texts(name, render(fmt, sheet)))
        assert f"部分完成：已走访1·{said.replace(' ', '')}" in text, fmt
        assert "走访进度" in text, fmt
    # Its record may be corrected there, as any record of the day (the letter is on the day's sheet).
    save_stop_outcome(session, day, other, result=second, households=0, leads=0, findings="信访人外出打工",
                      who="li", actor=OFFICER_T1, expected_version=records[other].version)
    session.commit()
    assert stop_records(session, [other], MONDAY, "T1")[other].version == records[other].version + 1
    # The officer's download of the day says the same.
    data = export_plan(doc, "xlsx", team_id="T1", date=MONDAY, session=session, actor=OFFICER_T1, plan_id=plan_id,
                       today=MONDAY)
    assert f"部分完成：已走访1·{said.replace(' ', '')}" in _flat(_texts("day.xlsx", data))


def test_a_stop_where_nobody_was_met_and_moved_whole_stays_on_its_day(
        engine, session, plan_id, issued, raw) -> None:  # noqa: F811
    """A stop recorded 未找到 as a whole and moved to a later day by the re-plan stays on the day, 未找到, saying where
    it went (a stop put off 改期 always did)."""

    day = officer_day(session, OFFICER_T1, MONDAY)
    it0 = build_itinerary(load_plan(session, plan_id), "T1", MONDAY)
    one = it0.stops[0]
    for c in one.cases:
        save_stop_outcome(session, day, c.case_no, result="not_found", households=0, leads=0, findings="无人在家",
                          who="li", actor=OFFICER_T1)
    session.commit()
    doc = load_plan(session, plan_id)
    routes = tuple(dataclasses.replace(r, stops=tuple(s for s in r.stops if s.visit_id != one.visit.visit_id))
                   for r in doc.plan.routes)
    resave_plan(session, plan_id, dataclasses.replace(doc, plan=dataclasses.replace(doc.plan, routes=routes)),
                who="huang", expected_version=open_plan(session, plan_id).version)
    session.commit()
    doc = load_plan(session, plan_id, actor=OFFICER_T1)
    (it,) = with_changes([build_itinerary(doc, "T1", MONDAY)], session, doc, plan_id, today=MONDAY)
    (gone,) = it.put_off
    assert {c.case_no for c in gone.cases} == {c.case_no for c in one.cases}
    assert gone.put_off == "再访日期尚未排定"
    records = stop_records(session, [c.case_no for c in one.cases], MONDAY, "T1")
    card = next(c for c in day_view(it, recorded=records).stops if c.put_off)
    assert card.not_found and done_mark(card, records) == "未找到，已记录"


def test_a_repeat_letter_goes_with_its_first_letter_and_stays_beside_it_on_the_day(engine, session,
                                                                                   raw) -> None:  # noqa: F811
    """Walk W12b: 0292 (a repeat of 0168, 随 0168 一并办理) stayed on the visited stop when the re-plan planned 0168
    again on 12-08; 12-07 then read stop 1 as 下一站 for 0292 alone. The repeat goes with its first letter, and the
    day keeps both where they were."""
    from planner.store.lifecycle import PlanStatus, set_plan_status
    from tests.export.test_day import _store

    visit = next(v for v in raw["visits"] if len(v["case_nos"]) == 2)
    first, other = visit["case_nos"]
    again_no = "ZZ2026-0199"
    raw["cases"][again_no] = {**raw["cases"][other], "case_no": again_no, "summary": "再次反映：" +
                              raw["cases"][other]["summary"], "received_date": "2026-11-27"}
    raw["cases"][other] = {**raw["cases"][other], "repeats": again_no}
    visit["case_nos"] = [first, again_no, other]  # the repeat before its first letter, as the saved stop had it
    pid = _store(engine, raw)
    set_plan_status(session, pid, PlanStatus.ISSUED, who="chen")
    session.commit()
    day = officer_day(session, OFFICER_T1, MONDAY)
    save_stop_outcome(session, day, first, result="visited", households=1, leads=0, findings="已入户核实",
                      who="li", actor=OFFICER_T1)
    save_stop_outcome(session, day, other, result="not_found", households=0, leads=0, findings="信访人外出",
                      who="li", actor=OFFICER_T1)
    session.commit()
    split, again = split_history(session, pid, load_plan(session, pid))
    (vid,) = again
    assert split.visits[vid].case_nos == (other, again_no)
    assert split.visits[visit["id"]].case_nos == (first,)
    # The 第 2 版 plans the revisit on Tuesday (as 0168 went to 12-08).
    routes = tuple(dataclasses.replace(r, stops=(*r.stops, dataclasses.replace(r.stops[-1], visit_id=vid)))
                   if (r.team_id, r.date) == ("T1", MONDAY + dt.timedelta(days=1)) else r for r in split.plan.routes)
    split = dataclasses.replace(split, plan=dataclasses.replace(
        split.plan, routes=routes, unassigned=tuple(u for u in split.plan.unassigned if u.visit_id != vid)))
    resave_plan(session, pid, split, who="huang", expected_version=open_plan(session, pid).version)
    session.commit()
    doc = load_plan(session, pid, actor=OFFICER_T1)
    (it,) = with_changes([build_itinerary(doc, "T1", MONDAY)], session, doc, pid, today=MONDAY)
    stop = next(s for s in it.stops if s.visit.visit_id == visit["id"])
    assert [c.case_no for c in stop.cases] == [first, other, again_no]
    records = stop_records(session, [first, other, again_no], MONDAY, "T1")
    view = day_view(it, recorded=records)
    card = next(c for c in view.stops if c.seq == stop.seq)
    assert card.done and done_mark(card, records) == "部分完成：已走访 1 · 未找到 1"
    assert card.cases[2].repeat_of == other and card.cases[2].repeat_of_recorded
