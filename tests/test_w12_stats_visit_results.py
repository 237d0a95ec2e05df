"""统计 counts every visit recorded by its result — 已走访, 未找到, 改期 — per team and period (walk W12: only 已走访
was counted anywhere; a leader saw no 未找到 and no 改期). A letter visited twice is two visits and one letter; a
visit recorded twice (a case, a day, a team) is one; 带信下访件数 still counts a letter once."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from planner.domain import VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.followup.stats import compute_stats, period_key, stats_to_excel
from tests.test_followup import add_case, visited

D = dt.date
YEAR = {"start": D(2026, 1, 1), "end": D(2026, 12, 31)}


def _other(case_no: str, day: dt.date, result: str, team: str) -> VisitOutcome:
    return VisitOutcome(case_no=case_no, visit_date=day, result=result, team_id=team,
                        reason="信访人外出，约下周回村" if result == "postponed" else "查无此人，村里说已搬走")


def _record(session) -> None:
    for no in ("C1", "C2", "C3", "C4"):
        add_case(session, no)
    for outcome in (_other("C1", D(2026, 12, 7), "not_found", "T1"), visited("C1", D(2026, 12, 8), team="T1"),
                    _other("C2", D(2026, 12, 7), "postponed", "T2"), visited("C2", D(2026, 12, 9), team="T2"),
                    visited("C3", D(2026, 11, 20), team="T1"), visited("C3", D(2026, 12, 10), team="T1"),
                    visited("C3", D(2026, 12, 10), team="T1"),  # the same visit saved again
                    _other("C4", D(2026, 12, 8), "postponed", "T1")):
        record_outcome(session, outcome, who="lin", today=outcome.visit_date)
    session.commit()


def test_visits_are_counted_by_their_result_per_team_and_period(session) -> None:
    _record(session)
    stats = compute_stats(session, **YEAR, by=("team", "period"))
    nov, dec = period_key(D(2026, 11, 1), "month"), period_key(D(2026, 12, 1), "month")
    assert stats.visits is not None
    assert stats.visits.totals == {"visits": 7, "visited": 4, "not_found": 1, "postponed": 2, "letters": 4}
    assert dict(stats.visits.rows) == {
        ("T1", nov): {"visits": 1, "visited": 1, "not_found": 0, "postponed": 0, "letters": 1},
        ("T1", dec): {"visits": 4, "visited": 2, "not_found": 1, "postponed": 1, "letters": 3},
        ("T2", dec): {"visits": 2, "visited": 1, "not_found": 0, "postponed": 1, "letters": 1},
    }
    assert dict(stats.visits.trend)[dec]["visits"] == 6
    assert stats.totals["letters_taken_down"] == 3  # C3 once, on its first 已走访
    assert stats.visits.summary() == "走访记录 7 次：已走访 4 次，未找到 1 次，改期 2 次；涉及信访件 4 件。"
    # The team filter a leader has applies to the counts as to the figures.
    t2 = compute_stats(session, **YEAR, by=("team",), team_ids=("T2",))
    assert t2.visits.totals == {"visits": 2, "visited": 1, "not_found": 0, "postponed": 1, "letters": 1}
    # The Excel download carries them.
    sheet = load_workbook(io.BytesIO(stats_to_excel(stats)))["走访结果"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == ["检查组", "期间（月）", "走访记录（次）", "已走访（次）", "未找到（次）", "改期（次）",
                       "涉及信访件（件）"]
    assert ["合计", "", 7, 4, 1, 2, 4] in rows or ["合计", None, 7, 4, 1, 2, 4] in rows
