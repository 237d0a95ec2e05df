"""A re-plan of a running plan plans what did not happen from now on: no unvisited stop on a day gone or earlier
today than now, a stop locked by hand to a day gone goes to a later day (and the user is told), a stop recorded only
as 改期 goes back among the stops to plan, on a day after its 改期 (its record stays), and so does one recorded as
未找到 (nobody met: the letter is still to visit, walk W8)."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import Team, Visit
from planner.routing.history import moved_visited, replan_notes
from planner.routing.problem import PlanOptions
from planner.routing.report import plan_document
from planner.store.lifecycle import PlanStatus, plan_tally, set_plan_status
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import kept_history, open_plan, put_off_history, recorded_visits, resave_plan, save_plan
from planner.store.teams import save_team

MONDAY = dt.date(2026, 11, 30)
TUESDAY, WEDNESDAY = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)
#: Two stops a day at most: six stops fill Monday to Wednesday.
TEAM = Team("T1", "第一检查组", 117.313, 24.363, max_visits_per_day=2)
VISITS = tuple(Visit(f"V{k}", 117.33 + 0.02 * k, 24.37 - 0.01 * k, 45, case_nos=(f"ZZ{k}",), label=f"村{k}")
               for k in range(1, 7))


@pytest.fixture()
def running(session):
    """A saved, running plan of VISITS from Monday for five days, two stops a day; (plan id, document)."""
    save_team(session, TEAM)
    for v in VISITS:
        session.add(CaseRow(case_no=v.case_nos[0], received_date=dt.date(2026, 11, 1),
                            deadline=dt.date(2026, 12, 31), status="registered"))
    session.flush()
    doc = plan_document(list(VISITS), [TEAM], start_date=MONDAY, days=5, time_limit_s=1.0)
    assert not doc.plan.unassigned
    assert {r.date for r in doc.plan.routes} == {MONDAY, TUESDAY, WEDNESDAY}, doc.plan.routes
    pid = save_plan(session, doc, name="平和", who="lead")
    set_plan_status(session, pid, PlanStatus.ISSUED, who="lead")
    return pid, doc


def _record(session, pid: int, doc, vid: str, day: dt.date, result: str) -> None:
    case = session.query(CaseRow).filter_by(case_no=doc.visits[vid].case_nos[0]).one()
    session.add(VisitOutcomeRow(case_id=case.id, plan_id=pid, team_id="T1", visit_date=day, result=result,
                                reason="" if result == "visited" else "信访人外出务工，约定下周再访",
                                recorded_by="officer"))
    session.flush()


def _stops(doc, day: dt.date) -> tuple[str, ...]:
    r = doc.plan.route_for("T1", day)
    return r.visit_ids if r is not None else ()


def _replan(session, pid: int, now: dt.datetime, locked=()):
    """The page's 重新规划其余走访点 at ``now``: (opened document, new document)."""
    opened = open_plan(session, pid)
    options = PlanOptions(not_before=((now.date(), now.hour * 60 + now.minute),), today=now.date())
    new = plan_document(list(opened.doc.visits.values()), [TEAM], start_date=opened.doc.plan.start_date,
                        days=opened.doc.plan.days, time_limit_s=1.0, previous=opened.doc, locked=locked,
                        kept=kept_history(session, pid, locked), put_off=put_off_history(session, pid),
                        options=options)
    return opened, new


def _check_invariants(new, now: dt.datetime, visited: dict) -> None:
    """No unvisited stop before ``now``; every stop planned once or left out with a reason."""
    for r in new.plan.routes:
        for s in r.stops:
            if s.visit_id in visited:
                continue
            assert r.date >= now.date(), f"{s.visit_id} 排在已过的 {r.date}"
            if r.date == now.date():
                assert s.arrive_min >= now.hour * 60 + now.minute, f"{s.visit_id} 排在今天 {s.arrive_min} 分"
    routed = [v for r in new.plan.routes for v in r.visit_ids]
    assert len(routed) == len(set(routed))
    assert sorted(routed + [u.visit_id for u in new.plan.unassigned]) == sorted(v.visit_id for v in VISITS)
    assert all(u.reason.strip() for u in new.plan.unassigned)


def test_a_replan_on_wednesday_puts_no_unvisited_stop_on_monday_or_tuesday(session, running) -> None:
    pid, doc = running
    first = _stops(doc, MONDAY)[0]
    _record(session, pid, doc, first, MONDAY, "visited")
    now = dt.datetime.combine(WEDNESDAY, dt.time(10, 0))
    opened, new = _replan(session, pid, now)
    _check_invariants(new, now, {first})
    assert moved_visited(opened.doc.plan, new.plan, {first}) == {}
    assert _stops(new, MONDAY) == (first,)  # the visited stop stays, alone: Monday is gone
    assert not _stops(new, TUESDAY)
    assert len(new.plan.planned_visit_ids()) == 6  # Wednesday after 10:00, Thursday and Friday take the five others
    resave_plan(session, pid, new, who="lead", expected_version=opened.version)


def test_a_replan_in_the_afternoon_of_a_day_starts_its_stops_after_now(session, running) -> None:
    """A plan begun on Monday re-planned on Tuesday at 14:00: Tuesday's stops come after 14:00 (the rule for today
    held only for a plan starting today)."""
    pid, doc = running
    first = _stops(doc, MONDAY)[0]
    _record(session, pid, doc, first, MONDAY, "visited")
    now = dt.datetime.combine(TUESDAY, dt.time(14, 0))
    _opened, new = _replan(session, pid, now)
    _check_invariants(new, now, {first})


