"""Walk W12d: an officer recorded 已走访 on a letter, then corrected it to 未找到; the letter stayed 已下访 (回访跟踪,
案件地图's 已下访) while 统计 left it out of 带信下访件数. A correction saying nobody was met takes the letter back to
where it was before the visit, unless another record of it says it was visited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.domain import VisitOutcome
from planner.followup.outcomes import correct_outcome, outcome_version, record_outcome
from planner.store.models import CaseRow
from tests.test_followup import add_case, visited

D = dt.date


def _status(session, case_no: str) -> str:
    return session.scalars(select(CaseRow.status).where(CaseRow.case_no == case_no)).one()


def _not_found(case_no: str, day: dt.date) -> VisitOutcome:
    return VisitOutcome(case_no=case_no, visit_date=day, result="not_found", team_id="T1", reason="信访人不在家")


def test_a_visit_corrected_to_not_found_takes_the_letter_back_to_planned(session) -> None:
    add_case(session, "C1")
    day = D(2026, 12, 7)
    oid = record_outcome(session, visited("C1", day), who="off_ph", today=day)
    assert _status(session, "C1") == "visited"
    correct_outcome(session, oid, _not_found("C1", day), who="off_ph",
                    expected_version=outcome_version(session, oid), today=day)
    assert _status(session, "C1") == "planned"


def test_another_visit_of_the_letter_keeps_it_visited(session) -> None:
    add_case(session, "C2")
    first, second = D(2026, 12, 7), D(2026, 12, 8)
    record_outcome(session, visited("C2", first), who="off_ph", today=second)
    oid = record_outcome(session, visited("C2", second), who="off_ph", today=second)
    correct_outcome(session, oid, _not_found("C2", second), who="off_ph",
                    expected_version=outcome_version(session, oid), today=second)
    assert _status(session, "C2") == "visited"
