"""Walk Q: a selection whose plan was carried out (标记完成) came back on 选件 whole, the letters just visited
included, and 路线规划 would have planned them again. Letters visited since the selection was kept are left out and
said with their day and plan; a selection with nothing left is not restored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from planner.domain import VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.office.security import Actor
from planner.routing.advice import PlanRequest
from planner.selection.memory import load_selection, restore_note, save_selection
from planner.selection.ranking import build_visits
from planner.store.cases import case_from_row
from planner.store.database import session_scope
from planner.store.lifecycle import set_plan_status
from planner.store.models import CaseRow, PlanCase, PlanRow

LEAD = Actor("lead", "admin", display_name="组长")
DAY = dt.date(2026, 12, 7)
TODAY = dt.date(2026, 12, 9)


def _case(no: str, village: int, *, petitioner: str = "", status: str = "registered") -> CaseRow:
    return CaseRow(case_no=no, received_date=dt.date(2026, 11, 1) + dt.timedelta(days=int(no[-2:])),
                   deadline=dt.date(2027, 1, 20), content="征地补偿款没有发放", category="征地拆迁", county="平和县",
                   county_code="350628", town="某镇", town_code="350628101", village=f"{village}村",
                   village_code=f"350628101{village:03d}", lon=117.2 + village / 50, lat=24.4, precision="village",
                   petitioner_key=petitioner, status=status)


def _select(engine, rows: list[CaseRow]) -> dict[str, str]:
    """Keep a selection of ``rows`` for LEAD, as 生成走访点 does; case number -> visit id."""
    with session_scope(engine) as s:
        s.add_all(rows)
        s.flush()
        build = build_visits([case_from_row(r) for r in rows], today=DAY - dt.timedelta(days=3))
        save_selection(s, LEAD.username, build.visits, PlanRequest(DAY, 1, ("T1",)), {"sel_top": len(rows)})
        return build.visit_of_case()


def _carry_out(engine, visit_of: dict[str, str], outcomes: dict[str, str]) -> None:
    """Plan every chosen letter on DAY, issue it, record ``outcomes`` (case number -> result), mark it done."""
    with session_scope(engine) as s:
        plan = PlanRow(name="第49周", start_date=DAY, days=1, status="draft", created_by="lead")
        s.add(plan)
        s.flush()
        ids = {no: i for no, i in s.execute(select(CaseRow.case_no, CaseRow.id))}
        for seq, (no, vid) in enumerate(sorted(visit_of.items())):
            s.add(PlanCase(plan_id=plan.id, case_id=ids[no], visit_id=vid, team_id="T1", visit_date=DAY, seq=seq))
        s.flush()
        set_plan_status(s, plan.id, "issued", who="lead")
        pid = plan.id
    for no, result in outcomes.items():
        with session_scope(engine) as s:
            record_outcome(s, VisitOutcome(case_no=no, visit_date=DAY, result=result, team_id="T1",
                                           reason="" if result == "visited" else "家中无人"), who="off", plan_id=pid)
    with session_scope(engine) as s:
        set_plan_status(s, pid, "done", who="lead")


def test_letters_visited_on_the_finished_plan_are_not_restored_and_the_note_says_when(engine) -> None:
    # ZQ-01 and its repeat ZQ-02 (same petitioner) share village 1; ZQ-03 village 2; ZQ-04, ZQ-05 villages 3, 4.
    visit_of = _select(engine, [_case("ZQ-01", 1, petitioner="p-lin"), _case("ZQ-02", 1, petitioner="p-lin"),
                                _case("ZQ-03", 2), _case("ZQ-04", 3), _case("ZQ-05", 4)])
    _carry_out(engine, visit_of, {"ZQ-01": "visited", "ZQ-03": "visited", "ZQ-04": "not_found"})
    with session_scope(engine) as s:
        last = load_selection(s, LEAD, on=TODAY)
    assert last is not None
    assert sorted(c for v in last.visits for c in v.case_nos) == ["ZQ-04", "ZQ-05"]  # not visited: still to go
    # ZQ-02 was visited along with ZQ-01 (no record of its own): it takes ZQ-01's day.
    assert last.visited == (("ZQ-01", DAY), ("ZQ-02", DAY), ("ZQ-03", DAY))
    assert last.finished_plans == ("计划「第49周」",) and last.dropped == 0
    assert restore_note(last) == ("已恢复上次选定的 2 个走访点（2 件，尚未走访）；"
                                  "另有 3 件已于 12-07 走访（计划「第49周」已完成），未恢复。")


def test_a_selection_whose_letters_were_all_visited_is_not_restored(engine) -> None:
    visit_of = _select(engine, [_case("ZQ-01", 1, petitioner="p-lin"), _case("ZQ-02", 1, petitioner="p-lin"),
                                _case("ZQ-03", 2)])
    _carry_out(engine, visit_of, {"ZQ-01": "visited", "ZQ-03": "visited"})
    with session_scope(engine) as s:
        last = load_selection(s, LEAD, on=TODAY)
    assert last is not None and last.visits == ()
    assert restore_note(last) == "上次选定的信访件未恢复：3 件已于 12-07 走访（计划「第49周」已完成）。请重新选件。"


def test_a_visit_keeps_its_letter_not_visited_with_less_time(engine) -> None:
    visit_of = _select(engine, [_case("ZQ-01", 1), _case("ZQ-02", 1), _case("ZQ-03", 2)])
    with session_scope(engine) as s:
        before = {v.visit_id: v for v in load_selection(s, LEAD, on=TODAY).visits}
    _carry_out(engine, visit_of, {"ZQ-01": "visited", "ZQ-02": "postponed", "ZQ-03": "visited"})
    with session_scope(engine) as s:
        last = load_selection(s, LEAD, on=TODAY)
    (visit,) = last.visits
    assert visit.case_nos == ("ZQ-02",)
    assert visit.service_min == before[visit.visit_id].service_min - 30  # one letter fewer to look into


def test_a_letter_chosen_when_already_visited_is_still_restored(engine) -> None:
    """A letter 已下访 when it was chosen (to go again) was not visited since: it comes back."""
    _select(engine, [_case("ZQ-01", 1, status="visited"), _case("ZQ-03", 2)])
    with session_scope(engine) as s:
        last = load_selection(s, LEAD, on=TODAY)
    assert sorted(c for v in last.visits for c in v.case_nos) == ["ZQ-01", "ZQ-03"] and last.visited == ()
    assert restore_note(last) == "已恢复上次选定的 2 个走访点。"


def test_a_selection_kept_before_statuses_were_stored_drops_letters_now_visited(engine) -> None:
    from planner.store.models import SettingRow

    _select(engine, [_case("ZQ-01", 1), _case("ZQ-03", 2)])
    with session_scope(engine) as s:
        row = s.get(SettingRow, "last_selection:lead")
        row.value = {k: v for k, v in row.value.items() if k not in ("saved_at", "statuses")}
        s.execute(update(CaseRow).where(CaseRow.case_no == "ZQ-01").values(status="visited"))
    with session_scope(engine) as s:
        last = load_selection(s, LEAD, on=TODAY)
    assert [c for v in last.visits for c in v.case_nos] == ["ZQ-03"]
    assert last.visited == (("ZQ-01", None),)
    assert "另有 1 件已走访，未恢复" in restore_note(last)
