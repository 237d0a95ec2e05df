"""A row equal to an earlier row in every cell but its number (walk G1 with hand-written county registers, defect 2).

The county's register had an unsigned letter twice — same day, words, place, everything but 编号 (and 序号) — and
the import took both rows without a word. Which row is which letter cannot be told (several villagers may send the
same unsigned letter, so the rule for anonymous letters stays: both are imported), but the later row now warns,
naming the earlier row and its number, and the preview says so above the 校验结果, before the coordinator confirms.
A signed letter numbered twice is rejected as before (same_letter), and a row equal in every cell but 序号 is
rejected as entered twice and listed among the rejected rows with its reason.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from planner.intake.register import import_register, read_register, rejected_rows
from planner.intake.twin_rows import twin_rows_note
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "import_register.py")
TODAY = dt.date(2026, 12, 7)
LETTER = "马坑乡和春村村干部挪用修桥的钱给自己买了车。"
OTHER = "霞寨镇林业站收取桉树砍伐保证金不退。"
WARNING = ("与第 {row} 行（编号 {theirs}）除{columns}外各格都相同；信没有署名，无法判断是否为同一封信，两行都导入"
           "（本行编号 {mine}）；如是同一封信登记了两次，请在登记表中删去一行后再导入")

# The note names the file, the rows with their 序号 and both numbers (walk H1: "第 5 行与第 3 行" alone sent the clerk
# looking for which file and which numbers).
NOTE = ("华安县登记表.xlsx：第 5 行（序号 3，编号 HA-2026-043）与第 3 行（序号 1，编号 HA-2026-041）"
        "除编号外各格都相同：信没有署名，无法判断是否为同一封信，后一行照常导入为另一件信访件；"
        "如是同一封信登记了两次，请先在登记表中删去一行再导入。校验结果中写明每行对应的是哪一行。")


def _county_register() -> bytes:
    """The walk's register: no 信访人 column; 序号 3 repeats 序号 1 under another number."""
    wb = Workbook()
    ws = wb.active
    ws.append(["华安县纪委监委2026年11月信访件登记表"])
    ws.append(["序号", "信访件编号", "收件日期", "反映内容", "问题发生地", "办理期限", "备注"])
    ws.append([1, "HA-2026-041", dt.date(2026, 11, 19), LETTER, "华安县马坑乡和春村", "60日", None])
    ws.append([2, "HA-2026-042", dt.date(2026, 11, 20), OTHER, "平和县霞寨镇", "60日", None])
    ws.append([3, "HA-2026-043", dt.date(2026, 11, 19), LETTER, "华安县马坑乡和春村", "60日", None])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cases(engine) -> list[str]:
    with session_scope(engine) as s:
        return sorted(s.scalars(select(CaseRow.case_no)))


def test_the_later_row_warns_naming_the_earlier_row_and_both_are_kept() -> None:
    preview = read_register(_county_register(), filename="华安县登记表.xlsx", today=TODAY)
    assert (preview.valid_rows, preview.rejected_rows, preview.repeated_rows) == (3, 0, 0)
    message = WARNING.format(row=3, theirs="HA-2026-041", columns="序号、信访件编号", mine="HA-2026-043")
    assert [i.message for i in preview.rows[2].issues] == [message]
    assert f"华安县登记表.xlsx 第5行（序号 3）：{message}" in preview.error_lines()
    assert not preview.rows[0].issues and not preview.rows[1].issues
    assert [r for r in preview.issue_rows() if r["行"] == 5] == [
        {"行": 5, "序号": "3", "编号": "HA-2026-043", "列": "", "级别": "提示", "说明": message}]
    assert twin_rows_note(preview.rows, preview.filename) == NOTE


