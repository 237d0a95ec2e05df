"""选件 (helper M's note on walk 2): the 办理期限 filter's 临期 said 临期（10 天内） and kept letters due within 10
days whatever 设置's 期限预警 was; it follows the office's setting, as 首页 does."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.office.settings import load_settings, save_settings
from planner.store.database import session_scope
from planner.store.models import CaseRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 1)


def _case(no: str, due_in: int) -> CaseRow:
    return CaseRow(case_no=no, received_date=TODAY - dt.timedelta(days=30), deadline=TODAY + dt.timedelta(days=due_in),
                   content="山格镇林业站收取桉树砍伐保证金", category="林业", county="平和县", county_code="350628",
                   town="山格镇", town_code="350628103", village="某村", village_code="350628103201", lon=117.3,
                   lat=24.4, precision="village")


def _app(engine, monkeypatch, days: int | None) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add_all([_case("D5", 5), _case("D11", 11), _case("D20", 20)])
        if days is not None:
            save_settings(s, dataclasses.replace(load_settings(s), at_risk_days=days))
    at = AppTest.from_file(str(ROOT / "pages" / "selection.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    at.run()
    assert not at.exception
    return at


def test_the_deadline_filter_follows_the_offices_warning_days(engine, monkeypatch) -> None:
    at = _app(engine, monkeypatch, 12)
    box = at.multiselect(key="sel_deadline")
    assert box.format_func("at_risk") == "临期（12 天内）"
    box.select("at_risk").run()
    assert set(at.dataframe[0].value["编号"]) == {"D5", "D11"}


def test_ten_days_without_a_setting(engine, monkeypatch) -> None:
    at = _app(engine, monkeypatch, None)
    at.multiselect(key="sel_deadline").select("at_risk").run()
    assert set(at.dataframe[0].value["编号"]) == {"D5"}
