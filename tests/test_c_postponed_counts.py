"""改期 is a visit that did not happen: no 入户走访, 收集线索 or 解决问题 counts on it, and 统计 never sums them.

An officer recorded a letter 改期 with 入户走访 12 on the phone; the record was kept and 统计 counted twelve
household visits that never took place. The counts are now refused wherever an outcome is made (the library, so
the forms, the CLI and scripts alike), and rows stored before that are counted by what they record (改期), not by
the numbers they carry.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.domain import VisitOutcome, VisitResult
from planner.errors import InputError
from planner.field.day import officer_day, save_stop_outcome, stop_records
from planner.followup.outcomes import correct_outcome, outcome_version, record_outcome, stored_outcomes
from planner.followup.stats import compute_stats
from planner.store.database import session_scope
from planner.store.models import CaseRow, VisitOutcomeRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _saved
from tests.test_followup import add_case, visited

D = dt.date
PERIOD = {"start": D(2026, 1, 1), "end": D(2026, 12, 31)}


def _put_off(case_no: str, day: dt.date, **counts) -> VisitOutcome:
    return VisitOutcome(case_no=case_no, visit_date=day, result="postponed", team_id="T1",
                        reason="信访人外出打工，约 12-15 回村", **counts)


@pytest.mark.parametrize(("counts", "named"), [
    ({"households_visited": 12}, "入户走访 12 户次"),
    ({"leads_collected": 2}, "收集线索 2 条"),
    ({"problems_solved": 1}, "解决问题 1 个"),
])
def test_a_put_off_visit_with_work_counts_is_refused_naming_the_count(counts: dict, named: str) -> None:
    with pytest.raises(InputError, match=rf"改期.*{named}"):
        _put_off("C1", D(2026, 12, 7), **counts)


def test_not_found_and_visited_outcomes_keep_their_counts() -> None:
    """未找到: the team went there and may have called on households; only 改期 has no visit."""
    assert VisitOutcome(case_no="C1", visit_date=D(2026, 12, 7), result="not_found", reason="查无此人",
                        households_visited=3).households_visited == 3
    assert _put_off("C1", D(2026, 12, 7)).households_visited == 0


def test_record_and_correct_refuse_counts_on_a_put_off_visit(session) -> None:
    add_case(session, "C1")
    day = D(2026, 12, 7)
    oid = record_outcome(session, visited("C1", day, households_visited=5), who="li", today=day)
    # Corrected to 改期 with the visit's counts left in: refused, the record keeps its counts.
    with pytest.raises(InputError, match="入户走访 5 户次"):
        correct_outcome(session, oid, VisitOutcome(case_no="C1", visit_date=day, result="postponed", team_id="T1",
                                                   reason="改期", households_visited=5),
                        who="zhou", expected_version=outcome_version(session, oid), today=day)
    assert session.get(VisitOutcomeRow, oid).households_visited == 5
    correct_outcome(session, oid, _put_off("C1", day), who="zhou", expected_version=outcome_version(session, oid),
                    today=day)
    row = session.get(VisitOutcomeRow, oid)
    assert (row.result, row.households_visited) == ("postponed", 0)


def test_the_phone_form_refuses_counts_on_a_put_off_stop(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        day = officer_day(s, OFFICER_T1, MONDAY)
        with pytest.raises(InputError, match=r"改期.*入户走访 12 户次"):
            save_stop_outcome(s, day, "ZZ2026-0101", result="postponed", households=12,
                              findings="信访人外出", who="li", actor=OFFICER_T1)
    with session_scope(engine) as s:
        assert s.scalars(select(VisitOutcomeRow)).all() == []


def _legacy_put_off(session, case_no: str, day: dt.date) -> int:
    """A 改期 row stored before the counts were refused, with the counts the officer typed."""
    case_id = session.scalars(select(CaseRow.id).where(CaseRow.case_no == case_no)).one()
    row = VisitOutcomeRow(case_id=case_id, team_id="T1", visit_date=day, visit_type="investigation",
                          result=VisitResult.POSTPONED.value, reason="改期", findings="", problem_resolved=False,
                          households_visited=12, leads_collected=2, problems_solved=1, time_spent_min=0,
                          recorded_by="li")
    session.add(row)
    session.flush()
    return row.id


def test_statistics_do_not_count_the_counts_of_a_put_off_visit_stored_before(session) -> None:
    add_case(session, "C1")
    add_case(session, "C2")
    _legacy_put_off(session, "C1", D(2026, 12, 7))
    record_outcome(session, visited("C1", D(2026, 12, 9), households_visited=4, leads_collected=1,
                                    problems_solved=1), who="li", today=D(2026, 12, 9))
    record_outcome(session, VisitOutcome(case_no="C2", visit_date=D(2026, 12, 8), result="not_found", team_id="T1",
                                         reason="查无此人", households_visited=3), who="li", today=D(2026, 12, 8))
    totals = compute_stats(session, **PERIOD, by=()).totals
    # C1's visit (4, 1, 1) and C2's 未找到 (3 households asked); C1's 改期 (12, 2, 1) never happened.
    assert (totals["household_visits"], totals["leads_collected"], totals["problems_solved"]) == (7, 1, 1)
    for dim in ("team", "county", "period"):
        rows = compute_stats(session, **PERIOD, by=(dim,)).rows
        assert sum(r["household_visits"] for r in rows) == 7, dim


def test_a_put_off_row_stored_before_reads_without_counts_and_can_be_corrected(session) -> None:
    add_case(session, "C1")
    day = D(2026, 12, 7)
    oid = _legacy_put_off(session, "C1", day)
    (rec,) = stored_outcomes(session, "C1")  # read, not refused: the 回访跟踪 form opens it
    assert (rec.outcome.households_visited, rec.outcome.leads_collected, rec.outcome.problems_solved) == (0, 0, 0)
    assert stop_records(session, ["C1"], day, "T1")["C1"].households == 0
    # Its correction (a reason added) saves, and stores the counts it shows.
    fixed = VisitOutcome(case_no="C1", visit_date=day, result="postponed", team_id="T1", reason="村里办丧事，改期")
    correct_outcome(session, oid, fixed, who="zhou", expected_version=rec.version, today=day)
    row = session.get(VisitOutcomeRow, oid)
    assert (row.reason, row.households_visited, row.leads_collected, row.problems_solved) == (
        "村里办丧事，改期", 0, 0, 0)
