"""Demo history: deterministic, dated in the past, consistent with statuses, and it feeds the figures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from planner.followup.common import case_history
from planner.followup.demo_history import demo_history
from planner.followup.returns import list_followups
from planner.followup.stats import compute_stats
from planner.store.models import CaseRow, TeamRow, VisitOutcomeRow

TODAY = dt.date(2026, 12, 7)


def _cases(session, n: int = 24) -> None:
    session.add(TeamRow(id="T1", name="第一组", base_lon=117.6, base_lat=24.5))
    for i in range(n):
        received = dt.date(2026, 6, 1) + dt.timedelta(days=4 * i)
        session.add(CaseRow(case_no=f"D{i:03d}", received_date=received, deadline=received + dt.timedelta(days=60),
                            content=f"反映第{i}件问题", county="平和县", county_code="350628",
                            petitioner_key=f"p{i % 15}", reported_persons=["张某"]))
    session.flush()


def _snapshot(session) -> list[tuple]:
    return [(r.case_id, r.visit_date, r.result, r.households_visited)
            for r in session.scalars(select(VisitOutcomeRow).order_by(VisitOutcomeRow.id))]


def test_demo_history_is_deterministic_past_dated_and_feeds_stats(session) -> None:
    _cases(session)
    counts = demo_history(session, today=TODAY, seed=3, share=0.8)
    first = _snapshot(session)
    assert counts["outcomes"] == len(first) > 8
    assert all(day <= TODAY - dt.timedelta(days=14) for _, day, _, _ in first)
    received = dict(session.execute(select(CaseRow.id, CaseRow.received_date)).all())
    assert all(day >= received[case_id] for case_id, day, _, _ in first)
    # statuses agree with outcomes: every resolved case has a resolving outcome, or is a re-sent letter that
    # followed the first letter of its repeat chain
    resolved_ids = set(session.scalars(select(VisitOutcomeRow.case_id).where(VisitOutcomeRow.problem_resolved)))
    for c in session.scalars(select(CaseRow).where(CaseRow.status == "resolved")):
        assert c.id in resolved_ids or any("随前件" in str(h.detail.get("note", ""))
                                           for h in case_history(session, c.case_no) if h.action == "status")
    stats = compute_stats(session, start=dt.date(2026, 1, 1), end=TODAY, by=())
    visited = session.scalar(select(func.count(func.distinct(VisitOutcomeRow.case_id)))
                             .where(VisitOutcomeRow.result == "visited"))
    assert stats.totals["letters_taken_down"] == visited
    assert stats.totals["clarifications_issued"] == counts["clarifications"]
    # a second call never adds demo records on top of recorded ones
    assert demo_history(session, today=TODAY, seed=3)["outcomes"] == 0
    assert list_followups(session) or counts["followups"] == 0


def test_same_seed_same_history(session) -> None:
    _cases(session, 10)
    demo_history(session, today=TODAY, seed=11, share=0.7)
    a = _snapshot(session)
    session.rollback()
    _cases(session, 10)
    demo_history(session, today=TODAY, seed=11, share=0.7)
    b = _snapshot(session)
    assert [x[1:] for x in a] == [x[1:] for x in b] and a


def test_cases_received_near_the_cutoff_get_one_record_per_visit_day(session) -> None:
    """Letters received just before the cut-off: a first attempt would share the visit's day; the history loads."""
    session.add(TeamRow(id="T1", name="第一组", base_lon=117.6, base_lat=24.5))
    cutoff = TODAY - dt.timedelta(days=14)
    for i in range(40):
        received = cutoff - dt.timedelta(days=i % 5)
        session.add(CaseRow(case_no=f"N{i:03d}", received_date=received, deadline=received + dt.timedelta(days=60),
                            content=f"反映第{i}件问题", county="平和县", county_code="350628"))
    session.flush()
    counts = demo_history(session, today=TODAY, seed=5, share=1.0)
    rows = _snapshot(session)
    assert counts["outcomes"] == len(rows) >= 40
    days = [(case_id, day) for case_id, day, _, _ in rows]
    assert len(days) == len(set(days)), "a case has two records on one visit day"
