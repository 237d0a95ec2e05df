"""关联分析 (walk W5): the member table's 与 … 的关联 began past the right edge at 1366 px (the table scrolled sideways
and the reasons were never read). The columns now fit the 890 px the table has beside the menu at 1366 px, and rows
are tall enough for the longest reasons to wrap (rows taller than 4rem wrap their text)."""

from __future__ import annotations

import json
from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")
TABLE_AT_1366_PX = 900  # the main column's width at 1366 px with the menu open (browser walk: 902 px)

LETTERS = [
    ("W1", "350628", "平和县", "九峰镇", "九峰镇林业站向林农收取桉树砍伐保证金每亩200元，砍伐后不予退还，请求查处。"),
    ("W2", "350627", "南靖县", "书洋镇", "书洋镇林业站收取桉树砍伐保证金，林农砍伐桉树后保证金一直不退。"),
    ("W3", "350629", "华安县", "仙都镇", "仙都镇林业站要求砍伐桉树先交保证金，至今未退还保证金。"),
]


def test_the_reasons_column_fits_at_1366_px_and_wraps(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    assert not at.exception
    table = next(d for d in at.dataframe if any(str(c).endswith("的关联") for c in d.value.columns))
    why = next(str(c) for c in table.value.columns if str(c).endswith("的关联"))
    assert max(len(str(v)) for v in table.value[why]) > 20  # reasons longer than one line of the column
    config = json.loads(table.proto.columns or "{}")
    widths = {name: (config.get(name) or {}).get("width") for name in table.value.columns}
    assert all(isinstance(w, int) for w in widths.values()), widths  # no column sized by its content
    assert sum(widths.values()) <= TABLE_AT_1366_PX, widths
    assert widths[why] >= 240, widths  # the widest column: the reasons are what a leader reads here
    assert table.proto.row_height > 64, "rows of one line: the reasons are cut off, not wrapped"
