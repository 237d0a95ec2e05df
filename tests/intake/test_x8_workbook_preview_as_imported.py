"""A workbook of registers is previewed as it is imported (walk W33, E_跨表重号.xlsx: the preview said 可导入 4，拒收 0
and the import refused DS-2026-002): each sheet is read after the sheets before it, so a number or a letter of an
earlier sheet counts in the preview of a later one exactly as the import will count it."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from planner.intake.register_sheets import import_workbook, read_workbook
from planner.intake.same_letter import known_letters
from planner.store.database import session_scope

TODAY = dt.date(2026, 12, 7)
A1 = ("A-001", "2026-11-21", "甲某", "铜陵镇", "反映铜陵镇渔船燃油补贴发放不公。")
A2 = ("A-002", "2026-11-22", "乙某", "陈城镇", "反映陈城镇海砂违规开采。")
CASES = {
    # Another letter under a number of the first sheet, no county to tell them apart: refused.
    "number again": ([A1, A2], [("A-002", "2026-11-23", "丙某", "列屿镇", "反映列屿镇滩涂承包费去向不明。"),
                                ("B-900", "2026-11-24", "丁某", "火田镇", "反映火田镇低保问题。")]),
    # The same letter under another number on the second sheet: refused as a letter already counted.
    "letter again": ([A1], [("B-001", *A1[1:])]),
    # The same letter, its words completed, under its number: an update.
    "edited": ([A1], [(*A1[:4], "反映铜陵镇渔船燃油补贴发放不公，补充材料。")]),
}


def _book(first, second) -> bytes:
    wb = openpyxl.Workbook()
    for i, (title, rows) in enumerate((("表一", first), ("表二", second))):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        ws.append(("编号", "收件日期", "信访人", "地址", "反映内容"))
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("case", list(CASES))
def test_each_sheet_is_previewed_as_imported(engine, case: str) -> None:
    data = _book(*CASES[case])
    with session_scope(engine) as s:
        book = read_workbook(data, filename="跨表.xlsx", today=TODAY, known_letters=known_letters(s))
    preview = {p.sheet: (p.valid_rows, p.rejected_rows) for p in book.read}
    done = import_workbook(engine, data, filename="跨表.xlsx", today=TODAY).as_dict()["sheets"]
    imported = {s["sheet"]: (s["imported"] + s["updated"] + s["unchanged"], s["rejected"]) for s in done}
    assert preview == imported
    assert preview["表二"] == {"number again": (1, 1), "letter again": (0, 1), "edited": (1, 0)}[case]
