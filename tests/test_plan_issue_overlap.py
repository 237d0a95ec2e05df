"""Issuing a plan whose routes send a team to letters another issued (or running) plan already sends a team to is
refused, naming the letters and the other plan.

Found in a browser walk: a coordinator uploaded last week's visits.csv on 路线规划, planned, saved and issued it while
the plan made from the same visits was already 已下发 — 39 letters (2 of them visited) were then on two issued plans,
their teams sent to the same villages twice.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.errors import InputError
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, PlanCase, PlanRow

DAY = dt.date(2026, 12, 7)


def _plan(session, name: str, status: str, routes: dict[str, str]) -> int:
    """A plan routing ``case_no -> team`` on DAY ('' team: left out)."""
    row = PlanRow(name=name, start_date=DAY, days=1, status=status, created_by="coord")
    session.add(row)
    session.flush()
    ids = dict(session.execute(select(CaseRow.case_no, CaseRow.id)).all())
    for i, (no, team) in enumerate(routes.items()):
        session.add(PlanCase(plan_id=row.id, case_id=ids[no], visit_id=f"V{i}", team_id=team,
                             visit_date=DAY if team else None, seq=i))
    session.flush()
    return row.id


@pytest.fixture()
def letters(session):
    for no in ("A", "B", "C", "D"):
        session.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                            status="selected"))
    session.flush()
    return session


def test_a_plan_sending_teams_to_letters_of_an_issued_plan_is_not_issued(letters) -> None:
    session = letters
    first = _plan(session, "第49周", "issued", {"A": "T1", "B": "T1", "C": ""})
    second = _plan(session, "第49周（重排）", "draft", {"A": "T4", "D": "T4"})
    with pytest.raises(InputError) as err:
        set_plan_status(session, second, PlanStatus.ISSUED, who="coord")
    assert "A" in str(err.value) and f"#{first}" in str(err.value)
    assert session.get(PlanRow, second).status == "draft"


def test_left_out_letters_drafts_and_finished_plans_do_not_block(letters) -> None:
    session = letters
    _plan(session, "草稿", "draft", {"A": "T1"})  # another draft: only an alternative
    _plan(session, "上月", "done", {"B": "T1"})  # finished
    _plan(session, "本周", "issued", {"C": "", "D": "T2"})  # C was left out there
    mine = _plan(session, "新计划", "draft", {"A": "T4", "B": "T4", "C": "T4"})
    assert set_plan_status(session, mine, PlanStatus.ISSUED, who="coord") is PlanStatus.ISSUED
