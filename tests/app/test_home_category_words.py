"""首页 (browser walk): 期限预警 listed a letter the register files under 三资管理 as 村务财务, while 选件 and 案件地图
read the register's word with the category it is counted under (三资管理（按村务财务统计）)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.store.database import session_scope
from planner.store.models import CaseRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "home.py")


def test_the_deadline_warnings_read_the_registers_category_word(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    add_case(engine, "SZ-1", category="村务财务", deadline=TODAY - dt.timedelta(days=3))
    add_case(engine, "CW-1", category="村务财务", deadline=TODAY + dt.timedelta(days=5))
    add_case(engine, "GX-1", category="林业", deadline=TODAY + dt.timedelta(days=6))
    with session_scope(engine) as s:
        rows = {r.case_no: r for r in s.scalars(select(CaseRow))}
        rows["SZ-1"].category_reason = "原文：三资管理"
        rows["GX-1"].category_source, rows["GX-1"].category_confidence = "inferred", 0.5
        rows["GX-1"].category_reason = "按反映内容推断：含“果树”（把握较小，请核对）"
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    assert not at.exception
    urgent = next(d.value for d in at.dataframe if "剩余天数" in d.value.columns)
    assert dict(zip(urgent["编号"], urgent["类别"], strict=True)) == {
        "SZ-1": "三资管理（按村务财务统计）", "CW-1": "村务财务", "GX-1": "林业（按内容推断，把握较小，请核对）"}
