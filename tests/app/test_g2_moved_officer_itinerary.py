"""Walk W6/F7: an officer moved by the administrator from 第一检查组 to 第二检查组 while 行程 is open.

The plan kept in the session had been opened for the old team only (a saved plan is loaded with the account's own
routes), so at the next click the page said 还没有可查看的计划 until the browser page was reloaded. Now the day is
chosen again for the account as the login gate re-reads it, and the page says the team changed.

Each run below stands for one click: the login gate (app.py) re-reads the account before the page runs; an AppTest
runs app.py only once, so the tests put the re-read account in the session as the gate does.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office import security
from planner.store.database import session_scope
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _officer_app, _saved


def _click(at: AppTest, engine) -> AppTest:
    """The next click: the account as the login gate reads it now, then the page."""
    with session_scope(engine) as s:
        at.session_state[Key.ACTOR] = security.get_actor(s, OFFICER_T1.username)
    at.run()
    assert not at.exception
    return at


def _stops(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**ZZ")]


def test_a_moved_officer_sees_the_new_teams_day_at_the_next_click(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _click(_officer_app(OFFICER_T1, MONDAY), engine)
    t1_stops = _stops(at)
    assert at.selectbox(key="it_team").value == "T1" and t1_stops
    with session_scope(engine) as s:  # the administrator, in 用户管理
        security.update_user(s, "li", team_ids=["T2"])
    _click(at, engine)
    assert not any("还没有可查看的计划" in i.value for i in at.info)
    # The new team's day (T2 has one day: no box of one choice, a line says what is shown — W13)
    assert (at.session_state["itinerary_team"], at.session_state["itinerary_date"]) == ("T2", MONDAY)
    assert not at.selectbox and any(c.value.startswith("显示：") and "第二检查组" in c.value for c in at.caption)
    assert _stops(at) and not set(_stops(at)) & set(t1_stops)
    assert "你的检查组已改为第二检查组（管理员刚刚调整）：下面是本组的行程。" in [i.value for i in at.info]
    assert at.query_params["team"] == "T2"
    with session_scope(engine) as s:  # a change that keeps the teams: the day shown stays, nothing is said
        security.update_user(s, "li", display_name="李明")
    _click(at, engine)  # said once: the next click shows the day without it
    assert not any("你的检查组已改为" in i.value for i in at.info)
    assert at.session_state["itinerary_team"] == "T2"


def test_an_officer_taken_off_every_team_is_told_so(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _click(_officer_app(OFFICER_T1, MONDAY), engine)
    with session_scope(engine) as s:
        security.update_user(s, "li", team_ids=[])
    _click(at, engine)
    assert "你已不在任何检查组（管理员刚刚调整）。" in [i.value for i in at.info]
    assert not _stops(at)
