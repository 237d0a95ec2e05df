"""AppTest of 案件地图's case detail on a county office's own register: the register's extra columns are shown, the
inferred category says why and can be corrected, and 办理记录 reads in Chinese (no action codes or dicts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.intake.register import import_register
from planner.store.database import session_scope
from planner.store.register_fields import register_fields

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "case_map.py")
REGISTER = ROOT / "tests" / "data" / "registers" / "county_office.xlsx"
TODAY = dt.date(2026, 12, 1)
CASE = "平纪信〔2026〕101号"


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    import_register(engine, REGISTER, who="clerk", today=TODAY)
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.TODAY] = TODAY
    return at


def test_case_shows_extra_columns_and_why_its_category(app: AppTest) -> None:
    app.run()
    app.selectbox(key="cm_pick").select(CASE).run()
    assert not app.exception
    extra = next(d.value for d in app.dataframe if list(d.value.columns) == ["列", "内容"])
    assert dict(zip(extra["列"], extra["内容"], strict=True))["备注"] == "同类问题霞寨镇也有反映，建议并案"
    assert any("（按内容推断，把握" in m.value for m in app.markdown)  # how sure, since the category labels say it
    assert any("类别依据：推断" in c.value and "桉树" in c.value for c in app.caption)


def test_category_correction_is_saved_and_recorded_in_chinese(engine, app: AppTest) -> None:
    app.run()
    app.selectbox(key="cm_pick").select(CASE).run()
    # A form: fill in both fields, then submit once.
    app.selectbox(key=f"cm_edit_{CASE}_cat_pick").select("征地拆迁")
    app.text_input(key=f"cm_edit_{CASE}_cat_note").input("核实为征地补偿问题")
    app.button[[b.label for b in app.button].index("保存类别")].click().run()
    assert not app.exception
    with session_scope(engine) as s:
        fields = register_fields(s, CASE)
    assert (fields.category, fields.category_source) == ("征地拆迁", "corrected")
    app.run()
    history = next(d.value for d in app.dataframe if "操作" in d.value.columns)
    assert "调整类别" in list(history["操作"])  # the words 回访跟踪 uses for the same line
    said = " ".join(history["说明"])
    assert "由 林业 改为 征地拆迁" in said and "{" not in said and "category" not in " ".join(history["操作"])
