"""Closing a plan (标记完成): what it does with letters by what was recorded for them — a repeat letter handled at
its first letter's stop follows that letter's visit, and the prompt counts only real visits (team leader's walk)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.domain import VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, PlanCase, PlanRow
from tests.test_followup_records import DAY, add_case, visit

D = dt.date


def _status(session, *case_nos: str) -> tuple[str, ...]:
    rows = dict(session.execute(select(CaseRow.case_no, CaseRow.status)).all())
    return tuple(rows[n] for n in case_nos)


def _plan(session, stops: dict[str, str], *, keys: dict[str, str] | None = None) -> int:
    """An issued plan of team T1 on DAY: case number -> stop; ``keys``: case number -> petitioner key."""
    keys = keys or {}
    for i, no in enumerate(stops):
        add_case(session, no, received=D(2026, 10, 1) + dt.timedelta(days=i), petitioner_key=keys.get(no, ""))
    plan = PlanRow(name="第49周", start_date=DAY, days=2, status="issued")
    session.add(plan)
    session.flush()
    ids = dict(session.execute(select(CaseRow.case_no, CaseRow.id)).all())
    for seq, (no, stop) in enumerate(stops.items()):
        session.add(PlanCase(plan_id=plan.id, case_id=ids[no], visit_id=stop, team_id="T1", visit_date=DAY, seq=seq))
    session.flush()
    return plan.id


def _missed(case_no: str, result: str, reason: str) -> VisitOutcome:
    return VisitOutcome(case_no=case_no, visit_date=DAY, result=result, team_id="T1", reason=reason)


def test_a_repeat_letter_follows_its_first_letter_visited_when_the_plan_is_closed(session) -> None:
    """301 and 312: one petitioner, one matter, one stop (“312 重复件，随本件一并办结”). 301 was recorded 已走访 (not
    resolved); 标记完成 sent 312 back to 已登记, to be ranked and visited again as if nobody had been there."""
    pid = _plan(session, {"301": "V1", "312": "V1", "320": "V2"}, keys={"301": "p-wu", "312": "p-wu"})
    record_outcome(session, visit("301"), who="off6", plan_id=pid)
    set_plan_status(session, pid, PlanStatus.DONE, who="lead")
    assert _status(session, "301", "312", "320") == ("visited", "visited", "registered")


def test_a_repeat_letter_goes_back_with_its_first_letter_not_visited(session) -> None:
    pid = _plan(session, {"301": "V1", "312": "V1"}, keys={"301": "p-wu", "312": "p-wu"})
    record_outcome(session, _missed("301", "postponed", "约定下周再访"), who="off6", plan_id=pid)
    set_plan_status(session, pid, PlanStatus.DONE, who="lead")
    assert _status(session, "301", "312") == ("registered", "registered")


def test_the_tally_counts_each_letter_once_by_its_visit_else_its_latest_record(session) -> None:
    from planner.store.lifecycle import plan_tally

    pid = _plan(session, {"A": "V1", "B": "V2", "C": "V3", "D": "V4"})
    record_outcome(session, _missed("A", "postponed", "约定下周再访"), who="off6", plan_id=pid)
    record_outcome(session, visit("A", DAY + dt.timedelta(days=1)), who="off6", plan_id=pid)  # came back: visited
    record_outcome(session, _missed("B", "not_found", "家中无人"), who="off6", plan_id=pid)
    tally = plan_tally(session, pid)
    assert (tally.routed, tally.visited, tally.postponed, tally.not_found, tally.unrecorded) == (4, 1, 0, 1, 2)
    assert tally.sentence() == "排入的 4 件中 1 件已走访，未找到 1 件，未记录 2 件"


def test_a_repeat_letter_visited_along_is_settled_when_its_first_letter_is_resolved_later(session) -> None:
    """Gone back to 已登记, 312 would have been settled with 301 later; visited along with it, it still is."""
    from planner.followup.common import case_history
    from planner.store.cases import set_status

    pid = _plan(session, {"301": "V1", "312": "V1"}, keys={"301": "p-wu", "312": "p-wu"})
    record_outcome(session, visit("301"), who="off6", plan_id=pid)
    set_plan_status(session, pid, PlanStatus.DONE, who="lead")
    set_status(session, "301", "resolved", who="lead", note="回访：问题已解决")
    assert _status(session, "301", "312") == ("resolved", "resolved")
    last = [h for h in case_history(session, "312") if h.action == "status"][-1].detail
    assert last["with_case"] == "301" and last["from"] == "visited"
