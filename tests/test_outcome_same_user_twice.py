"""An officer who records a second visit of the same case on the same day and team (a 回访 left on the first visit's
date) is told to correct their record or change the date — not “该记录已被他人修改” (found on the walk)."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import VisitOutcome
from planner.errors import ConflictError, InputError
from planner.followup.outcomes import record_outcome
from planner.store.models import CaseRow

DAY = dt.date(2026, 12, 1)


def _visit(households: int) -> VisitOutcome:
    return VisitOutcome(case_no="C1", visit_date=DAY, result="visited", team_id="T1", households_visited=households)


def test_the_same_user_is_told_to_correct_or_redate_not_that_someone_else_changed_it(session) -> None:
    session.add(CaseRow(case_no="C1", received_date=dt.date(2026, 11, 2), deadline=dt.date(2027, 1, 1),
                        content="反映问题", status="planned"))
    session.flush()
    record_outcome(session, _visit(5), who="off3", today=DAY)
    with pytest.raises(InputError) as caught:
        record_outcome(session, _visit(2), who="off3", today=DAY)
    assert not isinstance(caught.value, ConflictError)
    assert "已由 off3 登记" in str(caught.value) and "回访" in str(caught.value)
    # Another user who did not see it: the same input to correct (walk A: a conflict's hint, “该记录已被他人修改”,
    # said something had been changed when nothing had).
    with pytest.raises(InputError, match="已由 off3 登记") as other:
        record_outcome(session, _visit(3), who="chen", today=DAY)
    assert not isinstance(other.value, ConflictError)
