"""导入 (walk W13): the preview's 系统中更正过的字段 was cut at a 1366-px window — 更正时间 read 2026-12-06 16 (a
time does not wrap) and the box's heading 改用登记表的 — so who corrected a field was in sight, not when. Every
column now has a set width, the table fits the 900 px the page has beside the menu at 1366 px, and 更正时间 and the
box's heading have the width of their one line (checked at 1366x768 in Chromium)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.intake.register import import_register
from planner.store.database import session_scope
from planner.store.register_fields import set_category

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")
TABLE_AT_1366_PX = 900  # the main column's width at 1366 px with the menu open (browser walk: 906 px)
DIGIT_PX, CJK_PX, PADDING_PX, ICON_PX = 6.5, 13, 16, 20  # the table's 14-px font, as measured in the walk
HEADER = "编号,收件日期,问题类别,反映内容,地址\n"
OLD = (HEADER + "W13-1,2026-11-02,林业,反映村里修路款被截留，路修一半停工。,平和县山格镇土田村\n").encode()
NEW = OLD.replace("停工。".encode(), "停工。（补充）".encode())


def _one_line_px(text: str) -> float:
    return sum(CJK_PX if ord(ch) > 0x2E80 else DIGIT_PX for ch in text) + PADDING_PX


def _widths(table) -> dict[str, int | None]:
    config = json.loads(table.proto.columns or "{}")
    return {str(name): (config.get(str(name)) or {}).get("width") for name in table.value.columns}


def test_w13_the_corrections_table_shows_when_at_1366_px(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    import_register(engine, NEW, filename="登记表.csv", today=dt.date(2026, 12, 7))
    with session_scope(engine) as s:
        set_category(s, "W13-1", "征地拆迁", who="lin")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[FILE_KEY] = ("登记表（旧）.csv", OLD)
    at.run()
    assert not at.exception
    preview = next(d for d in at.dataframe if "改用登记表的值" in d.value.columns)
    when = str(preview.value["更正时间"].iloc[0])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", when), when  # a time as show_time writes it
    widths = _widths(preview)
    assert all(isinstance(w, int) for w in widths.values()), widths  # no column sized by its content
    assert widths["更正时间"] >= _one_line_px(when), widths
    assert sum(widths.values()) <= TABLE_AT_1366_PX, widths
    assert widths["改用登记表的值"] >= _one_line_px("改用登记表的值") + ICON_PX, widths  # the box's heading
    at.button(key="import_go").click().run()  # the result lists the same fields, with 导入时 in the box's place
    assert not at.exception
    result = next(d for d in at.dataframe if "导入时" in d.value.columns)
    widths = _widths(result)
    assert sum(widths.values()) <= TABLE_AT_1366_PX and widths["更正时间"] >= _one_line_px(when), widths
