"""Two live plans must not send one team out on the same day (walk B H1): a leader issued plan #2 while plan #1
(issued) already sent 第六/第七检查组 out on 12-03 and 12-04; the officer's phone opened plan #2 only, so plan #1's
stops that day were never seen. 下发 now refuses with the facts, and the officer's day names the other plan."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import Team
from planner.errors import InputError
from planner.field.day import TeamDay, officer_day, other_days_text, other_live_days
from planner.office.security import Actor
from planner.store.lifecycle import PlanStatus, clash_text, route_team_days, set_plan_status, team_day_clashes
from planner.store.models import PlanRow
from planner.store.teams import save_team

D3, D4, D5 = dt.date(2026, 12, 3), dt.date(2026, 12, 4), dt.date(2026, 12, 5)


def _route(team: str, day: dt.date, n: int) -> dict:
    return {"team": team, "date": day.isoformat(), "stops": [{"visit": f"{team}{day.day}{i}"} for i in range(n)]}


def _plan(session, status: str, routes: list[dict]) -> int:
    row = PlanRow(name=f"计划{status}", start_date=D3, days=3, status=status, created_by="lead1",
                  result={"routes": routes})
    session.add(row)
    session.flush()
    return row.id


@pytest.fixture()
def teams(session):
    save_team(session, Team("T6", "第六检查组", 117.3, 24.5))
    save_team(session, Team("T7", "第七检查组", 117.3, 24.5))
    session.flush()
    return session


def test_issuing_a_plan_that_books_a_team_day_of_an_issued_plan_is_refused(teams) -> None:
    session = teams
    first = _plan(session, "issued", [_route("T6", D3, 2), _route("T6", D4, 1), _route("T7", D5, 3)])
    second = _plan(session, "draft", [_route("T6", D3, 4), _route("T6", D4, 3), _route("T7", D3, 4)])
    with pytest.raises(InputError) as err:
        set_plan_status(session, second, PlanStatus.ISSUED, who="lead1")
    text = str(err.value)
    assert f"第六检查组 12-03、12-04 已在已下发的计划 #{first} 中有行程" in text
    assert f"请先撤回/完成计划 #{first}，或改选日期/检查组" in text
    assert "第七检查组" not in text  # T7 goes out on different days in the two plans
    assert session.get(PlanRow, second).status == "draft"


def test_drafts_finished_plans_and_other_days_do_not_block(teams) -> None:
    session = teams
    _plan(session, "draft", [_route("T6", D3, 2)])
    _plan(session, "done", [_route("T6", D3, 2)])
    _plan(session, "issued", [_route("T6", D5, 2), _route("T7", D3, 0)])  # a route with no stop sends nobody
    mine = _plan(session, "draft", [_route("T6", D3, 4), _route("T7", D3, 2)])
    assert set_plan_status(session, mine, PlanStatus.ISSUED, who="lead1") is PlanStatus.ISSUED


def test_an_in_progress_plan_blocks_and_the_text_covers_every_plan(teams) -> None:
    session = teams
    a = _plan(session, "in_progress", [_route("T7", D4, 3)])
    b = _plan(session, "issued", [_route("T6", D3, 2)])
    clashes = team_day_clashes(session, route_team_days({"routes": [_route("T6", D3, 1), _route("T7", D4, 1)]}))
    assert [(c.plan_id, c.team_name, c.dates, c.stops) for c in clashes] == [
        (a, "第七检查组", (D4,), 3), (b, "第六检查组", (D3,), 2)]
    assert clash_text(clashes).startswith(f"第七检查组 12-04 已在执行中的计划 #{a} 中有行程；第六检查组 12-03 已在")
    assert f"请先撤回/完成计划 #{a}、#{b}" in clash_text(clashes)


def test_the_officers_day_names_the_other_live_plan_of_the_same_day(teams) -> None:
    """Plans already overlapping in a database (saved before the refusal) are not silently hidden."""
    session = teams
    first = _plan(session, "issued", [_route("T6", D3, 2)])
    second = _plan(session, "issued", [_route("T6", D3, 4)])
    off6 = Actor(username="off6", role="officer", team_ids=("T6",))
    day = officer_day(session, off6, D3)
    assert (day.plan_id, day.date) == (second, D3)  # the newest plan opens
    others = other_live_days(session, day)
    assert [(o.plan_id, n) for o, n in others] == [(first, 2)]
    assert other_days_text(day, others, D3).startswith(f"本组今天在计划 #{first} 还有 2 个走访点")
    assert other_live_days(session, TeamDay(D4, "T6", second)) == []