def test_an_anonymous_letter_in_a_csv_without_xuhao_warns_too() -> None:
    data = ("编号,收件日期,信访人,反映内容,问题发生地\n"
            f"A-1,2026-11-19,匿名,{LETTER},华安县马坑乡\n"
            f"A-2,2026-11-20,匿名,{OTHER},平和县霞寨镇\n"
            f"A-3,2026-11-19,匿名,{LETTER},华安县马坑乡\n").encode()
    preview = read_register(data, filename="r.csv", today=TODAY)
    assert preview.valid_rows == 3
    assert [i.message for r in preview.rows for i in r.issues] == [
        WARNING.format(row=2, theirs="A-1", columns="编号", mine="A-3")]


def test_rows_that_differ_in_another_cell_or_are_signed_are_handled_as_before() -> None:
    data = ("序号,编号,收件日期,信访人,联系电话,反映内容,问题发生地,备注\n"
            f"1,A-1,2026-11-19,,,{LETTER},华安县马坑乡,\n"
            f"2,A-2,2026-11-19,,,{LETTER},华安县马坑乡,第二位村民来信\n"  # another cell differs: no warning
            f"3,A-3,2026-11-19,何金发,13606961234,{LETTER},华安县马坑乡,\n"
            f"4,A-4,2026-11-19,何金发,13606961234,{LETTER},华安县马坑乡,\n").encode()  # signed: rejected
    preview = read_register(data, filename="r.csv", today=TODAY)
    assert [r.ok for r in preview.rows] == [True, True, True, False]
    assert [[i.message for i in r.issues] for r in preview.rows[:3]] == [[], [], []]
    assert twin_rows_note(preview.rows) == ""


def test_import_keeps_both_says_so_and_a_second_import_adds_nothing(engine) -> None:
    summary = import_register(engine, _county_register(), filename="华安县登记表.xlsx", today=TODAY)
    assert (summary.imported, summary.rejected) == (3, 0)
    assert any(i.row == 5 and i.message.startswith("与第 3 行（编号 HA-2026-041）") for i in summary.issues)
    again = import_register(engine, _county_register(), filename="华安县登记表.xlsx", today=TODAY)
    assert (again.imported, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 0)
    assert _cases(engine) == ["HA-2026-041", "HA-2026-042", "HA-2026-043"]


def test_a_row_equal_but_for_xuhao_is_listed_among_the_rejected_rows_and_never_imported_twice(engine) -> None:
    data = ("序号,编号,收件日期,反映内容,问题发生地\n"
            f"1,A-1,2026-11-19,{LETTER},华安县马坑乡\n"
            f"2,A-1,2026-11-19,{LETTER},华安县马坑乡\n").encode()
    assert twin_rows_note(read_register(data, filename="r.csv", today=TODAY).rows, "r.csv") == (
        "r.csv：第 3 行（序号 2，编号 A-1）与第 2 行（序号 1，编号 A-1）完全相同（重复录入），后一行不导入，"
        "导入后列在拒收的行中。校验结果中写明每行对应的是哪一行。")
    for _ in range(2):
        summary = import_register(engine, data, filename="r.csv", today=TODAY)
        assert summary.rejected == 1
        with session_scope(engine) as s:
            assert [(r["行号"], r["原因"]) for r in rejected_rows(s, summary.batch_id)] == [
                (3, "与第 2 行完全相同（重复录入）")]
    assert _cases(engine) == ["A-1"]


def test_the_preview_page_warns_before_the_coordinator_confirms(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state["actor"] = Actor("xietiao", "coordinator", display_name="协调员")
    app.session_state["import_file"] = ("华安县登记表.xlsx", _county_register())
    app.run()
    assert not app.exception
    assert {m.label: m.value for m in app.metric}["将拒收"] == "0"
    assert NOTE in [w.value for w in app.warning]
    issues = next(d.value for d in app.dataframe if "说明" in d.value.columns)
    assert list(issues[issues["行"] == 5]["说明"]) == [
        WARNING.format(row=3, theirs="HA-2026-041", columns="序号、信访件编号", mine="HA-2026-043")]
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(CaseRow)) == 0  # nothing written before 确认导入
