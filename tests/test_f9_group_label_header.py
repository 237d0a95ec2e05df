"""A group label over two columns (反映问题 over 反映地址 | 反映内容) never decides which field a column fills."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from planner.intake.register import read_register


def _workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["平和县来信登记簿（2026年11月）"])
    ws.append(["序号", "来信情况", None, "信访人情况", None, "反映问题", None, None, "办理期限"])
    ws.append([None, "来信编号", "收信日期", "姓名", "联系方式", "反映地址", "反映内容", "被反映人", None])
    ws.append([1, "PH-001", "2026-11-03", "林某", "13900000000", "平和县小溪镇共和村",
               "反映共和村村委会收取保证金迟迟不退。", "共和村村委会主任林某某", "2027-01-02"])
    ws.append([2, "PH-002", "2026-11-04", "曾某", "13900000001", "平和县山格镇白楼村",
               "反映白楼村低保评定优亲厚友。", "白楼村党支部书记曾某", "2027-01-03"])
    for ref in ("A1:I1", "B2:C2", "D2:E2", "F2:H2", "A2:A3", "I2:I3"):
        ws.merge_cells(ref)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_sub_label_under_a_group_label_decides_the_field():
    preview = read_register(_workbook(), filename="登记簿.xlsx", today=dt.date(2026, 12, 7))
    assert preview.header_span == 2
    address, content = preview.mapping["address"], preview.mapping["content"]
    assert address.endswith("反映地址")
    assert content.endswith("反映内容")
    assert preview.mapping["reported_persons"].endswith("被反映人")
    first = preview.rows[0].values
    assert first["content"] == "反映共和村村委会收取保证金迟迟不退。"
    assert not any("按内容" in i.message for i in preview.issues)  # no address column guessed from values


def test_same_headers_on_one_row_map_alike():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["来信编号", "收信日期", "反映地址", "反映内容"])
    ws.append(["PH-001", "2026-11-03", "平和县小溪镇共和村", "反映共和村村委会收取保证金迟迟不退。"])
    buf = io.BytesIO()
    wb.save(buf)
    preview = read_register(buf.getvalue(), filename="登记簿.xlsx", today=dt.date(2026, 12, 7))
    assert preview.mapping["address"] == "反映地址"
    assert preview.mapping["content"] == "反映内容"


def test_sub_label_repeating_the_group_word_is_not_doubled():
    preview = read_register(_workbook(), filename="登记簿.xlsx", today=dt.date(2026, 12, 7))
    assert preview.headers[1] == "来信编号"  # 来信情况 over 来信编号, not 来信来信编号
    assert preview.mapping["case_no"] == "来信编号"
