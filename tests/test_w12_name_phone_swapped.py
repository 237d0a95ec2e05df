"""导入: a phone (or ID) number under 来信人 and a name under 联系电话 is said to be swapped, the row kept as written.

Walk W12: row 0503 had a mobile number in 来信人 and 林某 in 联系电话; the preview said only 联系电话格式不对.
"""

from __future__ import annotations

import datetime as dt
import io
import logging

import openpyxl
from sqlalchemy import select

from planner.intake.register import import_register, read_register
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 1)
MOBILE, ID_NO, NAME = "13859612345", "350628198003036662", "林某"


def _register() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "来信人", "联系电话", "反映内容"])
    ws.append(["W1", "2026-11-02", MOBILE, NAME, "松洲村集体土地被违规出租建厂"])
    ws.append(["W2", "2026-11-02", ID_NO, "陈 水 生", "村主任侵占补偿款"])  # an ID number under 来信人
    ws.append(["W3", "2026-11-02", "黄丽丽", "林某", "低保优亲厚友"])  # a name in 联系电话 only: a bad phone
    ws.append(["W4", "2026-11-02", "郑家豪", "0596-6281234", "宅基地收钱"])  # as it should be
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_swapped_name_and_phone_said_plainly_and_the_row_kept(engine, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    preview = read_register(_register(), filename="w12.xlsx", today=TODAY)
    by_row = {r.values["case_no"]: r for r in preview.rows}
    for no in ("W1", "W2"):
        notes = [i for i in by_row[no].issues if "似乎填反了" in i.message]
        assert len(notes) == 1 and notes[0].level == "warning", no
        assert notes[0].text("w12.xlsx").startswith(f"w12.xlsx 第{by_row[no].row}行：来信人与联系电话似乎填反了")
        assert not any("格式不对" in i.message for i in by_row[no].issues)  # the one note that says what happened
    assert not any("填反" in i.message for i in by_row["W3"].issues)
    assert any("联系电话格式不对" in i.message for i in by_row["W3"].issues)
    assert not by_row["W4"].issues
    summary = import_register(engine, _register(), filename="w12.xlsx", today=TODAY)
    assert (summary.imported, summary.rejected) == (4, 0)  # kept, as other format notes keep their rows
    with session_scope(engine) as s:
        assert set(s.scalars(select(CaseRow.case_no))) == {"W1", "W2", "W3", "W4"}
    said = "\n".join([*preview.error_lines(limit=100), *(i.text() for i in summary.issues), caplog.text])
    assert "似乎填反了" in said
    for value in (MOBILE, ID_NO, NAME, "陈 水 生", "陈水生"):
        assert value not in said
