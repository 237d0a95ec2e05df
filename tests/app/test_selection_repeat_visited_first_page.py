"""AppTest (walk Q): 选件 lists ZX2026-057, a repeat of ZX2026-002 left off the plan that visited 002 on 12-07, with
that visit in its ranking reason and a word under the table on settling it with 002; its status stays 已登记."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.store.database import session_scope
from planner.store.models import TeamRow
from tests.test_selection_repeat_visited_first import _case, _visit_002_and_close

ROOT = Path(__file__).resolve().parents[2]


def test_the_repeat_letter_row_says_its_first_letter_was_visited(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add_all([_case(2, "p-chen"), _case(57, "p-chen"), _case(3),
                   TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51)])
    _visit_002_and_close(engine)
    app = AppTest.from_file(str(ROOT / "pages" / "selection.py"), default_timeout=30)
    app.session_state["today"] = dt.date(2026, 12, 10)
    app.run()
    assert not app.exception
    table = app.dataframe[0].value.set_index("编号")
    assert table.loc["ZX2026-057", "状态"] == "已登记"
    assert table.loc["ZX2026-057", "排序理由"].startswith(
        "同一信访人同一事项，前件 ZX2026-002 已于 12-07 走访，前件化解、澄清或办结时本件随之一并办结；")
    assert "前件" not in table.loc["ZX2026-002", "排序理由"] and "前件" not in table.loc["ZX2026-003", "排序理由"]
    captions = " ".join(c.value for c in app.caption)
    assert "1 件是同一信访人就同一事项的重复来信，其前件已走访" in captions and "在“回访跟踪”办结前件时" in captions
