"""导入 → 按类汇总 (walk W13): the line summing up 27 dates written without a year read 「日期 … 没有年份；…，
按 … 导入」 — placeholders of the rows' own values — while each row's note said the day it is read as. The line
says the rule applied: the year the dates are read in (and, for 办理期限 without a year, how its day is found);
each row's own note still names its day."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from _ui_data import db_url
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.intake.note_groups import kind_lines
from planner.intake.register import read_register

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")
TODAY = dt.date(2026, 12, 1)
#: (收件日期, 办理期限) of each letter: dated ones from 2026-10-08 to 10-20, three without a year between them, two
#: 办理期限 without a year.
DATES = (("2026-10-08", ""), ("10月9日", ""), ("2026-10-10", "11月30日"), ("10月12日", ""),
         ("2026-10-14", "12月1日"), ("10/16", ""), ("2026-10-20", ""))


def _register() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "漳州市纪委监委信访室 2026年第四季度来信登记表"
    ws.append(["序号", "来信日期", "反映地点", "反映内容", "办理期限"])
    for i, (day, deadline) in enumerate(DATES, start=1):
        ws.append([i, day, "平和县山格镇", f"反映山格镇第{i}村村干部在低保评定中优亲厚友。", deadline])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _line(lines: list[str], column: str) -> str:
    [line] = [x for x in lines if x.startswith(f"「{column}」") and "没有年份" in x]
    return line


def test_the_summary_says_the_year_the_dates_are_read_in() -> None:
    preview = read_register(_register(), filename="四季度.xlsx", today=TODAY)
    assert preview.valid_rows == len(DATES)
    assert [r.values["received_date"] for r in preview.rows][1::2] == [dt.date(2026, 10, 9), dt.date(2026, 10, 12),
                                                                      dt.date(2026, 10, 16)]
    line = _line(kind_lines(preview.issues), "来信日期")
    assert "…" not in line.split("：3 行")[0], line  # no placeholder of a row's value
    assert "按 2026 年" in line and "3 行（第4、6、8行）" in line, line
    # Each row's own note still names the day it is read as.
    notes = "\n".join(preview.error_lines())
    assert "日期 '10月12日' 没有年份" in notes and "按 2026-10-12 导入" in notes


def test_the_summary_of_deadlines_without_a_year_says_how_they_are_read() -> None:
    preview = read_register(_register(), filename="四季度.xlsx", today=TODAY)
    assert [r.values["deadline"] for r in preview.rows][2:5:2] == [dt.date(2026, 11, 30), dt.date(2026, 12, 1)]
    line = _line(kind_lines(preview.issues), "办理期限")
    assert "…" not in line.split("：2 行")[0] and "收件日期" in line and "2 行（第5、7行）" in line, line


def test_the_preview_page_shows_the_rule_not_placeholders(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[Key.TODAY] = TODAY
    app.session_state[FILE_KEY] = ("四季度.xlsx", _register())
    app.run()
    assert not app.exception
    summary = next(m.value for m in app.markdown if "按类汇总" in m.value)
    [item] = [x for x in summary.splitlines() if x.startswith("- ") and "来信日期" in x]
    assert "按 2026 年" in item and "日期 … 没有年份" not in item and "按 … 导入" not in item, item
