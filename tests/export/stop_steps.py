"""Shared step of the export tests: Monday's T1 stop of two letters, the first recorded 已走访 by officer li."""

from __future__ import annotations

from planner.field import build_itinerary
from planner.field.day import officer_day, save_stop_outcome
from planner.store.plans import load_plan
from tests.export.test_day import MONDAY, OFFICER_T1


def first_of_two_visited(session, plan_id):
    """Record the first letter of Monday's two-letter T1 stop 已走访; return (day, itinerary, stop, second letter)."""
    day = officer_day(session, OFFICER_T1, MONDAY)
    it = build_itinerary(load_plan(session, plan_id), "T1", MONDAY)
    two = next(s for s in it.stops if len(s.cases) == 2)
    first, second = (c.case_no for c in two.cases)
    save_stop_outcome(session, day, first, result="visited", households=2, leads=1, findings="已入户核实",
                      who="li", actor=OFFICER_T1)
    return day, it, two, second