def test_a_stop_locked_by_hand_to_a_day_gone_moves_to_a_later_day_and_is_named(session, running) -> None:
    pid, doc = running
    first = _stops(doc, MONDAY)[0]
    _record(session, pid, doc, first, MONDAY, "visited")
    held = _stops(doc, TUESDAY)[0]  # locked by hand (已约定) to Tuesday, not visited
    now = dt.datetime.combine(WEDNESDAY, dt.time(9, 0))
    opened, new = _replan(session, pid, now, locked=[first, held])
    _check_invariants(new, now, {first})
    where = {s: r.date for r in new.plan.routes for s in r.visit_ids}
    assert where[held] > TUESDAY and new.plan.route_for("T1", where[held]) is not None
    assert not new.visits[held].locked and new.visits[held].date is None and new.visits[held].team_id == "T1"
    notes = replan_notes(new, {}, previous=opened.doc, locked=[first, held], kept=kept_history(session, pid),
                         options=PlanOptions(not_before=((WEDNESDAY, 9 * 60),), today=WEDNESDAY))
    # Team 1, out since its start with nothing recorded today, is said to leave its base at 09:00 (from_base_today).
    notes = [n for n in notes if not n.startswith("第一检查组今天尚无走访记录，按 09:00 从驻地出发计算")]
    assert len(notes) == 1, notes
    assert notes[0].startswith(f"{held} {doc.visits[held].label}（{doc.visits[held].case_nos[0]}） 锁定在第一检查组 "
                               f"{TUESDAY:%m-%d}，这一天已过")
    assert f"改排到第一检查组 {where[held]:%m-%d}" in notes[0]


def test_a_lock_on_today_still_open_stays_today_after_now(session, running) -> None:
    pid, doc = running
    first = _stops(doc, MONDAY)[0]
    _record(session, pid, doc, first, MONDAY, "visited")
    today = _stops(doc, TUESDAY)[0]
    now = dt.datetime.combine(TUESDAY, dt.time(9, 0))
    _opened, new = _replan(session, pid, now, locked=[first, today])
    _check_invariants(new, now, {first})
    assert today in _stops(new, TUESDAY)


def test_a_stop_put_off_by_gaiqi_is_planned_again_on_a_later_day_and_its_record_stays(session, running) -> None:
    """改期 recorded on Tuesday morning for Tuesday's first stop; re-planned on Tuesday at 10:00: the stop goes on
    Wednesday or later (not back on Tuesday, not kept at 09:00 as if visited), and the new version saves."""
    pid, doc = running
    first = _stops(doc, MONDAY)[0]
    _record(session, pid, doc, first, MONDAY, "visited")
    put_off = _stops(doc, TUESDAY)[0]
    _record(session, pid, doc, put_off, TUESDAY, "postponed")
    assert put_off not in recorded_visits(session, pid, doc)
    assert put_off_history(session, pid) == {put_off: TUESDAY}
    opened = open_plan(session, pid)
    assert not opened.doc.visits[put_off].locked and opened.doc.visits[first].locked
    now = dt.datetime.combine(TUESDAY, dt.time(10, 0))
    opened, new = _replan(session, pid, now, locked=[first, put_off])  # even left in the lock box
    _check_invariants(new, now, {first})
    where = {s: r.date for r in new.plan.routes for s in r.visit_ids}
    assert where.get(put_off, TUESDAY) > TUESDAY, (where, new.plan.unassigned)
    assert new.visits[put_off].earliest_date == WEDNESDAY
    notes = replan_notes(new, {put_off: TUESDAY})
    assert notes and notes[0].startswith(f"{put_off} {doc.visits[put_off].label}（") and "改期" in notes[0]
    resave_plan(session, pid, new, who="lead", expected_version=opened.version)
    assert session.query(VisitOutcomeRow).filter_by(result="postponed").count() == 1  # the 改期 stays on record
    assert plan_tally(session, pid).postponed == 1


def test_a_gaiqi_stop_before_a_visited_one_is_not_kept_as_history(session, running) -> None:
    pid, doc = running
    one, two = _stops(doc, MONDAY)
    _record(session, pid, doc, one, MONDAY, "postponed")
    _record(session, pid, doc, two, MONDAY, "visited")
    (part,) = kept_history(session, pid, locked=[one, two])
    assert [v.visit_id for v in part.visits] == [two]
    now = dt.datetime.combine(TUESDAY, dt.time(8, 0))
    _opened, new = _replan(session, pid, now, locked=[one, two])
    _check_invariants(new, now, {two})
    assert _stops(new, MONDAY) == (two,)
    assert one in new.plan.planned_visit_ids()


def test_a_stop_recorded_as_not_found_is_planned_again_on_a_later_day(session, running) -> None:
    """未找到: the team went there and met nobody (walk W8: the stop came locked as 已走访或已约定); the letter is
    still to visit, so a re-plan plans it again from the next day on, as a 改期 one, while a visited stop stays."""
    pid, doc = running
    first, second = _stops(doc, MONDAY)
    _record(session, pid, doc, first, MONDAY, "not_found")
    _record(session, pid, doc, second, MONDAY, "visited")
    assert first not in recorded_visits(session, pid, doc) and put_off_history(session, pid) == {first: MONDAY}
    now = dt.datetime.combine(TUESDAY, dt.time(8, 0))
    opened, new = _replan(session, pid, now, locked=[first, second])
    assert not opened.doc.visits[first].locked and opened.doc.visits[second].locked
    _check_invariants(new, now, {second})
    assert moved_visited(opened.doc.plan, new.plan, {second}) == {}
    where = {s: r.date for r in new.plan.routes for s in r.visit_ids}
    assert where.get(first, TUESDAY) >= TUESDAY and _stops(new, MONDAY) == (second,), (where, new.plan.unassigned)
