"""导入记录 (walk W33): every import of a register is listed for the office, newest first, with its counts, and the
rows it refused can be fetched at any later time — file, sheet, row, column and reasons, identities masked — through
the ``import`` right; a leader or an officer gets neither."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from planner.errors import NotFoundError, PermissionDenied
from planner.intake.import_history import file_and_sheet, import_history, refused_rows, refused_rows_xlsx
from planner.intake.register import import_register
from planner.intake.register_sheets import import_workbook
from planner.office.authorisation import entry
from planner.office.security import Actor
from planner.store.database import session_scope

TODAY = dt.date(2026, 12, 7)
COORDINATOR = Actor("zhou", "coordinator", display_name="周协调")
CSV = ("编号,收件日期,信访人,联系电话,地址,反映内容\n"
       "ZP-01,2026-11-21,张美珠,13959612345,漳浦县绥安镇,反映绥安镇垃圾清运费乱收。\n"
       "ZP-02,,林某某,13859651234,漳浦县旧镇镇,反映旧镇镇渔港码头收费不公。\n").encode()


def _book() -> bytes:
    wb = openpyxl.Workbook()
    for i, (title, rows) in enumerate((
        ("东山县", [("DS-01", "2026-11-21", "甲某", "东山县铜陵镇", "反映铜陵镇渔船燃油补贴发放不公。")]),
        ("云霄县", [("YX-01", "", "乙某", "云霄县列屿镇", "反映列屿镇滩涂承包费去向不明。"),
                    ("YX-02", "2026-11-24", "丁某", "云霄县火田镇", "反映火田镇低保问题。")]),
    )):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        ws.append(("编号", "收件日期", "信访人", "地址", "反映内容"))
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_imports_are_listed_newest_first_and_their_refused_rows_fetched_later(engine) -> None:
    import_register(engine, CSV, filename="漳浦县登记表.csv", who="zhou", today=TODAY)
    import_workbook(engine, _book(), filename="两县.xlsx", who="admin", today=TODAY)
    with session_scope(engine) as s:
        records = import_history(s, COORDINATOR)
        assert [(r.file, r.sheet, r.rows_read, r.imported, r.rejected) for r in records] == [
            ("两县.xlsx", "云霄县", 2, 1, 1), ("两县.xlsx", "东山县", 1, 1, 0), ("漳浦县登记表.csv", "", 2, 1, 1)]
        assert records[-1].as_row()["导入人"] == "zhou"  # no account of that name: the name as recorded
        sheet_rows = refused_rows(s, COORDINATOR, records[0].batch_id)
        assert [(r["来源文件"], r["工作表"], r["行号"]) for r in sheet_rows] == [("两县.xlsx", "云霄县", 2)]
        assert "收件日期" in str(sheet_rows[0]["原因"])
        data = refused_rows_xlsx(s, COORDINATOR, records[-1].batch_id)
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("来源文件", "行号", "列", "原因") and rows[1][:2] == ("漳浦县登记表.csv", 3)
    text = " ".join(str(c) for r in rows for c in r)
    assert "林某某" not in text and "13859651234" not in text


@pytest.mark.parametrize("role", ["leader", "officer"])
def test_only_the_roles_that_import_see_the_imports(engine, role: str) -> None:
    import_register(engine, CSV, filename="漳浦县登记表.csv", who="zhou", today=TODAY)
    other = Actor("li", role)
    assert entry("download", "import_history_download").action == "import"
    with session_scope(engine) as s:
        (record,) = import_history(s, COORDINATOR)
        with pytest.raises(PermissionDenied):
            import_history(s, other)
        with pytest.raises(PermissionDenied):
            refused_rows_xlsx(s, other, record.batch_id)
        with pytest.raises(NotFoundError):
            refused_rows(s, COORDINATOR, record.batch_id + 1000)


def test_a_sheet_is_told_from_the_file_name() -> None:
    assert file_and_sheet("两县.xlsx「云霄县」") == ("两县.xlsx", "云霄县")
    assert file_and_sheet("漳浦县登记表.csv") == ("漳浦县登记表.csv", "")
