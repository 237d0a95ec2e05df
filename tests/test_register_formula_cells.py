"""A formula cell whose file holds no computed value (written by a script or a program that does not calculate):
the import says it is a formula without a result, instead of only "反映内容为空"."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from planner.intake.register import read_register

TODAY = dt.date(2026, 12, 2)


def _register() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "问题属地", "反映内容", "承办人"])
    ws.append(["XF-001", "2026-11-03", "平和县小溪镇", "小溪镇林业站收取桉树砍伐保证金不退。", "张三"])
    # openpyxl writes formulas without a cached result, as many scripts do.
    ws.append(["XF-002", "2026-11-04", "南靖县船场镇", "=D2", "李四"])
    ws.append(["XF-003", "2026-11-05", "华安县沙建镇", "沙建镇河段夜里有人非法采砂。", "=E2"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_formula_without_a_stored_result_is_named_as_such() -> None:
    preview = read_register(_register(), filename="formulas.xlsx", today=TODAY)
    by_row = {r.row: r for r in preview.rows}
    assert preview.valid_rows == 2  # the letter whose content is an uncomputed formula is rejected
    content = [i for i in by_row[3].issues if i.level == "error"]
    assert len(content) == 1 and content[0].column == "反映内容"
    assert "反映内容为空" in content[0].message and "公式" in content[0].message
    # An optional column holding such a formula is imported empty, with a warning that says why.
    warn = [i for i in by_row[4].issues if i.column == "承办人"]
    assert len(warn) == 1 and warn[0].level == "warning" and "公式" in warn[0].message
    assert not any(i.level == "error" for i in by_row[4].issues)
    # Ordinary rows say nothing about formulas.
    assert not any("公式" in i.message for i in by_row[2].issues)
