"""回访跟踪: a 回访 dated before the letter's first visit was accepted (and a record could be corrected into that
state). A 回访 follows the visit it goes back on: it is refused, in Chinese, naming the first visit's date — when
recorded, when corrected, and before the save on the page (:func:`visit_order_note`).

Run on SQLite and PostgreSQL (the ``session`` fixture).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from planner.domain import VisitType
from planner.errors import InputError
from planner.followup.outcomes import correct_outcome, record_outcome, stored_outcomes
from planner.followup.visit_order import visit_order_note
from tests.test_followup import add_case, visited

D = dt.date
FIRST = D(2026, 5, 10)


def _first_visit(session, no: str = "C1") -> int:
    add_case(session, no)
    return record_outcome(session, visited(no, FIRST, team="T1"), who="u")


def test_a_return_visit_before_the_first_visit_is_refused_naming_its_date(session) -> None:
    _first_visit(session)
    with pytest.raises(InputError) as refused:
        record_outcome(session, visited("C1", FIRST - dt.timedelta(days=3), team="T2"), who="u",
                       visit_type=VisitType.RETURN)
    said = str(refused.value)
    assert FIRST.isoformat() in said and "回访" in said and "首次走访" in said
    assert [r.visit_type for r in stored_outcomes(session, "C1")] == [VisitType.INVESTIGATION]


def test_a_return_visit_after_the_first_visit_is_recorded(session) -> None:
    _first_visit(session)
    # Walk 3 (W3-018): the same day, by another team, was accepted too; a 回访 comes on a later day.
    with pytest.raises(InputError, match="也不能与它同一天"):
        record_outcome(session, visited("C1", FIRST, team="T2"), who="u", visit_type=VisitType.RETURN)
    record_outcome(session, visited("C1", FIRST + dt.timedelta(days=1), team="T2"), who="u",
                   visit_type=VisitType.RETURN)  # another team may make it
    record_outcome(session, visited("C1", FIRST + dt.timedelta(days=30)), who="u", visit_type=VisitType.RETURN)
    assert [r.visit_type for r in stored_outcomes(session, "C1")].count(VisitType.RETURN) == 2


def test_a_return_visit_alone_is_still_recorded(session) -> None:
    # A letter settled in its register, first visited outside the system: its 回访 is the first record.
    add_case(session, "C1", status="resolved")
    record_outcome(session, visited("C1", FIRST, resolved=True), who="u", visit_type=VisitType.RETURN)
    assert visit_order_note(session, "C1", FIRST, visit_type=VisitType.RETURN, result="visited") == ""


def test_a_return_visit_cannot_be_corrected_to_before_the_first_visit(session) -> None:
    _first_visit(session)
    later = FIRST + dt.timedelta(days=30)
    rid = record_outcome(session, visited("C1", later, team="T2"), who="u", visit_type=VisitType.RETURN)
    with pytest.raises(InputError, match=FIRST.isoformat()):
        correct_outcome(session, rid, visited("C1", FIRST - dt.timedelta(days=1), team="T2"), who="u")
    assert [r.outcome.visit_date for r in stored_outcomes(session, "C1")] == [FIRST, later]


def test_the_first_visit_cannot_be_corrected_to_after_its_return_visit(session) -> None:
    fid = _first_visit(session)
    back = FIRST + dt.timedelta(days=30)
    record_outcome(session, visited("C1", back, team="T2"), who="u", visit_type=VisitType.RETURN)
    with pytest.raises(InputError, match=back.isoformat()):
        correct_outcome(session, fid, visited("C1", back + dt.timedelta(days=1), team="T1"), who="u")
    # Nor made 未找到 while a later first visit would then come after the 回访.
    record_outcome(session, visited("C1", back + dt.timedelta(days=5), team="T1"), who="u")
    not_found = dataclasses.replace(visited("C1", FIRST, team="T1"), result="not_found", reason="家中无人")
    with pytest.raises(InputError, match="回访"):
        correct_outcome(session, fid, not_found, who="u")
    assert stored_outcomes(session, "C1")[0].outcome.visit_date == FIRST


def test_a_first_visit_recorded_after_a_return_visit_is_refused(session) -> None:
    add_case(session, "C1", status="resolved")
    record_outcome(session, visited("C1", FIRST), who="u", visit_type=VisitType.RETURN)
    with pytest.raises(InputError, match=FIRST.isoformat()):
        record_outcome(session, visited("C1", FIRST + dt.timedelta(days=7)), who="u")


def test_the_page_is_told_before_the_save(session) -> None:
    _first_visit(session)
    early = FIRST - dt.timedelta(days=2)
    note = visit_order_note(session, "C1", early, visit_type=VisitType.RETURN, result="visited",
                            team_names={"T1": "第一检查组"})
    assert FIRST.isoformat() in note and "第一检查组" in note
    assert visit_order_note(session, "C1", FIRST + dt.timedelta(days=1), visit_type=VisitType.RETURN,
                            result="visited") == ""
    assert visit_order_note(session, "C1", early, visit_type=VisitType.INVESTIGATION, result="visited") == ""
    assert visit_order_note(session, "NO-SUCH", early, visit_type=VisitType.RETURN, result="visited") == ""
