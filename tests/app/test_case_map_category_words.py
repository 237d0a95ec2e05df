"""案件地图 (browser walk): a letter the register files under 三资管理 read 村务财务 in its detail, the list and its
tooltip; an inferred category read only （推断）. They now read the register's word with the category it is filtered
and coloured by beside it (三资管理（按村务财务统计）), and 按内容推断 with how sure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.store.database import session_scope
from planner.store.models import CaseRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "case_map.py")


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    add_case(engine, "SZ-1", category="村务财务", content="村集体资金去向不明")
    add_case(engine, "GX-1", category="林业", content="林业站收取桉树砍伐保证金")
    with session_scope(engine) as s:  # as the import stores them
        s.execute(update(CaseRow).where(CaseRow.case_no == "SZ-1").values(category_reason="原文：三资管理"))
        s.execute(update(CaseRow).where(CaseRow.case_no == "GX-1").values(
            category_source="inferred", category_confidence=0.62,
            category_reason="按反映内容推断：含“桉树”（把握一般）"))
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.TODAY] = TODAY
    return at


def test_detail_list_and_tooltip_read_the_registers_word(app: AppTest) -> None:
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    words = dict(zip(table["编号"], table["类别"], strict=True))
    assert words == {"SZ-1": "三资管理（按村务财务统计）", "GX-1": "林业（按内容推断，把握一般）"}
    comp = next(el for el in app.get("component_instance") if "script" in el.proto.json_args)
    assert "三资管理（按村务财务统计）" in json.loads(comp.proto.json_args)["script"]
    app.selectbox(key="cm_pick").select("SZ-1").run()
    assert any(m.value == "**类别**：三资管理（按村务财务统计）" for m in app.markdown)
    app.selectbox(key="cm_pick").select("GX-1").run()
    assert any(m.value == "**类别**：林业（按内容推断，把握一般）" for m in app.markdown)
