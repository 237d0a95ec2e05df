"""Year-less received dates: the message's example is the cell's own day, and a day that cannot exist says so.

Found on the walk: '11月18日' was refused with "请写成 2026-10-11" (another day altogether), and '10月32日' was
refused as having no year, when no year would make it a day.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from planner.intake.register import read_register

TODAY = dt.date(2026, 12, 3)


def _csv(*days: str) -> bytes:
    lines = ["编号,收件日期,信访人,地址,反映内容"]
    lines += [f"D-{i},{day},林阿水,平和县坂仔镇,第{i}封信：保证金不退。" for i, day in enumerate(days, 1)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _messages(data: bytes, filename: str = "r.csv", today: dt.date = TODAY) -> list[str]:
    preview = read_register(data, filename=filename, today=today)
    return [next((i.message for i in r.issues if i.column == "收件日期"), "") for r in preview.rows]


@pytest.mark.parametrize(("written", "today", "example"), [
    ("12月18日", TODAY, "2025-12-18"),  # the import date's year would make it a day to come: the latest 12月18日
    ("2月29日", TODAY, "2024-02-29"),
])
def test_the_example_is_the_cells_own_day(written, today, example) -> None:
    (message,) = _messages(_csv(written), today=today)
    assert message == f"日期 {written!r} 没有年份，无法确定是哪一年（请写成 {example}）"


def test_a_day_after_the_last_letter_takes_the_year_the_register_title_names() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["2025年第四季度来信登记表"])
    ws.append(["编号", "收件日期", "信访人", "地址", "反映内容"])
    ws.append(["D-1", dt.date(2025, 10, 8), "林阿水", "平和县", "征地补偿款未发放。"])
    ws.append(["D-2", "11月18日", "陈美玉", "平和县", "低保评定不公开。"])  # after the last dated letter
    buf = io.BytesIO()
    wb.save(buf)
    messages = _messages(buf.getvalue(), "r.xlsx")  # after the last dated letter: the title's year, said
    assert messages[1] == "日期 '11月18日' 没有年份；表头上方写明 2025 年，按 2025-11-18 导入（如不对请在登记表中改正）"


@pytest.mark.parametrize(("written", "reason"), [
    ("10月32日", "10 月没有 32 日"),
    ("13月5日", "没有 13 月"),
    ("2月30日", "2 月没有 30 日"),
    ("9月31日", "9 月没有 31 日"),
    ("10月0日", "没有 0 日"),
])
def test_a_day_that_cannot_exist_is_told_as_such_not_as_a_missing_year(written, reason) -> None:
    preview = read_register(_csv(written, "2026-10-09"), filename="r.csv", today=TODAY)
    row = preview.rows[0]
    assert not row.ok
    assert [i.message for i in row.issues if i.column == "收件日期"] == [f"日期不存在：{written}（{reason}）"]


def test_an_impossible_day_in_a_register_that_gives_the_year_is_still_no_day() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年第四季度来信登记表"])
    ws.append(["编号", "收件日期", "信访人", "地址", "反映内容"])
    ws.append(["D-1", dt.date(2026, 10, 8), "林阿水", "平和县", "征地补偿款未发放。"])
    ws.append(["D-2", "10月32日", "陈美玉", "平和县", "低保评定不公开。"])
    ws.append(["D-3", dt.date(2026, 11, 20), "黄志强", "平和县", "养老金被挪用。"])
    buf = io.BytesIO()
    wb.save(buf)
    assert _messages(buf.getvalue(), "r.xlsx")[1] == "日期不存在：10月32日（10 月没有 32 日）"


@pytest.mark.parametrize(("cell", "day"), [
    ("二〇二六年十一月三日", dt.date(2026, 11, 3)), ("二〇二六年十二月三十一日", dt.date(2026, 12, 31)),
    ("二〇二六年二月二十日", dt.date(2026, 2, 20)), ("2026年11月3号", dt.date(2026, 11, 3)),
    ("2026年11月3日上午", dt.date(2026, 11, 3)), ("2026年11月3号下午3点", dt.date(2026, 11, 3)),
    ("2026年11月3日 上午9时30分", dt.date(2026, 11, 3)), ("２０２６年１１月３日", dt.date(2026, 11, 3)),
])
def test_dates_as_clerks_write_them(cell: str, day: dt.date) -> None:
    """Official documents write dates in Chinese numerals; clerks write 号 for 日 and the part of the day."""
    from planner.intake.rows import parse_date

    assert parse_date(cell) == day


@pytest.mark.parametrize("cell", ["二〇二六年十一月", "2026年11月", "11/03/2026", "二〇二六年十三月三日"])
def test_what_is_no_day_stays_refused(cell: str) -> None:
    from planner.intake.rows import parse_date

    with pytest.raises(ValueError):
        parse_date(cell)
