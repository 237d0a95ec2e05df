"""Walk S, follow-up: a correction never changes a visit record's kind silently; a 澄清函 rests on a visit that found
the report untrue; 统计 credits a 澄清 to a team so that the teams add up to the office's total.

Run on SQLite and PostgreSQL (the ``session`` fixture).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.domain import VisitOutcome, VisitType
from planner.errors import InputError
from planner.followup.clarification import ClarificationLetter, issue_clarification, record_clarification
from planner.followup.outcomes import correct_outcome, record_outcome, stored_outcomes
from planner.followup.stats import compute_stats
from planner.store.models import CaseRow, ClarificationRow, TeamRow, UserRow, VisitOutcomeRow

DAY = dt.date(2026, 12, 7)
LETTER = ClarificationLetter(cadre="陈建明", cadre_title="岸头村党支部书记", matter="承包村里海蛎养殖区不交承包费",
                             finding="承包费已按合同足额缴纳", addressee="中共漳浦县佛昙镇委员会", issued_date=DAY)


def _case(session, no: str = "ZZJ2026-0941", status: str = "planned") -> CaseRow:
    row = CaseRow(case_no=no, received_date=dt.date(2026, 11, 2), deadline=dt.date(2027, 1, 1),
                  content=f"{no} 反映支书承包海蛎养殖区不交承包费", category="三资管理", county="漳浦县",
                  county_code="350623", town="佛昙镇", village="岸头村", lon=117.9, lat=24.2, status=status)
    session.add(row)
    session.flush()
    return row


def _visit(no: str = "ZZJ2026-0941", day: dt.date = DAY, *, result: str = "visited", team: str = "T1",
           **kw) -> VisitOutcome:
    return VisitOutcome(case_no=no, visit_date=day, result=result, team_id=team,
                        reason="" if result == "visited" else "信访人外出", **kw)


# --- 1. a correction keeps the record's kind ------------------------------------------------------------------


def test_a_correction_does_not_turn_the_first_visit_into_a_return_visit(session) -> None:
    """Walk S (SERIOUS): 本次为回访 on over the officer's 已化解 first visit, 保存更正 — the first visit became a 回访
    (one record left, counted as 带信下访 1 and 回访 1)."""
    _case(session)
    first = _visit(problem_resolved=True, findings="承包费已补缴，群众满意", households_visited=6)
    oid = record_outcome(session, first, who="wu1")
    (rec,) = stored_outcomes(session, "ZZJ2026-0941")
    with pytest.raises(InputError, match=r"首次走访（带信下访）.*不能把它改成回访.*新的走访记录"):
        correct_outcome(session, oid, _visit(problem_resolved=True, findings="回访：群众满意"), who="zhou",
                        expected_version=rec.version, visit_type=VisitType.RETURN, today=DAY)
    session.expire_all()
    (kept,) = stored_outcomes(session, "ZZJ2026-0941")
    assert (kept.visit_type, kept.outcome.findings, kept.version) == (VisitType.INVESTIGATION, "承包费已补缴，群众满意",
                                                                      rec.version)
    stats = compute_stats(session, start=dt.date(2026, 1, 1), end=DAY, by=())
    assert (stats.totals["letters_taken_down"], stats.totals["return_visits"]) == (1, 0)
    # The same save through record_outcome (a form that showed this visit's version) is refused alike.
    with pytest.raises(InputError, match="不能把它改成回访"):
        record_outcome(session, _visit(problem_resolved=True), who="zhou", visit_type=VisitType.RETURN,
                       expected_version=rec.version, today=DAY)


def test_a_kind_recorded_wrong_is_corrected_only_when_said_so(session) -> None:
    _case(session)
    oid = record_outcome(session, _visit(), who="wu1")
    (rec,) = stored_outcomes(session, "ZZJ2026-0941")
    correct_outcome(session, oid, _visit(), who="zhou", expected_version=rec.version, visit_type="return",
                    change_kind=True, today=DAY)
    (rec,) = stored_outcomes(session, "ZZJ2026-0941")
    assert rec.visit_type is VisitType.RETURN
    with pytest.raises(InputError, match="是回访，更正不能把它改成首次走访"):
        correct_outcome(session, oid, _visit(), who="zhou", visit_type="investigation", today=DAY)
    # A correction of something else keeps the kind without saying so.
    correct_outcome(session, oid, _visit(households_visited=3), who="zhou", today=DAY)
    assert stored_outcomes(session, "ZZJ2026-0941")[0].visit_type is VisitType.RETURN


# --- 2. a 澄清函 needs a visit that found the report untrue ---------------------------------------------------


@pytest.mark.parametrize(("visits", "said"), [
    ([{"result": "not_found"}], "均为未找到或改期"),
    ([{"result": "postponed"}], "均为未找到或改期"),
    ([{"result": "visited"}], "未认定反映问题是否属实"),
    ([{"result": "visited", "report_true": True}], "认定反映问题属实"),
    ([], "尚无走访调查记录（状态：已下访）"),
])
def test_no_clarification_without_a_visit_that_found_the_report_untrue(session, visits, said: str) -> None:
    """Walk S (MEDIUM): a 澄清函 (经带信下访实地调查核实…反映不实) was issued on a visit 未找到, 反映问题 未认定."""
    case = _case(session, status="visited" if not visits else "planned")
    for kw in visits:
        record_outcome(session, _visit(**kw), who="wu1")
    for issue in (lambda: issue_clarification(session, case.case_no, LETTER, who="zhou"),
                  lambda: record_clarification(session, case.case_no, cadre="陈建明", issued_date=DAY, who="zhou")):
        with pytest.raises(InputError, match=rf"{said}.*结果为“已走访”、反映问题认定为“不实（需澄清）”的走访记录"):
            issue()
    assert session.scalar(select(ClarificationRow.id)) is None
    assert case.status != "clarified"


def test_a_clarification_rests_on_the_visit_that_found_it_untrue(session) -> None:
    case = _case(session)
    record_outcome(session, _visit(day=dt.date(2026, 12, 1), result="not_found"), who="wu1")
    record_outcome(session, _visit(report_true=False, findings="承包费已按合同缴纳，反映不实"), who="wu1")
    issue_clarification(session, case.case_no, LETTER, who="zhou")
    assert case.status == "clarified"


# --- 3. 统计: a 澄清 counts for a team ---------------------------------------------------------------------------


def _by_team(session) -> tuple[dict[str, int], int]:
    stats = compute_stats(session, start=dt.date(2026, 1, 1), end=DAY, by=("team",))
    return {r.keys[0]: r.figures["clarifications_issued"] for r in stats.rows}, stats.totals["clarifications_issued"]


def test_a_clarification_counts_for_the_team_of_the_untrue_visit_not_only_the_first_visitor(session) -> None:
    session.add_all([TeamRow(id="T1", name="第一检查组", base_lon=117.6, base_lat=24.5),
                     TeamRow(id="T2", name="第二检查组", base_lon=117.6, base_lat=24.5)])
    case = _case(session)
    record_outcome(session, _visit(day=dt.date(2026, 12, 1), team="T2"), who="li2")  # 未认定
    record_outcome(session, _visit(team="T1", report_true=False), who="wu1")  # the untrue finding
    issue_clarification(session, case.case_no, LETTER, who="zhou")
    teams, total = _by_team(session)
    assert (teams, total) == ({"第一检查组": 1, "第二检查组": 0}, 1)


def test_a_clarification_without_a_visited_outcome_still_counts_for_a_team(session) -> None:
    """Walk S (MINOR): a letter whose only visit was 未找到 was 澄清 (before the rule above): office 澄清 1, the
    team 0 — a leader's 统计 (their teams only) showed 澄清 0. Stored letters of that kind go to the team of the
    case's visit, else to the team of the person who issued it; none of those: （未记录）, still in the sum."""
    session.add_all([TeamRow(id="T1", name="第一检查组", base_lon=117.6, base_lat=24.5),
                     TeamRow(id="T2", name="第二检查组", base_lon=117.6, base_lat=24.5),
                     UserRow(username="zhou", role="leader", password_hash="x", team_ids=["T2"])])
    seen = _case(session, "A")
    record_outcome(session, _visit("A", result="not_found", team="T1"), who="wu1")
    unvisited = _case(session, "B", status="visited")
    nobody = _case(session, "C", status="visited")
    session.add_all([ClarificationRow(case_id=seen.id, cadre="陈建明", issued_date=DAY, recorded_by="coord"),
                     ClarificationRow(case_id=unvisited.id, cadre="林某", issued_date=DAY, recorded_by="zhou"),
                     ClarificationRow(case_id=nobody.id, cadre="王某", issued_date=DAY, recorded_by="coord")])
    session.flush()
    teams, total = _by_team(session)
    assert teams == {"第一检查组": 1, "第二检查组": 1, "（未记录）": 1}
    assert sum(teams.values()) == total == 3
    scoped = compute_stats(session, start=dt.date(2026, 1, 1), end=DAY, by=(), team_ids=("T1",))
    assert scoped.totals["clarifications_issued"] == 1
    assert session.scalar(select(VisitOutcomeRow.result)) == "not_found"
