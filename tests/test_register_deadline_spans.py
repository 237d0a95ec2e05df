"""办理期限 written as a span from the day the letter came in (60日, 30天内, 十五个工作日, a bare 60) or as a date with
前 was refused with a warning and replaced by the default 60 days: a 15-working-day case lost six weeks."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from planner.intake.deadlines import add_workdays, deadline_from_span
from planner.intake.register import read_register

RECEIVED = dt.date(2026, 9, 28)  # a Monday before the National Day week (10-01 .. 10-07 off, 10-10 a workday)


@pytest.mark.parametrize(("cell", "due"), [
    ("60日", dt.date(2026, 11, 27)), ("30天内", dt.date(2026, 10, 28)), ("六十日", dt.date(2026, 11, 27)),
    ("15个自然日", dt.date(2026, 10, 13)), ("限30日内办结", dt.date(2026, 10, 28)), (60, dt.date(2026, 11, 27)),
    ("一百二十天", dt.date(2027, 1, 26)),
    # 9-29, 9-30; 10-08, 10-09, 10-10 (Saturday, a workday); 10-12 .. 10-16; 10-19 .. 10-23
    ("十五个工作日", dt.date(2026, 10, 23)), ("15个工作日", dt.date(2026, 10, 23)),
])
def test_spans(cell: object, due: dt.date) -> None:
    assert deadline_from_span(cell, RECEIVED) == (due, "")


@pytest.mark.parametrize("cell", ["2026年12月31日", "abc", "0日", "400天", None, 46000])
def test_what_is_no_span(cell: object) -> None:
    assert deadline_from_span(cell, RECEIVED) == (None, "")


def test_working_days_in_a_year_the_calendar_does_not_hold_skip_weekends_and_say_so() -> None:
    day, known = add_workdays(dt.date(2026, 12, 28), 5)  # 12-29 .. 12-31, then 2027-01-01 (a Friday), 01-04
    assert (day, known) == (dt.date(2027, 1, 4), False)
    due, note = deadline_from_span("5个工作日", dt.date(2026, 12, 28))
    assert due == day and "2027 年的法定节假日安排不在内置日历中" in note and "2027-01-04" in note


def test_a_register_with_spans_and_dates_with_qian(tmp_path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "反映内容", "办理时限"])
    ws.append(["A1", "2026-09-28", "村主任侵占补偿款", "十五个工作日"])
    ws.append(["A2", "2026-09-28", "林业站收取保证金", "2026年12月31日前"])
    ws.append(["A3", "2026-12-28", "低保优亲厚友", "5个工作日"])
    path = tmp_path / "时限.xlsx"
    wb.save(path)
    preview = read_register(path, today=dt.date(2026, 12, 30))
    by_no = {r.values["case_no"]: r for r in preview.rows}
    assert by_no["A1"].values["deadline"] == dt.date(2026, 10, 23) and not by_no["A1"].issues
    assert by_no["A2"].values["deadline"] == dt.date(2026, 12, 31) and not by_no["A2"].issues
    assert by_no["A3"].values["deadline"] == dt.date(2027, 1, 4)
    assert [i.level for i in by_no["A3"].issues] == ["warning"] and "只扣除了周末" in by_no["A3"].issues[0].message
