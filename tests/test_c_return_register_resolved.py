"""回访 proposed for a letter already 已化解 in the register it came in with: the task says the day is its import's,
not that the problem was resolved that day (walk C: 回访：问题已化解（2026-12-07）后 30 天 for a letter resolved
months before its import on 2026-12-07)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.followup.common import set_case_status
from planner.followup.outcomes import record_outcome
from planner.followup.returns import propose_return_visits
from planner.store.models import CaseRow, FollowUpRow
from tests.test_followup import add_case, visited

D = dt.date


def _descriptions(session) -> dict[str, str]:
    return dict(session.execute(select(CaseRow.case_no, FollowUpRow.description)
                                .join(FollowUpRow, FollowUpRow.case_id == CaseRow.id)).all())


def test_a_letter_resolved_in_its_register_is_not_said_resolved_on_its_import_day(session) -> None:
    add_case(session, "REG", status="resolved")  # 已化解 as imported
    add_case(session, "VIS")  # resolved at a visit
    record_outcome(session, visited("VIS", D(2026, 12, 3), resolved=True), who="wu1", today=D(2026, 12, 3))
    add_case(session, "SET")  # set 已化解 by hand in 回访跟踪
    set_case_status(session, "SET", "resolved", who="zhou", note="电话核实已解决")
    session.flush()
    propose_return_visits(session, D(2026, 12, 7), delay_days=30)
    said = _descriptions(session)
    assert said["REG"].startswith("回访：导入时登记表已为“已化解”（") and "问题已化解" not in said["REG"], said
    assert said["VIS"] == "回访：问题已化解（2026-12-03）后 30 天", said
    assert said["SET"].startswith("回访：问题已化解（"), said
