"""Feedback given on a finding that was corrected since shows as such and is to give again (walk W17).

Walk W17: gb4 recorded 049 as 不实 and gave 向信访人反馈; the coordinator changed the finding to 部分属实. 双反馈
still said "信访人：已反馈" with no warning, 双反馈缺项 did not list it and 统计 counted it like any other; the
confirmation said "已出具的澄清函将标记为已撤回" though 049 had no 澄清函.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from planner.followup.clarification import ClarificationLetter, issue_clarification
from planner.followup.feedback import missing_feedback, record_feedback
from planner.followup.feedback_basis import correction_warning, side_states
from planner.followup.outcomes import correct_outcome, outcome_version, record_outcome
from planner.followup.stats import compute_stats, stats_to_excel
from tests.test_followup import add_case, visited

D = dt.date
DAY = D(2026, 12, 7)


def _untrue_with_feedback(session, no: str = "C049") -> int:
    add_case(session, no, received=D(2026, 11, 1))
    oid = record_outcome(session, visited(no, DAY, team="T4", report_true=False, households_visited=3), who="gb4")
    record_feedback(session, no, "petitioner", feedback_date=DAY, channel="当面", content="反映问题不实", who="gb4")
    return oid


def _to_partly(session, oid: int, no: str = "C049") -> None:
    correct_outcome(session, oid, visited(no, DAY, team="T4", report_true=True, report_partly=True,
                                          households_visited=3),
                    who="xtc", role="coordinator", confirm_basis=True, expected_version=outcome_version(session, oid))


def test_feedback_on_a_finding_corrected_since_is_shown_listed_and_counted_apart(session) -> None:
    oid = _untrue_with_feedback(session)
    assert side_states(session, "C049")["petitioner"] == "已反馈"
    before = compute_stats(session, start=D(2026, 12, 1), end=DAY, today=DAY)
    assert before.again_text("feedback_petitioner") == ""
    _to_partly(session, oid)
    session.commit()
    assert side_states(session, "C049") == {
        "petitioner": "已反馈（依据更正前的认定：反映不实），需按新认定（反映部分属实）重新反馈",
        "government": "未反馈"}
    (gap,) = [m for m in missing_feedback(session) if m.case_no == "C049"]
    assert gap.missing_labels() == "党委政府、信访人（需按新认定重新反馈）"
    stats = compute_stats(session, start=D(2026, 12, 1), end=DAY, today=DAY)
    # Given, so counted as given; and said to give again.
    assert stats.totals["feedback_petitioner"] == 1
    assert "向信访人反馈 1 件（其中 1 件认定已更正，待重新反馈）" in stats.summary()
    sheet = load_workbook(io.BytesIO(stats_to_excel(stats)))["汇总"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "待重新反馈（件）" in cells and any(str(c).startswith("向信访人 1 件") for c in cells)
    # Given again on the new finding: no longer to give again, both feedbacks counted once.
    record_feedback(session, "C049", "petitioner", feedback_date=DAY, channel="电话", content="部分属实，已督促整改",
                    who="gb4")
    assert side_states(session, "C049")["petitioner"] == "已反馈"
    assert [m.missing_labels() for m in missing_feedback(session) if m.case_no == "C049"] == ["党委政府"]
    again = compute_stats(session, start=D(2026, 12, 1), end=DAY, today=DAY)
    assert again.totals["feedback_petitioner"] == 1 and again.again_text("feedback_petitioner") == ""


def test_feedback_given_after_the_correction_is_not_superseded(session) -> None:
    add_case(session, "C2", received=D(2026, 11, 1))
    oid = record_outcome(session, visited("C2", DAY, team="T4", report_true=False), who="gb4")
    correct_outcome(session, oid, visited("C2", DAY, team="T4", report_true=True), who="xtc", role="coordinator",
                    expected_version=outcome_version(session, oid))
    record_feedback(session, "C2", "government", feedback_date=DAY, channel="书面", content="属实", who="gb4")
    assert side_states(session, "C2")["government"] == "已反馈"


def test_the_confirmation_names_the_clarification_only_when_one_was_issued(session) -> None:
    oid = _untrue_with_feedback(session)
    said = correction_warning(session, oid)
    assert "登记了向信访人的反馈" in said and "澄清函" not in said and "重新反馈" in said
    other = _untrue_with_feedback(session, "C034")
    issue_clarification(session, "C034", ClarificationLetter(cadre="林某某", matter="优亲厚友", finding="未发现",
                                                             addressee="陈城镇党委", issued_date=DAY), who="xtc")
    assert "已出具的澄清函将标记为已撤回" in correction_warning(session, other)
