"""Walk Q: ZX2026-057 repeats ZX2026-002 (same petitioner, same matter) and was not chosen; 002 was visited on 12-07
and its plan closed. 057 stayed 已登记 and 选件 ranked it with no word of that visit, so it could be planned as a
trip of its own to the same door. Its ranking reason now says so; its status is left alone."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.domain import VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.office.security import Actor
from planner.selection.repeats import visited_firsts
from planner.store.database import session_scope
from planner.store.lifecycle import set_plan_status
from planner.store.models import CaseRow, PlanCase, PlanRow

DAY = dt.date(2026, 12, 7)


def _case(no: int, petitioner: str = "") -> CaseRow:
    return CaseRow(case_no=f"ZX2026-{no:03d}", received_date=dt.date(2026, 10, 1) + dt.timedelta(days=no // 2),
                   deadline=dt.date(2027, 1, 30), content="征地补偿款没有发放", category="征地拆迁", county="平和县",
                   county_code="350628", town="某镇", village="某村", lon=117.3, lat=24.4, precision="village",
                   petitioner_key=petitioner)


def _visit_002_and_close(engine, *, also: tuple[str, ...] = ()) -> None:
    """A plan sends T1 to ZX2026-002 (and ``also``) on DAY; 002 is recorded 已走访 and the plan 标记完成."""
    with session_scope(engine) as s:
        plan = PlanRow(name="第49周", start_date=DAY, days=1, status="draft", created_by="lead")
        s.add(plan)
        s.flush()
        for seq, no in enumerate(("ZX2026-002", *also)):
            case_id = s.scalar(select(CaseRow.id).where(CaseRow.case_no == no))
            s.add(PlanCase(plan_id=plan.id, case_id=case_id, visit_id=f"V{seq}", team_id="T1", visit_date=DAY,
                           seq=seq))
        s.flush()
        set_plan_status(s, plan.id, "issued", who="lead")
        pid = plan.id
    for no in ("ZX2026-002", *also):
        with session_scope(engine) as s:
            record_outcome(s, VisitOutcome(case_no=no, visit_date=DAY, result="visited", team_id="T1"), who="off",
                           plan_id=pid)
    with session_scope(engine) as s:
        set_plan_status(s, pid, "done", who="lead")


def test_a_repeat_letter_left_off_the_plan_says_its_first_letter_was_visited(engine) -> None:
    with session_scope(engine) as s:
        s.add_all([_case(2, "p-chen"), _case(57, "p-chen"), _case(58, "p-chen"), _case(3), _case(1, "p-wu")])
    _visit_002_and_close(engine, also=("ZX2026-058",))
    with session_scope(engine) as s:
        notes = visited_firsts(s, ["ZX2026-001", "ZX2026-002", "ZX2026-003", "ZX2026-057", "ZX2026-058"])
        status = s.scalar(select(CaseRow.status).where(CaseRow.case_no == "ZX2026-057"))
    # 058 was visited itself that day, 002 is the first letter, 001 and 003 have no visited mate: no note.
    assert notes == {"ZX2026-057": "同一信访人同一事项，前件 ZX2026-002 已于 12-07 走访，"
                                   "前件化解、澄清或办结时本件随之一并办结"}
    assert status == "registered"  # told, not changed


def test_the_note_says_when_the_first_letter_is_settled_and_hides_another_teams_number(engine) -> None:
    from sqlalchemy import update

    with session_scope(engine) as s:
        s.add_all([_case(2, "p-chen"), _case(57, "p-chen")])
    _visit_002_and_close(engine)
    leader = Actor("lead2", "leader", display_name="二组组长", team_ids=("T2",))  # 002 is the first team's
    with session_scope(engine) as s:
        assert visited_firsts(s, ["ZX2026-057"], actor=leader) == {
            "ZX2026-057": "同一信访人同一事项，前件（其他检查组办理）已于 12-07 走访，"
                          "前件化解、澄清或办结时本件随之一并办结"}
        # A later letter that did not wait (its status moved on its own) is told the first letter's state.
        s.execute(update(CaseRow).where(CaseRow.case_no == "ZX2026-002").values(status="resolved"))
        s.execute(update(CaseRow).where(CaseRow.case_no == "ZX2026-057").values(status="visited"))
        assert visited_firsts(s, ["ZX2026-057"]) == {
            "ZX2026-057": "同一信访人同一事项，前件 ZX2026-002 已于 12-07 走访（前件现已化解）"}


def test_no_note_without_a_visit_of_an_earlier_letter(engine) -> None:
    with session_scope(engine) as s:
        s.add_all([_case(2, "p-chen"), _case(57, "p-chen")])
        s.flush()
        case_id = s.scalar(select(CaseRow.id).where(CaseRow.case_no == "ZX2026-002"))
        record = VisitOutcome(case_no="ZX2026-002", visit_date=DAY, result="postponed", team_id="T1", reason="外出")
    with session_scope(engine) as s:
        record_outcome(s, record, who="off")
    with session_scope(engine) as s:
        assert case_id is not None and visited_firsts(s, ["ZX2026-002", "ZX2026-057"]) == {}
