"""Walk K: a county merged down over several letters (南靖县 over rows 2–4 of the 县区 column) reached only the first
of them: openpyxl and xlrd give the value to the top cell alone, and a letter whose only place was that county was
left “未定位：地址为空”."""

from __future__ import annotations

import datetime as dt
import io

import xlrd
from openpyxl import Workbook
from sqlalchemy import select

from planner.intake import reader
from planner.intake.register import import_register, read_register
from planner.store.database import session_factory
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 4)
HEADER = ["编号", "收件日期", "信访人", "县区", "乡镇", "反映内容"]
ROWS = [
    ["NJ-1", "2026-10-09", "甲某", "南靖县", "书洋镇", "反映土楼景区门票分成款未按规定分配到村。"],
    ["NJ-2", "2026-10-10", "乙某", None, "梅林镇", "反映危房改造补助被冒领。"],
    ["NJ-3", "2026-10-11", "丙某", None, None, "反映县里某部门办事推诿。"],  # the merged county is its only place
    ["YX-1", "2026-10-12", "丁某", "云霄县", "火田镇", "反映集体土地被违规出租。"],
]


def _xlsx(spacer: bool = False) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in ROWS[:3]:
        ws.append(row)
    if spacer:
        ws.append([])  # a blank row the merged county also covers
    ws.append(ROWS[3])
    ws.merge_cells(f"D2:D{5 if spacer else 4}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_every_row_of_a_merged_county_gets_it() -> None:
    preview = read_register(_xlsx(), filename="合并县区.xlsx", today=TODAY)
    address = {r.values["case_no"]: r.values["address_text"] for r in preview.rows}
    assert address == {"NJ-1": "南靖县书洋镇", "NJ-2": "南靖县梅林镇", "NJ-3": "南靖县", "YX-1": "云霄县火田镇"}


def test_a_blank_row_inside_the_merge_stays_blank() -> None:
    preview = read_register(_xlsx(spacer=True), filename="合并县区.xlsx", today=TODAY)
    assert [r.values["case_no"] for r in preview.rows] == ["NJ-1", "NJ-2", "NJ-3", "YX-1"]
    assert preview.rejected_rows == 0


def test_the_letter_placed_only_by_the_merged_county_is_placed_in_it(engine) -> None:
    import_register(engine, _xlsx(), filename="合并县区.xlsx", today=TODAY)
    with session_factory(engine)() as s:
        case = s.scalar(select(CaseRow).where(CaseRow.case_no == "NJ-3"))
        assert case.county == "南靖县"
        assert case.precision != "none" and "地址为空" not in (case.geocode_message or "")


class _Cell:
    def __init__(self, value: object) -> None:
        self.value = value
        self.ctype = xlrd.XL_CELL_EMPTY if value is None else xlrd.XL_CELL_TEXT


class _Sheet:
    name = "Sheet1"

    def __init__(self, rows: list[list[object]], merged: list[tuple[int, int, int, int]]) -> None:
        self._rows, self.merged_cells = rows, merged
        self.nrows, self.ncols = len(rows), len(rows[0])

    def cell(self, r: int, c: int) -> _Cell:
        return _Cell(self._rows[r][c])


class _Book:
    nsheets, datemode = 1, 0

    def __init__(self, sheet: _Sheet) -> None:
        self.sheet = sheet

    def sheet_by_index(self, _i: int) -> _Sheet:
        return self.sheet

    def release_resources(self) -> None:
        pass


def test_an_xls_reads_its_merged_ranges_and_fills_them(monkeypatch) -> None:
    """xlrd lists merged ranges only when asked for the formatting (formatting_info=True)."""
    asked: list[bool] = []

    def open_workbook(*, file_contents: bytes, on_demand: bool, formatting_info: bool = False) -> _Book:
        asked.append(formatting_info)
        # xlrd's ranges: (first row, row after the last, first column, column after the last)
        merged = [(1, 4, 3, 4)] if formatting_info else []
        return _Book(_Sheet([HEADER, *ROWS], merged))

    monkeypatch.setattr(xlrd, "open_workbook", open_workbook)
    [table] = reader._read_xls(b"", "合并县区.xls")
    assert asked == [True]
    assert [row[3] for row in table.rows[1:]] == ["南靖县", "南靖县", "南靖县", "云霄县"]
    assert table.merged == ((1, 3, 3, 3),)
