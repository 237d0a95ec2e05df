"""案件地图 (walk 2, D1 beside 首页): coloured by 办理期限, a letter due in 11 days was 期限内 although the office's
期限预警 in 设置 was 12 days (the filter 临近期限 listed it, the colour said otherwise)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.settings import load_settings, save_settings
from planner.store.database import session_scope

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "case_map.py")


def test_deadline_colours_follow_the_offices_warning_days(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    add_case(engine, "D-5", deadline=TODAY + dt.timedelta(days=5))
    add_case(engine, "D-11", deadline=TODAY + dt.timedelta(days=11), lon=117.36, lat=24.36)
    add_case(engine, "D-30", deadline=TODAY + dt.timedelta(days=30), lon=117.37, lat=24.37)
    with session_scope(engine) as s:
        save_settings(s, dataclasses.replace(load_settings(s), at_risk_days=12))
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    at.selectbox(key="cm_color_by").set_value("deadline").run()
    assert not at.exception
    legend = next(m.value for m in at.markdown if "临近期限" in m.value or "期限内" in m.value)
    assert "临近期限 2" in legend and "期限内 1" in legend, legend
