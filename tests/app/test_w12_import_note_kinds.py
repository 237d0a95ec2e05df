"""导入 → 校验结果 (walk W12): some 280 notes of one kind (身份证号位数或校验位不对) buried the 7 that mattered. The
preview says one line per kind — the refused rows first, then the rarer kinds — and still lists every row."""

from __future__ import annotations

import io
from pathlib import Path

from _ui_data import db_url
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.intake.note_groups import ROWS_NAMED, kind_lines
from planner.intake.register import read_register

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")
BAD_IDS = 30


def _register() -> bytes:
    """30 letters with a 身份证号 that fails its check (a 提示 each), two 办理期限 before 收件日期 (a 提示 each, dates
    differing), one day that does not exist (refused), one letter without content (refused)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "信访人", "身份证号", "问题发生地", "办理期限", "反映内容"])
    for i in range(1, BAD_IDS + 1):
        ws.append([f"ZP-{i:03d}", "2026-11-02", "张某", "35062319800101123", "漳浦县赤湖镇", "",
                   f"反映赤湖镇第{i}村村干部在低保评定中优亲厚友。"])
    ws.append(["ZP-101", "2026-11-20", "李某", "", "漳浦县赤湖镇", "2026-10-19", "反映赤湖镇征地补偿款问题。"])
    ws.append(["ZP-102", "2026-11-26", "王某", "", "漳浦县赤湖镇", "2026-11-15", "反映赤湖镇林地承包问题。"])
    ws.append(["ZP-103", "2026-11-31", "陈某", "", "漳浦县赤湖镇", "", "反映赤湖镇低保问题。"])
    ws.append(["ZP-104", "2026-11-03", "林某", "", "漳浦县赤湖镇", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_one_line_per_kind_refused_first_then_the_rare_kinds() -> None:
    preview = read_register(_register(), filename="w12.xlsx")
    lines = kind_lines(preview.issues)
    assert len(lines) == 4, lines
    assert "日期不存在" in lines[0] and "反映内容为空" in lines[1]  # refused, in the register's order
    assert lines[2].startswith("「办理期限」办理期限 … 早于收件日期 …") and "：2 行（第32、33行）" in lines[2]
    assert lines[3].startswith("「身份证号」身份证号位数或校验位不对") and f"：{BAD_IDS} 行（第2、3、4" in lines[3]
    assert f"、{ROWS_NAMED + 1}…行，全部见下方“逐行说明（全文）”" in lines[3]


def test_the_preview_shows_the_kinds_above_every_row(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[FILE_KEY] = ("漳浦县登记表.xlsx", _register())
    app.run()
    assert not app.exception
    summary = next(m.value for m in app.markdown if "按类汇总" in m.value)
    items = [line for line in summary.splitlines() if line.startswith("- ")]
    assert len(items) == 4 and "办理期限" in items[2] and "身份证号" in items[3], items
    full = next(t.value for t in app.text if "第" in t.value and "行" in t.value).splitlines()
    assert len(full) == BAD_IDS + 4  # every row still listed in 逐行说明（全文）
    table = next(d for d in app.dataframe if "说明" in d.value.columns)
    assert len(table.value) == BAD_IDS + 4
