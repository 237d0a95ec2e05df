"""A letter whose 回访 is recorded as done is not proposed a second 回访, unless that visit found it unsolved.

Review: after a return visit was recorded for a letter, 回访跟踪 (检查并生成回访建议, the 回访 list) still proposed one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.followup.common import set_case_status
from planner.followup.outcomes import record_outcome
from planner.followup.returns import list_followups, propose_return_visits
from planner.followup.worklist import visit_choices
from planner.store.models import CaseRow
from tests.test_followup import add_case, visited

D = dt.date


def test_a_letter_resolved_without_a_proposal_and_then_return_visited_is_not_proposed_again(session) -> None:
    # 已化解 as imported from a register (or set by hand): no 回访 was ever proposed when the team went back.
    add_case(session, "C1", status="resolved")
    record_outcome(session, visited("C1", D(2026, 5, 10), team="T2", resolved=True), who="u", visit_type="return")
    assert propose_return_visits(session, D(2026, 5, 20)) == []
    assert list_followups(session) == []
    assert [c.case_no for c in visit_choices(session, D(2026, 6, 9), include_open=False)] == []


def test_a_letter_resolved_again_after_its_return_visit_found_it_unsolved_is_proposed_one(session) -> None:
    add_case(session, "C1", status="resolved")
    # The 回访 found the problem unsolved (the letter is 已下访 again); it is settled later by hand: a new 回访.
    record_outcome(session, visited("C1", D(2026, 5, 10), team="T2"), who="u", visit_type="return")
    assert session.scalars(select(CaseRow.status)).one() == "visited"
    set_case_status(session, "C1", "resolved", who="u", note="已整改到位")
    assert [t.case_no for t in propose_return_visits(session, D(2026, 5, 20))] == ["C1"]



def test_a_letter_settled_at_a_return_visit_is_not_proposed_another(session) -> None:
    add_case(session, "C1", status="resolved")
    record_outcome(session, visited("C1", D(2026, 5, 10), team="T2"), who="u", visit_type="return")  # unsolved
    record_outcome(session, visited("C1", D(2026, 6, 10), team="T2", resolved=True), who="u", visit_type="return")
    assert session.scalars(select(CaseRow.status)).one() == "resolved"  # settled at the second 回访
    assert propose_return_visits(session, D(2026, 6, 20)) == []


def test_a_return_visit_after_a_rectification_deadline_is_its_check(session) -> None:
    """The 回访 list (整改回访) kept a letter's check after its return visit was recorded, and 选件/路线规划 were
    still given it as a return visit; nothing on the page or the command line could close it."""
    from planner.followup.rectification import add_rectification
    from planner.followup.returns import return_visits

    add_case(session, "C2", status="visited")
    add_case(session, "C3", status="visited")
    for no in ("C2", "C3"):
        add_rectification(session, no, item="清退保证金", owner="平和县林业局", due_date=D(2026, 6, 1), who="u")
    # C3's team went back after the deadline before anyone asked for the proposals: nothing is left to check.
    record_outcome(session, visited("C3", D(2026, 6, 10), team="T1", resolved=True), who="u", visit_type="return")
    assert [(t.case_no, t.kind) for t in propose_return_visits(session, D(2026, 6, 15))] == [("C2", "rectification")]
    # C2's check is made as a 回访: done, no longer listed or planned.
    record_outcome(session, visited("C2", D(2026, 7, 1), team="T1", resolved=True), who="u", visit_type="return")
    assert list_followups(session) == []
    assert return_visits(session, due_by=D(2026, 7, 31)) == []
    assert [(i.task.case_no, i.task.done_date) for i in list_followups(session, open_only=False)] == [
        ("C2", D(2026, 7, 1))]
    assert propose_return_visits(session, D(2026, 7, 15)) == []


def test_a_letter_awaiting_its_return_visit_says_so_in_the_list_whenever_it_falls_due(session) -> None:
    from planner.followup.worklist import case_choice, find_visit_choices

    add_case(session, "C1")
    record_outcome(session, visited("C1", D(2026, 4, 10), resolved=True), who="u")  # 回访 due 2026-05-10
    early = D(2026, 4, 20)
    (found,) = find_visit_choices(session, early, query="C1", scope="all").choices
    assert found.is_return and case_choice(session, "C1", early).is_return
