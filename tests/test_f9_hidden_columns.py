"""A hidden column (a system's 流水号) never wins over a visible one for the same field; the preview names it."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from planner.intake.register import read_register


def _export(hide: str = "A") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["系统流水号", "信件编号", "登记日期", "问题属地", "信件内容", "经办人"])
    ws.append(["900001", "XJ-2611-01", "2026-11-03", "平和县小溪镇", "反映村干部优亲厚友。", "王某"])
    ws.append(["900002", "XJ-2611-02", "2026-11-04", "平和县山格镇", "反映低保评定不公。", "王某"])
    for col in hide:
        ws.column_dimensions[col].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_visible_number_column_wins_over_hidden_serial():
    preview = read_register(_export(), filename="导出.xlsx", today=dt.date(2026, 12, 7))
    assert preview.mapping["case_no"] == "信件编号"
    assert preview.rows[0].values["case_no"] == "XJ-2611-01"
    assert preview.hidden == ("系统流水号",)
    note = preview.reading_note()
    assert "隐藏的列" in note and "「系统流水号」（未使用）" in note


def test_hidden_column_used_when_no_visible_one_names_the_field():
    preview = read_register(_export(hide="AB"), filename="导出.xlsx", today=dt.date(2026, 12, 7))
    assert preview.mapping["case_no"] in ("系统流水号", "信件编号")
    assert preview.hidden == ("系统流水号", "信件编号")
    assert f"「{preview.mapping['case_no']}」（用作编号）" in preview.reading_note()


def test_nothing_hidden_no_note():
    preview = read_register(_export(hide=""), filename="导出.xlsx", today=dt.date(2026, 12, 7))
    assert preview.hidden == ()
    assert "隐藏" not in preview.reading_note()
