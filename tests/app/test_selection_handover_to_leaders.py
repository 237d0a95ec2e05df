"""AppTest, walk U: the coordinator's 选件 reaches the leaders of the teams going. 选件 says to whom it goes; each
leader's 路线规划 starts from their own team's share (not 还没有要走访的点), and their 选件 offers it with who chose
it and when, to adopt or to keep their own selection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamRow, UserRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 5)
COORD = Actor("tongchou", "coordinator", display_name="陈统筹")
LEAD1 = Actor("zuzhang1", "leader", team_ids=("T1",), display_name="林组长")
LEAD2 = Actor("zuzhang2", "leader", team_ids=("T2",), display_name="黄组长")


def _case(i: int, lon: float) -> CaseRow:
    received = dt.date(2026, 11, i)
    return CaseRow(case_no=f"HA-{i:02d}", received_date=received, deadline=received + dt.timedelta(days=60),
                   content="征地补偿款未发放", category="征地拆迁", county="平和县", county_code="350628",
                   town=f"{i}镇", town_code=f"35062810{i}", village=f"{i}村", village_code=f"35062810{i}201",
                   lon=lon, lat=24.4, precision="village")


@pytest.fixture()
def db(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add_all([_case(i, 117.62 + i / 100) for i in range(1, 4)] + [_case(i, 117.25 + i / 100)
                                                                        for i in range(4, 7)])
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51))
        s.add(TeamRow(id="T2", name="第二检查组", base_lon=117.30, base_lat=24.37))
        for a in (COORD, LEAD1, LEAD2):
            s.add(UserRow(username=a.username, display_name=a.display_name, role=a.role, password_hash="x",
                          team_ids=list(a.team_ids)))
    return engine


def _page(name: str, actor: Actor) -> AppTest:  # a fresh browser session
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=90)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = actor
    return at


def _coordinator_builds() -> set[str]:
    app = _page("selection.py", COORD)
    app.run()
    assert not app.exception
    # Said before 生成走访点: the selection goes to the leaders of the teams going, by name.
    assert any("交各组组长规划" in c.value and "林组长" in c.value and "黄组长" in c.value for c in app.caption)
    app.number_input(key="sel_top").set_value(6).run()
    app.number_input(key="sel_days").set_value(2).run()
    app.button(key="sel_build").click().run()
    assert not app.exception
    assert any("已交给参加检查组的组长" in i.value and "第一检查组（组长 林组长）" in i.value for i in app.info)
    table = next(d.value for d in app.dataframe if "交给" in d.value.columns)  # each visit's team, in the table
    assert set(table["交给"]) == {"第一检查组", "第二检查组"}
    return {c for v in app.session_state[Key.VISITS] for c in v.case_nos}


def test_leaders_plan_from_their_own_teams_share_of_the_coordinators_selection(db) -> None:
    chosen = _coordinator_builds()
    assert len(chosen) == 6
    got = {}
    for leader in (LEAD1, LEAD2):
        app = _page("planning.py", leader)
        app.run()
        assert not app.exception
        assert not any("还没有要走访的点" in i.value for i in app.info)
        got[leader.team_ids[0]] = {c for v in app.session_state[Key.VISITS] for c in v.case_nos}
        assert app.session_state[Key.TRIP].team_ids == leader.team_ids
        assert any(i.value.startswith("协调员陈统筹于 ") and "选定：本组" in i.value for i in app.info)
    assert got["T1"] == {"HA-01", "HA-02", "HA-03"} and got["T2"] == {"HA-04", "HA-05", "HA-06"}


def test_a_leader_adopts_it_on_selection_or_keeps_their_own(db) -> None:
    # zuzhang1 chose one letter of their own before the coordinator's hand-over.
    mine = _page("selection.py", LEAD1)
    mine.run()
    mine.number_input(key="sel_top").set_value(1).run()
    mine.button(key="sel_build").click().run()
    own = {c for v in mine.session_state[Key.VISITS] for c in v.case_nos}
    _coordinator_builds()

    app = _page("selection.py", LEAD1)
    app.run()
    assert not app.exception
    assert any("协调员陈统筹于" in m.value and "本组" in m.value for m in app.markdown)
    assert app.date_input(key="sel_start").value == dt.date(2026, 12, 7)  # the coordinator's trip, not the default
    app.button(key="sel_ho_keep").click().run()
    assert not app.exception
    assert {c for v in app.session_state[Key.VISITS] for c in v.case_nos} == own
    again = _page("planning.py", LEAD1)  # kept: not offered again
    again.run()
    assert {c for v in again.session_state[Key.VISITS] for c in v.case_nos} == own

    two = _page("selection.py", LEAD2)
    two.run()
    two.button(key="sel_ho_adopt").click().run()
    assert not two.exception
    assert any("已采用协调员陈统筹" in s.value for s in two.success)
    later = _page("selection.py", LEAD2)
    later.run()
    assert any("采用协调员陈统筹于" in i.value for i in later.info)
    assert {c for v in later.session_state[Key.VISITS] for c in v.case_nos} == {"HA-04", "HA-05", "HA-06"}
