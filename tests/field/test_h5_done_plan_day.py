"""Walk W10 M3: after the leader's 标记完成 the officer's day went backwards — 已完成 0, the stop visited that morning
下一站 again, and its repeat letter (visited along with the first one when the plan was closed, 已下访) offered an
open form instead of 随 HJ-1 一并办理. The day of a finished plan shows what was recorded, on 行程 and on its sheets."""

from __future__ import annotations

from planner.domain import VisitOutcome, VisitResult
from planner.field import build_itinerary, enrich_cases
from planner.field.day import closed_elsewhere, day_view, settled_along, stop_records, visited_along
from planner.field.recorded import with_outcomes
from planner.followup.outcomes import record_outcome
from planner.intake.register import import_register
from planner.store.cases import field_case_details, load_cases
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.plans import load_plan, save_plan
from planner.store.teams import ensure_default_teams
from tests.export.test_confidential import plan_letters
from tests.export.test_repeat_letters import _register


def _view(s, plan_id, team_id, day):
    it = build_itinerary(enrich_cases(load_plan(s, plan_id), s), team_id, day)
    nos = [c.case_no for st in it.stops for c in st.cases]
    records = stop_records(s, nos, day, team_id)
    return it, day_view(it, recorded=records, settled=settled_along(s, nos, records),
                        closed=closed_elsewhere(s, nos, records), along=visited_along(s, nos, records))


def test_a_finished_plans_day_keeps_the_stop_visited_with_its_repeat_letter(engine) -> None:
    import_register(engine, _register(), filename="重复件.xlsx", who="test")
    with session_scope(engine) as s:
        cases = [c for c in load_cases(s) if c.case_no in ("HJ-1", "HJ-2")]
        teams = ensure_default_teams(s)
        details = field_case_details(s, [c.case_no for c in cases])
    doc = plan_letters(cases, teams, details)
    route = next(r for r in doc.plan.routes if any("HJ-1" in doc.visits[st.visit_id].case_nos for st in r.stops))
    with session_scope(engine) as s:
        pid = save_plan(s, doc, name="第49周", who="boss")
        set_plan_status(s, pid, PlanStatus.ISSUED, who="boss")
        record_outcome(s, VisitOutcome("HJ-1", route.date, VisitResult.VISITED, team_id=route.team_id,
                                       households_visited=2), who="li", plan_id=pid)
    with session_scope(engine) as s:
        _, before = _view(s, pid, route.team_id, route.date)
        set_plan_status(s, pid, PlanStatus.DONE, who="boss")
    with session_scope(engine) as s:
        assert load_cases(s, case_nos={"HJ-2"})[0].status.value == "visited"  # 随前件走访 when the plan closed
        it, after = _view(s, pid, route.team_id, route.date)
        assert visited_along(s, ["HJ-1", "HJ-2"], {"HJ-1"}) == {"HJ-2": "HJ-1"}
        sheets = with_outcomes([it], s, pid)[0]
    (stop,) = [st for st in after.stops if any(c.case_no == "HJ-1" for c in st.cases)]
    cards = {c.case_no: c for c in stop.cases}
    assert stop.done and after.next_stop is not stop
    assert after.progress_text() == before.progress_text() and after.progress_text().startswith("已完成 1")
    assert "随 HJ-1 一并办理（HJ-1 已登记结果）" in cards["HJ-2"].settled_text() and cards["HJ-2"].handled
    assert sheets.progress.endswith(after.progress_text())  # the day's files say the same as 行程
    assert dict((st.seq, st.outcome) for st in sheets.stops)[stop.seq] == "已完成"
