"""Reopening a saved plan whose left-out cases went to another team's plan; plan names and the 版 people read."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.domain import Suggestion, Team, Unassigned, Visit
from planner.errors import PermissionDenied
from planner.office.authorisation import PlanRef, authorise
from planner.office.security import Actor
from planner.routing.advice import grouped_suggestions, without_held
from planner.routing.report import plan_document
from planner.store.lifecycle import PlanStatus, plan_history, plan_revision, plan_status, set_plan_status
from planner.store.models import CaseRow, PlanCase, PlanRow
from planner.store.plans import case_holders, open_plan, plan_name, resave_plan, save_plan
from planner.store.teams import save_team

MONDAY = dt.date(2026, 12, 7)
T1 = Team("T1", "第一检查组", 117.313, 24.363)
T3 = Team("T3", "第三检查组", 117.313, 24.363)
LEADER1 = Actor("zuzhang1", "leader", team_ids=("T1",), display_name="组长陈平")
LEADER3 = Actor("zuzhang3", "leader", team_ids=("T3",))
#: Plan #1 of T1: V1 is routed; V4 (cases 27 and 3, a 水利 job nobody in T1 can do) is left out.
PLAN1_VISITS = (
    Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村", case_nos=("1",)),
    Visit("V4", 117.30, 24.40, 45, skills=("水利",), label="旧镇镇浯江村", case_nos=("27", "3")),
)


def _cases(session, *numbers: str, status: str = "registered") -> None:
    for no in numbers:
        session.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                            status=status))
    session.flush()


@pytest.fixture()
def two_plans(session) -> tuple[int, int]:
    """Plan #1 (T1, leader 1) leaves cases 27 and 3 out; leader 3 then puts them on plan #2 (T3); both issued."""
    save_team(session, T1)
    save_team(session, T3)
    _cases(session, "1", "27", "3")
    doc1 = plan_document(list(PLAN1_VISITS), [T1], start_date=MONDAY, days=1, time_limit_s=1.0)
    assert doc1.plan.planned_visit_ids() == {"V1"} and [u.visit_id for u in doc1.plan.unassigned] == ["V4"]
    p1 = save_plan(session, doc1, name="", who="zuzhang1", actor=LEADER1)
    set_plan_status(session, p1, PlanStatus.ISSUED, who="zuzhang1", actor=LEADER1)
    doc2 = plan_document([Visit("W", 117.30, 24.40, 45, label="旧镇镇浯江村", case_nos=("27", "3"))], [T3],
                         start_date=MONDAY, days=1, time_limit_s=1.0)
    p2 = save_plan(session, doc2, name="三组第一周", who="zuzhang3", actor=LEADER3)  # the pool: nobody routes them
    set_plan_status(session, p2, PlanStatus.ISSUED, who="zuzhang3", actor=LEADER3)
    session.commit()
    return p1, p2


def test_a_leader_reopens_a_plan_whose_left_out_cases_another_team_took(session, two_plans) -> None:
    p1, p2 = two_plans
    opened = open_plan(session, p1, actor=LEADER1)
    # What the page plans and saves with is all the leader's own: no refusal of the whole plan.
    authorise(LEADER1, "plan", PlanRef(doc=opened.doc), session=session)
    assert set(opened.doc.visits) == {"V1"} and opened.doc.plan.planned_visit_ids() == {"V1"}
    assert opened.doc.plan.unassigned == () and "27" not in opened.doc.cases
    (taken,) = opened.taken_off
    assert (taken.visit_id, taken.case_nos) == ("V4", ("27", "3"))
    notice = opened.notice()
    assert "信访件 27、3（旧镇镇浯江村）" in notice and f"计划 #{p2}「三组第一周」（第三检查组，已下发）" in notice
    assert "T3" not in notice and "issued" not in notice
    # Saving the adjusted plan leaves plan #2 holding the cases alone.
    resave_plan(session, p1, opened.doc, who="zuzhang1", expected_version=opened.version, actor=LEADER1)
    session.commit()
    held = session.execute(select(PlanCase.plan_id, CaseRow.case_no).join(CaseRow, CaseRow.id == PlanCase.case_id)
                           .where(CaseRow.case_no.in_(["27", "3"]))).all()
    assert sorted(held) == [(p2, "27"), (p2, "3")]
    assert {c.case_no: c.status for c in session.scalars(select(CaseRow))} == {"1": "planned", "27": "planned",
                                                                               "3": "planned"}
    told = plan_history(session, p1)[-1].sentence()
    assert told.endswith("重新规划已下发的计划（第 1 版 → 第 2 版），现为 1 条线路，1 个走访点；"
                         "信访件 3、27 不再列入本计划。"), told


def test_authorisation_still_refuses_putting_another_teams_cases_on_the_plan(session, two_plans) -> None:
    p1, _ = two_plans
    opened = open_plan(session, p1, actor=LEADER1)
    stored = open_plan(session, p1)  # the coordinator's view: also taken off, because plan #2 holds them
    assert "V4" not in stored.doc.visits
    doc = plan_document(list(PLAN1_VISITS), [T1], start_date=MONDAY, days=1, time_limit_s=1.0)  # 27 and 3 again
    # refused, naming the plan that holds them (walk W32), not as 不属于本人负责的组
    with pytest.raises(PermissionDenied, match=r"信访件 27、3 已排入.*的计划 #\d+（已下发）"):
        resave_plan(session, p1, doc, who="zuzhang1", expected_version=opened.version, actor=LEADER1)


