"""A stop of two letters where one was visited and the other recorded as 改期: a re-plan keeps the visited letter
where and when it was visited and plans the put-off letter again, from the day after its 改期, as a wholly put-off
stop already is; its 改期 record stays in the visit history."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import Team, Visit
from planner.routing.history import replan_notes
from planner.routing.problem import PlanOptions
from planner.routing.replan import replan_document
from planner.routing.report import plan_document
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import (
    kept_history,
    open_plan,
    postponed_visits,
    put_off_history,
    recorded_visits,
    resave_plan,
    save_plan,
)
from planner.store.teams import save_team

MONDAY = dt.date(2026, 12, 7)
TEAM = Team("T1", "第一检查组", 117.313, 24.363)
VISITS = (
    Visit("V1", 117.33, 24.37, 45, case_nos=("ZZ1", "ZZ1B"), label="小溪镇"),
    Visit("V2", 117.36, 24.38, 45, case_nos=("ZZ2",), label="山格镇"),
    Visit("V3", 117.39, 24.35, 45, case_nos=("ZZ3",), label="文峰镇"),
)


@pytest.fixture()
def running(session):
    """A two-day plan, all stops on Monday, issued; at the first stop ZZ1 was visited and ZZ1B put off (改期)."""
    save_team(session, TEAM)
    for no in ("ZZ1", "ZZ1B", "ZZ2", "ZZ3"):
        session.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                            status="registered"))
    session.flush()
    doc = plan_document(list(VISITS), [TEAM], start_date=MONDAY, days=2, time_limit_s=1.0,
                        options=PlanOptions(policy="compact"))
    route = doc.plan.route_for("T1", MONDAY)
    assert route is not None and "V1" in route.visit_ids, doc.plan.routes
    pid = save_plan(session, doc, name="平和", who="lead")
    set_plan_status(session, pid, PlanStatus.ISSUED, who="lead")
    for no, result in (("ZZ1", "visited"), ("ZZ1B", "postponed")):
        case = session.query(CaseRow).filter_by(case_no=no).one()
        session.add(VisitOutcomeRow(case_id=case.id, plan_id=pid, team_id="T1", visit_date=MONDAY, result=result,
                                    reason="" if result == "visited" else "信访人外出", recorded_by="officer"))
    session.flush()
    return pid, doc


def _replan(session, pid: int, at: dt.time):
    opened = open_plan(session, pid)
    options = PlanOptions(not_before=((MONDAY, at.hour * 60 + at.minute),), today=MONDAY)
    kept, put_off = kept_history(session, pid), put_off_history(session, pid)
    new = plan_document(list(opened.doc.visits.values()), list(opened.doc.teams.values()), start_date=MONDAY,
                        days=2, time_limit_s=1.0, previous=opened.doc, kept=kept, put_off=put_off, options=options)
    return opened, new, replan_notes(new, put_off, previous=opened.doc, options=options, kept=kept)


def _where(doc) -> dict[str, tuple[str, dt.date, str]]:
    """Case number -> (team, date, visit id) of its stop."""
    return {no: (r.team_id, r.date, s.visit_id) for r in doc.plan.routes for s in r.stops
            for no in doc.visits[s.visit_id].case_nos}


def test_the_put_off_letter_of_a_visited_stop_is_planned_again_after_its_gaiqi(session, running) -> None:
    pid, doc = running
    opened, new, notes = _replan(session, pid, dt.time(10, 0))
    was = {s.visit_id: s for s in doc.plan.route_for("T1", MONDAY).stops}["V1"]
    where = _where(new)
    team, day, stop = where["ZZ1"]
    assert (team, day, stop) == ("T1", MONDAY, "V1")
    now = {s.visit_id: s for s in new.plan.route_for("T1", MONDAY).stops}["V1"]
    assert (now.arrive_min, now.start_min, now.end_min) == (was.arrive_min, was.start_min, was.end_min)  # as visited
    assert "ZZ1B" in where, (new.plan.routes, new.plan.unassigned)  # planned again, not kept as visited
    _, day_b, stop_b = where["ZZ1B"]
    assert day_b > MONDAY and stop_b != "V1"
    assert new.visits[stop_b].label == "小溪镇" and new.visits[stop_b].case_nos == ("ZZ1B",)
    assert new.visits["V1"].case_nos == ("ZZ1",)
    assert any(n.startswith(f"{stop_b} 小溪镇（ZZ1B）") and "记录为改期" in n for n in notes), notes
    # The new version saves (its visited stop unmoved); read back, the visited letter is done and the other put off.
    resave_plan(session, pid, new, who="lead", expected_version=opened.version)
    again = open_plan(session, pid).doc
    assert recorded_visits(session, pid, again) == {"V1": "12-07 已记录结果"}
    assert postponed_visits(session, pid, again) == {stop_b: MONDAY}


def test_the_opened_plan_shows_the_put_off_letter_apart_from_the_visited_stop(session, running) -> None:
    pid, _doc = running
    doc = open_plan(session, pid).doc
    assert doc.visits["V1"].case_nos == ("ZZ1",) and doc.visits["V1"].locked
    (other,) = [v for v in doc.visits.values() if "ZZ1B" in v.case_nos]
    assert not other.locked and other.visit_id not in doc.plan.planned_visit_ids()
    (left,) = [u for u in doc.plan.unassigned if u.visit_id == other.visit_id]
    assert "改期" in left.reason
    assert put_off_history(session, pid) == {other.visit_id: MONDAY}
    (part,) = kept_history(session, pid)
    assert [v.case_nos for v in part.visits] == [("ZZ1",)]


def test_a_page_opened_before_the_gaiqi_still_plans_the_put_off_letter(session, running) -> None:
    """The leader opened the plan before the officer recorded; the page's visits still hold both letters on V1."""
    pid, doc = running
    options = PlanOptions(not_before=((MONDAY, 10 * 60),), today=MONDAY)
    new, notes = replan_document(list(doc.visits.values()), list(doc.teams.values()), start_date=MONDAY, days=2,
                                 options=options, previous=doc, kept=kept_history(session, pid),
                                 put_off=put_off_history(session, pid), time_limit_s=1.0)
    where = _where(new)
    assert where["ZZ1"] == ("T1", MONDAY, "V1") and new.visits["V1"].case_nos == ("ZZ1",)
    _, day_b, stop_b = where["ZZ1B"]
    assert day_b > MONDAY and new.visits[stop_b].case_nos == ("ZZ1B",)
    assert any(n.startswith(f"{stop_b} 小溪镇（ZZ1B）") for n in notes), notes
