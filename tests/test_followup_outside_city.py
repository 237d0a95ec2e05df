"""Walk U defect 7: a letter about a place outside Zhangzhou (厦门市同安区) is kept and counted as 市外（转外地办理）,
not as 未定位 nor in a county, and it is never a candidate for a visit (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from planner.domain import VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.followup.overview import OUTSIDE_LABEL, UNPLACED, outside_zhangzhou, overview
from planner.followup.stats import UNKNOWN, compute_stats
from planner.places.letters import locate_letters
from planner.selection.ranking import OUTSIDE_REASON, outside_candidates, rank_cases, signals_from_db
from planner.store.cases import load_cases
from planner.store.models import CaseRow

DAY = dt.date(2026, 12, 7)
ADDRESSES = {
    "Z-1": "平和县山格镇土田村",  # in Zhangzhou
    "Z-2": "",  # no place at all: 未定位
    "Z-3": "厦门市同安区大同街道",  # another city: 市外
}


def _add_cases(session) -> dict[str, dict]:
    """The cases as an import stores them: the places come from the import's own locating (the resolver's note)."""
    rows = [SimpleNamespace(values={"address_text": a, "content": "反映村里违规收取林地管理服务费"})
            for a in ADDRESSES.values()]
    places = dict(zip(ADDRESSES, locate_letters(rows), strict=True))
    for no, loc in places.items():
        session.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 20), deadline=dt.date(2027, 1, 19),
                            content="反映村里违规收取林地管理服务费", category="林业", status="registered",
                            address_text=ADDRESSES[no], **loc))
    session.flush()
    return places


def test_the_resolver_marks_the_letter_from_another_city(session) -> None:
    places = _add_cases(session)
    assert places["Z-3"]["county_code"] == "" and places["Z-2"]["county_code"] == ""
    assert outside_zhangzhou(session) == {"Z-3"}


def test_home_figures_count_it_in_a_row_of_its_own_and_the_total_adds_up(session) -> None:
    _add_cases(session)
    cases = load_cases(session)
    ov = overview(cases, today=DAY, outside=outside_zhangzhou(session))
    rows = {c.name: c for c in ov.counties}
    assert rows[OUTSIDE_LABEL].letters == 1 and rows[OUTSIDE_LABEL].open == 1
    assert rows["未定位"].letters == 1  # the letter with no address, not the one from 厦门
    assert next(c for c in ov.counties if c.code == UNPLACED).name == "未定位"
    assert rows["平和县"].letters == 1
    assert ov.letters == len(cases) == sum(c.letters for c in ov.counties)  # nothing lost, the rows add up


def test_it_is_no_candidate_for_a_visit_and_the_reason_is_given(session) -> None:
    _add_cases(session)
    ranked = rank_cases(load_cases(session), today=DAY, signals=signals_from_db(session))
    assert {r.case.case_no for r in ranked} == {"Z-1", "Z-2"}
    assert outside_candidates(session) == ["Z-3"]
    assert "转外地办理" in OUTSIDE_REASON and "不列入" in OUTSIDE_REASON


def test_statistics_name_it_outside_the_city(session) -> None:
    _add_cases(session)
    for no in ("Z-2", "Z-3"):
        record_outcome(session, VisitOutcome(case_no=no, visit_date=DAY, result="visited", team_id="T1",
                                             households_visited=2), who="lin")
    stats = compute_stats(session, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    rows = {r.keys[0]: r for r in stats.rows}
    assert rows[OUTSIDE_LABEL]["household_visits"] == 2
    assert rows[UNKNOWN["county"]]["household_visits"] == 2
    assert stats.totals["household_visits"] == sum(r["household_visits"] for r in stats.rows)
