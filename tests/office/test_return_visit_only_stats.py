"""统计: a letter whose only recorded visit is a 回访 is counted as a 回访, never as 带信下访 (a first field visit).

A letter resolved before the office used the system (已化解 as imported from its register) is proposed a 回访 and
return-visited; nobody went down with it as a new letter. It counted as 带信下访 all the same — in the office total,
its team's row and its county's — so the figures said a first visit had been made that never was.
"""

from __future__ import annotations

import datetime as dt

from planner.followup.outcomes import record_outcome
from planner.followup.stats import compute_stats
from planner.store.models import TeamRow
from tests.test_followup import add_case, visited

D = dt.date
YEAR = {"start": D(2026, 1, 1), "end": D(2026, 12, 31)}


def _office(session) -> None:
    session.add_all([TeamRow(id="T1", name="第一组", base_lon=117.6, base_lat=24.5),
                     TeamRow(id="T2", name="第二组", base_lon=117.6, base_lat=24.5)])
    # R: resolved in the register, only return-visited (by T2, in 云霄县).
    add_case(session, "R", status="resolved", county="云霄县", county_code="350622")
    record_outcome(session, visited("R", D(2026, 6, 1), team="T2", resolved=True, households_visited=2),
                   who="u", visit_type="return")
    # F: first visited by T1 (平和县), then return-visited by T1.
    add_case(session, "F")
    record_outcome(session, visited("F", D(2026, 5, 1), team="T1", resolved=True), who="u")
    record_outcome(session, visited("F", D(2026, 6, 10), team="T1", resolved=True), who="u", visit_type="return")
    # B: resolved in the register; its 回访 found the problem back, a second 回访 found it solved (by T2).
    add_case(session, "B", status="resolved")
    record_outcome(session, visited("B", D(2026, 6, 5), team="T2"), who="u", visit_type="return")
    record_outcome(session, visited("B", D(2026, 7, 5), team="T2", resolved=True), who="u", visit_type="return")
    session.flush()


def test_a_return_visit_alone_is_a_return_visit_not_a_letter_taken_down(session) -> None:
    _office(session)
    totals = compute_stats(session, **YEAR, by=()).totals
    # One letter was taken down (F); four 回访 were made (R's, F's and B's two).
    assert totals["letters_taken_down"] == 1
    assert totals["return_visits"] == 4
    # 推动解决问题: F at its first visit, B at the 回访 that found it solved again; R's 回访 found its problem still
    # solved (问题保持解决): nothing was resolved by it.
    assert totals["cases_resolved"] == 2
    # R's households still count: they were visited on its 回访.
    assert totals["household_visits"] == 2


def test_team_and_county_rows_say_the_same_and_add_up_to_the_office_total(session) -> None:
    _office(session)
    totals = compute_stats(session, **YEAR, by=()).totals
    for dim in ("team", "county", "period", "category"):
        rows = compute_stats(session, **YEAR, by=(dim,)).rows
        for key in ("letters_taken_down", "return_visits", "household_visits", "cases_resolved"):
            assert sum(r[key] for r in rows) == totals[key], (dim, key)
    teams = {r.keys[0]: r.figures for r in compute_stats(session, **YEAR, by=("team",)).rows}
    assert (teams["第二组"]["letters_taken_down"], teams["第二组"]["return_visits"]) == (0, 3)
    assert (teams["第一组"]["letters_taken_down"], teams["第一组"]["return_visits"]) == (1, 1)
    counties = {r.keys[0]: r.figures for r in compute_stats(session, **YEAR, by=("county",)).rows}
    assert (counties["云霄县"]["letters_taken_down"], counties["云霄县"]["return_visits"]) == (0, 1)
    # The trend (统计's chart) and a team's own view agree.
    trend = compute_stats(session, **YEAR, by=()).trend
    assert sum(r["letters_taken_down"] for r in trend) == totals["letters_taken_down"]
    t2 = compute_stats(session, **YEAR, by=(), team_ids=("T2",)).totals
    assert (t2["letters_taken_down"], t2["return_visits"]) == (0, 3)


def test_the_sheet_says_a_return_visit_alone_is_not_a_letter_taken_down() -> None:
    from planner.followup.stats import _DEFINITIONS

    text = dict(_DEFINITIONS)["带信下访件数"]
    assert "回访" in text
