"""行程 on a phone: an officer who chose another day (or another plan) had no way back to the day list the page opens
on but the 换计划、检查组或日期 box — the browser's back button stayed on the day chosen (the address is replaced).
A 返回今天的行程 button takes them back in one tap; it is not there while today's list is shown."""

from __future__ import annotations

import datetime as dt

from planner.field.day import TeamDay
from planner.field.home_day import home_day, home_text
from planner.office.security import Actor
from planner.store.database import session_scope
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _officer_app, _saved

TUESDAY = MONDAY + dt.timedelta(days=1)


def _home(at):
    return [b for b in at.button if b.key == "it_home"]


def test_an_officer_on_another_day_goes_back_to_todays_list_in_one_tap(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception and not _home(at)  # today's list: nowhere to go back to
    at.selectbox(key="it_date").set_value(TUESDAY).run()
    assert at.session_state["itinerary_date"] == TUESDAY
    (back,) = _home(at)
    assert back.label == "返回今天的行程"
    back.click().run()
    assert not at.exception
    assert at.session_state["itinerary_date"] == MONDAY and at.selectbox(key="it_date").value == MONDAY
    assert any("2026-12-07 行程单" in h.value for h in at.subheader)
    assert not _home(at)


def test_the_way_back_is_to_the_next_route_day_when_there_is_none_today_and_coordinators_go_to_today(
        engine, monkeypatch) -> None:
    pid = _saved(engine, monkeypatch)
    sunday = MONDAY - dt.timedelta(days=1)
    coordinator = Actor(username="chen", role="coordinator")
    with session_scope(engine) as s:
        home = home_day(s, OFFICER_T1, sunday, TeamDay(TUESDAY, "T1", pid), [MONDAY, TUESDAY])
        assert (home.date, home.plan_id) == (MONDAY, pid)
        assert home_text(home, sunday) == "返回下一个行程日（明天 2026-12-07（周一））"
        assert home_day(s, OFFICER_T1, MONDAY, TeamDay(MONDAY, "T1", pid), [MONDAY, TUESDAY]) is None
        back = home_day(s, coordinator, MONDAY, TeamDay(TUESDAY, "T1", pid), [MONDAY, TUESDAY])
        assert (back.date, back.team_id, back.plan_id) == (MONDAY, "T1", pid)
        assert home_day(s, coordinator, MONDAY, TeamDay(TUESDAY, "T1", pid), [TUESDAY]) is None
