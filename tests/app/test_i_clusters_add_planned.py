"""关联分析: “将其中 N 件未办结信件加入选件清单” counts and adds only letters that can still be chosen, and says how
many a plan already sends a team to.

Walk 1: on I0011 the button offered 3 letters, 2 of them 已排程 in issued plans (选件 then left them out again).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")
LETTERS = [
    ("E1", "350628", "平和县", "九峰镇", "九峰镇林业站向林农收取桉树砍伐保证金每亩200元，砍伐后不予退还，请求查处。"),
    ("E2", "350627", "南靖县", "书洋镇", "书洋镇林业站收取桉树砍伐保证金，林农砍伐桉树后保证金一直不退。"),
    ("E3", "350629", "华安县", "仙都镇", "仙都镇林业站要求砍伐桉树先交保证金，至今未退还保证金。"),
    ("E4", "350605", "长泰区", "枋洋镇", "枋洋镇林业站违规收取桉树砍伐保证金，请纪委核实。"),
]
DAY = dt.date(2026, 12, 14)


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text,
                 status="planned" if no == "E1" else "registered")
    with session_scope(engine) as s:
        plan = PlanRow(name="第50周", start_date=DAY, days=1, status="issued", created_by="lead")
        s.add(plan)
        s.flush()
        e1 = s.scalars(select(CaseRow.id).where(CaseRow.case_no == "E1")).one()
        s.add(PlanCase(plan_id=plan.id, case_id=e1, visit_id="V1", team_id="T1", visit_date=DAY, seq=0))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    return at


def test_letters_already_planned_are_neither_counted_nor_added(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert set(app.dataframe[1].value["编号"]) == {"E1", "E2", "E3", "E4"}  # the group still shows all its letters
    add = app.button(key="cl_add_to_selection")
    assert add.label == "将其中 3 件未办结信件加入选件清单"
    assert any("其中 1 件（E1）已在下访计划中，不再加入选件清单" in c.value for c in app.caption)
    add.click().run()
    assert not app.exception
    assert sorted(app.session_state[Key.SELECTED_CASES]) == ["E2", "E3", "E4"]
