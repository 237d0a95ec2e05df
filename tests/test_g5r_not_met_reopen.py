"""Walk W8: a stop whose outcome was recorded 未找到 (信访人不在家) came pre-filled in 路线规划 → 打开此计划 → 锁定 as
已走访或已约定, so re-planning could not move the missed visit to another day. A failed visit is a letter still to
visit: the reopened plan leaves it unlocked, says why, and a re-plan places it again from the next day on, its
未找到 record kept; a stop visited (已走访) stays locked where it was."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import Team, Visit
from planner.routing.problem import PlanOptions
from planner.routing.replan import replan_document
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import kept_history, open_plan, put_off_history, resave_plan, save_plan
from planner.store.teams import save_team

MONDAY = dt.date(2026, 11, 30)
TUESDAY = MONDAY + dt.timedelta(days=1)
TEAM = Team("T1", "第一检查组", 117.313, 24.363, max_visits_per_day=2)
VISITS = tuple(Visit(f"V{k}", 117.33 + 0.02 * k, 24.37 - 0.01 * k, 45, case_nos=(f"ZZ{k}",), label=f"村{k}")
               for k in range(1, 5))


@pytest.fixture()
def running(session):
    """A saved, issued plan of VISITS from Monday, two stops a day; Monday's first stop recorded 未找到, its second
    已走访. Returns (plan id, document, missed stop, visited stop)."""
    from planner.routing.report import plan_document

    save_team(session, TEAM)
    for v in VISITS:
        session.add(CaseRow(case_no=v.case_nos[0], received_date=dt.date(2026, 11, 1),
                            deadline=dt.date(2026, 12, 31), status="registered"))
    session.flush()
    doc = plan_document(list(VISITS), [TEAM], start_date=MONDAY, days=3, time_limit_s=1.0)
    pid = save_plan(session, doc, name="平和", who="lead")
    set_plan_status(session, pid, PlanStatus.ISSUED, who="lead")
    missed, met = doc.plan.route_for("T1", MONDAY).visit_ids
    for vid, result in ((missed, "not_found"), (met, "visited")):
        case = session.query(CaseRow).filter_by(case_no=doc.visits[vid].case_nos[0]).one()
        session.add(VisitOutcomeRow(case_id=case.id, plan_id=pid, team_id="T1", visit_date=MONDAY, result=result,
                                    reason="信访人不在家" if result == "not_found" else "", recorded_by="officer"))
    session.flush()
    return pid, doc, missed, met


def test_a_not_found_stop_is_not_locked_on_reopening_and_the_plan_says_why(session, running) -> None:
    pid, doc, missed, met = running
    opened = open_plan(session, pid)
    assert opened.doc.visits[met].locked, "a visit made stays locked"
    assert not opened.doc.visits[missed].locked, "未找到 came locked as 已走访或已约定"
    assert opened.not_met == ((missed, MONDAY),)
    said = opened.not_met_notice()
    assert said.startswith(f"{missed} {doc.visits[missed].label}（{MONDAY:%m-%d} 未找到）")
    assert "上次走访未见到信访人，可重新安排" in said and "信访人不在家" not in said


def test_a_replan_places_the_not_found_stop_on_another_day_and_keeps_its_record(session, running) -> None:
    pid, _doc, missed, met = running
    opened = open_plan(session, pid)
    locked = [v for v, x in opened.doc.visits.items() if x.locked]  # the page's lock box as pre-filled
    assert locked == [met]
    options = PlanOptions(not_before=((TUESDAY, 8 * 60),), today=TUESDAY)
    new, notes = replan_document(list(opened.doc.visits.values()), [TEAM], start_date=MONDAY, days=3,
                                 options=options, previous=opened.doc, locked=locked,
                                 kept=kept_history(session, pid, locked), put_off=put_off_history(session, pid),
                                 not_met=[vid for vid, _ in opened.not_met], time_limit_s=1.0)
    where = {s: (r.team_id, r.date) for r in new.plan.routes for s in r.visit_ids}
    assert where[met] == ("T1", MONDAY), "the visited stop stays where it was"
    assert where[missed][1] > MONDAY, (where, new.plan.unassigned)
    assert new.visits[missed].earliest_date == TUESDAY
    (note,) = [n for n in notes if n.startswith(f"{missed} ")]
    assert f"{MONDAY:%m-%d} 记录为未找到" in note and "改期" not in note, note
    resave_plan(session, pid, new, who="lead", expected_version=opened.version)
    assert session.query(VisitOutcomeRow).filter_by(result="not_found").count() == 1
    again = open_plan(session, pid)
    assert not again.doc.visits[missed].locked and again.doc.visits[met].locked
