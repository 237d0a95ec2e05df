"""Walk W13, 回访跟踪 as a leader: with 范围 全部 the list held every county's letters, those other teams had visited
and settled on no plan among them, and the 文书 tab offered their 澄清函. A leader sees the teams they lead and the
unassigned pool (planner.office.authorisation): a letter another team's recorded visit names is that team's, back in
the pool only when it is 已登记 again. Run on SQLite and PostgreSQL (the ``session`` fixture)."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import VisitOutcome
from planner.errors import PermissionDenied
from planner.followup.clarification import ClarificationLetter, issue_clarification, list_clarifications
from planner.followup.outcomes import record_outcome
from planner.followup.worklist import find_visit_choices
from planner.office.authorisation import CaseRef, authorise, visible_case_nos
from planner.office.security import Actor
from planner.store.models import CaseRow, TeamRow

DAY = dt.date(2026, 12, 7)
LEADER_1 = Actor(username="zhang", role="leader", team_ids=("T1",))
LEADER_2 = Actor(username="wang", role="leader", team_ids=("T2",))
COORDINATOR = Actor(username="li", role="coordinator")


def _case(session, no: str, county: str) -> None:
    session.add(CaseRow(case_no=no, received_date=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 31),
                        content=f"{no} 反映村务不公开", category="村务管理", county=county, town="某镇",
                        village="某村", lon=117.6, lat=24.1, status="registered"))
    session.flush()


def _visit(no: str, team: str, *, result: str = "visited", true: bool | None = None) -> VisitOutcome:
    return VisitOutcome(case_no=no, visit_date=DAY, result=result, team_id=team, report_true=true,
                        problem_resolved=result == "visited", households_visited=1 if result == "visited" else 0,
                        **({"reason": "无人在家"} if result != "visited" else {}))


def test_a_leaders_followup_list_and_documents_hold_no_letter_another_team_visited(session) -> None:
    session.add_all([TeamRow(id="T1", name="第一检查组", base_lon=117.6, base_lat=24.5),
                     TeamRow(id="T2", name="第二检查组", base_lon=117.6, base_lat=24.5)])
    for no, county in (("W13-MINE", "漳浦县"), ("W13-OTHER", "诏安县"), ("W13-CLEARED", "云霄县"),
                       ("W13-POOL", "南靖县"), ("W13-MISSED", "平和县")):
        _case(session, no, county)
    # On no plan: T1 visits its letter; T2 settles one in 诏安县 and finds another untrue (a 澄清函); T2 also went
    # to 平和县 and found nobody in, so that letter is 已登记 again, the pool's to plan.
    record_outcome(session, _visit("W13-MINE", "T1"), who="zhang", today=DAY)
    record_outcome(session, _visit("W13-OTHER", "T2"), who="wang", today=DAY)
    record_outcome(session, _visit("W13-CLEARED", "T2", true=False), who="wang", today=DAY)
    issue_clarification(session, "W13-CLEARED", ClarificationLetter(
        cadre="黄某某", cadre_title="村委委员", matter="村务不公开", finding="已按时公开",
        addressee="中共云霄县某镇委员会", issued_date=DAY), who="wang")
    record_outcome(session, _visit("W13-MISSED", "T2", result="not_found"), who="wang", today=DAY)
    statuses = {no: session.query(CaseRow.status).filter_by(case_no=no).scalar()
                for no in ("W13-OTHER", "W13-MISSED")}
    assert statuses["W13-OTHER"] != "registered" and statuses["W13-MISSED"] == "registered"

    listed = {c.case_no for c in find_visit_choices(session, DAY, scope="all", actor=LEADER_1, limit=500).choices}
    assert listed == {"W13-MINE", "W13-POOL", "W13-MISSED"}
    assert visible_case_nos(LEADER_1, session) == listed
    # The 文书 tab (its list and downloads) holds no other team's 澄清函, and the letter itself is refused.
    assert list_clarifications(session, actor=LEADER_1) == []
    for no in ("W13-OTHER", "W13-CLEARED"):
        with pytest.raises(PermissionDenied):
            authorise(LEADER_1, "record_outcome", CaseRef(no), session=session)
    # T2's leader still sees T2's letters, and the office every letter.
    assert {"W13-OTHER", "W13-CLEARED", "W13-MISSED", "W13-POOL"} <= visible_case_nos(LEADER_2, session)
    assert [c["case_no"] for c in list_clarifications(session, actor=LEADER_2)] == ["W13-CLEARED"]
    assert len(find_visit_choices(session, DAY, scope="all", actor=COORDINATOR, limit=500).choices) == 5
