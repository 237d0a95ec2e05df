"""Issuing a draft that sends out a team switched off since it was planned (walk F8): the draft was issued and its
stops went to a team nobody answers for. Issuing is refused, naming the team and its days, until re-planned."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import Team
from planner.errors import InputError
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import PlanRow, TeamRow
from planner.store.teams import save_team

D7, D8 = dt.date(2026, 12, 7), dt.date(2026, 12, 8)


def _route(team: str, day: dt.date, n: int) -> dict:
    return {"team": team, "date": day.isoformat(), "stops": [{"visit": f"{team}{day.day}{i}"} for i in range(n)]}


def _draft(session, routes: list[dict]) -> int:
    row = PlanRow(name="东山线", start_date=D7, days=2, status="draft", created_by="coord", result={"routes": routes})
    session.add(row)
    session.flush()
    return row.id


@pytest.fixture()
def teams(session):
    save_team(session, Team("T6", "第六检查组", 117.3, 24.5))
    save_team(session, Team("T7", "第七检查组", 117.3, 24.5))
    session.flush()
    return session


def test_a_draft_sending_a_stopped_team_is_not_issued(teams) -> None:
    session = teams
    pid = _draft(session, [_route("T6", D7, 2), _route("T6", D8, 1), _route("T7", D7, 3)])
    session.get(TeamRow, "T6").active = False
    session.flush()
    with pytest.raises(InputError) as err:
        set_plan_status(session, pid, PlanStatus.ISSUED, who="coord")
    text = str(err.value)
    assert f"计划 #{pid} 不能下发：第六检查组（12-07、12-08）已停用" in text
    assert "第七检查组" not in text and "重新规划" in text
    assert session.get(PlanRow, pid).status == "draft"


def test_a_stopped_team_with_no_stop_in_the_plan_does_not_block(teams) -> None:
    session = teams
    pid = _draft(session, [_route("T6", D7, 0), _route("T7", D7, 3)])
    session.get(TeamRow, "T6").active = False
    session.flush()
    assert set_plan_status(session, pid, PlanStatus.ISSUED, who="coord") is PlanStatus.ISSUED
    assert session.get(PlanRow, pid).status == "issued"


def test_switched_on_again_the_draft_is_issued(teams) -> None:
    session = teams
    pid = _draft(session, [_route("T6", D7, 2)])
    session.get(TeamRow, "T6").active = False
    session.flush()
    with pytest.raises(InputError):
        set_plan_status(session, pid, PlanStatus.ISSUED, who="coord")
    session.get(TeamRow, "T6").active = True
    session.flush()
    assert set_plan_status(session, pid, PlanStatus.ISSUED, who="coord") is PlanStatus.ISSUED
