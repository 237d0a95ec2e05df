"""办理期限 written without its year (walk with hand-written county registers, G1 defect 1).

The county's clerk wrote the deadline as 1/3, 1月3日, 12/20: the import used the default (收件日期 + 60 天) and said
the date was unreadable. A deadline is never before the letter came in, so such a day is read as the first one on or
after the received date (1/3 of a letter received 2026-11-20 is 2027-01-03), and the row says how its year was
inferred, as a year-less received date does. A day no year makes real, or one too far from the letter to tell its
year, keeps the default and says so.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from planner.domain import HANDLING_DAYS
from planner.intake.register import import_register, read_register
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 7)
RECEIVED = dt.date(2026, 11, 20)


def _xlsx(*deadlines: object, received: object = RECEIVED) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年11月来信登记表"])
    ws.append(["编号", "收件日期", "信访人", "问题发生地", "反映内容", "办理期限"])
    for i, deadline in enumerate(deadlines, 1):
        ws.append([f"HX-{i:03d}", received, "林阿水", "平和县坂仔镇心田村", f"第{i}封：村里桉树砍伐保证金不退。",
                   deadline])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _deadline_notes(data: bytes) -> list[tuple[dt.date, str]]:
    preview = read_register(data, filename="华安县登记表.xlsx", today=TODAY)
    assert preview.valid_rows == preview.rows_read
    return [(r.values["deadline"], next((i.message for i in r.issues if i.column == "办理期限"), ""))
            for r in preview.rows]


@pytest.mark.parametrize(("written", "month", "day", "expected"), [
    ("1/3", 1, 3, dt.date(2027, 1, 3)),  # after the new year: next year's
    ("1月3日", 1, 3, dt.date(2027, 1, 3)),
    ("1月3号前", 1, 3, dt.date(2027, 1, 3)),
    ("12/20", 12, 20, dt.date(2026, 12, 20)),  # later in the letter's own year
    ("１２／２０", 12, 20, dt.date(2026, 12, 20)),  # typed full-width
    ("11月20日", 11, 20, RECEIVED),  # the very day the letter came in
])
def test_a_deadline_without_year_is_the_first_such_day_on_or_after_the_received_date(written, month, day,
                                                                                    expected) -> None:
    [(deadline, note)] = _deadline_notes(_xlsx(written))
    assert deadline == expected
    assert note == (f"办理期限 {written!r} 没有年份；办理期限不早于收件日期 2026-11-20，按收件日期之后的 "
                    f"{month} 月 {day} 日即 {expected.isoformat()} 导入（如不对请在登记表中改正）")


@pytest.mark.parametrize(("written", "why"), [
    ("2/30", "（2 月没有 30 日）"),
    ("13/1", "（没有 13 月）"),
    ("2/29", "（2027 年 2 月没有 29 日）"),  # neither 2026 nor 2027 has one
    ("11/19", "（没有年份；收件日期 2026-11-20 之后的 11 月 19 日是 2027-11-19，离收件日期超过半年，"
              "无法确定是哪一年，请写明年份）"),  # the day before the letter: a slip, not next year's deadline
])
def test_an_impossible_or_doubtful_day_keeps_the_default_and_says_why(written, why) -> None:
    [(deadline, note)] = _deadline_notes(_xlsx(written))
    assert deadline == RECEIVED + dt.timedelta(days=HANDLING_DAYS)
    assert note == f"无法识别的日期 {written!r}{why}，已按收件日期后 {HANDLING_DAYS} 天计"


def test_a_full_date_and_a_span_are_read_as_before() -> None:
    rows = _deadline_notes(_xlsx("2027-01-03", "30日", dt.date(2027, 1, 5)))
    assert rows == [(dt.date(2027, 1, 3), ""), (RECEIVED + dt.timedelta(days=30), ""), (dt.date(2027, 1, 5), "")]


def test_the_import_stores_the_inferred_deadline_and_a_second_import_changes_nothing(engine) -> None:
    data = _xlsx("1/3", "12/20", "2/30")
    first = import_register(engine, data, filename="华安县登记表.xlsx", today=TODAY)
    assert (first.imported, first.rejected) == (3, 0)
    with session_scope(engine) as s:
        stored = {no: day for no, day in s.execute(select(CaseRow.case_no, CaseRow.deadline))}
    assert stored == {"HX-001": dt.date(2027, 1, 3), "HX-002": dt.date(2026, 12, 20),
                      "HX-003": RECEIVED + dt.timedelta(days=HANDLING_DAYS)}
    again = import_register(engine, data, filename="华安县登记表.xlsx", today=TODAY)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)
