"""Walk W14b: a stop of two letters with one recorded 已走访 and one still to visit read 部分完成：已走访 1 · 待走访 1
beside its place, while the day's progress line (on the phone, in the Excel header and the PDF) counted it 待走访."""

from __future__ import annotations

from planner.field.day import day_view, stop_records
from planner.field.recorded import with_outcomes
from tests.export.stop_steps import first_of_two_visited
from tests.export.test_day import MONDAY, issued, plan_id, raw  # noqa: F401 (fixtures)


def test_the_progress_line_counts_a_partly_visited_stop_as_partly_done(engine, session, plan_id, issued,  # noqa: F811
                                                                     raw) -> None:  # noqa: F811
    _day, it, _two, _second = first_of_two_visited(session, plan_id)
    session.commit()
    nos = [c.case_no for s in it.stops for c in s.cases]
    view = day_view(it, recorded=stop_records(session, nos, MONDAY, "T1"))
    total = len(view.stops)
    assert view.progress_text() == f"已完成 0 · 部分完成 1 · 待走访 {total - 1}（共 {total} 站）"
    (sheet,) = with_outcomes([it], session, plan_id)
    assert sheet.progress.endswith(view.progress_text())  # the day's files say the same as 行程