def test_a_left_out_case_handled_since_is_taken_off_and_others_stay(session) -> None:
    save_team(session, T1)
    _cases(session, "1", "3")
    _cases(session, "27", status="visited")
    doc = plan_document(list(PLAN1_VISITS), [T1], start_date=MONDAY, days=1, time_limit_s=1.0)
    pid = save_plan(session, doc, name="一组", who="admin")
    opened = open_plan(session, pid)
    assert opened.doc.visits["V4"].case_nos == ("3",)  # 3 is still to be planned: its visit stays
    assert [u.visit_id for u in opened.doc.plan.unassigned] == ["V4"]
    assert [t.sentence() for t in opened.taken_off] == ["信访件 27（旧镇镇浯江村）已下访"]


def test_nothing_is_taken_off_a_plan_whose_left_out_cases_are_free(session) -> None:
    save_team(session, T1)
    _cases(session, "1", "27", "3")
    doc = plan_document(list(PLAN1_VISITS), [T1], start_date=MONDAY, days=1, time_limit_s=1.0)
    pid = save_plan(session, doc, name="一组", who="admin")
    opened = open_plan(session, pid, actor=LEADER1)
    assert opened.taken_off == () and opened.notice() == "" and opened.doc == doc


def test_no_suggestion_would_put_a_case_on_a_second_plan(session, two_plans) -> None:
    p1, p2 = two_plans
    held = case_holders(session, ["27", "3", "1"], plan_id=p1)
    assert set(held) == {"27", "3"} and held["27"].startswith(f"已在计划 #{p2}「三组第一周」")
    assert case_holders(session, ["1"], plan_id=p1) == {}
    add_t3 = Suggestion("add_team", "加入第三检查组", "V4", team_id="T3")
    later = Suggestion("add_days", "增加一个工作日", "V4", days=2)
    other = Suggestion("add_team", "加入第三检查组", "V9", team_id="T3")
    unassigned = (Unassigned("V4", "no_skill", "参加规划的检查组都不具备所需专长（水利）。建议：加入第三检查组",
                             (add_t3, later)),
                  Unassigned("V9", "no_skill", "参加规划的检查组都不具备所需专长（水利）", (other,)))
    visits = (*PLAN1_VISITS, Visit("V9", 117.3, 24.4, 30, case_nos=("9",)))
    out = without_held(unassigned, visits, held)
    assert out[0].suggestions == () and out[1] == unassigned[1] and out[1].suggestions == (other,)
    assert out[0].reason.startswith("参加规划的检查组都不具备所需专长（水利）。信访件 27、3 已在计划")
    assert "建议" not in out[0].reason and "不再排入本计划" in out[0].reason
    assert [ids for _, ids in grouped_suggestions(out)] == [("V9",)]


@pytest.mark.parametrize(("typed", "stored"), [
    ("", "2026-12-02 起 5 天"),
    ("2026-12-07 起 5 天", "2026-12-02 起 5 天"),  # the page's default name of the old dates
    ("2026-12-07", "2026-12-02 起 5 天"),  # an older default
    ("  平和第一周 ", "平和第一周"),
    ("12 月 7 日起", "12 月 7 日起"),
])
def test_a_name_that_only_tells_the_dates_follows_them(typed: str, stored: str) -> None:
    assert plan_name(typed, dt.date(2026, 12, 2), 5) == stored


def test_replanning_renames_a_dated_plan_and_issuing_makes_no_new_version(session, two_plans) -> None:
    p1, _ = two_plans
    row = session.get(PlanRow, p1)
    assert row.name == "2026-12-07 起 1 天"  # saved without a name
    assert plan_status(session, p1)[1] > 1  # issuing wrote the row (lock version) ...
    opened = open_plan(session, p1, actor=LEADER1)
    assert plan_revision(session, p1) == opened.revision == 1  # ... but it is still 第 1 版 to people
    earlier = plan_document(list(opened.doc.visits.values()), [T1], start_date=dt.date(2026, 12, 2), days=3,
                            time_limit_s=1.0)
    resave_plan(session, p1, earlier, who="zuzhang1", expected_version=opened.version, name=opened.name,
                actor=LEADER1)
    session.commit()
    assert session.get(PlanRow, p1).name == "2026-12-02 起 3 天"
    assert plan_revision(session, p1) == 2
    told = [e.sentence() for e in plan_history(session, p1)]
    assert any("重新规划已下发的计划（第 1 版 → 第 2 版）" in t for t in told), told
    # A name someone typed stays whatever the dates.
    again = open_plan(session, p1, actor=LEADER1)
    resave_plan(session, p1, again.doc, who="zuzhang1", expected_version=again.version, name="一组年末",
                actor=LEADER1)
    resave_plan(session, p1, earlier, who="zuzhang1", expected_version=plan_status(session, p1)[1], actor=LEADER1)
    assert session.get(PlanRow, p1).name == "一组年末" and plan_revision(session, p1) == 4


def test_the_notice_names_each_plan_once() -> None:
    """The re-walk: the notice repeated 已在计划 #3「…」（第三检查组，已下发）中 after every visit's cases."""
    from planner.store.lifecycle import PlanStatus
    from planner.store.plans import OpenedPlan, TakenOff

    where = "已在计划 #3「2026-12-07 起 5 天」（第三检查组，已下发）中"
    opened = OpenedPlan(1, "x", PlanStatus.ISSUED, 1, None, taken_off=(  # type: ignore[arg-type]
        TakenOff("V4", "旧镇镇浯江村", ("27", "3"), where), TakenOff("V5", "旧镇镇", ("8",), where),
        TakenOff("V6", "", ("9",), "已下访")))
    notice = opened.notice()
    assert notice.count(where) == 1
    assert "信访件 27、3（旧镇镇浯江村）、8（旧镇镇）" + where in notice and "信访件 9 已下访" in notice
