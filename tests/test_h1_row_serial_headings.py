"""A walker's register headed its running number 顺序 (others write 顺序号, 序次, 行次): read as 序号 is — the row's
reference in messages, left out when two rows are compared for being entered twice, never a case number."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.intake.columns import is_row_ref_header, row_ref_note
from planner.intake.register import import_register, read_register
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 7)
SERIALS = ("顺序", "顺序号", "序次", "行次", "次序", "排序号", "顺 序")


def _register(serial: str, *, numbered: bool = True) -> bytes:
    # Rows 2 and 3 are one letter entered twice (only the running number differs); row 4 has no received day.
    rows = [("1", "LH-001", "2026-11-03", "陈国平", "港尾镇浯屿村村主任虚报青苗补偿款"),
            ("2", "LH-002", "2026-11-05", "林秀英", "执法队员收商户钱，不给就扣三轮车"),
            ("3", "LH-002", "2026-11-05", "林秀英", "执法队员收商户钱，不给就扣三轮车"),
            ("4", "LH-004", "", "黄志明", "赤湖镇后江村低保评定不公")]
    head = [serial, *(["编号"] if numbered else []), "收件日期", "信访人", "问题发生地", "反映内容"]
    lines = [",".join(head)] + [",".join([ref, *([no] if numbered else []), day, name, "龙海区港尾镇", words])
                                for ref, no, day, name, words in rows]
    return ("\n".join(lines) + "\n").encode()


def _outcome(serial: str, *, numbered: bool = True):
    preview = read_register(_register(serial, numbered=numbered), filename="登记.csv", today=TODAY)
    return preview, [(r.row, r.ref, r.ok, tuple(i.message for i in r.issues if i.level == "error"))
                     for r in preview.rows]


@pytest.mark.parametrize("serial", SERIALS)
@pytest.mark.parametrize("numbered", [True, False])
def test_a_serial_column_under_another_heading_is_read_as_xuhao_is(serial: str, numbered: bool) -> None:
    preview, rows = _outcome(serial, numbered=numbered)
    reference, expected = _outcome("序号", numbered=numbered)
    assert preview.row_ref == serial and reference.row_ref == "序号"
    assert rows == expected  # the same refs, the same rows kept and refused, for the same reasons
    assert [r.ref for r in preview.rows] == ["1", "2", "3", "4"]
    assert not rows[2][2] and any("重复录入" in m for m in rows[2][3])  # entered twice: the serial is not compared
    assert preview.mapping.get("case_no") == ("编号" if numbered else None)
    lines = "\n".join(preview.error_lines())
    assert "第5行（序号 4）「收件日期」" in lines
    table = preview.issue_rows()
    assert {r["序号"] for r in table if r["行"] == 4} == {"3"}
    if not numbered:
        assert f"登记表的「{serial}」每张表都从 1 编起" in preview.case_no_note()


def test_the_column_mapping_says_what_the_serial_was_taken_as() -> None:
    preview, _ = _outcome("顺序")
    note = row_ref_note(preview.row_ref)
    assert note.startswith("「顺序」识别为行序号（序号）") and "不作编号用" in note
    assert row_ref_note(None) == ""


@pytest.mark.parametrize("header", ["顺序说明", "排序依据", "行政村", "序号备注", "编号", "信访件编号"])
def test_headings_that_only_contain_an_order_word_are_not_the_serial(header: str) -> None:
    assert not is_row_ref_header(header)


def test_the_register_with_a_shunxu_column_imports_the_letter_entered_twice_once(engine) -> None:
    first = import_register(engine, _register("顺序"), filename="登记.csv", today=TODAY)
    assert (first.imported, first.rejected) == (2, 2)
    again = import_register(engine, _register("顺序"), filename="登记.csv", today=TODAY)
    assert (again.imported, again.unchanged) == (0, 2)
    with session_scope(engine) as s:
        stored = {no: extra for no, extra in s.execute(select(CaseRow.case_no, CaseRow.extra_fields))}
    assert sorted(stored) == ["LH-001", "LH-002"]
    assert stored["LH-002"].get("顺序") == "2"  # kept on the case as written, as 序号 is
