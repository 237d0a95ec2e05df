"""Walk 3, 回访跟踪 and 统计 (run on SQLite and PostgreSQL, the ``session`` fixture):

1. 第一检查组's officer saw none of the letters a leader recorded for that team on no plan, while the team's 统计
   counted them and their 澄清函: an officer sees the letters whose recorded visits name their team.
2. Saving a letter resolved settled the re-sent letters of its chain without a word, and 重复信访化解 counted 3 for
   one settled dispute: the save names them (page helpers, audit log) and the figure counts disputes (起).
3. 反映问题 had no 部分属实, and 统计 had no figures by finding, none for letters received by category, no overdue
   count: stored, refused a 澄清函, counted — each checked against a hand count.
4. A 回访 on the first visit's day, by another team, was accepted: refused, naming both dates.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from planner.domain import VisitOutcome, VisitType
from planner.errors import InputError, PermissionDenied
from planner.followup.clarification import (
    ClarificationLetter,
    clarification_refusal,
    issue_clarification,
    list_clarifications,
)
from planner.followup.outcomes import record_outcome, resends_settled_with, resends_to_settle, stored_outcomes
from planner.followup.stats import FIGURE_LABELS, compute_stats, stats_to_excel
from planner.office import audit
from planner.office.authorisation import CaseRef, authorise, visible_case_nos
from planner.office.security import Actor
from planner.store.models import CaseRow, PlanCase, PlanRow, TeamRow

D = dt.date
DAY = D(2026, 12, 7)
YEAR = {"start": D(2026, 1, 1), "end": D(2026, 12, 31)}
OFFICER_1 = Actor(username="lin", role="officer", team_ids=("T1",))
OFFICER_2 = Actor(username="chen", role="officer", team_ids=("T2",))


SEPT_1 = D(2026, 9, 1)


def _case(session, no: str, *, received: dt.date = SEPT_1, category: str = "低保", key: str = "",
          status: str = "registered", county: str = "漳浦县", code: str = "350623",
          extension: int = 0) -> CaseRow:
    row = CaseRow(case_no=no, received_date=received, deadline=received + dt.timedelta(days=60),
                  extension_days=extension, content=f"{no} 梅宅村低保评定优亲厚友", category=category,
                  county=county, county_code=code, town="旧镇镇", village="梅宅村", lon=117.6, lat=24.1,
                  status=status, petitioner_key=key)
    session.add(row)
    session.flush()
    return row


def _visit(no: str, day: dt.date = DAY, *, team: str = "T1", resolved: bool = False, true: bool | None = None,
           partly: bool = False) -> VisitOutcome:
    return VisitOutcome(case_no=no, visit_date=day, result="visited", team_id=team, problem_resolved=resolved,
                        report_true=true, households_visited=2, **({"report_partly": True} if partly else {}))


def _teams(session) -> None:
    session.add_all([TeamRow(id="T1", name="第一检查组", base_lon=117.6, base_lat=24.5),
                     TeamRow(id="T2", name="第二检查组", base_lon=117.6, base_lat=24.5)])
    session.flush()


# --- 1. an officer sees the letters their team's visits name ---


def test_an_officer_sees_the_letters_recorded_for_their_team_on_no_plan_and_no_other_teams(session) -> None:
    _teams(session)
    planned = _case(session, "W3-P")
    for no in ("W3-N", "W3-C", "W3-X", "W3-U"):
        _case(session, no)
    plan = PlanRow(name="第49周", start_date=DAY, days=1, status="issued")
    session.add(plan)
    session.flush()
    session.add(PlanCase(plan_id=plan.id, case_id=planned.id, visit_id="V1", team_id="T1", visit_date=DAY))
    session.flush()
    # A leader records visits of letters on no plan for 第一检查组 (W3-N; W3-C found untrue and cleared) and one
    # for 第二检查组 (W3-X); W3-U is on no plan and visited by nobody.
    record_outcome(session, _visit("W3-N", true=True), who="leader", today=DAY)
    record_outcome(session, _visit("W3-C", true=False), who="leader", today=DAY)
    issue_clarification(session, "W3-C", ClarificationLetter(
        cadre="黄某某", cadre_title="枫林村村委委员", matter="低保优亲厚友", finding="评定程序合规",
        addressee="中共南靖县书洋镇委员会", issued_date=DAY), who="leader")
    record_outcome(session, _visit("W3-X", team="T2"), who="leader", today=DAY)

    assert visible_case_nos(OFFICER_1, session) == {"W3-P", "W3-N", "W3-C"}
    assert visible_case_nos(OFFICER_2, session) == {"W3-X"}
    authorise(OFFICER_1, "record_outcome", CaseRef("W3-N"), session=session)
    with pytest.raises(PermissionDenied):
        authorise(OFFICER_1, "record_outcome", CaseRef("W3-X"), session=session)
    assert [c["case_no"] for c in list_clarifications(session, actor=OFFICER_1)] == ["W3-C"]
    assert list_clarifications(session, actor=OFFICER_2) == []
    # The same rule as the team's 统计: every letter it counts for the team, the officer sees.
    mine = compute_stats(session, **YEAR, actor=OFFICER_1).totals
    assert (mine["letters_taken_down"], mine["clarifications_issued"]) == (2, 1)  # W3-N, W3-C; W3-C's letter


# --- 2. a chain settled: named, audited, counted once ---


def test_settling_a_letter_names_the_resends_it_closes_and_counts_one_dispute(session) -> None:
    _teams(session)
    for no, day in (("W3-038", D(2026, 9, 3)), ("W3-039", D(2026, 10, 9)), ("W3-040", D(2026, 11, 2))):
        _case(session, no, received=day, key="p-zheng", category="土地纠纷", county="龙海区", code="350604")
    _case(session, "W3-050", key="p-other")
    assert resends_to_settle(session, "W3-038") == ["W3-039", "W3-040"]  # said before the save
    before = resends_to_settle(session, "W3-038")
    record_outcome(session, _visit("W3-038", resolved=True, true=True), who="leader", today=DAY)
    statuses = dict(session.execute(select(CaseRow.case_no, CaseRow.status)).all())
    assert [statuses[n] for n in ("W3-038", "W3-039", "W3-040")] == ["resolved"] * 3
    assert resends_settled_with(session, "W3-038", before) == ["W3-039", "W3-040"]  # said after it
    assert resends_to_settle(session, "W3-038") == []  # settled: nothing more to close

    (entry,) = audit.recent(session, action="outcome_record")
    assert entry["case_nos"] == ["W3-038", "W3-039", "W3-040"]
    assert "重复件 W3-039、W3-040 随本件一并化解" in audit.describe(entry)

    assert FIGURE_LABELS["repeat_letters_settled"] == "重复信访化解（起）"
    assert compute_stats(session, **YEAR).totals["repeat_letters_settled"] == 1  # one dispute, not 3 letters


# --- 3. 部分属实, figures by finding, received by category, overdue ---


def test_partly_true_is_stored_and_gets_no_clarification(session) -> None:
    _teams(session)
    _case(session, "F2")
    oid = record_outcome(session, _visit("F2", true=True, partly=True), who="leader", today=DAY)
    (stored,) = stored_outcomes(session, "F2")
    assert stored.outcome_id == oid and (stored.outcome.report_true, stored.outcome.report_partly) == (True, True)
    assert "部分属实" in clarification_refusal(session, "F2")
    with pytest.raises(InputError, match="部分属实"):
        VisitOutcome(case_no="F2", visit_date=DAY, result="visited", report_true=False, report_partly=True)


def test_statistics_count_findings_received_by_category_and_overdue_open_letters(session, tmp_path) -> None:
    _teams(session)
    # (case, received, category, status, extension)
    letters = [("F1", D(2026, 8, 3), "低保", "registered", 0), ("F2", D(2026, 8, 19), "低保", "registered", 0),
               ("F3", D(2026, 9, 2), "林业", "registered", 0), ("F4", D(2026, 10, 5), "林业", "registered", 0),
               ("F5", D(2026, 10, 20), "土地纠纷", "registered", 30),
               ("F6", D(2025, 11, 1), "林业", "registered", 0),
               ("F7", D(2026, 11, 30), "低保", "registered", 0), ("F8", D(2026, 7, 1), "", "closed", 0)]
    for no, received, category, status, ext in letters:
        _case(session, no, received=received, category=category, status=status, extension=ext)
    record_outcome(session, _visit("F1", true=True), who="u", today=DAY)
    record_outcome(session, _visit("F2", true=True, partly=True), who="u", today=DAY)
    record_outcome(session, _visit("F3", true=False), who="u", today=DAY)
    record_outcome(session, _visit("F4", team="T2"), who="u", today=DAY)  # 未认定
    record_outcome(session, _visit("F5", D(2026, 12, 1), true=True, partly=True), who="u", today=DAY)
    record_outcome(session, _visit("F5", D(2026, 12, 4), team="T2", true=True), who="u", today=DAY)  # latest: 属实
    record_outcome(session, _visit("F6", D(2025, 12, 20), true=False), who="u", today=DAY)  # outside the year

    stats = compute_stats(session, **YEAR, today=DAY)
    ex = stats.extras
    # By hand: F1 属实, F5 属实 (its later visit), F2 部分属实, F3 不属实, F4 未认定; F6 was visited in 2025.
    assert ex.findings == {"true": 2, "partly": 1, "false": 1, "unknown": 1}
    # Received in 2026: 低保 F1 F2 F7, 林业 F3 F4, 土地纠纷 F5, (未分类) F8; F6 came in 2025.
    assert ex.received == (("低保", 3), ("林业", 2), ("土地纠纷", 1), ("（未分类）", 1))
    # Open past their deadline on 2026-12-07 (received + 60 days, + extension): F1 (10-02), F2 (10-18), F4 (12-04),
    # F3 (不属实 leaves it 已下访, due 11-01), F6 (2025-12-31); not F5 (extended to 2027-01-18), F7 (2027-01-29),
    # F8 (已办结).
    statuses = dict(session.execute(select(CaseRow.case_no, CaseRow.status)).all())
    assert statuses["F3"] == "visited"
    assert ex.overdue == 5  # F1 F2 F3 F4 F6

    # A team's figures are its letters': T2 made F4's visit and F5's latest one.
    t2 = compute_stats(session, **YEAR, team_ids=("T2",), today=DAY).extras
    assert t2.findings == {"true": 1, "partly": 0, "false": 0, "unknown": 1}
    assert t2.received == (("土地纠纷", 1), ("林业", 1)) and t2.overdue == 1  # F4

    # The Excel export and the CLI say the same.
    wb = load_workbook(io.BytesIO(stats_to_excel(stats)))
    cells = [[c.value for c in row] for row in wb["认定与收件"].iter_rows()]
    cells = [row[:max((i + 1 for i, v in enumerate(row) if v is not None), default=0)] for row in cells]  # 4 wide
    assert ["部分属实", 1] in cells and ["不属实", 1] in cells and ["林业", 2] in cells and ["合计", 5] in cells
    assert ["合计", 7] in cells  # received
    notes = [r[0].value for r in wb["说明"].iter_rows()]
    assert "认定结果（件）" in notes and "逾期未办结（件）" in notes


def test_the_stats_command_prints_them(engine, tmp_path, capsys) -> None:
    from planner.cli import main
    from planner.store.database import session_scope

    with session_scope(engine) as s:
        _teams(s)
        _case(s, "G1", received=D(2026, 3, 1), category="林业")
        _case(s, "G2", received=D(2026, 11, 20), category="低保")
    with session_scope(engine) as s:
        record_outcome(s, _visit("G1", D(2026, 5, 6), true=True, partly=True), who="u", today=DAY)
    url = engine.url.render_as_string(hide_password=False)
    assert main(["stats", "--from", "2026-01-01", "--to", "2026-12-31", "--db", url]) == 0
    printed = capsys.readouterr().out
    assert "部分属实\t1" in printed and "林业\t1" in printed and "低保\t1" in printed
    assert "逾期未办结（截至" in printed  # G1 is 已下访, due 2026-04-30


# --- 4. a 回访 on the first visit's day ---


def test_a_return_visit_on_the_first_visits_day_by_another_team_is_refused_naming_both_dates(session) -> None:
    _teams(session)
    _case(session, "W3-018", category="林业", county="南靖县", code="350627")
    record_outcome(session, _visit("W3-018", D(2026, 12, 3), resolved=True, true=True), who="leader", today=DAY)
    with pytest.raises(InputError) as refused:
        record_outcome(session, _visit("W3-018", D(2026, 12, 3), team="T2", resolved=True), who="leader",
                       visit_type=VisitType.RETURN, today=DAY)
    said = str(refused.value)
    assert "首次走访是 2026-12-03（第一检查组）" in said and "这次回访的日期 2026-12-03 与它同一天" in said
    # The next day, by another team: a 回访 proposed to the first team first, not only to it.
    record_outcome(session, _visit("W3-018", D(2026, 12, 4), team="T2", resolved=True), who="leader",
                   visit_type=VisitType.RETURN, today=DAY)
    kinds = [s.visit_type for s in stored_outcomes(session, "W3-018")]
    assert kinds == [VisitType.INVESTIGATION, VisitType.RETURN]
