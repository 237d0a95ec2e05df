"""A workbook's date cell formatted 常规 / 数值 holds a plain number (46313): it was read as its day with no note,
while the same number as text (a CSV) said "Excel 日期序号 46313 按 2026-10-18 导入". Now both say so; a cell
formatted as a date (read as a date) and a number read as yyyymmdd (20261103) need no note."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from sqlalchemy import select

from planner.intake.note_groups import kind_lines
from planner.intake.register import import_register, read_register
from planner.store.database import session_factory
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 7)


def _xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "信访件编号", "来信时间", "信访人姓名", "问题属地", "反映问题", "办理期限"])
    ws.append([1, "N-1", 46313, "某甲", "漳浦县旧镇镇", "反映村里账目不公开。", 46373])  # plain numbers
    ws.append([2, "N-2", dt.datetime(2026, 10, 19), "某乙", "漳浦县旧镇镇", "反映征地款未发放。",
               dt.datetime(2026, 12, 1)])  # date cells
    ws.append([3, "N-3", 46314.5, "某丙", "漳浦县旧镇镇", "反映低保评定不公。", 60])  # a serial with its time
    ws.append([4, "N-4", 20261103, "某丁", "漳浦县旧镇镇", "反映宅基地审批慢。", None])  # yyyymmdd as a number
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_number_read_as_a_date_serial_says_so() -> None:
    preview = read_register(_xlsx(), filename="登记表.xlsx", today=TODAY)
    by_no = {r.values["case_no"]: r for r in preview.rows}
    assert {no: r.values["received_date"] for no, r in by_no.items()} == {
        "N-1": dt.date(2026, 10, 18), "N-2": dt.date(2026, 10, 19), "N-3": dt.date(2026, 10, 19),
        "N-4": dt.date(2026, 11, 3)}
    notes = {(i.row, i.column): i.message for i in preview.issues if i.level == "warning"}
    assert "46313" in notes[(2, "来信时间")] and "2026-10-18" in notes[(2, "来信时间")]
    assert "46373" in notes[(2, "办理期限")] and "2026-12-17" in notes[(2, "办理期限")]
    assert "46314" in notes[(4, "来信时间")] and "2026-10-19" in notes[(4, "来信时间")]
    assert not [k for k in notes if k[0] in (3, 5)]  # date cells and 20261103: as written
    assert (4, "办理期限") not in notes  # 60 is a span of days, no serial
    assert any("Excel 日期序号" in k and "46313 → 2026-10-18" in k and "2 行（第2、4行）" in k
               for k in kind_lines(preview.issues))


def test_import_of_number_cells(engine) -> None:
    summary = import_register(engine, _xlsx(), filename="登记表.xlsx", today=TODAY)
    assert (summary.imported, summary.rejected) == (4, 0)
    with session_factory(engine)() as s:
        row = s.execute(select(CaseRow.received_date, CaseRow.deadline).where(CaseRow.case_no == "N-1")).one()
    assert tuple(row) == (dt.date(2026, 10, 18), dt.date(2026, 12, 17))
