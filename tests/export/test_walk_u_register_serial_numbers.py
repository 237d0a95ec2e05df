"""Walk U: the 登记表 export writes the register's 序号 as numbers (Excel sorted '1, 10, 11' as text)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from planner.intake.register_export import register_xlsx
from planner.store.database import session_scope
from planner.store.models import CaseRow


def test_whole_numbers_of_register_columns_are_numbers_and_formulas_stay_text(engine) -> None:
    extras = [{"序号": "6", "办件号": "0012", "备注": "=1+1"}, {"序号": "10", "办件号": "0013", "备注": "10"},
              {"序号": "9", "办件号": "", "备注": "+86 1"}]
    with session_scope(engine) as s:
        for i, extra in enumerate(extras):
            s.add(CaseRow(case_no=f"ZZ-{i}", received_date=dt.date(2026, 11, 1 + i), deadline=dt.date(2026, 12, 31),
                          content="反映问题", status="registered", extra_fields=extra))
    with session_scope(engine) as s:
        data = register_xlsx(s)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    head = [c.value for c in ws[1]]
    col = {h: [ws.cell(row=r, column=head.index(h) + 1).value for r in range(2, 5)] for h in ("序号", "办件号", "备注")}
    assert col["序号"] == [6, 10, 9]  # numbers: Excel sorts them 6, 9, 10
    assert col["办件号"][:2] == ["0012", "0013"]  # a leading zero is part of a code: kept as written
    assert col["备注"][0] == "'=1+1" and col["备注"][2] == "'+86 1"  # never a formula
