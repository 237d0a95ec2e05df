"""The plan workbook's 信访人 column says 已隐去 when identities are not exported (never an empty cell)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl

from planner.field import itineraries, load_document, render
from planner.field.xlsx import DAY_COLUMNS, HEADER_ROW, WITHHELD
from planner.routing.planio import plan_from_json

DOC = Path(__file__).resolve().parents[1] / "data" / "plan_zhangzhou.json"


def test_petitioner_column_says_withheld() -> None:
    doc = plan_from_json(json.loads(DOC.read_text(encoding="utf-8")))
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", itineraries(load_document(doc)))))
    col = [h for h, _w in DAY_COLUMNS].index("信访人") + 1
    cases_col = [h for h, _w in DAY_COLUMNS].index("案件编号") + 1
    cells = [(ws.cell(r, cases_col).value, ws.cell(r, col).value) for ws in book.worksheets[1:]
             for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    with_cases = [who for cases, who in cells if cases]
    assert with_cases and all(who and set(who.split("\n")) == {WITHHELD} for who in with_cases)
