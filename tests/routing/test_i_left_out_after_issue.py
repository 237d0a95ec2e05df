"""A letter a plan leaves out (no team, no day) goes back to 已登记 when the plan is issued, unless a draft plan
still lists it.

Walk 1: 309号 (V014), left out of plan #1, stayed 已选件 after 下发 while the other 7 letters became 已排程; 选件
offered it as a candidate again, and nothing said that no team would go.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.store.cases import case_history
from planner.store.lifecycle import PlanStatus, plan_saved, set_plan_status
from planner.store.models import CaseRow, PlanCase, PlanRow

DAY = dt.date(2026, 12, 7)


def _plan(session, routes: dict[str, str], status: str = "draft") -> int:
    """A plan routing ``case_no -> team`` on DAY ('' team: left out)."""
    row = PlanRow(name="第49周", start_date=DAY, days=1, status=status, created_by="lead")
    session.add(row)
    session.flush()
    ids = dict(session.execute(select(CaseRow.case_no, CaseRow.id)).all())
    for i, (no, team) in enumerate(routes.items()):
        session.add(PlanCase(plan_id=row.id, case_id=ids[no], visit_id=f"V{i}", team_id=team,
                             visit_date=DAY if team else None, seq=i))
    session.flush()
    return row.id


def _statuses(session) -> dict[str, str]:
    return dict(session.execute(select(CaseRow.case_no, CaseRow.status)).all())


def _letters(session, *nos: str) -> None:
    for no in nos:
        session.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                            status="registered"))
    session.flush()


def test_a_letter_left_out_of_an_issued_plan_is_back_to_be_chosen(session) -> None:
    _letters(session, "301", "309")
    pid = _plan(session, {"301": "T1", "309": ""})
    plan_saved(session, pid, who="lead")
    assert _statuses(session) == {"301": "selected", "309": "selected"}
    set_plan_status(session, pid, PlanStatus.ISSUED, who="lead")
    assert _statuses(session) == {"301": "planned", "309": "registered"}
    notes = [h.detail.get("note", "") for h in case_history(session, "309")]
    assert any("未安排本件" in n and "退回待选" in n for n in notes)
    # withdrawn to a draft, the plan lists it again
    set_plan_status(session, pid, PlanStatus.DRAFT, who="lead")
    assert _statuses(session)["309"] == "selected"


def test_a_left_out_letter_another_draft_lists_stays_selected(session) -> None:
    _letters(session, "301", "309", "310")
    mine = _plan(session, {"301": "T1", "309": ""})
    plan_saved(session, mine, who="lead")
    other = _plan(session, {"309": "T2", "310": "T2"})
    plan_saved(session, other, who="lead2")
    set_plan_status(session, mine, PlanStatus.ISSUED, who="lead")
    assert _statuses(session) == {"301": "planned", "309": "selected", "310": "selected"}
