"""Walk W6/F7: an officer's 行程 form saved after the administrator changed the account in a way that leaves the
officer's right over that stop intact (a new display name; a second team added) was refused (未保存：账户“li”的权限已
变更…) and what was typed went nowhere. The save now asks whether the account, as it is at the moment of the save, may
record this stop's outcome; a change that takes the right away (moved off the team, role changed, stopped, password
reset: tests/app/test_f7_live_account_save.py) is still refused.
"""

from __future__ import annotations

from pages.common import Key
from planner.office import security
from planner.store.database import session_scope
from tests.app.test_f7_live_account_save import _fill_and_save, _outcomes, _signed_in_page
from tests.app.test_itinerary import _saved


def test_a_team_added_while_the_form_is_open_saves_what_was_typed(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _signed_in_page(engine)
    with session_scope(engine) as s:  # the administrator, while the officer's form is open: 第一检查组 stays
        security.update_user(s, "li", team_ids=["T1", "T2"])
    _fill_and_save(at, "已入户核实")
    assert not at.session_state[Key.REFUSED_DOWNLOADS]
    assert _outcomes(engine) == [("已入户核实", "li")]
    assert any("已保存信访件" in m.value for m in at.success)


def test_after_a_team_was_added_taking_the_stops_team_away_still_refuses(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _signed_in_page(engine)
    with session_scope(engine) as s:
        security.update_user(s, "li", team_ids=["T1", "T2"])
    _fill_and_save(at, "已入户核实")
    assert _outcomes(engine) == [("已入户核实", "li")]
    with session_scope(engine) as s:  # then moved off the stop's team (第一检查组)
        security.update_user(s, "li", team_ids=["T2"])
    _fill_and_save(at, "已入户核实，另补充说明")
    assert _outcomes(engine) == [("已入户核实", "li")]
    # said as the move it is, what was typed kept (tests/app/test_h3_moved_officer_unsaved.py)
    assert not at.session_state[Key.REFUSED_DOWNLOADS]
    assert "核查情况：已入户核实，另补充说明" in at.session_state["it_unsaved_moved"]["text"]


def test_a_role_change_still_refuses_even_with_the_same_team(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _signed_in_page(engine)
    with session_scope(engine) as s:
        security.update_user(s, "li", team_ids=["T1", "T2"], display_name="李明")
    _fill_and_save(at, "已入户核实")  # a harmless change first: saved
    with session_scope(engine) as s:
        security.update_user(s, "li", role="leader")
    _fill_and_save(at, "已入户核实，另补充说明")
    assert _outcomes(engine) == [("已入户核实", "li")]
    assert at.session_state[Key.REFUSED_DOWNLOADS] == ["未保存：账户“li”的权限已变更，请刷新页面后再保存"]
