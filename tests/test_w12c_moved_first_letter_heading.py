"""Walk W12b: after a re-import moved the first letter of a shared stop, the officer's 行程 read
下一站：2. 平和县霞寨镇钟腾村 (the moved letter's village) while the stop, its point and its other letter were still
淮溪村 in 山格镇. Until the leader re-plans, the stop is named as planned and the moved letter is marked under it."""

from __future__ import annotations

from planner.field import build_itinerary, enrich_cases
from planner.intake.register import import_register
from planner.store.database import session_scope
from planner.store.moved_letters import plan_moves, with_current_places
from planner.store.plans import load_plan
from tests.test_h8_moved_letter_on_plan import FIRST, _issued_plan

# H8-2 comes first on the shared 土田村 stop; it moves, H8-3 stays.
MOVED_FIRST = FIRST.replace("优亲厚友。,平和县山格镇土田村", "优亲厚友。,漳浦县旧镇镇浯江村")


def test_w12c_a_stop_whose_first_letter_moved_keeps_its_planned_place_on_the_officers_day(engine) -> None:
    pid = _issued_plan(engine)
    with session_scope(engine) as s:
        doc = load_plan(s, pid)
    stop_of = {no: vid for vid, v in doc.visits.items() for no in v.case_nos}
    shared = stop_of["H8-2"]
    assert stop_of["H8-3"] == shared and doc.visits[shared].case_nos[0] == "H8-2"
    import_register(engine, MOVED_FIRST.encode(), filename="登记表（二）.csv", who="coord")
    with session_scope(engine) as s:
        moves = plan_moves(s, pid)
        day = with_current_places(s, enrich_cases(doc, s), moves, split=False)
    assert [(m.case_no, m.whole_stop) for m in moves] == [("H8-2", False)]
    route = next(r for r in day.plan.routes if any(st.visit_id == shared for st in r.stops))
    stop = next(st for st in build_itinerary(day, route.team_id, route.date).stops if st.visit.visit_id == shared)
    assert stop.place() == "平和县山格镇土田村"
    assert {c.case_no for c in stop.cases} == {"H8-2", "H8-3"}
    assert (stop.lon, stop.lat) == (doc.visits[shared].lon, doc.visits[shared].lat)
    moved = next(c for c in stop.cases if c.case_no == "H8-2")
    assert "浯江村" in moved.place_text()  # the letter itself reads its place now (the officer's note says so)
