"""Walk I: 回访跟踪 read 状态：已办结 · 期限 2026-12-09（剩 2 天） right after the letter was closed: a countdown for a
letter nobody has to handle any more. Open letters keep theirs."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import CaseStatus
from planner.followup.worklist import VisitChoice

DAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize("status", [s for s in CaseStatus if s.is_open])
def test_an_open_letter_counts_down_to_its_deadline(status):
    choice = VisitChoice("ZZ-1", "平和县", status, due_date=DAY + dt.timedelta(days=2))
    assert choice.deadline_text(DAY) == "期限 2026-12-09（剩 2 天）"
    late = VisitChoice("ZZ-1", "平和县", status, due_date=DAY - dt.timedelta(days=3))
    assert late.deadline_text(DAY) == "期限 2026-12-04（已超期 3 天）"


@pytest.mark.parametrize("status", [CaseStatus.RESOLVED, CaseStatus.CLARIFIED, CaseStatus.CLOSED])
def test_a_letter_handled_has_no_countdown(status):
    assert VisitChoice("ZZ-1", "平和县", status, due_date=DAY + dt.timedelta(days=2)).deadline_text(DAY) == ""
