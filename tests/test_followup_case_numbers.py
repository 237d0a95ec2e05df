"""Case numbers typed into the follow-up lookups are read as the import reads them: NFKC, no surrounding spaces.

Review: ＺＺ２０２６－００１ (full-width, as an IME types it), １２３ or " ZZ2026-001 " found nothing on 回访跟踪,
although the import stores ZZ2026-001 and reads a full-width number in a register as the same letter. A letter stored
full-width before the import normalised numbers is found by the half-width number too.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.followup.clarification import list_clarifications, record_clarification
from planner.followup.outcomes import record_outcome, stored_outcomes
from planner.followup.rectification import add_rectification, list_rectifications
from planner.followup.returns import list_followups
from planner.followup.worklist import case_choice, find_visit_choices
from tests.test_followup import add_case, visited

DAY = dt.date(2026, 4, 10)


@pytest.fixture()
def letters(session):
    """ZZ2026-001 and 123 stored half-width; ＺＡ２０２６－０２ stored full-width (before numbers were normalised)."""
    for no in ("ZZ2026-001", "123", "ＺＡ２０２６－０２"):
        add_case(session, no, status="registered")
    return session


@pytest.mark.parametrize(("typed", "stored"), [
    ("ＺＺ２０２６－００１", "ZZ2026-001"),
    ("  ZZ2026-001\u3000", "ZZ2026-001"),
    ("１２３", "123"),
    ("ZA2026-02", "ＺＡ２０２６－０２"),
    ("ＺＡ２０２６－０２", "ＺＡ２０２６－０２"),
])
def test_a_number_typed_full_width_or_with_spaces_finds_its_letter(letters, typed: str, stored: str) -> None:
    session = letters
    page = find_visit_choices(session, DAY, query=typed, scope="all")
    assert [c.case_no for c in page.choices] == [stored]
    choice = case_choice(session, typed, DAY)
    assert choice is not None and choice.case_no == stored


def test_the_follow_up_records_of_a_letter_are_found_by_its_number_typed_full_width(letters) -> None:
    session = letters
    record_outcome(session, visited("ZZ2026-001", DAY, resolved=True, report_true=False), who="u")
    add_rectification(session, "ZZ2026-001", item="清退保证金", owner="平和县林业局", due_date=DAY, who="u")
    record_clarification(session, "ZZ2026-001", cadre="李某某", issued_date=DAY, who="u")
    typed = " ＺＺ２０２６－００１ "
    assert [o.outcome.case_no for o in stored_outcomes(session, typed)] == ["ZZ2026-001"]
    assert [i.task.case_no for i in list_followups(session, case_no=typed)] == ["ZZ2026-001"]
    assert [r.case_no for r in list_rectifications(session, case_no=typed)] == ["ZZ2026-001"]
    assert [c["case_no"] for c in list_clarifications(session, typed)] == ["ZZ2026-001"]
    assert [c["case_no"] for c in list_clarifications(session, query="ＺＺ２０２６－００１ 李某某")] == ["ZZ2026-001"]
