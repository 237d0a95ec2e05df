"""Switching a team off while an issued or running plan still sends it out (walk W6): 检查组 said only 已停用, and
the team's officer kept the plan — saw it, downloaded its files, recorded outcomes — while its stops had nobody
else to go. The switch-off is refused, naming the plans and days, until the plan is re-planned or closed."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import Team
from planner.errors import InputError
from planner.office.security import Actor
from planner.office.teams import edit_team, live_days
from planner.store.models import PlanRow, TeamRow
from planner.store.teams import save_team, team_records

COORD = Actor("coord", "coordinator", display_name="陈协调")
D6, D7, D8 = dt.date(2026, 12, 6), dt.date(2026, 12, 7), dt.date(2026, 12, 8)


def _route(team: str, day: dt.date, n: int) -> dict:
    return {"team": team, "date": day.isoformat(), "stops": [{"visit": f"{team}{day.day}{i}"} for i in range(n)]}


def _plan(session, status: str, routes: list[dict], name: str = "东山线") -> int:
    row = PlanRow(name=name, start_date=D6, days=3, status=status, created_by="coord", result={"routes": routes})
    session.add(row)
    session.flush()
    return row.id


@pytest.fixture()
def t6(session):
    save_team(session, Team("T6", "第六检查组", 117.3, 24.5))
    save_team(session, Team("T7", "第七检查组", 117.3, 24.5))
    session.flush()
    return session


def _off(session, today: dt.date = D7):
    record = team_records(session, team_ids=("T6",))[0]
    return edit_team(session, record.team, actor=COORD, expected_version=record.version, active=False, today=today)


def test_a_team_sent_out_by_an_issued_plan_is_not_switched_off(t6) -> None:
    session = t6
    pid = _plan(session, "issued", [_route("T6", D6, 1), _route("T6", D7, 2), _route("T6", D8, 3),
                                    _route("T7", D7, 4)])
    with pytest.raises(InputError) as err:
        _off(session)
    text = str(err.value)
    # The days from today on (12-06 is gone), the plan by number and name, and what to do first.
    assert f"第六检查组 12-07、12-08 已在已下发的计划 #{pid}「东山线」中有行程（5 个走访点）" in text
    assert f"请先在“路线规划”中打开计划 #{pid} 重新规划" in text and "再停用" in text
    assert "第七检查组" not in text
    assert session.get(TeamRow, "T6").active is True


def test_a_running_plan_blocks_too_and_every_plan_is_named(t6) -> None:
    session = t6
    a = _plan(session, "in_progress", [_route("T6", D7, 2)], name="南靖线")
    b = _plan(session, "issued", [_route("T6", D8, 1)])
    assert [(c.plan_id, c.dates, c.stops) for c in live_days(session, "T6", today=D7)] == [(a, (D7,), 2), (b, (D8,), 1)]
    with pytest.raises(InputError, match=f"执行中的计划 #{a}「南靖线」.*已下发的计划 #{b}「东山线」"):
        _off(session)


def test_drafts_finished_plans_and_days_gone_do_not_block(t6) -> None:
    session = t6
    _plan(session, "draft", [_route("T6", D8, 2)])
    _plan(session, "done", [_route("T6", D8, 2)])
    _plan(session, "issued", [_route("T6", D6, 2), _route("T6", D8, 0)])  # a day gone; a route with no stop
    assert live_days(session, "T6", today=D7) == []
    assert _off(session).active is False


def test_an_unchanged_or_switched_on_team_saves_as_before(t6) -> None:
    session = t6
    _plan(session, "issued", [_route("T6", D8, 2)])
    record = team_records(session, team_ids=("T6",))[0]
    renamed = edit_team(session, record.team, actor=COORD, expected_version=record.version, active=True, today=D7)
    assert renamed.active is True
