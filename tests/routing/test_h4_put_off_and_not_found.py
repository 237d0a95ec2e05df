"""A stop of three letters where one was visited (已走访), one put off (改期) and one recorded 未找到: on 打开此计划 the
two not visited were split off together as one stop ``V1-改期`` and the re-plan note called both 改期. Each keeps
its own reason: ``V1-改期`` holds the letter put off, ``V1-未找到`` the one where nobody was met, each free and planned
again from the day after, each with its own note; the visited letter stays locked where it was."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import Team, Visit
from planner.routing.problem import PlanOptions
from planner.routing.replan import replan_document
from planner.routing.report import plan_document
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import kept_history, open_plan, put_off_history, save_plan
from planner.store.teams import save_team

MONDAY = dt.date(2026, 12, 7)
TUESDAY = MONDAY + dt.timedelta(days=1)
TEAM = Team("T1", "第一检查组", 117.313, 24.363)
VISITS = (
    Visit("V1", 117.33, 24.37, 45, case_nos=("ZZ1", "ZZ1B", "ZZ1C"), label="小溪镇"),
    Visit("V2", 117.36, 24.38, 45, case_nos=("ZZ2",), label="山格镇"),
)


@pytest.fixture()
def running(session):
    """An issued two-day plan, both stops on Monday; at V1 ZZ1 was visited, ZZ1B put off, ZZ1C recorded 未找到."""
    save_team(session, TEAM)
    for no in ("ZZ1", "ZZ1B", "ZZ1C", "ZZ2"):
        session.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                            status="registered"))
    session.flush()
    doc = plan_document(list(VISITS), [TEAM], start_date=MONDAY, days=2, time_limit_s=1.0,
                        options=PlanOptions(policy="compact"))
    assert "V1" in doc.plan.route_for("T1", MONDAY).visit_ids, doc.plan.routes
    pid = save_plan(session, doc, name="平和", who="lead")
    set_plan_status(session, pid, PlanStatus.ISSUED, who="lead")
    for no, result in (("ZZ1", "visited"), ("ZZ1B", "postponed"), ("ZZ1C", "not_found")):
        case = session.query(CaseRow).filter_by(case_no=no).one()
        session.add(VisitOutcomeRow(case_id=case.id, plan_id=pid, team_id="T1", visit_date=MONDAY, result=result,
                                    reason="" if result == "visited" else "信访人不在家", recorded_by="officer"))
    session.flush()
    return pid


def _stop_of(doc, no: str) -> str:
    (vid,) = [k for k, v in doc.visits.items() if no in v.case_nos]
    return vid


def test_each_letter_not_visited_keeps_its_own_reason(session, running) -> None:
    opened = open_plan(session, running)
    visited, put_off, missed = (_stop_of(opened.doc, no) for no in ("ZZ1", "ZZ1B", "ZZ1C"))
    assert (visited, put_off, missed) == ("V1", "V1-改期", "V1-未找到"), (visited, put_off, missed)
    assert opened.doc.visits[visited].locked and opened.doc.visits[visited].case_nos == ("ZZ1",)
    assert not opened.doc.visits[put_off].locked and not opened.doc.visits[missed].locked
    assert dict(opened.not_met) == {missed: MONDAY}  # the 改期 letter is not said to be 未找到
    reasons = {u.visit_id: u.reason for u in opened.doc.plan.unassigned}
    assert "记录为改期" in reasons[put_off] and "未找到" not in reasons[put_off], reasons
    assert "记录为未找到" in reasons[missed] and "改期" not in reasons[missed], reasons

    locked = [v for v, x in opened.doc.visits.items() if x.locked]
    options = PlanOptions(not_before=((TUESDAY, 8 * 60),), today=TUESDAY)
    new, notes = replan_document(list(opened.doc.visits.values()), [TEAM], start_date=MONDAY, days=2,
                                 options=options, previous=opened.doc, locked=locked,
                                 kept=kept_history(session, running, locked), put_off=put_off_history(session, running),
                                 not_met=[vid for vid, _ in opened.not_met], time_limit_s=1.0)
    where = {no: (r.team_id, r.date) for r in new.plan.routes for s in r.stops
             for no in new.visits[s.visit_id].case_nos}
    assert where["ZZ1"] == ("T1", MONDAY)
    assert where["ZZ1B"][1] >= TUESDAY and where["ZZ1C"][1] >= TUESDAY, (where, new.plan.unassigned)
    (put_off_note,) = [n for n in notes if n.startswith(f"{put_off} ")]
    (missed_note,) = [n for n in notes if n.startswith(f"{missed} ")]
    assert "记录为改期" in put_off_note and "ZZ1C" not in put_off_note and "未找到" not in put_off_note, put_off_note
    assert "记录为未找到" in missed_note and "ZZ1B" not in missed_note and "改期" not in missed_note, missed_note


@pytest.fixture()
def nobody_met(session):
    """The same plan where nobody was met at V1: ZZ1B put off (改期), ZZ1C 未找到; ZZ1 is not on the stop."""
    save_team(session, TEAM)
    for no in ("ZZ1B", "ZZ1C", "ZZ2"):
        session.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                            status="registered"))
    session.flush()
    visits = [Visit("V1", 117.33, 24.37, 45, case_nos=("ZZ1B", "ZZ1C"), label="小溪镇"), VISITS[1]]
    doc = plan_document(visits, [TEAM], start_date=MONDAY, days=2, time_limit_s=1.0,
                        options=PlanOptions(policy="compact"))
    assert "V1" in doc.plan.route_for("T1", MONDAY).visit_ids, doc.plan.routes
    pid = save_plan(session, doc, name="平和", who="lead")
    set_plan_status(session, pid, PlanStatus.ISSUED, who="lead")
    for no, result in (("ZZ1B", "postponed"), ("ZZ1C", "not_found")):
        case = session.query(CaseRow).filter_by(case_no=no).one()
        session.add(VisitOutcomeRow(case_id=case.id, plan_id=pid, team_id="T1", visit_date=MONDAY, result=result,
                                    reason="信访人不在家", recorded_by="officer"))
    session.flush()
    return pid


def test_where_nobody_was_met_the_put_off_letter_is_not_called_not_found(session, nobody_met) -> None:
    opened = open_plan(session, nobody_met)
    put_off, missed = _stop_of(opened.doc, "ZZ1B"), _stop_of(opened.doc, "ZZ1C")
    assert (put_off, missed) == ("V1", "V1-未找到")
    assert not opened.doc.visits[put_off].locked and not opened.doc.visits[missed].locked
    assert dict(opened.not_met) == {missed: MONDAY}
    reasons = {u.visit_id: u.reason for u in opened.doc.plan.unassigned}
    assert "记录为未找到" in reasons[missed] and "其他信访件记录为改期" in reasons[missed], reasons
    assert "已走访" not in reasons[missed]

    options = PlanOptions(not_before=((TUESDAY, 8 * 60),), today=TUESDAY)
    new, notes = replan_document(list(opened.doc.visits.values()), [TEAM], start_date=MONDAY, days=2,
                                 options=options, previous=opened.doc, locked=[],
                                 kept=kept_history(session, nobody_met), put_off=put_off_history(session, nobody_met),
                                 not_met=[vid for vid, _ in opened.not_met], time_limit_s=1.0)
    where = {no: r.date for r in new.plan.routes for s in r.stops for no in new.visits[s.visit_id].case_nos}
    assert where["ZZ1B"] >= TUESDAY and where["ZZ1C"] >= TUESDAY, (where, new.plan.unassigned)
    (put_off_note,) = [n for n in notes if n.startswith(f"{put_off} ")]
    (missed_note,) = [n for n in notes if n.startswith(f"{missed} ")]
    assert "记录为改期" in put_off_note and "ZZ1C" not in put_off_note and "未找到" not in put_off_note, put_off_note
    assert "记录为未找到" in missed_note and "ZZ1B" not in missed_note, missed_note
