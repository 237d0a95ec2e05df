"""The preview's note on rows numbered twice names the file, both rows (with 序号) and the 编号: one 编号 on two rows,
a row entered twice, an unsigned row equal to another but for its 编号 (walk H1: the note said only "第 5 行与第 3 行",
and nothing at all of one 编号 on two rows)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.intake.register import read_register
from planner.intake.twin_rows import twin_rows_note
from planner.office.security import Actor

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "import_register.py")
TODAY = dt.date(2026, 12, 7)
FILE = "南靖县12月登记表.csv"


def _register(serial: bool = True) -> bytes:
    rows = [("1", "NJ-101", "2026-11-03", "陈国平", "书洋镇村主任虚报青苗补偿款"),
            ("2", "NJ-102", "2026-11-04", "匿名", "执法队员收商户钱"),
            ("3", "NJ-103", "2026-11-04", "匿名", "执法队员收商户钱"),  # unsigned, equal to 序号 2 but its 编号
            ("4", "NJ-101", "2026-11-06", "黄志明", "低保评定不公"),  # 序号 1's 编号 again, another letter
            ("5", "NJ-102", "2026-11-04", "匿名", "执法队员收商户钱")]  # 序号 2 entered twice
    head = ["序号"] * serial + ["编号", "收件日期", "信访人", "问题发生地", "反映内容"]
    lines = [",".join(head)] + [",".join([ref] * serial + [no, day, name, "南靖县书洋镇", words])
                                for ref, no, day, name, words in rows]
    return ("\n".join(lines) + "\n").encode()


def test_the_note_names_file_rows_serials_and_numbers() -> None:
    preview = read_register(_register(), filename=FILE, today=TODAY)
    note = twin_rows_note(preview.rows, preview.filename)
    assert note.startswith(f"{FILE}：")
    assert "第 6 行（序号 5，编号 NJ-102）与第 3 行（序号 2，编号 NJ-102）完全相同（重复录入）" in note
    assert "第 5 行（序号 4）与第 2 行（序号 1）编号都是 NJ-101（编号重复），后一行不导入" in note
    assert "第 4 行（序号 3，编号 NJ-103）与第 3 行（序号 2，编号 NJ-102）除编号外各格都相同" in note
    # Every row the note names is one the 校验结果 lists with its reason.
    listed = {r["行"] for r in preview.issue_rows()}
    assert {4, 5, 6} <= listed


def test_without_a_serial_column_the_rows_are_named_by_row_and_number() -> None:
    note = twin_rows_note(read_register(_register(serial=False), filename=FILE, today=TODAY).rows, FILE)
    assert "第 5 行与第 2 行编号都是 NJ-101（编号重复）" in note
    assert "第 4 行（编号 NJ-103）与第 3 行（编号 NJ-102）除编号外各格都相同" in note


@pytest.mark.parametrize("pairs", [6, 9])
def test_many_rows_with_one_number_are_named_five_and_counted(pairs: int) -> None:
    lines = ["编号,收件日期,信访人,问题发生地,反映内容"]
    for i in range(pairs):
        lines += [f"D-{i},2026-11-{i + 1:02d},林{i},南靖县书洋镇,反映第{i}件事",
                  f"D-{i},2026-11-20,黄{i},南靖县,另一件事{i}"]
    note = twin_rows_note(read_register(("\n".join(lines) + "\n").encode(), filename=FILE, today=TODAY).rows, FILE)
    assert note.count("编号都是") == 5 and f"等 {pairs} 处（编号重复）" in note
    assert "第 3 行与第 2 行编号都是 D-0" in note


def test_the_page_shows_the_note_before_the_import(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state["actor"] = Actor("xietiao", "coordinator", display_name="协调员")
    app.session_state["import_file"] = (FILE, _register())
    app.run()
    assert not app.exception
    shown = [w.value for w in app.warning if "编号都是" in w.value]
    assert len(shown) == 1 and shown[0].startswith(FILE) and "NJ-101" in shown[0] and "第 5 行（序号 4）" in shown[0]
