"""The same letter is one case whether or not a register has a 身份证号 column (found on the walk).

The quarter's register (登记表_2026Q4.xlsx) gives an ID number for some petitioners; the county's transfer list
(平和县转办件.csv, GBK) has no such column and repeats three of its letters as PH-001…PH-003. Only the letter
whose xlsx row had no ID number was refused: the other two came in as new cases, because a letter's identity
used the petitioner key — the ID number's hash when there is one, else name and phone — and the CSV cannot
give the ID number. Only what both registers say of the petitioner may be compared.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import delete, func, select

from planner.domain import Petitioner
from planner.intake.identity import id_check_digit
from planner.intake.register import import_register, known_letters, read_register
from planner.intake.rows import letter_body, same_writer, writer_marks
from planner.store.database import session_scope
from planner.store.models import CaseRow, PetitionerRow

TODAY = dt.date(2026, 12, 3)


def _id(first17: str) -> str:
    return first17 + id_check_digit(first17)


LETTERS = [  # number, day, petitioner, phone, ID number ("" none), address, content
    ("ZZ-2026-0001", dt.date(2026, 10, 9), "张美珠", "13959612345", _id("35062819700305402"), "平和县坂仔镇心田村",
     "村里收取桉树砍伐保证金每亩300元，砍完后不予退还，林农多次讨要无果。"),
    ("ZZ-2026-0002", dt.date(2026, 10, 21), "郑国平", "13859651234", _id("35062819651120301"), "平和县小溪镇新桥村",
     "村里征地补偿款被村干部截留，每户少发了一万多元。"),
    ("ZZ-2026-0003", dt.date(2026, 11, 4), "黄志强", "13950612345", "", "平和县山格镇隆庆村",
     "养老保险代缴费被村会计挪用，老人领不到养老金。"),
    ("ZZ-2026-0004", dt.date(2026, 11, 18), "林阿水", "13600001111", _id("35062819800101123"), "平和县文峰镇",
     "文峰镇某站违规收取办证费用。"),
]


def _xlsx(letters=LETTERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年第四季度来信登记表"])
    ws.append(["编号", "收件日期", "信访人", "联系电话", "身份证号", "所属区县", "地址", "反映内容"])
    for no, day, name, phone, id_number, address, content in letters:
        ws.append([no, day, name, phone, id_number or None, "平和县", address, content])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(letters=LETTERS[:3], *, prefix="PH") -> bytes:
    lines = ["编号,收件日期,信访人,联系电话,县区,地址,反映内容"]
    lines += [f"{prefix}-{i:03d},{day:%Y/%m/%d},{name},{phone},平和县,{address},{content}"
              for i, (_no, day, name, phone, _id_number, address, content) in enumerate(letters, 1)]
    lines.append("PH-009,2026/11/20,陈秋月,13906962001,平和县,平和县九峰镇,九峰镇某村低保评定不公开。")
    return ("\n".join(lines) + "\n").encode("gbk")


def _numbers(engine) -> set[str]:
    with session_scope(engine) as s:
        return set(s.scalars(select(CaseRow.case_no)))


def _reasons(summary) -> dict[int, str]:
    return {i.row: i.message for i in summary.issues if i.level == "error"}


def test_a_register_without_id_numbers_repeats_letters_whose_first_register_had_them(engine) -> None:
    first = import_register(engine, _xlsx(), filename="登记表_2026Q4.xlsx", today=TODAY)
    assert (first.imported, first.rejected) == (4, 0)
    second = import_register(engine, _csv(), filename="平和县转办件.csv", today=TODAY)
    assert (second.imported, second.rejected, second.duplicates) == (1, 3, 3)
    assert _numbers(engine) == {"ZZ-2026-0001", "ZZ-2026-0002", "ZZ-2026-0003", "ZZ-2026-0004", "PH-009"}
    reasons = _reasons(second)
    for row, twin in ((2, "ZZ-2026-0001"), (3, "ZZ-2026-0002"), (4, "ZZ-2026-0003")):
        assert reasons[row].startswith(f"与已导入的信访件 {twin} 为同一封信")


def test_either_order_and_re_importing_the_register_with_id_numbers(engine) -> None:
    import_register(engine, _csv(), filename="平和县转办件.csv", today=TODAY)
    later = import_register(engine, _xlsx(), filename="登记表_2026Q4.xlsx", today=TODAY)
    assert (later.imported, later.duplicates) == (1, 3)
    assert {m.split(" ")[1] for m in _reasons(later).values()} == {"PH-001", "PH-002", "PH-003"}
    again = import_register(engine, _csv(), filename="平和县转办件.csv", today=TODAY)
    assert (again.imported, again.updated, again.unchanged, again.rejected) == (0, 0, 4, 0)
    assert len(_numbers(engine)) == 5


def test_the_preview_shows_them_too(engine) -> None:
    import_register(engine, _xlsx(), filename="登记表_2026Q4.xlsx", today=TODAY)
    with session_scope(engine) as s:
        known = known_letters(s)
    preview = read_register(_csv(), filename="平和县转办件.csv", today=TODAY, known_letters=known)
    assert (preview.valid_rows, preview.duplicate_rows) == (1, 3)


def test_what_both_registers_say_must_agree(engine) -> None:
    """Another ID number, another phone or another name is another petitioner; a name alone still matches."""
    import_register(engine, _xlsx(), filename="登记表_2026Q4.xlsx", today=TODAY)
    other_id = ("X-1", *LETTERS[0][1:4], _id("35062819900101555"), *LETTERS[0][5:])
    other_phone = ("X-2", *LETTERS[1][1:3], "13900000000", "", *LETTERS[1][5:])
    other_name = ("X-3", LETTERS[2][1], "黄志刚", *LETTERS[2][3:])
    name_only = ("X-4", *LETTERS[3][1:3], "", "", *LETTERS[3][5:])
    summary = import_register(engine, _xlsx([other_id, other_phone, other_name, name_only]), filename="b.xlsx",
                              today=TODAY)
    assert (summary.imported, summary.duplicates) == (3, 1)
    assert _reasons(summary)[6].startswith("与已导入的信访件 ZZ-2026-0004 为同一封信")


def test_anonymous_copies_still_are_several_letters(engine) -> None:
    anonymous = [(no, day, "匿名", "", "", address, content) for no, day, _n, _p, _i, address, content in LETTERS]
    import_register(engine, _xlsx(anonymous), filename="a.xlsx", today=TODAY)
    summary = import_register(engine, _csv(anonymous[:3]), filename="b.csv", today=TODAY)
    assert (summary.imported, summary.rejected) == (4, 0)


def test_a_case_without_its_identity_row_is_compared_by_its_stored_key(engine) -> None:
    """A case whose petitioners row is missing (made outside the importer) still matches as before: by key."""
    import_register(engine, _csv(LETTERS[:1]), filename="a.csv", today=TODAY)
    with session_scope(engine) as s:
        s.execute(delete(PetitionerRow))
        assert s.scalar(select(func.count()).select_from(CaseRow).where(CaseRow.petitioner_key != "")) == 2
    summary = import_register(engine, _csv(LETTERS[:1], prefix="QQ"), filename="b.csv", today=TODAY)
    assert (summary.imported, summary.duplicates) == (0, 1)


@pytest.mark.parametrize(("a", "b", "same"), [
    (Petitioner("张美珠", "13959612345", "350628197003054021"), Petitioner("张美珠", "139 5961 2345"), True),
    (Petitioner("张美珠", "+86 13959612345"), Petitioner("张 美珠", "13959612345"), True),
    (Petitioner("张美珠", id_number="350628197003054021"), Petitioner("张美珠", id_number="35062819700305402x"),
     False),
    (Petitioner("张美珠"), Petitioner(phone="13959612345"), False),
    (Petitioner(), Petitioner(), False),
    (Petitioner("匿名"), Petitioner("匿名"), False),
])
def test_writer_marks_compare_only_what_both_rows_have(a, b, same) -> None:
    body = letter_body(dt.date(2026, 10, 9), "保证金不退。")
    assert same_writer(writer_marks(body, a, a.key()), writer_marks(body, b)) is same
