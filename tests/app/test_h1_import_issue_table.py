"""AppTest of 导入's 校验结果 (walk H1: at its default height it showed about four rows of four lines): the rows that
will not be imported come first with their reasons, rows are one line when most reasons fit one (two or three lines
when they do not), and the page says how many rows are refused."""

from __future__ import annotations

import io
import json
from pathlib import Path

from _ui_data import db_url
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from pages.common import Key

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")


def _register(blank_numbers: int, bad_days: int) -> bytes:
    """Rows with an empty 编号 (imported, a long 提示 each) first, then rows with a day that does not exist."""
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "编号", "收件日期", "信访人", "问题发生地", "反映内容"])
    for i in range(1, blank_numbers + bad_days + 1):
        bad = i > blank_numbers
        ws.append([i, f"ZP-{i:03d}" if bad else "", "2026-11-31" if bad else f"2026-11-{i:02d}", "匿名",
                   "漳浦县赤湖镇", f"反映赤湖镇第{i}村村干部在低保评定中优亲厚友。"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _table(engine, monkeypatch, data: bytes):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[FILE_KEY] = ("漳浦县登记表.xlsx", data)
    app.run()
    assert not app.exception
    return app, next(d for d in app.dataframe if "说明" in d.value.columns)


def test_refused_rows_come_first_and_short_reasons_take_one_line(engine, monkeypatch) -> None:
    app, table = _table(engine, monkeypatch, _register(blank_numbers=2, bad_days=12))
    levels = list(table.value["级别"])
    assert levels == ["错误"] * 12 + ["提示"] * 2  # the 提示 rows (rows 2, 3) were read first
    assert list(table.value["行"][:12]) == list(range(4, 16))
    assert table.proto.row_height in (0, 35)  # one line: fifteen rows in sight, not four
    config = json.loads(table.proto.columns)
    others = sum(config[c]["width"] for c in ("行", "序号", "编号", "列", "级别"))
    assert config["说明"]["width"] >= 500 and others < 400
    captions = [c.value for c in app.caption]
    assert any(c.startswith("将拒收 12 行，排在最前") for c in captions)
    assert any("双击单元格或展开下方“逐行说明（全文）”" in c for c in captions)  # the two long 提示 are cut


def test_long_reasons_wrap_in_as_few_lines_as_they_need(engine, monkeypatch) -> None:
    _, table = _table(engine, monkeypatch, _register(blank_numbers=12, bad_days=2))
    assert list(table.value["级别"][:2]) == ["错误", "错误"]
    assert 64 < table.proto.row_height < 96  # wraps (a row over 4rem), in two or three lines rather than four
