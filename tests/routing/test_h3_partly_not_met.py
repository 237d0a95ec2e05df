"""A stop of two letters where one was visited (已走访) and the other recorded 未找到 (nobody met): it came locked as a
whole on 打开此计划, so the missed letter could not be planned again. The visited letter stays locked where and when
it was visited; the 未找到 letter becomes a stop of its own, free, planned again from the day after, and the lock box
and the plan's notes say why for each letter."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import Team, Visit
from planner.routing.problem import PlanOptions
from planner.routing.replan import replan_document
from planner.routing.report import plan_document
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import kept_history, open_plan, put_off_history, resave_plan, save_plan
from planner.store.teams import save_team

MONDAY = dt.date(2026, 12, 7)
TUESDAY = MONDAY + dt.timedelta(days=1)
TEAM = Team("T1", "第一检查组", 117.313, 24.363)
VISITS = (
    Visit("V1", 117.33, 24.37, 45, case_nos=("ZZ1", "ZZ1B"), label="小溪镇"),
    Visit("V2", 117.36, 24.38, 45, case_nos=("ZZ2",), label="山格镇"),
)


@pytest.fixture()
def running(session):
    """An issued two-day plan, both stops on Monday; at V1 ZZ1 was visited, ZZ1B recorded 未找到 (信访人不在家)."""
    save_team(session, TEAM)
    for no in ("ZZ1", "ZZ1B", "ZZ2"):
        session.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                            status="registered"))
    session.flush()
    doc = plan_document(list(VISITS), [TEAM], start_date=MONDAY, days=2, time_limit_s=1.0,
                        options=PlanOptions(policy="compact"))
    assert "V1" in doc.plan.route_for("T1", MONDAY).visit_ids, doc.plan.routes
    pid = save_plan(session, doc, name="平和", who="lead")
    set_plan_status(session, pid, PlanStatus.ISSUED, who="lead")
    for no, result in (("ZZ1", "visited"), ("ZZ1B", "not_found")):
        case = session.query(CaseRow).filter_by(case_no=no).one()
        session.add(VisitOutcomeRow(case_id=case.id, plan_id=pid, team_id="T1", visit_date=MONDAY, result=result,
                                    reason="" if result == "visited" else "信访人不在家", recorded_by="officer"))
    session.flush()
    return pid, doc


def _stop_of(doc, no: str) -> str:
    (vid,) = [k for k, v in doc.visits.items() if no in v.case_nos]
    return vid


def test_the_not_found_letter_of_a_visited_stop_is_not_locked_on_reopening(session, running) -> None:
    pid, _doc = running
    opened = open_plan(session, pid)
    visited, missed = _stop_of(opened.doc, "ZZ1"), _stop_of(opened.doc, "ZZ1B")
    assert visited != missed, "the stop came locked as a whole, its 未找到 letter with it"
    assert opened.doc.visits[visited].locked and opened.doc.visits[visited].case_nos == ("ZZ1",)
    assert not opened.doc.visits[missed].locked
    assert "改期" not in missed, missed
    assert dict(opened.not_met) == {missed: MONDAY}
    said = opened.not_met_notice()
    # the lock box says why, letter by letter: the missed one is free, the visited one stays locked
    assert "ZZ1B" in said and "上次走访未见到信访人，可重新安排" in said, said
    assert "ZZ1（" in said and "已走访" in said and "锁定" in said, said
    assert "信访人不在家" not in said


def test_a_replan_keeps_the_visited_letter_and_plans_the_not_found_one_again(session, running) -> None:
    pid, _doc = running
    opened = open_plan(session, pid)
    visited, missed = _stop_of(opened.doc, "ZZ1"), _stop_of(opened.doc, "ZZ1B")
    locked = [v for v, x in opened.doc.visits.items() if x.locked]
    assert locked == [visited]
    options = PlanOptions(not_before=((TUESDAY, 8 * 60),), today=TUESDAY)
    new, notes = replan_document(list(opened.doc.visits.values()), [TEAM], start_date=MONDAY, days=2,
                                 options=options, previous=opened.doc, locked=locked,
                                 kept=kept_history(session, pid, locked), put_off=put_off_history(session, pid),
                                 not_met=[vid for vid, _ in opened.not_met], time_limit_s=1.0)
    where = {no: (r.team_id, r.date) for r in new.plan.routes for s in r.stops
             for no in new.visits[s.visit_id].case_nos}
    assert where["ZZ1"] == ("T1", MONDAY), "the visited letter is not visited again"
    assert where["ZZ1B"][1] >= TUESDAY, (where, new.plan.unassigned)
    (note,) = [n for n in notes if n.startswith(f"{missed} ")]
    assert f"{MONDAY:%m-%d} 记录为未找到" in note and "改期" not in note, note
    resave_plan(session, pid, new, who="lead", expected_version=opened.version)
    again = open_plan(session, pid)
    assert again.doc.visits[_stop_of(again.doc, "ZZ1")].locked
    assert not again.doc.visits[_stop_of(again.doc, "ZZ1B")].locked
