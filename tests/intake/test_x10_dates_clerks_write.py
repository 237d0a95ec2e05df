"""Dates a clerk writes (walk W33): 2026年十一月三日 and 26.11.3 are read; a year-less 11月8日 takes its year, said,
from the workbook's other sheets' titles, the file name, the rows beside it, or else the import date's year when that
day is not to come — never silently."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from planner.intake.dates import parse_date
from planner.intake.register import read_register
from planner.intake.register_sheets import read_workbook

TODAY = dt.date(2026, 12, 7)
FIX = "（如不对请在登记表中改正）"


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("2026年十一月三日", dt.date(2026, 11, 3)),
        ("2026年十二月三十一日", dt.date(2026, 12, 31)),
        ("2026 年 十一月 三号", dt.date(2026, 11, 3)),
        ("26.11.3", dt.date(2026, 11, 3)),
        ("26-11-03", dt.date(2026, 11, 3)),
        ("26年11月3日", dt.date(2026, 11, 3)),
        ("２６．１１．３", dt.date(2026, 11, 3)),
    ],
)
def test_dates_clerks_write(cell: str, day: dt.date) -> None:
    assert parse_date(cell) == day


@pytest.mark.parametrize("cell", ["11/3/26", "11.3.26", "26/11/3", "2026年十一月", "26.13.3"])
def test_two_digit_years_that_could_be_read_two_ways_are_not_read(cell: str) -> None:
    with pytest.raises(ValueError):
        parse_date(cell)


def _csv(*days: str) -> bytes:
    lines = ["编号,收件日期,信访人,地址,反映内容"]
    lines += [f"D-{i},{day},林阿水,平和县坂仔镇,第{i}封信：保证金不退。" for i, day in enumerate(days, 1)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _dates(preview) -> list[tuple[dt.date | None, str]]:
    return [
        (r.values.get("received_date"), next((i.message for i in r.issues if i.column == "收件日期"), ""))
        for r in preview.rows
    ]


def test_w33_cells_are_read_in_a_csv() -> None:
    preview = read_register(_csv("2026年十一月三日", "26.11.3"), filename="L.csv", today=TODAY)
    assert _dates(preview) == [(dt.date(2026, 11, 3), ""), (dt.date(2026, 11, 3), "")]


def _book(*sheets: tuple[str, str, tuple[object, ...]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, title, days in sheets:
        ws = wb.create_sheet(name)
        ws.append([title])
        ws.append(["编号", "收件日期", "信访人", "反映地址", "反映内容"])
        for i, day in enumerate(days, 1):
            ws.append([f"{name}-{i}", day, "林阿水", f"{name}坂仔镇", f"第{i}封信：保证金不退。"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet(data: bytes, filename: str, sheet: str):
    return next(p for p in read_workbook(data, filename=filename, today=TODAY).read if p.sheet == sheet)


def test_the_year_comes_from_the_rows_beside_it_in_a_sheet_whose_title_names_none() -> None:
    """Workbook B of W33: 平和县信访件台账 wrote 11月8日 above 2026-11-13; no title nor the file name names a year."""
    data = _book(
        ("南靖县", "南靖县信访件台账", ("2026年11月2日", "2026.11.4")),
        ("平和县", "平和县信访件台账", ("11月8日", "2026-11-13", "2026年13月1日")),
    )
    ph = _sheet(data, "B_各县汇总.xlsx", "平和县")
    day, note = _dates(ph)[0]
    assert day == dt.date(2026, 11, 8) and ph.rows[0].ok
    why = "本表相邻行的日期是 第 4 行 2026-11-13，取离它们最近的 2026 年"
    assert note == f"日期 '11月8日' 没有年份；{why}，按 2026-11-08 导入{FIX}"


def test_the_year_comes_from_the_other_sheets_titles_first() -> None:
    data = _book(
        ("南靖县", "南靖县 2025年来信台账", ("2025-11-02",)), ("平和县", "平和县信访件台账", ("11月8日", "2026-11-13"))
    )
    day, note = _dates(_sheet(data, "B.xlsx", "平和县"))[0]
    assert day == dt.date(2025, 11, 8)
    assert note == f"日期 '11月8日' 没有年份；工作簿其他工作表的标题写明 2025 年，按 2025-11-08 导入{FIX}"


def test_the_year_comes_from_the_file_name() -> None:
    preview = read_register(_csv("11月8日"), filename="平和县2026年12月.csv", today=TODAY)
    assert _dates(preview) == [
        (dt.date(2026, 11, 8), f"日期 '11月8日' 没有年份；文件名写明 2026 年，按 2026-11-08 导入{FIX}")
    ]


def test_the_rows_beside_a_new_year_give_the_nearer_year() -> None:
    preview = read_register(
        _csv("2026-12-28", "12月30日", "2027-01-04", "1月2日"), filename="r.csv", today=dt.date(2027, 1, 10)
    )
    assert [d for d, _n in _dates(preview)] == [
        dt.date(2026, 12, 28),
        dt.date(2026, 12, 30),
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 2),
    ]


def test_else_the_import_dates_year_but_never_a_day_to_come() -> None:
    preview = read_register(_csv("11月8日", "12月18日"), filename="r.csv", today=TODAY)
    (past, past_note), (future, future_note) = _dates(preview)
    assert past == dt.date(2026, 11, 8) and preview.rows[0].ok
    assert past_note == (
        f"日期 '11月8日' 没有年份；表中没有写明年份，取导入日期 2026-12-07 所在的年份，按 2026-11-08 导入{FIX}"
    )
    assert future is None and not preview.rows[1].ok
    assert future_note == "日期 '12月18日' 没有年份，无法确定是哪一年（请写成 2025-12-18）"
