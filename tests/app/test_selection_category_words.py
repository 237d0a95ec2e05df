"""选件 (browser walk): a letter the register files under 三资管理 was listed as 村务财务, and an inferred category
as if the register had given it. The list now reads the register's word with the category the filter uses beside it
(三资管理（按村务财务统计）), and 按内容推断 with how sure; the filter still groups by the product's category."""

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


def test_the_list_reads_the_registers_word_and_the_filter_groups_it(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add_all([
            _case("SZ-1", "村务财务", category_reason="原文：三资管理"),
            _case("CW-1", "村务财务"),
            _case("GX-1", "林业", category_source="inferred", category_confidence=0.5,
                  category_reason="按反映内容推断：含“果树”（把握较小，请核对）"),
            _case("DB-1", "低保", category_source="corrected", category_reason="核对原件"),
        ])
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51))
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["today"] = TODAY
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    words = dict(zip(table["编号"], table["类别"], strict=True))
    assert words == {"SZ-1": "三资管理（按村务财务统计）", "CW-1": "村务财务",
                     "GX-1": "林业（按内容推断，把握较小，请核对）", "DB-1": "低保"}
    at.multiselect(key="sel_category").select("村务财务").run()
    assert set(at.dataframe[0].value["编号"]) == {"SZ-1", "CW-1"}
