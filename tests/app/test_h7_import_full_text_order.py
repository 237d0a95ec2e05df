"""AppTest of 导入's 逐行说明（全文） (walk W11): the rows refused were listed last, after some 230 提示 on rows that
import, while the 校验结果 table above puts them first. Both list the refused rows first, then the rows to look at
(a 合计 row left out, a note that asks the clerk to check), then the other 提示, each in the register's order."""

from __future__ import annotations

import io
from pathlib import Path

from _ui_data import db_url
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from pages.common import Key

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")


def _register() -> bytes:
    """Four letters with a 身份证号 that fails its check (imported, a 提示 each), a 合计 row, two days that do not
    exist (refused) — in that order in the sheet."""
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "编号", "收件日期", "信访人", "身份证号", "问题发生地", "反映内容"])
    for i in range(1, 5):
        ws.append([i, f"ZP-{i:03d}", f"2026-11-{i:02d}", "张某", "35062319800101123", "漳浦县赤湖镇",
                   f"反映赤湖镇第{i}村村干部在低保评定中优亲厚友。"])
    ws.append(["合计", "", "", "", "", "", "4 件"])
    for i in (6, 7):
        ws.append([i, f"ZP-{i:03d}", "2026-11-31", "匿名", "", "漳浦县赤湖镇", f"反映赤湖镇第{i}村低保问题。"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_full_text_lists_the_refused_rows_first_then_rows_to_look_at_then_hints(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[FILE_KEY] = ("漳浦县登记表.xlsx", _register())
    app.run()
    assert not app.exception
    full = next(t.value for t in app.text if "第" in t.value and "行" in t.value).splitlines()
    kinds = ["refused" if "日期" in line and "不存在" in line else "left out" if "合计" in line
             else "hint" if "身份证号" in line else line for line in full]
    assert kinds == ["refused"] * 2 + ["left out"] + ["hint"] * 4, full
    assert [int(line.split("第")[1].split("行")[0]) for line in full[:2]] == [7, 8]  # the register's order

    table = next(d for d in app.dataframe if "说明" in d.value.columns)
    assert [t for t in table.value["说明"]] == [line.split("：", 1)[1] for line in full]  # the table's order
