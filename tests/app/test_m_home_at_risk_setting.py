"""首页 (walk 2, D1): the admin set 期限预警 to 12 days in 设置, 首页 still said 临近期限（10 天内） and counted
letters due within 10 days only."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.settings import load_settings, save_settings
from planner.store.database import session_scope

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "home.py")


def _home(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    assert not at.exception
    return at


def test_home_counts_letters_at_risk_with_the_offices_setting(engine, monkeypatch) -> None:
    add_case(engine, "D-5", deadline=TODAY + dt.timedelta(days=5))
    add_case(engine, "D-11", deadline=TODAY + dt.timedelta(days=11))
    add_case(engine, "D-12", deadline=TODAY + dt.timedelta(days=12))
    add_case(engine, "D-20", deadline=TODAY + dt.timedelta(days=20))
    with session_scope(engine) as s:
        save_settings(s, dataclasses.replace(load_settings(s), at_risk_days=12))

    at = _home(engine, monkeypatch)
    metric = next(m for m in at.metric if m.label.startswith("临近期限"))
    assert metric.label == "临近期限（12 天内）"
    assert metric.value == "3"
    assert any("12 天内到期 3 件" in c.value for c in at.caption)
    urgent = next(d.value for d in at.dataframe if "剩余天数" in d.value.columns)
    assert set(urgent["编号"]) == {"D-5", "D-11", "D-12"}


def test_home_keeps_ten_days_without_a_setting(engine, monkeypatch) -> None:
    add_case(engine, "D-5", deadline=TODAY + dt.timedelta(days=5))
    add_case(engine, "D-11", deadline=TODAY + dt.timedelta(days=11))
    at = _home(engine, monkeypatch)
    metric = next(m for m in at.metric if m.label.startswith("临近期限"))
    assert (metric.label, metric.value) == ("临近期限（10 天内）", "1")
