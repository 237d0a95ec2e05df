"""Walk W24: a workbook imported again without one of its letters (YX-005 taken out of 「云霄」) named the missing
letter only once 「云霄」 was chosen in 逐张查看工作表 — the preview opened on 「漳浦」 and 导入全部 was ready. Every
sheet's missing letters are said together (page, result and CLI --dry-run)."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from planner.cli import main
from planner.intake.dropped_letters import dropped_text
from planner.intake.register_sheets import import_workbook, read_workbook
from planner.store.database import session_scope

TODAY = dt.date(2026, 12, 7)


def _book(*, without: str = "") -> bytes:
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["两县十一月来信。"])
    for sheet, rows in (("漳浦", [("ZP-1", "2026-11-03", "漳浦县长桥镇", "村干部虚报冒领扶贫资金。"),
                                  ("ZP-2", "2026-11-20", "漳浦县盘陀镇", "低保评定不公开。")]),
                        ("云霄", [("YX-1", "2026-11-05", "云霄县莆美镇", "村财务长期不公开。"),
                                  ("YX-2", "2026-11-12", "云霄县云陵镇", "征地补偿款被截留。"),
                                  ("YX-3", "2026-11-25", "云霄县东厦镇", "学校营养餐缩水。")])):
        ws = wb.create_sheet(sheet)
        ws.append(["编号", "收件日期", "地址", "反映内容"])
        for row in rows:
            if row[0] != without:
                ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_every_sheets_missing_letters_are_said_whichever_sheet_is_viewed(engine, monkeypatch, tmp_path, capsys) -> None:
    import_workbook(engine, _book(), filename="两县.xlsx", who="tester", today=TODAY)
    book = read_workbook(_book(without="YX-2"), filename="两县.xlsx", today=TODAY)
    assert [p.sheet for p in book.read] == ["漳浦", "云霄"]
    with session_scope(engine) as s:
        said = dropped_text(s, book.read)
    assert said.startswith("两县.xlsx「云霄」：") and "YX-2" in said and "ZP-" not in said
    path = tmp_path / "两县.xlsx"
    path.write_bytes(_book(without="YX-2"))
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:00")
    assert main(["import", "--dry-run", str(path)]) == 0
    assert "YX-2" in capsys.readouterr().out
