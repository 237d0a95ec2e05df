"""Walk W8: a letter whose 编号 cell is empty, in a register with a 编号 column, is imported under a number made from
the letter (自编-收件日期-摘要, as a register without a number column numbers its letters), said in the row and in the
preview; the same number on every import, so importing the register again adds no case. A row that has no received
day or no words cannot be numbered and stays refused."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from sqlalchemy import func, select

from planner.intake.blank_numbers import NOT_NUMBERED, blank_numbers_note
from planner.intake.register import import_register, read_register, rejected_rows
from planner.intake.rows import generated_case_no
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 7)
HEADERS = ("县区", "编号", "收信日期", "信访人", "联系电话", "反映地址", "反映内容", "备注")
#: (编号, 收信日期, 信访人, 反映内容, 备注): two numbered letters, two with an empty 编号 cell (one anonymous), one
#: empty 编号 cell without words and one without a received day.
LETTERS = (
    ("LH2611-001", "2026-11-03", "陈国平", "港尾镇浯屿村村主任在征地中虚报青苗补偿款。", ""),
    ("", "2026-11-05", "林秀英", "执法队员收商户钱，不给就扣三轮车，店主敢怒不敢言。", "来信"),
    ("LH2611-003", "2026/11/08", "黄志明", "赤湖镇后江村低保评定不公，村干部亲属吃低保。", ""),
    ("", "2026年11月11日", "匿名", "反映仙都镇大地村干部截留高速征地青苗补偿。", "12388网站"),
    ("", "2026-11-12", "张丽华", "", "附照片3张"),
    ("", "", "李建福", "官洋村书记利用职务在村道硬化工程中指定其弟施工。", ""),
)


def _register(letters=LETTERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "龙海区纪委监委信访件登记表（2026年11月）"
    ws.merge_cells("A1:H1")
    ws.append(list(HEADERS))
    for no, day, name, content, remark in letters:
        ws.append(["龙海区", no, day, name, "13859612345" if name != "匿名" else "", "龙海区港尾镇", content, remark])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _expected(letter) -> str:
    _, day, name, content, _ = letter
    return generated_case_no(dt.date.fromisoformat(day.replace("/", "-").replace("年", "-").replace("月", "-")
                                                   .replace("日", "")), content, name)


def _cases(engine) -> dict[str, str]:
    with session_scope(engine) as s:
        return {no: content for no, content in s.execute(select(CaseRow.case_no, CaseRow.content))}


def test_an_empty_number_cell_gets_the_number_made_from_its_letter_and_says_so() -> None:
    preview = read_register(_register(), filename="11月登记.xlsx", today=TODAY)
    assert preview.mapping["case_no"] == "编号" and not preview.generated_case_no
    by_row = {r.row: r for r in preview.rows}  # title on row 1, header on row 2: letters from row 3
    assert (preview.rows_read, preview.valid_rows, preview.rejected_rows) == (6, 4, 2)
    assert by_row[3].values["case_no"] == "LH2611-001" and by_row[5].values["case_no"] == "LH2611-003"
    signed, anonymous = by_row[4], by_row[6]
    assert signed.ok and signed.values["case_no"] == _expected(LETTERS[1])
    assert signed.values["case_no"].startswith("自编-20261105-")
    assert anonymous.ok and anonymous.values["case_no"] == _expected(LETTERS[3])
    assert anonymous.values["case_no"] != signed.values["case_no"]
    # The row says it, as a warning in the 编号 column, with the number the letter gets.
    for row in (signed, anonymous):
        told = [i for i in row.issues if i.column == "编号"]
        assert [i.level for i in told] == ["warning"]
        assert told[0].message.startswith(f"编号为空，已自动编号 {row.values['case_no']}")
    assert f"第4行「编号」：编号为空，已自动编号 {signed.values['case_no']}" in "\n".join(preview.error_lines())
    # The preview counts them and names their numbers before the coordinator confirms.
    note = blank_numbers_note(preview.rows, preview.mapping["case_no"])
    assert note.startswith("2 行「编号」为空，已按收件日期、反映内容和信访人自动编号")
    assert signed.values["case_no"] in note and anonymous.values["case_no"] in note and "不会重复" in note
    assert "1 行" not in note.split("。")[0]
    # Without words or without a received day there is nothing to number it from: refused, saying why.
    for row, other in ((by_row[7], "反映内容为空"), (by_row[8], "收件日期为空")):
        messages = [i.message for i in row.issues if i.level == "error"]
        assert not row.ok and NOT_NUMBERED in messages and other in messages
    assert "2 行「编号」为空，又缺少收件日期或反映内容，无法自动编号，将拒收" in note
    # The 校验结果 table still shows the register's own (empty) number, so the clerk finds the row as he wrote it.
    shown = [r for r in preview.issue_rows() if r["行"] == 4]
    assert shown and all(r["编号"] == "" for r in shown)


def test_a_register_with_every_number_filled_has_no_note() -> None:
    filled = tuple((f"LH-{i}", *letter[1:]) for i, letter in enumerate(LETTERS[:4]))
    preview = read_register(_register(filled), filename="r.xlsx", today=TODAY)
    assert preview.valid_rows == 4 and blank_numbers_note(preview.rows, "编号") == ""
    assert all(not str(r.values["case_no"]).startswith("自编-") for r in preview.rows)


def test_importing_the_same_register_again_adds_no_case(engine) -> None:
    data = _register()
    first = import_register(engine, data, filename="11月登记.xlsx", today=TODAY)
    assert (first.rows_read, first.imported, first.rejected) == (6, 4, 2)
    cases = _cases(engine)
    blank_numbers = {_expected(LETTERS[1]), _expected(LETTERS[3])}
    assert set(cases) == {"LH2611-001", "LH2611-003", *blank_numbers}
    assert cases[_expected(LETTERS[3])] == LETTERS[3][3]
    with session_scope(engine) as s:
        refused = rejected_rows(s, first.batch_id)
        assert sorted(r["行号"] for r in refused) == [7, 8]
        assert all(NOT_NUMBERED in r["原因"] for r in refused)

    again = import_register(engine, data, filename="11月登记.xlsx", today=TODAY)
    assert (again.imported, again.updated, again.unchanged, again.rejected) == (0, 0, 4, 2)
    assert _cases(engine) == cases
    # The clerk sorted the register by date and saved it again: the numbers follow the letters, not their rows.
    shuffled = import_register(engine, _register(tuple(reversed(LETTERS))), filename="11月登记（整理）.xlsx",
                               today=TODAY)
    assert (shuffled.imported, shuffled.updated, shuffled.unchanged) == (0, 0, 4)
    with session_scope(engine) as s:
        assert s.execute(select(func.count()).select_from(CaseRow)).scalar_one() == 4


def test_two_empty_cells_with_the_same_letter_are_numbered_apart_on_every_import(engine) -> None:
    # The same day, words and writer, another 备注: as a register without numbers, the second is 自编-…-2.
    twice = (*LETTERS[:2], ("", *LETTERS[1][1:4], "要求回复"))
    preview = read_register(_register(twice), filename="r.xlsx", today=TODAY)
    numbers = [r.values["case_no"] for r in preview.rows]
    assert all(r.ok for r in preview.rows)
    assert numbers == ["LH2611-001", _expected(LETTERS[1]), f"{_expected(LETTERS[1])}-2"]
    assert any("第 4 行" in i.message and "按另一封信导入" in i.message for i in preview.rows[2].issues)
    first = import_register(engine, _register(twice), filename="r.xlsx", today=TODAY)
    again = import_register(engine, _register(twice), filename="r.xlsx", today=TODAY)
    assert (first.imported, again.imported, again.unchanged) == (3, 0, 3)
    assert set(_cases(engine)) == set(numbers)
