"""After the visit: outcomes move cases on, 双反馈 gaps are listed, 回访 is proposed, deadlines and 整改 surface."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.domain import VisitOutcome, VisitType
from planner.errors import ConflictError, InputError, NotFoundError
from planner.followup.clarification import clarification_document, list_clarifications, record_clarification
from planner.followup.common import case_history, return_delay_days
from planner.followup.deadlines import at_risk_cases, deadline_watch, extend_deadline, overdue_cases
from planner.followup.feedback import acknowledge_feedback, feedback_for_case, missing_feedback, record_feedback
from planner.followup.outcomes import correct_outcome, outcome_version, record_outcome, record_settlement
from planner.followup.rectification import add_rectification, complete_rectification, overdue_rectifications
from planner.followup.returns import list_followups, preferred_teams, propose_return_visits, return_visits
from planner.followup.worklist import visit_choices
from planner.store.models import CaseRow, FeedbackRow, FollowUpRow, SettingRow, VisitOutcomeRow

D = dt.date


MARCH_2 = D(2026, 3, 2)


def add_case(session, case_no: str, received: dt.date = MARCH_2, *, status: str = "planned",
             county: str = "平和县", county_code: str = "350628", lon: float | None = 117.31,
             lat: float | None = 24.37, extension_days: int = 0, petitioner_key: str = "") -> CaseRow:
    row = CaseRow(case_no=case_no, received_date=received, deadline=received + dt.timedelta(days=60),
                  extension_days=extension_days, content=f"反映{case_no}林业站收取桉树砍伐保证金",
                  category="林业", county=county, county_code=county_code, town="山格镇", village="土田村",
                  lon=lon, lat=lat, status=status, petitioner_key=petitioner_key)
    session.add(row)
    session.flush()
    return row


def visited(case_no: str, day: dt.date, *, team: str = "T1", resolved: bool = False, **kw) -> VisitOutcome:
    return VisitOutcome(case_no=case_no, visit_date=day, result="visited", team_id=team,
                        problem_resolved=resolved, **kw)


def test_resolved_outcome_sets_status_history_and_proposes_return_visit_30_days_later(session) -> None:
    add_case(session, "C1")
    oid = record_outcome(session, visited("C1", D(2026, 4, 10), team="T5", resolved=True, households_visited=12,
                                             leads_collected=2, problems_solved=3), who="林干部")
    session.commit()
    assert session.get(VisitOutcomeRow, oid).households_visited == 12
    assert session.scalars(select(CaseRow.status).where(CaseRow.case_no == "C1")).one() == "resolved"
    actions = [h.action for h in case_history(session, "C1")]
    assert "outcome" in actions and "followup_proposed" in actions
    status_change = [h for h in case_history(session, "C1") if h.action == "status"]
    assert status_change and status_change[-1].detail["to"] == "resolved"
    tasks = list_followups(session)
    assert len(tasks) == 1
    assert tasks[0].task.kind == "return_visit"
    assert tasks[0].task.due_date == D(2026, 5, 10)
    assert tasks[0].task.preferred_team_id == "T5"


def test_return_delay_is_configurable_in_settings(session) -> None:
    add_case(session, "C1")
    session.add(SettingRow(key="followup", value={"return_delay_days": 14}))
    session.flush()
    record_outcome(session, visited("C1", D(2026, 4, 10), resolved=True), who="u")
    assert list_followups(session)[0].task.due_date == D(2026, 4, 24)


def test_unresolved_visit_marks_visited_and_not_found_keeps_status(session) -> None:
    add_case(session, "C1")
    add_case(session, "C2")
    record_outcome(session, visited("C1", D(2026, 4, 10)), who="u")
    record_outcome(session, VisitOutcome("C2", D(2026, 4, 10), "not_found", reason="外出务工"), who="u")
    status = dict(session.execute(select(CaseRow.case_no, CaseRow.status)).all())
    assert status == {"C1": "visited", "C2": "planned"}
    assert list_followups(session) == []
    assert case_history(session, "C2")[-1].detail["reason"] == "外出务工"


def test_return_visit_outcome_completes_task_and_preference_is_first_team(session) -> None:
    add_case(session, "C1")
    record_outcome(session, visited("C1", D(2026, 4, 1), team="T2"), who="u")
    record_outcome(session, visited("C1", D(2026, 4, 10), team="T3", resolved=True), who="u")
    assert preferred_teams(session) == {"C1": "T2"}
    record_outcome(session, visited("C1", D(2026, 5, 12), team="T2", resolved=True), who="u",
                      visit_type=VisitType.RETURN)
    assert list_followups(session) == []
    done = list_followups(session, open_only=False)
    assert [(i.task.done, i.task.done_date) for i in done] == [(True, D(2026, 5, 12))]


def test_return_visit_finding_problem_unsolved_reopens_case(session) -> None:
    add_case(session, "C1")
    record_outcome(session, visited("C1", D(2026, 4, 10), resolved=True), who="u")
    record_outcome(session, visited("C1", D(2026, 5, 10)), who="u", visit_type="return")
    assert session.scalars(select(CaseRow.status)).one() == "visited"


def test_propose_return_visits_is_idempotent_and_covers_passed_rectification_deadlines(session) -> None:
    c1 = add_case(session, "C1", status="resolved")
    # resolved before this module recorded anything (e.g. an imported register): anchor = resolving outcome
    session.add(VisitOutcomeRow(case_id=c1.id, visit_date=D(2026, 5, 20), result="visited", problem_resolved=True,
                                team_id="T7"))
    add_case(session, "C2", status="visited")
    add_rectification(session, "C2", item="清退保证金", owner="平和县林业局", due_date=D(2026, 6, 1), who="u")
    add_rectification(session, "C2", item="清理文件", owner="平和县司法局", due_date=D(2026, 9, 1), who="u")
    created = propose_return_visits(session, D(2026, 6, 15))
    assert sorted((t.case_no, t.kind, t.due_date, t.preferred_team_id) for t in created) == [
        ("C1", "return_visit", D(2026, 6, 19), "T7"),
        ("C2", "rectification", D(2026, 7, 1), ""),
    ]
    assert propose_return_visits(session, D(2026, 6, 16)) == []
    assert session.query(FollowUpRow).count() == 2


def test_feedback_both_sides_and_missing_list(session) -> None:
    add_case(session, "C1", status="resolved")
    add_case(session, "C2", status="visited")
    add_case(session, "C3", status="planned")  # not handled yet: no feedback expected
    record_feedback(session, "C1", "petitioner", feedback_date=D(2026, 4, 12), channel="当面",
                       content="告知保证金已清退", who="u")
    fid = record_feedback(session, "C1", "government", feedback_date=D(2026, 4, 13), channel="书面",
                             content="建议镇政府化解山地纠纷", recipient="山格镇党委", who="u")
    record_feedback(session, "C2", "petitioner", feedback_date=D(2026, 4, 12), channel="电话", content="已核查",
                       who="u")
    missing = missing_feedback(session)
    assert [(m.case_no, m.missing) for m in missing] == [("C2", ("government",))]
    assert missing[0].missing_labels() == "党委政府"
    rec = next(f for f in feedback_for_case(session, "C1") if f.feedback_id == fid)
    assert not rec.acknowledged
    acknowledge_feedback(session, fid, who="u", expected_version=rec.version)
    assert [f.acknowledged for f in feedback_for_case(session, "C1")] == [False, True]
    with pytest.raises(ConflictError, match=r"已被他人修改.*请刷新"):
        acknowledge_feedback(session, fid, who="u", expected_version=rec.version)


@pytest.mark.parametrize(
    ("side", "content", "match"),
    [("township", "x", "反馈对象"), ("petitioner", "  ", "须填写内容")],
)
def test_feedback_rejects_bad_input(session, side: str, content: str, match: str) -> None:
    add_case(session, "C1")
    with pytest.raises(InputError, match=match):
        record_feedback(session, "C1", side, feedback_date=D(2026, 4, 1), channel="电话", content=content, who="u")


def test_unknown_case_is_named(session) -> None:
    with pytest.raises(NotFoundError, match="'NOPE'"):
        record_outcome(session, visited("NOPE", D(2026, 4, 1)), who="u")


def test_rectifications_overdue_and_completion_with_locking(session) -> None:
    add_case(session, "C1", status="resolved")
    late = add_rectification(session, "C1", item="退还保证金", owner="林业站", due_date=D(2026, 5, 1), who="u")
    add_rectification(session, "C1", item="建章立制", owner="林业局", due_date=D(2026, 7, 1), who="u")
    overdue = overdue_rectifications(session, D(2026, 5, 20))
    assert [(r.rect_id, r.days_overdue(D(2026, 5, 20))) for r in overdue] == [(late, 19)]
    v = overdue[0].version
    complete_rectification(session, late, done_date=D(2026, 5, 21), who="u", expected_version=v)
    assert overdue_rectifications(session, D(2026, 5, 22)) == []
    with pytest.raises(ConflictError):
        complete_rectification(session, late, done_date=D(2026, 5, 22), who="u", expected_version=v)


def test_settlement_closes_case_and_clarification_marks_clarified(session) -> None:
    add_case(session, "C1", status="visited")
    add_case(session, "C2", status="visited")
    record_outcome(session, visited("C2", D(2026, 4, 28), report_true=False), who="u")  # found untrue
    record_settlement(session, "C1", agreed_date=D(2026, 5, 1), terms="山地纠纷由镇政府调解完毕", who="u")
    cid = record_clarification(session, "C2", cadre="华丰镇某领导干部", issued_date=D(2026, 5, 2), who="u",
                                  document=b"docx", document_name="澄清函.docx")
    status = dict(session.execute(select(CaseRow.case_no, CaseRow.status)).all())
    assert status == {"C1": "closed", "C2": "clarified"}
    assert clarification_document(session, cid) == ("澄清函.docx", b"docx")
    assert list_clarifications(session, "C2")[0]["cadre"] == "华丰镇某领导干部"


def test_deadline_60_days_extension_once_and_watch_lists(session) -> None:
    add_case(session, "OVER", received=D(2026, 1, 1))  # due 2026-03-02
    add_case(session, "RISK", received=D(2026, 1, 20))  # due 2026-03-21
    add_case(session, "OK", received=D(2026, 3, 1))  # due 2026-04-30
    add_case(session, "DONE", received=D(2025, 12, 1), status="closed")
    today = D(2026, 3, 15)
    assert [d.case_no for d in overdue_cases(session, today)] == ["OVER"]
    risk = at_risk_cases(session, today)
    assert [(d.case_no, d.days_left, d.state_label) for d in risk] == [("RISK", 6, "临近期限")]
    version = session.scalars(select(CaseRow.version).where(CaseRow.case_no == "RISK")).one()
    assert extend_deadline(session, "RISK", 30, who="u", reason="需协调多部门", expected_version=version) == D(
        2026, 4, 20)
    assert at_risk_cases(session, today) == []
    with pytest.raises(InputError, match="只能延长一次"):
        extend_deadline(session, "RISK", 5, who="u", reason="再延")
    with pytest.raises(InputError, match="1 到 30 天"):
        extend_deadline(session, "OK", 31, who="u", reason="x")
    assert case_history(session, "RISK")[-1].detail["due_date"] == "2026-04-20"


def test_return_visits_become_planner_visits(session) -> None:
    add_case(session, "C1")
    add_case(session, "C2", lon=None, lat=None)
    for no in ("C1", "C2"):
        record_outcome(session, visited(no, D(2026, 4, 10), team="T4", resolved=True), who="u")
    assert return_visits(session, due_by=D(2026, 5, 9)) == []
    visits = return_visits(session, due_by=D(2026, 5, 10), pin_team=True)
    assert [(v.visit_id, v.visit_type.value, v.case_nos, v.team_id) for v in visits] == [
        ("RV-C1", "return", ("C1",), "T4")]
    assert visits[0].label == "平和县山格镇土田村"


def test_visit_choices_put_todays_planned_visits_first_then_due_return_visits(session) -> None:
    from planner.store.models import PlanCase, PlanRow

    later = add_case(session, "LATER", status="planned")
    today_case = add_case(session, "TODAY", status="planned")
    add_case(session, "RV", status="visited")
    add_case(session, "DONE", status="closed")
    plan = PlanRow(name="第1周", start_date=D(2026, 12, 7), days=5)
    session.add(plan)
    session.flush()
    session.add_all([PlanCase(plan_id=plan.id, case_id=today_case.id, visit_id="V1", team_id="T1",
                              visit_date=D(2026, 12, 7), seq=1),
                     PlanCase(plan_id=plan.id, case_id=later.id, visit_id="V2", team_id="T1",
                              visit_date=D(2026, 12, 8), seq=1)])
    record_outcome(session, visited("RV", D(2026, 11, 5), team="T2", resolved=True), who="u")
    choices = visit_choices(session, D(2026, 12, 7))
    assert [c.case_no for c in choices] == ["TODAY", "RV", "LATER"]
    assert choices[0].planned_today and choices[0].plan_id == plan.id
    assert choices[1].is_return and choices[1].team_id == "T2"
    assert choices[0].option_label().startswith("[今日] TODAY · 平和县山格镇土田村")
    # an officer of T1 sees T1's visits and return visits of other teams are not theirs
    mine = visit_choices(session, D(2026, 12, 7), team_ids=("T1",), include_open=False)
    assert [c.case_no for c in mine] == ["TODAY"]


def test_settings_from_general_group_drive_delay_and_at_risk_horizon(session) -> None:
    add_case(session, "C1", received=D(2026, 1, 20))  # due 2026-03-21
    session.add(SettingRow(key="general", value={"at_risk_days": 3, "return_delay_days": 45}))
    session.flush()
    assert return_delay_days(session) == 45
    assert at_risk_cases(session, D(2026, 3, 15)) == []  # 6 days left, horizon 3
    assert [d.case_no for d in at_risk_cases(session, D(2026, 3, 15), days=10)] == ["C1"]
    assert [d.case_no for d in deadline_watch(session, D(2026, 3, 19))] == ["C1"]


def test_correct_outcome_keeps_previous_values_and_refuses_stale_edit(session) -> None:
    add_case(session, "C1")
    oid = record_outcome(session, visited("C1", D(2026, 4, 10), households_visited=12), who="u")
    v = outcome_version(session, oid)
    fixed = visited("C1", D(2026, 4, 10), households_visited=21, findings="补充核查情况")
    correct_outcome(session, oid, fixed, who="组长", expected_version=v)
    assert session.get(VisitOutcomeRow, oid).households_visited == 21
    last = case_history(session, "C1")[-1]
    assert (last.who, last.action) == ("组长", "outcome_corrected")
    assert last.detail["changes"]["households_visited"] == {"from": 12, "to": 21}
    with pytest.raises(ConflictError):
        correct_outcome(session, oid, fixed, who="u", expected_version=v)
    with pytest.raises(NotFoundError, match="属于信访件"):
        correct_outcome(session, oid, visited("C2", D(2026, 4, 10)), who="u")


def test_concurrent_acknowledgement_by_two_sessions_is_refused(engine) -> None:
    from planner.store.database import session_factory

    factory = session_factory(engine)
    with factory() as s:
        add_case(s, "C1", status="visited")
        fid = record_feedback(s, "C1", "government", feedback_date=D(2026, 4, 1), channel="书面", content="x",
                                 who="u")
        s.commit()
    with factory() as a, factory() as b:
        seen_b = feedback_for_case(b, "C1")[0]  # officer b opened the record (a page shows its version)
        held = b.get(FeedbackRow, fid)  # and b's session still holds the row as it was
        acknowledge_feedback(a, fid, who="甲")
        a.commit()
        with pytest.raises(ConflictError, match="已被他人修改"):
            acknowledge_feedback(b, fid, who="乙")  # b's UPDATE ... WHERE version = 1 matches nothing
        b.rollback()
        assert held.acknowledged  # after the rollback b sees a's change
        with pytest.raises(ConflictError, match="已被他人修改"):
            acknowledge_feedback(b, fid, who="乙", acknowledged=False, expected_version=seen_b.version)


def test_cli_daily_check_proposes_and_lists(engine, capsys) -> None:
    from planner.cli import main
    from planner.store.database import session_factory

    with session_factory(engine)() as s:
        c1 = add_case(s, "C1", status="resolved", received=D(2026, 3, 1))
        s.add(VisitOutcomeRow(case_id=c1.id, visit_date=D(2026, 4, 1), result="visited", problem_resolved=True,
                              team_id="T3"))
        add_case(s, "LATE", status="planned", received=D(2026, 1, 1))
        s.commit()
    url = engine.url.render_as_string(hide_password=False)
    assert main(["followup", "--today", "2026-04-05", "--dry-run", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "将新增回访建议 1 条" in out and "C1\t到期 2026-05-01\t建议检查组 T3" in out
    assert "LATE\t已超期" in out and "双反馈缺项 1 件" in out
    with session_factory(engine)() as s:
        assert list_followups(s) == []  # dry run stored nothing
    assert main(["followup", "--today", "2026-04-05", "--db", url]) == 0
    assert "新增回访建议 1 条" in capsys.readouterr().out
    assert main(["followup", "--today", "2026-04-05", "--db", url]) == 0
    assert "新增回访建议 0 条" in capsys.readouterr().out
    assert main(["followup", "--today", "April", "--db", url]) == 2


def test_officer_sees_only_cases_of_own_team(session) -> None:
    from planner.office.security import Actor
    from planner.store.models import PlanCase, PlanRow

    mine = add_case(session, "MINE", status="planned")
    theirs = add_case(session, "THEIRS", status="planned")
    plan = PlanRow(name="p", start_date=D(2026, 12, 7), days=1, status="issued")  # officers go by issued plans
    session.add(plan)
    session.flush()
    for case, team in ((mine, "T1"), (theirs, "T2")):
        session.add(PlanCase(plan_id=plan.id, case_id=case.id, visit_id=f"V{team}", team_id=team,
                             visit_date=D(2026, 12, 7)))
    session.flush()
    for no, team in (("MINE", "T1"), ("THEIRS", "T2")):  # each team visits its own (a T1 visit would make it T1's)
        record_outcome(session, visited(no, D(2026, 12, 7), team=team, resolved=True), who="u")
        add_rectification(session, no, item="x", owner="y", due_date=D(2026, 12, 1), who="u")
    officer = Actor(username="lin", role="officer", team_ids=("T1",))
    assert [c.case_no for c in visit_choices(session, D(2026, 12, 7), actor=officer)] == ["MINE"]
    assert [m.case_no for m in missing_feedback(session, actor=officer)] == ["MINE"]
    assert [r.case_no for r in overdue_rectifications(session, D(2026, 12, 7), actor=officer)] == ["MINE"]
    assert [i.task.case_no for i in list_followups(session, actor=officer)] == ["MINE"]
    assert len(list_followups(session)) == 2  # batch use sees everything


def test_the_list_caption_says_what_comes_first_and_what_is_open():
    """Walk B: 未办结 listed 294 letters where 首页 counted 182 open, with a settled 已办结·待回访 letter first; the
    caption now says how many are today's visits and due return visits, listed first, and how many the rest."""
    from planner.followup.worklist import ChoicePage

    page = ChoicePage(choices=tuple("abc"), total=294, offset=0, limit=50, leading=112)
    assert page.caption() == "共 294 件符合：今日走访和一周内到期的回访 112 件在前，其余 182 件；显示第 1–3 件"
    assert ChoicePage(tuple("ab"), 2, 0, 50, leading=2).caption() == "共 2 件符合，显示第 1–2 件"
    assert ChoicePage(tuple("ab"), 2, 0, 50).caption() == "共 2 件符合，显示第 1–2 件"
