"""Walk W23: a city office's workbook with one register sheet a county (漳浦, 云霄 …) read only the first sheet and
said nothing of the others. Every sheet that is a register is read and imported in one transaction, the others are
named with the reason, and every issue and rejected row names the sheet and the row."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from planner.cli import main
from planner.errors import InputError
from planner.intake.register import rejected_rows
from planner.intake.register_sheets import import_workbook, read_workbook
from planner.store.database import session_scope
from planner.store.models import CaseRow, ImportBatch

TODAY = dt.date(2026, 12, 7)


def _book(*, broken_yunxiao: bool = False) -> bytes:
    wb = Workbook()
    note = wb.active
    note.title = "说明"
    note.append(["本工作簿汇总五县十一月来信，每县一张表。"])
    zp = wb.create_sheet("漳浦")
    zp.append(["编号", "收件日期", "地址", "反映内容", "信访人"])
    zp.append(["ZP-1", "2026-11-03", "漳浦县长桥镇", "村干部虚报冒领扶贫资金。", "刘国强"])
    zp.append(["ZP-2", "2026-11-04", "漳浦县盘陀镇", "低保评定不公开。", "张秀英"])
    yx = wb.create_sheet("云霄")
    yx.append(["信访编号", "登记日期", "发生地", "来信内容", "来信人"])  # other headers: read by its own
    yx.append(["YX-1", "2026年11月5日", "云霄县莆美镇", "村财务长期不公开。", "沈福生"])
    yx.append(["YX-2", "2026-02-30" if not broken_yunxiao else None, "云霄县云陵镇", "征地补偿款被截留。", "沈海燕"])
    total = wb.create_sheet("汇总")
    total.append(["县区", "件数"])
    total.append(["漳浦", 2])
    total.append(["云霄", 2])
    wb.create_sheet("空表")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_w23c_every_register_sheet_is_read_and_the_others_named() -> None:
    book = read_workbook(_book(), filename="市汇总.xlsx", today=TODAY)
    assert [p.sheet for p in book.read] == ["漳浦", "云霄"]
    assert book.several and book.rows_read == 4 and book.rejected_rows == 1
    assert {s for s, _why in book.skipped} == {"说明", "汇总", "空表"}
    note = book.note()
    assert "「漳浦」2 行" in note and "「云霄」2 行" in note
    assert "「汇总」（" in note and "「空表」（空白工作表）" in note
    # The issue names the file, the sheet and the row.
    assert any(line.startswith("市汇总.xlsx「云霄」 第3行「登记日期」") for line in book.error_lines())


def test_w23c_the_workbook_is_imported_whole_and_again_adds_nothing(engine) -> None:
    data = _book()
    first = import_workbook(engine, data, filename="市汇总.xlsx", today=TODAY)
    assert [n for n, _s in first.sheets] == ["漳浦", "云霄"]
    assert first.as_dict()["imported"] == 3 and first.as_dict()["rejected"] == 1
    with session_scope(engine) as s:
        assert set(s.scalars(select(CaseRow.case_no))) == {"ZP-1", "ZP-2", "YX-1"}
        names = set(s.scalars(select(ImportBatch.filename)))
        assert names == {"市汇总.xlsx「漳浦」", "市汇总.xlsx「云霄」"}
        batch = s.scalar(select(ImportBatch.id).where(ImportBatch.filename == "市汇总.xlsx「云霄」"))
        [row] = rejected_rows(s, batch)
        assert row["来源文件"] == "市汇总.xlsx「云霄」" and row["行号"] == 3
    again = import_workbook(engine, data, filename="市汇总.xlsx", today=TODAY)
    assert again.as_dict()["imported"] == 0 and again.as_dict()["unchanged"] == 3
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(CaseRow)) == 3


def test_w23c_a_sheet_that_cannot_be_imported_leaves_the_whole_workbook_out(engine, monkeypatch) -> None:
    import planner.intake.register_sheets as sheets

    real = sheets.import_register

    def failing(session, data, **kw):
        if kw.get("sheet") == "云霄":
            raise InputError("找不到必需的列 反映内容")
        return real(session, data, **kw)

    monkeypatch.setattr(sheets, "import_register", failing)
    with pytest.raises(InputError, match="工作表「云霄」"):
        import_workbook(engine, _book(), filename="市汇总.xlsx", today=TODAY)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(CaseRow)) == 0  # 漳浦 rolled back too


def test_w23c_cli_names_the_sheets_read_and_skipped(engine, monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:00")
    path = tmp_path / "市汇总.xlsx"
    path.write_bytes(_book())
    assert main(["import", "--dry-run", str(path)]) == 0
    out = capsys.readouterr()
    assert "读取 4 行" in out.out and "「云霄」2 行" in out.out and "「汇总」（" in out.out
    assert "市汇总.xlsx「云霄」 第3行" in out.err
    assert main(["import", str(path)]) == 0
    out = capsys.readouterr()
    assert "2 张工作表（漳浦、云霄）" in out.out and "新增 3" in out.out
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(CaseRow)) == 3


def test_w23c_a_single_register_workbook_names_the_sheets_it_leaves(engine) -> None:
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["填表说明"])
    reg = wb.create_sheet("登记表")
    reg.append(["编号", "收件日期", "地址", "反映内容"])
    reg.append(["A1", "2026-11-03", "诏安县四都镇", "反映低保评定不公。"])
    buf = io.BytesIO()
    wb.save(buf)
    book = read_workbook(buf.getvalue(), filename="一张.xlsx", today=TODAY)
    assert not book.several and book.read[0].filename == "一张.xlsx"  # named as before
    assert "读取的是登记表「登记表」1 行" in book.note() and "「说明」（" in book.note()


def test_w23c_import_page_imports_all_sheets(engine, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from planner.office.security import Actor

    page = str(Path(__file__).resolve().parents[1] / "pages" / "import_register.py")
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:00")
    app = AppTest.from_file(page, default_timeout=90)
    app.session_state["actor"] = Actor("tester", "admin", display_name="测试管理员")
    app.session_state["import_file"] = ("市汇总.xlsx", _book())
    app.run()
    assert not app.exception
    assert any("一并导入" in i.value and "「汇总」" in i.value for i in app.info)
    assert not any("单独另存" in i.value for i in app.info)
    next(box for box in app.selectbox if box.label.startswith("逐张查看")).select("云霄").run()
    assert not app.exception
    assert any("「云霄」" in h.value for h in app.subheader)
    app.button(key="import_go").click().run()
    assert not app.exception
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(CaseRow)) == 3
