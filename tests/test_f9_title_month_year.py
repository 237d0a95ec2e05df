"""A year-less date (11/30) in a register whose title names the month (2026年11月) is read in that year and month,
also when it is the last letter of the sheet."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from planner.intake.register import read_register


def _register(title: str, last: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(["编号", "收信日期", "反映地址", "反映内容"])
    ws.append(["PH-1", "2026年11月3日", "平和县小溪镇", "反映村干部优亲厚友。"])
    ws.append(["PH-2", "2026.11.27", "平和县山格镇", "反映低保评定不公。"])
    ws.append(["PH-3", last, "平和县坂仔镇", "反映拖欠工程款。"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_last_letter_without_year_in_the_titled_month():
    preview = read_register(_register("平和县来信登记簿（2026年11月）", "11/30"), filename="A.xlsx",
                            today=dt.date(2026, 12, 7))
    last = preview.rows[-1]
    assert last.ok
    assert last.values["received_date"] == dt.date(2026, 11, 30)
    assert any("2026 年 11 月内" in i.message for i in last.issues)


def test_between_first_and_last_still_read():
    preview = read_register(_register("平和县来信登记簿（2026年）", "11/10"), filename="A.xlsx",
                            today=dt.date(2026, 12, 7))
    assert preview.rows[-1].values["received_date"] == dt.date(2026, 11, 10)


def test_outside_the_titled_month_read_in_the_titles_year_and_said():
    """Walk W33 (fixer FU): the title's one year is the year, the row saying so (these were refused)."""
    for title, last, day in (("平和县来信登记簿（2026年11月）", "12/1", dt.date(2026, 12, 1)),
                             ("平和县来信登记簿（2026年）", "11/30", dt.date(2026, 11, 30)),
                             ("来信登记簿（2026年11月至12月）", "11/30", dt.date(2026, 11, 30)),
                             ("填表日期：2026年11月28日", "11/30", dt.date(2026, 11, 30))):
        preview = read_register(_register(title, last), filename="A.xlsx", today=dt.date(2026, 12, 7))
        row = preview.rows[-1]
        assert row.ok and row.values["received_date"] == day, title
        assert any("表头上方写明 2026 年" in i.message for i in row.issues), title


def test_a_day_to_come_in_the_titles_year_still_refused():
    preview = read_register(_register("平和县来信登记簿（2026年）", "12/20"), filename="A.xlsx",
                            today=dt.date(2026, 12, 7))
    assert not preview.rows[-1].ok
