"""One stored setting out of range (绕行系数（山区） 3.5: set by hand, by the CLI or an older version) no
longer makes 案件地图, 选件, 路线规划, 关联分析 and 地名校准 run on every default with an error: the value is
replaced as 设置 shows it and named in a warning; the office's other settings (its 期限预警, weights, travel
model) are used as stored (fixer F5's note, stop 42)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.settings import usable_settings
from planner.store.database import session_scope
from planner.store.models import SettingRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "case_map.py")
TRAVEL = {"circuity_plain": 1.3, "circuity_hill": 3.5}


def _store(engine) -> None:
    with session_scope(engine) as s:
        s.add(SettingRow(key="travel_model", value=TRAVEL))
        s.add(SettingRow(key="general", value={"at_risk_days": 12}))
        s.add(SettingRow(key="selection_weights", value={"urgency": 40}))


def test_only_the_value_out_of_range_is_replaced_and_it_is_named(engine) -> None:
    _store(engine)
    with session_scope(engine) as s:
        settings, notes = usable_settings(s)
    assert (settings.travel.circuity_plain, settings.travel.circuity_hill) == (1.3, 3.0)
    assert settings.at_risk_days == 12 and settings.weights.urgency == 40
    assert [n.name for n in notes] == ["circuity_hill"] and "3.5" in notes[0].text()


def test_the_case_map_warns_and_keeps_the_offices_warning_days(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    _store(engine)
    add_case(engine, "D-5", deadline=TODAY + dt.timedelta(days=5))
    add_case(engine, "D-11", deadline=TODAY + dt.timedelta(days=11), lon=117.36, lat=24.36)
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    at.selectbox(key="cm_color_by").set_value("deadline").run()
    assert not at.exception and not at.error
    assert any("绕行系数（山区）" in w.value and "3.5" in w.value and "设置" in w.value for w in at.warning)
    legend = next(m.value for m in at.markdown if "临近期限" in m.value or "期限内" in m.value)
    assert "临近期限 2" in legend, legend  # 12 days as stored, not the default 10
