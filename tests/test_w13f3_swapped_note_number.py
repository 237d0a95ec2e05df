"""导入 (walk W13): the note for a row whose 来信人 and 联系电话 are swapped (d7622f3) gave the sheet row only; the
clerk looks the letter up by its 编号, as the other notes that send him back to his register give it. The note now
gives both — never the two cells' values — and many such rows still sum up as one kind of note."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl

from planner.intake.note_groups import kind_lines
from planner.intake.register import import_register, read_register

TODAY = dt.date(2026, 12, 1)
VALUES = ("13859612345", "林某", "350628198003036662", "陈水生")


def _register(*, numbered: bool = True) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([*(["编号"] if numbered else []), "序号", "收件日期", "来信人", "联系电话", "反映内容"])
    rows = [("W13-0503", 1, VALUES[0], VALUES[1], "松洲村集体土地被违规出租建厂"),
            ("W13-0504", 2, "郑家豪", "0596-6281234", "宅基地收钱"),
            ("W13-0505", 3, VALUES[2], VALUES[3], "村主任侵占补偿款")]
    for no, ref, name, phone, text in rows:
        ws.append([*([no] if numbered else []), ref, "2026-11-02", name, phone, text])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _swapped(lines: list[str]) -> list[str]:
    return [line for line in lines if "似乎填反了" in line]


def test_w13_the_swapped_columns_note_gives_the_row_and_the_registers_number(engine) -> None:
    preview = read_register(_register(), filename="w13.xlsx", today=TODAY)
    first, second = _swapped(preview.error_lines())
    assert re.match(r"w13\.xlsx 第2行（序号 1）：来信人与联系电话似乎填反了.*编号 W13-0503", first), first
    assert re.match(r"w13\.xlsx 第4行（序号 3）：.*编号 W13-0505", second), second
    # One kind of note for both rows in 按类汇总 (the rows listed, not two kinds told apart by their numbers).
    (summed,) = [line for line in kind_lines(preview.issues) if "似乎填反了" in line]
    assert "2 行（第2、4行）" in summed and "W13-050" not in summed
    summary = import_register(engine, _register(), filename="w13.xlsx", today=TODAY)
    after = _swapped([i.text() for i in summary.issues])
    assert len(after) == 2 and "编号 W13-0503" in after[0]  # the result says it too
    said = "\n".join([*preview.error_lines(), *after, *kind_lines(preview.issues)])
    assert not any(v in said for v in VALUES)


def test_w13_a_register_without_numbers_is_told_by_its_rows(engine) -> None:
    preview = read_register(_register(numbered=False), filename="w13.xlsx", today=TODAY)
    lines = _swapped(preview.error_lines())
    assert [line.split("：")[0] for line in lines] == ["w13.xlsx 第2行（序号 1）", "w13.xlsx 第4行（序号 3）"]
    assert not any("编号" in line for line in lines)  # the number the system makes is no number of his register
