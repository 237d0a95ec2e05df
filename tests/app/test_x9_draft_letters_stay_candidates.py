"""Walk W32 on 选件: letters in another leader's draft stay candidates, said to be there and why; letters none of the
chosen teams can do (专长) are marked and not chosen by the top N.

leader3 (T3: 工程/环保) saved a draft with the overdue ZZ平2026-035 (财务). leader1 (T2: 财务) saw 另有 33 件已在进行中
的计划里 and nothing of the rest: 035 was not listed, and typing it in 另外加入 gave 无匹配项.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow, UserRow
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "selection.py")
T2 = Team("T2", "漳浦云霄财务组", 117.611, 24.119, base_name="漳浦县纪委监委", skills=("finance",))
T3 = Team("T3", "长泰工程环保组", 117.756, 24.622, base_name="长泰区纪委监委", skills=("engineering",))
LEADER1 = Actor("zuzhang1", "leader", team_ids=("T2",), display_name="许组长")
DUE = "ZZ平2026-035"


@pytest.fixture()
def office(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, T2)
        save_team(s, T3)
        s.add(UserRow(username="zuzhang3", display_name="蔡组长", role="leader", password_hash="x", team_ids=["T3"]))
    add_case(engine, DUE, category="惠农补贴", status="selected", deadline=TODAY - dt.timedelta(days=5))
    add_case(engine, "ZZ平2026-040", category="惠农补贴")
    add_case(engine, "ZZ平2026-041", category="土地纠纷", deadline=TODAY - dt.timedelta(days=2))  # 土地: nobody
    with session_scope(engine) as s:
        draft = PlanRow(
            name="长泰第一周", start_date=TODAY, days=2, status="draft", created_by="zuzhang3", problem={}, result={}
        )
        s.add(draft)
        s.flush()
        case_id = s.query(CaseRow.id).filter(CaseRow.case_no == DUE).scalar()
        s.add(PlanCase(plan_id=draft.id, case_id=case_id, visit_id="V1", team_id="T3", visit_date=TODAY, seq=1))
    return engine


def _page() -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state["actor"] = LEADER1
    app.session_state[Key.TODAY] = TODAY
    app.run()
    assert not app.exception, app.exception
    return app


def test_a_letter_in_another_leaders_draft_is_listed_said_and_can_be_added(office) -> None:
    app = _page()
    table = app.dataframe[0].value
    assert DUE in set(table["编号"]), list(table["编号"])
    reason = table.loc[table["编号"] == DUE, "排序理由"].iloc[0]
    with session_scope(office) as s:
        pid = s.query(PlanRow.id).scalar()
    assert reason.startswith(f"在「蔡组长」的草稿 #{pid} 中（长泰工程环保组，缺财务专长）"), reason
    assert any("件在其他组长或协调员的草稿中" in c.value for c in app.caption)
    assert not any("已在进行中的计划里" in c.value for c in app.caption)
    app.number_input(key="sel_top").set_value(0).run()
    assert DUE in app.multiselect(key="sel_extra").options  # 另外加入 finds it


def test_a_letter_no_chosen_team_can_do_is_marked_and_not_taken_by_the_top_n(office) -> None:
    app = _page()
    table = app.dataframe[0].value
    reason = table.loc[table["编号"] == "ZZ平2026-041", "排序理由"].iloc[0]
    assert "需要土地专长，参加的检查组都不具备" in reason, reason
    assert any("1 件需要的专长参加的检查组都不具备" in w.value for w in app.warning), [w.value for w in app.warning]
    chosen = set(app.multiselect(key="sel_drop").options)
    assert chosen == {DUE, "ZZ平2026-040"}, chosen  # the top N: those T2 can do
    assert "ZZ平2026-041" in app.multiselect(key="sel_extra").options  # still there to add by hand
