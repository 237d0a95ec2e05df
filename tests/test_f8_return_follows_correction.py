"""A 回访 proposed on "问题已化解" follows the visit's record when it is corrected (walk W17).

Walk W17: 057 recorded 已走访 with 问题已当场化解 (回访 due 30 days later) and corrected on the phone to 未找到
went back to 已排程, yet 回访跟踪 › 回访 still listed its 回访 and the 走访结果 Excel printed 回访到期
on the 未找到 row.
"""

from __future__ import annotations

import datetime as dt

from planner.domain import VisitOutcome
from planner.followup.common import case_history, describe_history
from planner.followup.outcome_export import outcome_rows
from planner.followup.outcomes import correct_outcome, outcome_version, record_outcome
from planner.followup.returns import list_followups, propose_return_visits
from planner.office import audit
from tests.test_followup import add_case, visited

D = dt.date


def _due_column(session) -> list[tuple[str, str, str]]:
    headers, rows = outcome_rows(session)
    at = headers.index("回访到期")
    return [(r[0], r[headers.index("走访结果")], r[at]) for r in rows]


def test_a_visit_corrected_from_resolved_to_not_found_withdraws_its_return_visit_everywhere(session) -> None:
    add_case(session, "C057")
    oid = record_outcome(session, visited("C057", D(2026, 12, 7), resolved=True), who="gb1")
    assert [(i.task.case_no, i.task.due_date) for i in list_followups(session)] == [("C057", D(2027, 1, 6))]
    correct_outcome(session, oid, VisitOutcome(case_no="C057", visit_date=D(2026, 12, 7), result="not_found",
                                               team_id="T1", reason="家中无人"),
                    who="gb1", expected_version=outcome_version(session, oid))
    session.commit()
    assert list_followups(session, open_only=False) == []
    assert _due_column(session) == [("C057", "未找到", "")]
    # Not proposed again: the letter is not 已化解.
    assert propose_return_visits(session, D(2026, 12, 8)) == []
    said = [describe_history(h) for h in case_history(session, "C057") if h.action == "followup_withdrawn"]
    assert said and said[0][0] == "撤销回访" and "2027-01-06" in said[0][1] and "未找到" in said[0][1]
    (entry,) = audit.recent(session, action="outcome_correct")
    assert "原定 2027-01-06 到期的回访已撤销" in audit.describe(entry)


def test_a_corrected_visit_day_moves_the_return_visit_and_resolving_again_proposes_one(session) -> None:
    add_case(session, "C1")
    oid = record_outcome(session, visited("C1", D(2026, 12, 7), resolved=True), who="gb1")
    correct_outcome(session, oid, visited("C1", D(2026, 12, 5), resolved=True), who="gb1",
                    expected_version=outcome_version(session, oid))
    (item,) = list_followups(session)
    assert (item.task.due_date, item.task.description) == (D(2027, 1, 4), "回访：问题已化解（2026-12-05）后 30 天")
    (last, *_) = audit.recent(session, action="outcome_correct")
    assert "回访到期日由 2027-01-06 改为 2027-01-04" in audit.describe(last)
    # Taken back, then resolved again: one 回访, from the visit's day.
    correct_outcome(session, oid, visited("C1", D(2026, 12, 5)), who="gb1",
                    expected_version=outcome_version(session, oid))
    assert list_followups(session) == []
    correct_outcome(session, oid, visited("C1", D(2026, 12, 5), resolved=True), who="gb1",
                    expected_version=outcome_version(session, oid))
    assert [i.task.due_date for i in list_followups(session, open_only=False)] == [D(2027, 1, 4)]


def test_a_letter_still_resolved_by_another_visit_keeps_its_return_visit_from_that_day(session) -> None:
    # Another first visit still resolves the letter: its 回访 stays, from that visit's day. (A first visit recorded on
    # a letter already 已化解 is refused since walk W31: the second one is recorded while it is open, the first
    # corrected to 已化解 after.)
    add_case(session, "C2")
    first = record_outcome(session, visited("C2", D(2026, 12, 1), team="T1"), who="gb1")
    record_outcome(session, visited("C2", D(2026, 12, 3), team="T2", resolved=True), who="gb4")
    correct_outcome(session, first, visited("C2", D(2026, 12, 1), team="T1", resolved=True), who="gb1",
                    expected_version=outcome_version(session, first))
    correct_outcome(session, first, visited("C2", D(2026, 12, 1), team="T1"), who="gb1",
                    expected_version=outcome_version(session, first))
    (item,) = list_followups(session)
    assert item.task.due_date == D(2027, 1, 2)
