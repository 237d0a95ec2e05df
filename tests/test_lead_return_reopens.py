"""A 回访 record corrected to 未找到 reopens the 回访 it had closed (stop 50's note, left by a fixer).

A 回访 recorded 已走访 closes the letter's open 回访 and 整改回访 tasks. Corrected afterwards to 未找到 (nobody was
met), the tasks stayed done: 回访跟踪 no longer listed a 回访 that never happened, and 首页's 到期回访 left it out.
"""

from __future__ import annotations

import datetime as dt

from planner.domain import VisitOutcome
from planner.followup.common import case_history, describe_history
from planner.followup.outcomes import correct_outcome, outcome_version, record_outcome
from planner.followup.returns import complete_followup, list_followups
from planner.office import audit
from planner.store.models import CaseRow
from tests.test_followup import add_case, visited

D = dt.date


def _status(session, case_no: str) -> str:
    return session.query(CaseRow.status).filter(CaseRow.case_no == case_no).scalar()


def _not_found(case_no: str, day: dt.date) -> VisitOutcome:
    return VisitOutcome(case_no=case_no, visit_date=day, result="not_found", team_id="T1", reason="家中无人")


def test_a_return_visit_corrected_to_not_found_lists_its_return_visit_again(session) -> None:
    add_case(session, "R1")
    record_outcome(session, visited("R1", D(2026, 11, 2), resolved=True), who="gb1")
    (task,) = list_followups(session)
    back = record_outcome(session, visited("R1", D(2026, 12, 2), resolved=True), who="gb1", visit_type="return")
    assert list_followups(session) == []
    correct_outcome(session, back, _not_found("R1", D(2026, 12, 2)), who="gb1",
                    expected_version=outcome_version(session, back))
    session.commit()
    (again,) = list_followups(session)
    assert (again.task.task_id, again.task.done, again.task.due_date) == (task.task.task_id, False, task.task.due_date)
    assert _status(session, "R1") == "resolved"
    said = [describe_history(h) for h in case_history(session, "R1") if h.action == "followup_reopened"]
    assert said and said[0][0] == "回访重新待办" and task.task.due_date.isoformat() in said[0][1]
    (entry, *_) = audit.recent(session, action="outcome_correct")
    assert "重新列为待办" in audit.describe(entry)


def test_a_return_visit_that_found_the_problem_unsolved_taken_back_restores_the_resolved_letter(session) -> None:
    add_case(session, "R2")
    record_outcome(session, visited("R2", D(2026, 11, 2), resolved=True), who="gb1")
    back = record_outcome(session, visited("R2", D(2026, 12, 2)), who="gb1", visit_type="return")
    assert _status(session, "R2") == "visited"  # 回访发现问题未解决
    correct_outcome(session, back, _not_found("R2", D(2026, 12, 2)), who="gb1",
                    expected_version=outcome_version(session, back))
    assert _status(session, "R2") == "resolved"
    assert [i.task.case_no for i in list_followups(session)] == ["R2"]


def test_tasks_closed_by_hand_or_by_another_return_visit_that_day_stay_done(session) -> None:
    add_case(session, "R3")
    record_outcome(session, visited("R3", D(2026, 11, 2), resolved=True), who="gb1")
    (task,) = list_followups(session)
    complete_followup(session, task.task.task_id, done_date=D(2026, 12, 2), who="组长")
    one = record_outcome(session, visited("R3", D(2026, 12, 2), resolved=True), who="gb1", visit_type="return")
    record_outcome(session, visited("R3", D(2026, 12, 2), team="T2", resolved=True), who="gb4", visit_type="return")
    correct_outcome(session, one, _not_found("R3", D(2026, 12, 2)), who="gb1",
                    expected_version=outcome_version(session, one))
    # Another team's 回访 that day still closes them, and the one closed by hand stays closed either way.
    assert list_followups(session, kinds=()) == []
    assert not [h for h in case_history(session, "R3") if h.action == "followup_reopened"]


def test_a_return_visit_whose_day_alone_is_corrected_keeps_its_tasks_closed_on_the_new_day(session) -> None:
    add_case(session, "R4")
    record_outcome(session, visited("R4", D(2026, 11, 2), resolved=True), who="gb1")
    back = record_outcome(session, visited("R4", D(2026, 12, 3), resolved=True), who="gb1", visit_type="return")
    correct_outcome(session, back, visited("R4", D(2026, 12, 2), resolved=True), who="gb1",
                    expected_version=outcome_version(session, back))
    (task,) = list_followups(session, open_only=False)
    assert (task.task.done, task.task.done_date) == (True, D(2026, 12, 2))
