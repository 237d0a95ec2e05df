"""导入 › 地址核对 (walk W13, 1366x768 in Chromium): 导入后 (130 px, rows of four lines) cut 「…实际地点可能在
48.9 km 以内），待核对」 mid-line and 编号 (90 px) read 自编-2026090. 编号 now has the width of its one line, 导入后 a
quarter of the table, and rows are as tall as 导入后 or 说明 needs; the table keeps within the 900 px
beside the menu."""

from __future__ import annotations

import json
import math
from pathlib import Path

from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")
TABLE_AT_1366_PX = 900  # the main column's width at 1366 px with the menu open
DIGIT_PX, CJK_PX, PADDING_PX = 6.5, 13, 16  # the table's 14-px font, as measured in the walk (0e8c55e)
LINE_PX, ROW_PADDING_PX = 18, 14
# No 编号: the import numbers the rows itself (自编-20260904-04c50b4c), as in the walk.
REGISTER = ("编号,收件日期,信访人,问题发生地,反映内容\n"
            ",2026-09-04,匿名,漳浦县旧镇镇浯源村顶社自然村,浯源村镇干部违规收受施工方礼金\n"
            ",2026-09-05,匿名,平和县山格镇龙凤岗村,村干部侵占集体土地\n")


def _px(text: str) -> float:
    return sum(CJK_PX if ord(ch) > 0x2E80 else DIGIT_PX for ch in text)


def test_w13_the_address_checks_show_after_and_number_whole(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[FILE_KEY] = ("w13.csv", REGISTER.encode("utf-8"))
    at.run()
    assert not at.exception
    table = next(d for d in at.dataframe if "导入后" in d.value.columns)
    config = json.loads(table.proto.columns or "{}")
    widths = {str(c): (config.get(str(c)) or {}).get("width") for c in table.value.columns}
    assert all(isinstance(w, int) for w in widths.values()) and sum(widths.values()) <= TABLE_AT_1366_PX, widths
    numbers = [str(n) for n in table.value["编号"]]
    assert any(n.startswith("自编-") for n in numbers)
    assert widths["编号"] >= max(_px(n) for n in numbers) + PADDING_PX, widths  # one line, not cut
    after = max(table.value["导入后"], key=len)
    assert "48.9 km" in after or "km 以内" in after, after
    lines = math.ceil(_px(after) / (widths["导入后"] - PADDING_PX))
    assert table.proto.row_height >= ROW_PADDING_PX + LINE_PX * lines, (table.proto.row_height, lines, widths)
    assert widths["信中写的村"] >= _px("信中写的村") + PADDING_PX  # its heading whole
