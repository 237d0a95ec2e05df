"""The whole loop: import -> select -> plan -> record outcomes -> 双反馈 -> 回访 proposed at +30 days -> planned
-> figures update."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from planner.domain import CaseStatus, Plan, Team, VisitOutcome, VisitType
from planner.followup.clarification import ClarificationLetter, issue_clarification
from planner.followup.common import set_case_status
from planner.followup.feedback import missing_feedback, record_feedback
from planner.followup.outcomes import record_outcome
from planner.followup.returns import list_followups, propose_return_visits
from planner.followup.stats import compute_stats
from planner.intake.register import import_register
from planner.routing import build_problem, solve
from planner.routing.planio import PlanDocument
from planner.selection.ranking import build_visits, rank_cases, signals_from_db
from planner.store.cases import load_cases
from planner.store.models import CaseRow, PlanCase, PlanRow
from planner.store.plans import save_plan
from planner.store.teams import load_teams, save_team

TODAY = dt.date(2026, 12, 7)  # a Monday
REGISTER = """编号,收件日期,问题类别,反映内容,县区,乡镇,经度,纬度,信访人,联系电话
PH-001,2026-11-02,林业,山格镇林业站违规收取桉树砍伐保证金，数百户林农受影响,平和县,山格镇,117.43,24.37,张三,13812341234
PH-002,2026-11-10,扶贫,小溪镇低保评定不公,平和县,小溪镇,117.313,24.363,李四,13912345678
HA-003,2026-11-15,扶贫,华丰镇将产业扶贫资金拨给家庭农场后私分,华安县,华丰镇,117.536,25.004,王五,13700001111
"""
TEAMS = (
    Team("T1", "第五纪检监察室", 117.313, 24.363, base_name="平和县纪委", skills=("forestry", "finance")),
    Team("T2", "华安县纪委检查组", 117.536, 25.004, base_name="华安县纪委", skills=("forestry", "finance")),
)


def _plan(session, visits, teams, start: dt.date, name: str) -> tuple[Plan, dict[str, tuple[str, dt.date]]]:
    """Solve and save the plan as the planning page does (plans + plan_cases), then mark its cases 已排程."""
    plan = solve(build_problem(visits, teams, start_date=start, days=2), time_limit_s=2, max_solutions=200)
    doc = PlanDocument(plan, visits={v.visit_id: v for v in visits}, teams={t.team_id: t for t in teams})
    plan_id = save_plan(session, doc, name=name, who="组长")
    where: dict[str, tuple[str, dt.date]] = {}
    for pc, case_no in session.execute(select(PlanCase, CaseRow.case_no).join(CaseRow, CaseRow.id == PlanCase.case_id)
                                       .where(PlanCase.plan_id == plan_id)):
        where[case_no] = (pc.team_id, pc.visit_date)
        if doc.visits[pc.visit_id].visit_type is VisitType.INVESTIGATION:
            set_case_status(session, case_no, CaseStatus.PLANNED, who="组长")
    session.flush()
    return plan, where


def test_import_plan_record_feedback_return_visit_and_figures(session) -> None:
    # 1. import the register (petitioner identity goes to its own table)
    summary = import_register(session, REGISTER.encode("utf-8"), filename="登记表.csv", who="协调员", today=TODAY)
    assert (summary.imported, summary.rejected) == (3, 0)
    for team in TEAMS:
        save_team(session, team)
    session.commit()
    teams = load_teams(session)
    year = {"start": dt.date(2026, 12, 1), "end": dt.date(2027, 3, 31)}
    assert compute_stats(session, **year, by=()).totals["letters_taken_down"] == 0

    # 2. select and plan
    ranked = rank_cases(load_cases(session, open_only=True), today=TODAY, signals=signals_from_db(session))
    build = build_visits(ranked, today=TODAY, teams=teams)
    assert sorted(c for v in build.visits for c in v.case_nos) == ["HA-003", "PH-001", "PH-002"]
    plan, where = _plan(session, build.visits, teams, TODAY, "第49周")
    assert plan.unassigned == ()
    session.commit()
    assert {c.case_no: c.status for c in load_cases(session)} == dict.fromkeys(where, CaseStatus.PLANNED)

    # 3. record outcomes on the planned day, by the planned team
    def outcome(case_no: str, **kw) -> VisitOutcome:
        team, day = where[case_no]
        return VisitOutcome(case_no=case_no, visit_date=day, result="visited", team_id=team, recorded_by="林干部", **kw)

    record_outcome(session, outcome("PH-001", problem_resolved=True, households_visited=30, leads_collected=2,
                                       problems_solved=3, findings="保证金已责令清退"), who="林干部")
    record_outcome(session, outcome("PH-002", households_visited=5, leads_collected=1), who="林干部")
    record_outcome(session, outcome("HA-003", report_true=False, households_visited=4), who="陈干部")
    letter = ClarificationLetter(cadre="李某某", matter="私分产业扶贫资金", finding="资金使用符合政策规定",
                                 addressee="中共华安县华丰镇委员会",
                                 issued_date=where["HA-003"][1] + dt.timedelta(days=3))
    issue_clarification(session, "HA-003", letter, who="陈干部")
    session.commit()
    status = {c.case_no: c.status for c in load_cases(session)}
    assert status == {"PH-001": CaseStatus.RESOLVED, "PH-002": CaseStatus.VISITED, "HA-003": CaseStatus.CLARIFIED}

    # 4. 双反馈: both sides for PH-001, only the petitioner for PH-002
    day1 = where["PH-001"][1]
    record_feedback(session, "PH-001", "petitioner", feedback_date=day1, channel="当面", content="保证金将清退",
                       who="林干部")
    record_feedback(session, "PH-001", "government", feedback_date=day1, channel="书面", content="督促县林业局整改",
                       recipient="平和县人民政府", who="林干部")
    record_feedback(session, "PH-002", "petitioner", feedback_date=day1, channel="电话", content="已核查",
                       who="林干部")
    session.commit()
    assert {m.case_no: m.missing for m in missing_feedback(session)} == {
        "PH-002": ("government",), "HA-003": ("petitioner", "government")}

    # 5. the return visit is proposed 30 days after resolution, for the team that went first
    (task,) = [i.task for i in list_followups(session)]
    first_team = where["PH-001"][0]
    assert (task.case_no, task.kind, task.due_date, task.preferred_team_id) == (
        "PH-001", "return_visit", day1 + dt.timedelta(days=30), first_team)
    assert propose_return_visits(session, day1 + dt.timedelta(days=1)) == []  # nothing twice

    # 6. on the due date, 选件 offers it as a 回访 pinned to that team, and the planner plans it
    due = task.due_date
    ranked = rank_cases(load_cases(session), today=due, signals=signals_from_db(session))
    rv = [r for r in ranked if r.case.case_no == "PH-001"]
    assert rv and rv[0].signals.return_visit_due == due
    build = build_visits(rv, today=due, teams=teams)
    (visit,) = build.visits
    assert (visit.visit_type, visit.team_id) == (VisitType.RETURN, first_team)
    session.execute(update(PlanRow).values(status="done"))  # 第49周 is finished by the time its 回访 is due
    plan2, where2 = _plan(session, build.visits, teams, due, "回访")
    assert plan2.unassigned == () and where2["PH-001"][0] == first_team
    session.commit()

    # 7. the return visit is recorded: the task closes and the figures add up
    team2, day2 = where2["PH-001"]
    record_outcome(session, VisitOutcome("PH-001", day2, "visited", team_id=team2, problem_resolved=True,
                                            households_visited=6), who="林干部", visit_type=VisitType.RETURN)
    session.commit()
    assert list_followups(session) == []
    assert session.scalars(select(CaseRow.status).where(CaseRow.case_no == "PH-001")).one() == "resolved"
    stats = compute_stats(session, **year, by=("team",))
    assert stats.totals == {
        "letters_taken_down": 3, "cases_resolved": 1, "household_visits": 30 + 5 + 4 + 6, "leads_collected": 3,
        "problems_solved": 3, "clarifications_issued": 1, "repeat_letters_settled": 0,
        # 双反馈 of step 4 (PH-001 both sides, PH-002 the petitioner), no 整改, the return visit of step 7
        "feedback_petitioner": 2, "feedback_government": 1, "rectifications_done": 0, "return_visits": 1,
    }
    names = {t.team_id: t.name for t in TEAMS}
    by_team = {r.keys[0]: r.figures["letters_taken_down"] for r in stats.rows}
    expected: dict[str, int] = {}
    for team, _day in where.values():
        expected[names[team]] = expected.get(names[team], 0) + 1
    assert by_team == expected
    by_county = {r.keys[0]: r.figures for r in compute_stats(session, **year, by=("county",)).rows}
    assert by_county["华安县"]["clarifications_issued"] == 1
    assert by_county["平和县"]["letters_taken_down"] == 2
