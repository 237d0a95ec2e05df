"""审计日志 (walk 2, D8): an officer setting 改到哪天 on a recorded 改期 was logged "更正…：改了其他"; the log names
the field as the form does and the day agreed."""

from __future__ import annotations

import datetime as dt

from planner.domain import VisitOutcome
from planner.followup.outcomes import correct_outcome, outcome_version, record_outcome
from planner.office import audit
from tests.test_followup import add_case

DAY = dt.date(2026, 12, 8)


def _postponed(put_off_to: dt.date | None = None) -> VisitOutcome:
    return VisitOutcome(case_no="C1", visit_date=DAY, result="postponed", team_id="T1", reason="当事人外出",
                        put_off_to=put_off_to)


def _last_correction(session) -> str:
    entry = audit.recent(session, action="outcome_correct", limit=1)[0]
    return audit.describe(entry, team_names={"T1": "第一检查组"})


def test_setting_the_agreed_day_on_a_postponed_visit_is_logged_by_name_with_the_day(session) -> None:
    add_case(session, "C1")
    oid = record_outcome(session, _postponed(), who="jc2", today=DAY)
    correct_outcome(session, oid, _postponed(dt.date(2026, 12, 10)), who="jc2",
                    expected_version=outcome_version(session, oid), today=DAY)
    text = _last_correction(session)
    assert "改了改到哪天（现为 2026-12-10）" in text, text
    assert "其他" not in text, text

    correct_outcome(session, oid, _postponed(None), who="jc2", expected_version=outcome_version(session, oid),
                    today=DAY)
    text = _last_correction(session)
    assert "改了改到哪天（已清空）" in text and "2026-12-10" not in text, text
