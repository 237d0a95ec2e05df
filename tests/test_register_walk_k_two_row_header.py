"""Walk K: a header over two rows (信访人 merged over 姓名 | 联系电话, 被反映对象 over 姓名 | 单位及职务) read 第5列,
第7列 and took the sub-label row for a letter (编号为空；收件日期为空；反映内容为空); total, remark and signature rows
below the letters were rejected as letters too."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from planner.intake.register import read_register

TODAY = dt.date(2026, 12, 4)
UPPER = ["序号", "信访件编号", "收件日期", "信访人", None, "被反映对象", None, "所在地", "反映内容", "办理期限"]
LOWER = [None, None, None, "姓名", "联系电话", "姓名", "单位及职务", None, None, None]
LETTERS = [
    [1, "ZZ-001", "2026-10-08", "林某某", "13905961234", "陈某", "浯江村党支部书记", "漳浦县旧镇镇浯江村",
     "反映村集体鱼塘发包收入未入账。", "60日"],
    [2, "ZZ-002", "2026-10-12", "黄某", "13859601111", None, "角美镇林业站", "龙海区角美镇",
     "反映林业站收取保证金不退。", "2026-12-11"],
]
FOOTER = [
    ["合计", None, None, None, None, None, None, None, "共2件", None],
    ["备注：本表由市信访室汇总，各县区已核对。"],
    ["填表人：王某", None, None, None, None, "审核人：李某"],
]
EXPECTED = ["序号", "信访件编号", "收件日期", "信访人姓名", "信访人联系电话", "被反映人姓名", "被反映单位及职务",
            "所在地", "反映内容", "办理期限"]


def _merged_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "登记表"
    ws.append(["漳州市纪委监委信访举报件登记表（2026年第四季度）"])
    ws.merge_cells("A1:J1")
    ws.append(UPPER)
    ws.append(LOWER)
    for col in "ABCHIJ":  # the one-level headers span both rows
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("D2:E2")
    ws.merge_cells("F2:G2")
    for row in [*LETTERS, [], *FOOTER]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv() -> bytes:
    """The same register saved as CSV: the merges are lost, the group labels stand over blank cells."""
    lines = ["漳州市纪委监委信访举报件登记表（2026年第四季度）"]
    for row in [UPPER, LOWER, *LETTERS, *FOOTER]:
        lines.append(",".join("" if v is None else str(v) for v in row))
    return "\n".join(lines).encode("utf-8")


@pytest.mark.parametrize(("data", "name"), [(_merged_xlsx(), "两行表头.xlsx"), (_csv(), "两行表头.csv")])
def test_group_and_sub_labels_read_as_one_header(data: bytes, name: str) -> None:
    preview = read_register(data, filename=name, today=TODAY)
    assert list(preview.headers) == EXPECTED
    assert preview.mapping["petitioner_name"] == "信访人姓名"
    assert preview.mapping["petitioner_phone"] == "信访人联系电话"
    assert preview.mapping["reported_persons"] == "被反映人姓名"
    assert preview.mapping["reported_units"] == "被反映单位及职务"
    assert (preview.header_row, preview.header_span) == (2, 2)
    assert "表头占第 2–3 行" in preview.reading_note()
    # The sub-label row is no letter: the letters are the two rows of the register, both good.
    assert [r.values["case_no"] for r in preview.rows] == ["ZZ-001", "ZZ-002"]
    assert preview.rejected_rows == 0
    first = preview.rows[0]
    assert first.petitioner.phone == "13905961234"
    assert first.values["reported_persons"] == ["陈某"] and first.values["reported_units"] == ["浯江村党支部"]
    assert not any("编号为空" in i.message for i in preview.issues)


@pytest.mark.parametrize(("data", "name"), [(_merged_xlsx(), "两行表头.xlsx"), (_csv(), "两行表头.csv")])
def test_total_remark_and_signature_rows_are_skipped_with_a_note(data: bytes, name: str) -> None:
    preview = read_register(data, filename=name, today=TODAY)
    notes = {i.message for i in preview.issues if i.level == "warning" and "已跳过" in i.message}
    assert any("「合计」" in n and "合计行" in n for n in notes)
    assert any("「备注」" in n for n in notes)
    assert any("「填表人」" in n and "签名" in n for n in notes)
    assert all("王某" not in n for n in notes)  # the clerk's name is not repeated in the note
    assert preview.rows_read == 2


def test_a_merged_title_over_a_one_row_header_is_no_group() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["诏安县纪委监委信访件登记（2026年11月导出）"])
    ws.merge_cells("A1:E1")
    ws.append(["编号", "收信日期", "信访人", "地址", "内容摘要"])
    ws.append(["ZA-01", "2026-11-03", "沈某", "诏安县四都镇", "反映低保评定不公。"])
    buf = io.BytesIO()
    wb.save(buf)
    preview = read_register(buf.getvalue(), filename="标题.xlsx", today=TODAY)
    assert list(preview.headers) == ["编号", "收信日期", "信访人", "地址", "内容摘要"]
    assert (preview.header_row, preview.header_span) == (2, 1)
    assert [r.values["case_no"] for r in preview.rows] == ["ZA-01"]


def test_the_header_printed_again_between_letters_is_skipped_not_rejected() -> None:
    text = "\n".join([
        "编号,收件日期,信访人,地址,反映内容,备注",
        "A1,2026-11-03,沈某,诏安县四都镇,反映低保评定不公。,",
        "编号,收件日期,信访人,地址,反映内容,备注",
        "A2,2026-11-04,钟某,诏安县南诏镇,反映征地补偿不到位。,",
    ])
    preview = read_register(text.encode(), filename="分页.csv", today=TODAY)
    assert [r.values["case_no"] for r in preview.rows] == ["A1", "A2"]
    assert [i.row for i in preview.issues if "表头" in i.message and "已跳过" in i.message] == [3]


def test_a_lone_remark_word_before_its_text_is_a_remark_row() -> None:
    text = "编号,收件日期,地址,反映内容\nA1,2026-11-03,诏安县四都镇,反映低保评定不公。\n备注,,,本表已核对"
    preview = read_register(text.encode(), filename="备注.csv", today=TODAY)
    assert preview.rows_read == 1 and any("「备注」" in i.message for i in preview.issues)


def test_a_letter_whose_first_cell_reads_like_a_total_is_still_a_letter() -> None:
    text = "\n".join([
        "被反映单位,收件日期,编号,反映内容",
        "合计村村委会,2026-11-03,A1,反映村务不公开。",
    ])
    preview = read_register(text.encode(), filename="合计村.csv", today=TODAY)
    assert [r.values["case_no"] for r in preview.rows] == ["A1"] and preview.rows[0].ok
