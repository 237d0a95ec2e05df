"""路线规划 warns at 保存 and refuses 下发 when another live plan already sends the team out that day; 行程 tells
an officer when another live plan books their team the same day, with one tap to it (walk B H1)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _ui_data import TODAY, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.field import load_document
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanRow
from planner.store.plans import save_plan
from planner.store.teams import save_team

ROOT = Path(__file__).resolve().parents[2]
VISITS = (Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村"), Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村"))


def _issued(engine, team: str, day: dt.date, stops: int) -> int:
    with session_scope(engine) as s:
        row = PlanRow(name="第一批", start_date=day, days=1, status="issued", created_by="lead1",
                      result={"routes": [{"team": team, "date": day.isoformat(),
                                          "stops": [{"visit": f"X{i}"} for i in range(stops)]}]})
        s.add(row)
        s.flush()
        return row.id


def test_save_warns_and_issue_refuses_a_team_day_of_another_issued_plan(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    app = AppTest.from_file(str(ROOT / "pages" / "planning.py"), default_timeout=60)
    app.session_state[Key.TODAY] = TODAY
    app.session_state[Key.VISITS] = VISITS
    app.run()
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    app.button[0].click().run()  # 开始规划
    assert not app.exception
    day = app.session_state[Key.PLAN_DOC].plan.routes[0].date
    first = _issued(engine, "A", day, 2)
    app.run()
    expected = f"平和一组 {day:%m-%d} 已在已下发的计划 #{first} 中有行程；请先撤回/完成计划 #{first}，或改选日期/检查组"
    assert any(expected in w.value for w in app.warning), [w.value for w in app.warning]
    next(b for b in app.button if b.label == "保存方案").click().run()
    assert not app.exception
    pid = app.session_state[Key.PLAN_ID]
    assert any(f"计划 #{pid} 现在不能下发" in w.value and expected in w.value for w in app.warning)
    # Walk B: the button stayed active under the warning; it is now off, and the library refuses all the same.
    assert app.button(key=f"pl_life_{pid}_issued").disabled
    from planner.errors import InputError
    from planner.store.lifecycle import PlanStatus, set_plan_status

    with session_scope(engine) as s, pytest.raises(InputError, match="不能下发"):
        set_plan_status(s, pid, PlanStatus.ISSUED, who="lead")
    with session_scope(engine) as s:
        assert s.get(PlanRow, pid).status == "draft"


def test_the_officer_is_told_of_the_other_plan_and_switches_with_one_tap(engine, monkeypatch) -> None:
    doc = load_document(ROOT / "tests" / "data" / "plan_zhangzhou.json")
    monday = dt.date(2026, 12, 7)
    with session_scope(engine) as s:
        for no, c in doc.cases.items():
            s.add(CaseRow(case_no=no, received_date=dt.date.fromisoformat(c["received_date"]),
                          deadline=dt.date.fromisoformat(c["deadline"]), title=c["summary"], content=c["summary"],
                          category=c["category"], county=c["county"], town=c["town"], village=c["village"],
                          status="planned"))
        s.flush()
        # Two plans issued before 下发 refused it (a database of the walk): both send T2 out on Monday.
        first = save_plan(s, doc, name="第一批", who="lead1")
        newer = save_plan(s, doc, name="第二批", who="lead1", parent_id=first)  # 另存为新方案 of the first
        for pid in (first, newer):
            s.get(PlanRow, pid).status = "issued"
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    at.session_state["actor"] = Actor(username="wang", role="officer", team_ids=("T2",))
    at.session_state["today"] = monday
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    shown, other = newer, first
    assert at.session_state["plan_id"] == newer  # the newest issued plan opens
    assert any(f"本组今天在计划 #{other} 还有" in w.value for w in at.warning), [w.value for w in at.warning]
    at.button(key=f"it_other_{other}").click().run()
    assert not at.exception
    assert (at.session_state["plan_id"], at.session_state["itinerary_team"]) == (other, "T2")
    assert at.session_state["itinerary_date"] == monday
    assert any(f"本组今天在计划 #{shown} 还有" in w.value for w in at.warning)


def test_saving_a_second_draft_for_a_team_day_another_draft_books_says_so(engine, monkeypatch) -> None:
    """Walk F: a second plan for the same team and days was saved as a draft without a word; both drafts then held
    the same letters, and only one of them could ever be issued."""
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    app = AppTest.from_file(str(ROOT / "pages" / "planning.py"), default_timeout=60)
    app.session_state[Key.TODAY] = TODAY
    app.session_state[Key.VISITS] = VISITS
    app.run()
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    app.button[0].click().run()  # 开始规划
    day = app.session_state[Key.PLAN_DOC].plan.routes[0].date
    assert not any("草稿的计划" in i.value for i in app.info)  # nothing saved yet: nothing to say
    next(b for b in app.button if b.label == "保存方案").click().run()
    assert not app.exception
    first = app.session_state[Key.PLAN_ID]
    next(b for b in app.button if b.label == "开始规划").click().run()  # plan again, as a new plan
    assert not app.exception and app.session_state[Key.PLAN_ID] is None
    notes = [i.value for i in app.info if "草稿的计划" in i.value]
    assert notes and f"平和一组 {day:%m-%d} 已在草稿的计划 #{first} 中有行程" in notes[0], [i.value for i in app.info]
    assert "只能下发其中一个" in notes[0]
