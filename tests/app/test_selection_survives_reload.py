"""AppTest (M6): a reload of 选件 or 路线规划 finds the account's last selection again, rights checked again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 1)


def _case(i: int) -> CaseRow:
    received = dt.date(2026, 11, i)
    return CaseRow(case_no=f"PH-{i}", received_date=received, deadline=received + dt.timedelta(days=60),
                   content="征地补偿款未发放", category="征地拆迁", county="平和县", county_code="350628",
                   town=f"{i}镇", town_code=f"35062810{i}", village=f"{i}村", village_code=f"35062810{i}201",
                   lon=117.2 + i / 20, lat=24.3 + i / 40, precision="village")


@pytest.fixture()
def db(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add_all([_case(i) for i in range(1, 6)])
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51))
        s.add(TeamRow(id="T2", name="第二检查组", base_lon=117.36, base_lat=24.34))
    return engine


def _page(name: str, actor: Actor | None = None) -> AppTest:  # a fresh browser session (a reload)
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)
    at.session_state["today"] = TODAY
    if actor is not None:
        at.session_state["actor"] = actor
    return at


def _choose_two(actor: Actor | None = None) -> AppTest:
    app = _page("selection.py", actor)
    app.run()
    assert not app.exception
    app.number_input(key="sel_top").set_value(2).run()
    app.number_input(key="sel_days").set_value(2).run()
    app.button(key="sel_build").click().run()
    assert not app.exception
    assert len(app.session_state[Key.VISITS]) == 2
    return app


def test_planning_opened_by_url_after_selection_finds_the_visits(db) -> None:
    _choose_two()
    app = _page("planning.py")  # F5 on 路线规划, or its URL typed: a new session
    app.run()
    assert not app.exception
    assert not any("还没有要走访的点" in i.value for i in app.info)
    assert len(app.session_state[Key.VISITS]) == 2
    assert app.session_state["pl_days"] == 2  # the trip chosen on 选件
    assert any("已恢复" in i.value and "重新规划" in i.value for i in app.info)


def test_selection_reloaded_keeps_its_choice_not_the_defaults(db) -> None:
    _choose_two()
    app = _page("selection.py")
    app.run()
    assert not app.exception
    assert app.number_input(key="sel_top").value == 2
    assert app.number_input(key="sel_days").value == 2
    assert len(app.session_state[Key.VISITS]) == 2
    assert any("已恢复上次选定的 2 个走访点" in i.value for i in app.info)


def test_selection_reloaded_keeps_the_letters_added_and_taken_out_by_hand(db) -> None:
    """The walks: 另外加入 and 从选取中去掉 came back empty after a reload, so 生成走访点 again lost them."""
    app = _page("selection.py")
    app.run()
    app.number_input(key="sel_top").set_value(2).run()
    app.number_input(key="sel_days").set_value(2).run()
    top = list(app.multiselect(key="sel_drop").options)
    extra = next(o for o in app.multiselect(key="sel_extra").options)
    app.multiselect(key="sel_extra").set_value([extra]).run()
    app.multiselect(key="sel_drop").set_value([top[0]]).run()
    app.button(key="sel_build").click().run()
    assert not app.exception
    chosen = {c for v in app.session_state[Key.VISITS] for c in v.case_nos}
    assert chosen == {top[1], extra}

    again = _page("selection.py")
    again.run()
    assert not again.exception
    assert again.multiselect(key="sel_extra").value == [extra]
    assert again.multiselect(key="sel_drop").value == [top[0]]
    again.button(key="sel_build").click().run()
    assert {c for v in again.session_state[Key.VISITS] for c in v.case_nos} == chosen


def test_another_account_does_not_get_it_and_a_leader_loses_other_teams(db) -> None:
    _choose_two()
    other = _page("planning.py", Actor("someone", "admin", display_name="另一人"))
    other.run()
    assert any("还没有要走访的点" in i.value for i in other.info)

    leader = Actor("lead1", "leader", display_name="组长", team_ids=("T1",))
    _choose_two(leader)
    with session_scope(db) as s:
        from planner.selection.memory import load_selection

        last = load_selection(s, leader, on=TODAY)  # the page's pinned day (出发日期 defaults to it)
        assert last is not None and last.trip.team_ids == ("T1",)


def test_a_letter_handled_since_is_not_restored_nor_a_trip_that_has_begun(db) -> None:
    """Walk M: a selection made before a trip was restored two weeks later with a letter resolved on that trip and
    its start date in the past; the resolved letter was planned and issued again without a word."""
    from sqlalchemy import update

    chooser = _choose_two()
    chosen = sorted(c for v in chooser.session_state[Key.VISITS] for c in v.case_nos)
    with session_scope(db) as s:
        s.execute(update(CaseRow).where(CaseRow.case_no == chosen[0]).values(status="resolved"))
    later = _page("planning.py")
    later.session_state["today"] = TODAY + dt.timedelta(days=28)  # after the chosen trip's start
    later.run()
    assert not later.exception
    assert [c for v in later.session_state[Key.VISITS] for c in v.case_nos] == [chosen[1]]
    assert any("另有 1 个走访点" in i.value and "已化解或办结" in i.value for i in later.info)
    assert later.session_state[Key.TRIP] is None  # the old start date is not offered again
