"""A stop recorded done before its planned time frees its team from when it was recorded (walk W14b).

The team went to the afternoon stop first (recorded 08:05 for 15:00): a re-plan at 08:06 timed the team's day
from the stop's planned end, moved today's other stops off today and dropped two promised ones. The team is at
that stop around the record's time: its day goes on from there at max(now, that time), and the stops planned before
it, not yet recorded, stay today when they fit."""

from __future__ import annotations

import dataclasses
import datetime as dt

from planner.routing.history import done_parts
from planner.routing.replan import replan_document
from tests.routing.test_f4_replan_on_the_road import MONDAY, T1, VISITS, _first, _options


def _early(first):
    return done_parts(first, ["V4"], recorded={"V4": dt.datetime.combine(MONDAY, dt.time(8, 5))})


def test_a_stop_recorded_early_frees_the_team_from_the_record_not_the_planned_end() -> None:
    first = _first()
    planned = first.plan.route_for("T1", MONDAY)
    (b,) = [s for s in planned.stops if s.visit_id == "V4"]
    assert b.start_min >= 15 * 60  # planned for the afternoon
    (part,) = _early(first)
    assert part.end_min == 8 * 60 + 5
    new, notes = replan_document(list(VISITS), [T1], start_date=MONDAY, days=1, previous=first, kept=(part,),
                                 options=_options(dt.time(8, 6)), time_limit_s=2.0)
    day = new.plan.route_for("T1", MONDAY)
    assert day is not None and set(day.visit_ids) == {"V1", "V2", "V3", "V4"}, notes
    assert day.visit_ids[0] == "V4" and (day.stops[0].start_min, day.stops[0].end_min) == (b.start_min, b.end_min)
    assert not new.plan.unassigned, new.plan.unassigned
    assert not [n for n in notes if "今天排不下" in n], notes
    nxt = day.stops[1]  # from V4's place, leaving at about now (08:10), not at 16:00
    assert nxt.arrive_min <= 8 * 60 + 10 + -(-nxt.travel_s // 60) + 1, (nxt, notes)
    assert all(s.start_min >= 8 * 60 + 6 for s in day.stops[1:])


def test_a_record_after_the_planned_end_or_on_another_day_changes_nothing() -> None:
    first = _first()
    b = next(s for s in first.plan.route_for("T1", MONDAY).stops if s.visit_id == "V4")
    for at in (dt.datetime.combine(MONDAY, dt.time(20, 0)),
               dt.datetime.combine(MONDAY - dt.timedelta(days=1), dt.time(8, 5))):
        (part,) = done_parts(first, ["V4"], recorded={"V4": at})
        assert part.recorded_min is None and part.end_min == b.end_min
    (part,) = done_parts(first, ["V4"])
    assert part == dataclasses.replace(part, recorded_min=None) and part.end_min == b.end_min


def test_the_saved_plans_history_reads_when_the_stop_was_recorded(session) -> None:
    """:func:`kept_history` gives the record's time (stored UTC, read in Beijing time: 00:05 UTC is 08:05)."""
    from planner.store.models import CaseRow, VisitOutcomeRow
    from planner.store.plans import kept_history, save_plan

    for v in VISITS:
        session.add(CaseRow(case_no=v.case_nos[0], received_date=dt.date(2026, 11, 1),
                            deadline=dt.date(2026, 12, 31), status="registered"))
    session.flush()
    first = _first()
    pid = save_plan(session, first, name="华安", who="lead")
    case = session.query(CaseRow).filter_by(case_no="ZZ-30").one()
    session.add(VisitOutcomeRow(case_id=case.id, plan_id=pid, team_id="T1", visit_date=MONDAY, result="visited",
                                recorded_by="officer", recorded_at=dt.datetime(2026, 12, 7, 0, 5)))
    session.flush()
    (part,) = kept_history(session, pid)
    assert [v.visit_id for v in part.visits] == ["V4"] and part.recorded_min == 8 * 60 + 5
