"""Re-walk H: a leader closed a letter in 回访跟踪 after the plan was issued, and the officer's phone still offered
its stop as 下一站 with a form to fill. The card now says the letter is closed and when, the stop does not wait
for it, and a return visit (made to letters already handled) is not affected."""

from __future__ import annotations

import dataclasses

from planner.domain import CaseStatus, VisitType
from planner.field import build_itinerary
from planner.field.day import closed_elsewhere, day_view
from planner.intake.register import import_register
from planner.store.cases import field_case_details, load_cases, set_status
from planner.store.database import session_scope
from planner.store.teams import ensure_default_teams
from tests.export.test_confidential import plan_letters
from tests.export.test_repeat_letters import _register


def _day(engine):
    import_register(engine, _register(), filename="关闭.xlsx", who="test")
    with session_scope(engine) as s:
        cases = [c for c in load_cases(s) if c.case_no in ("HJ-1", "OT-1")]
        teams = ensure_default_teams(s)
        details = field_case_details(s, [c.case_no for c in cases])
    doc = plan_letters(cases, teams, details)
    route = next(r for r in doc.plan.routes if any("OT-1" in doc.visits[st.visit_id].case_nos for st in r.stops))
    return doc, route


def test_a_letter_closed_in_followup_is_shown_closed_and_its_stop_is_not_next(engine):
    doc, route = _day(engine)
    it = build_itinerary(doc, route.team_id, route.date)
    nos = [c.case_no for s in it.stops for c in s.cases]
    with session_scope(engine) as s:
        assert closed_elsewhere(s, nos, set()) == {}, "nothing closed yet"
        set_status(s, "OT-1", CaseStatus.CLOSED, who="leader1", note="回访跟踪：已办结")
    with session_scope(engine) as s:
        closed = closed_elsewhere(s, nos, set())
        assert set(closed) == {"OT-1"}
        assert "已办结" in closed["OT-1"] and "已于 " in closed["OT-1"]
        assert closed_elsewhere(s, nos, {"OT-1"}) == {}, "an outcome recorded at this visit speaks for itself"
    view = day_view(it, closed=closed)
    stop = next(st for st in view.stops if any(c.case_no == "OT-1" for c in st.cases))
    card = next(c for c in stop.cases if c.case_no == "OT-1")
    assert card.handled and card.closed
    if len(stop.cases) == 1:
        assert stop.done and view.next_stop is not stop
    before = day_view(it)
    assert not next(st for st in before.stops if st.seq == stop.seq).done, "without the closing the stop waits"

    # A return visit is made to a letter already handled: its being closed does not end the stop.
    vid = next(st.visit_id for st in route.stops if "OT-1" in doc.visits[st.visit_id].case_nos)
    back = dataclasses.replace(doc, visits={**doc.visits,
                                            vid: dataclasses.replace(doc.visits[vid], visit_type=VisitType.RETURN)})
    again = day_view(build_itinerary(back, route.team_id, route.date), closed=closed)
    card = next(c for st in again.stops for c in st.cases if c.case_no == "OT-1")
    assert not card.closed and not card.handled
