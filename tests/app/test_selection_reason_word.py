"""选件 (walk R): the 类别 column read 三资管理 while the 排序理由 said 村务财务（严重程度 4）, the stored category.
The reason now names the register's word like the column does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "selection.py")
TODAY = dt.date(2026, 12, 1)


def _case(no: str, category: str, **basis) -> CaseRow:
    received = dt.date(2026, 11, 1)
    return CaseRow(case_no=no, received_date=received, deadline=received + dt.timedelta(days=60), content="反映问题",
                   category=category, county="平和县", county_code="350628", town="山格镇", town_code="350628103",
                   village="某村", village_code="350628103201", lon=117.3, lat=24.4, precision="village", **basis)


def test_the_reason_names_the_registers_word(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add_all([_case("SZ-1", "村务财务", category_reason="原文：三资管理"), _case("CW-1", "村务财务")])
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51))
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["today"] = TODAY
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    reasons = dict(zip(table["编号"], table["排序理由"], strict=True))
    assert "三资管理（严重程度" in reasons["SZ-1"], reasons
    assert "村务财务" not in reasons["SZ-1"], reasons
    assert "村务财务（严重程度" in reasons["CW-1"], reasons
