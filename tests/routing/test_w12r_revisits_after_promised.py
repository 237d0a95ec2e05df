"""Walk W12: on a running plan an officer recorded 未找到 and 改期 at a stop where another letter was visited.

打开计划 showed those two letters as ``2 个必访点未排入`` (a planner failure) though they only wait to be visited
again; and 重新规划其余走访点 pushed the 必访 stop the issued plan had promised (V001 坂仔镇东风村) out to make room
for them, said only inside a line of day changes. A re-plan keeps the promised 必访 stops first and the revisits
wait, said first and by name; the leader may choose the revisits first, and then each promised stop that goes out is
named. The opened plan counts the revisits apart from 未安排.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import Team, Visit
from planner.routing.advice import status_text
from planner.routing.plan_words import must_out_lines
from planner.routing.problem import PlanOptions
from planner.routing.replan import replan_document
from planner.routing.report import kpis, plan_document
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import kept_history, open_plan, put_off_history, save_plan
from planner.store.teams import save_team

MONDAY = dt.date(2026, 12, 7)
TUESDAY = MONDAY + dt.timedelta(days=1)
TEAM = Team("T1", "平和下访组", 117.313, 24.363, max_visits_per_day=2)
# V1 near the base (the revisits are cheap to reach); V3, V4 far: travel alone would drop them for the revisits.
VISITS = (
    Visit("V1", 117.33, 24.37, 45, case_nos=("ZZ1", "ZZ1B", "ZZ1C"), label="山格镇隆庆村", must=True),
    Visit("V2", 117.35, 24.38, 45, case_nos=("ZZ2",), label="小溪镇西林村", must=True),
    Visit("V3", 117.18, 24.52, 45, case_nos=("ZZ3",), label="坂仔镇东风村", must=True),
    Visit("V4", 117.20, 24.55, 45, case_nos=("ZZ4",), label="霞寨镇钟腾村", must=True),
)


@pytest.fixture()
def running(session):
    """An issued two-day plan: V1, V2 on Monday, V3, V4 on Tuesday; on Monday at V1 ZZ1 was visited, ZZ1B put off
    (改期) and ZZ1C recorded 未找到, and V2 was visited."""
    save_team(session, TEAM)
    for no in ("ZZ1", "ZZ1B", "ZZ1C", "ZZ2", "ZZ3", "ZZ4"):
        session.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                            status="registered"))
    session.flush()
    doc = plan_document(list(VISITS), [TEAM], start_date=MONDAY, days=2, time_limit_s=1.0,
                        options=PlanOptions(policy="compact"))
    where = {s.visit_id: r.date for r in doc.plan.routes for s in r.stops}
    assert len(where) == 4, doc.plan.unassigned
    assert where["V3"] == where["V4"] == TUESDAY or where["V1"] == where["V2"] == MONDAY, where
    pid = save_plan(session, doc, name="平和", who="lead")
    set_plan_status(session, pid, PlanStatus.ISSUED, who="lead")
    monday = [no for vid, d in where.items() if d == MONDAY for no in doc.visits[vid].case_nos]
    assert sorted(monday) == ["ZZ1", "ZZ1B", "ZZ1C", "ZZ2"], where
    for no, result in (("ZZ1", "visited"), ("ZZ1B", "postponed"), ("ZZ1C", "not_found"), ("ZZ2", "visited")):
        case = session.query(CaseRow).filter_by(case_no=no).one()
        session.add(VisitOutcomeRow(case_id=case.id, plan_id=pid, team_id="T1", visit_date=MONDAY, result=result,
                                    reason="" if result == "visited" else "信访人不在家", recorded_by="officer"))
    session.flush()
    return pid


def _replan(session, pid, *, first: bool = False):
    opened = open_plan(session, pid)
    locked = [v for v, x in opened.doc.visits.items() if x.locked]
    options = PlanOptions(not_before=((TUESDAY, 8 * 60),), today=TUESDAY, revisits_first=first)
    return replan_document(list(opened.doc.visits.values()), [TEAM], start_date=MONDAY, days=2, options=options,
                           previous=opened.doc, locked=locked, kept=kept_history(session, pid, locked),
                           put_off=put_off_history(session, pid), not_met=[vid for vid, _ in opened.not_met],
                           time_limit_s=2.0)


def test_opened_plan_counts_revisits_apart_from_left_out(session, running) -> None:
    doc = open_plan(session, running).doc
    waiting = sorted(u.visit_id for u in doc.plan.unassigned)
    assert waiting == ["V1-改期", "V1-未找到"], doc.plan.unassigned
    assert "未排入" not in status_text(doc.plan, doc.visits), status_text(doc.plan, doc.visits)
    assert must_out_lines(doc.plan.unassigned, doc.visits) == []
    k = kpis(doc)
    assert (k["unassigned"], k["revisits"], k["dropped_by_priority"]) == (0, 2, {}), k


def test_replan_keeps_the_promised_must_stops_and_says_the_revisits_wait(session, running) -> None:
    new, notes = _replan(session, running)
    placed = {s.visit_id for r in new.plan.routes for s in r.stops}
    assert {"V3", "V4"} <= placed, (placed, new.plan.unassigned)
    out = {u.visit_id for u in new.plan.unassigned}
    assert out == {"V1-改期", "V1-未找到"}, out
    said = [n for n in notes if n.startswith("再访点 ")]
    assert len(said) == 2 and all("先保留原计划已安排的必访点（V3、V4）" in n for n in said), notes
    assert notes[:2] == said, notes  # said first, not inside the day changes
    assert "排不下时再访点优先" in said[0], said


def test_revisits_first_names_each_promised_stop_that_goes_out(session, running) -> None:
    new, notes = _replan(session, running, first=True)
    placed = {s.visit_id for r in new.plan.routes for s in r.stops}
    assert {"V1-改期", "V1-未找到"} <= placed, (placed, new.plan.unassigned)
    gone = sorted({"V3", "V4"} - placed)
    assert gone, placed
    said = [n for n in notes if n.startswith("原计划的必访点 ")]
    assert [n.split()[1] for n in said] == gone, notes
    assert all("请在保存前确认" in n and "排不下时再访点优先" in n for n in said), said
    assert notes[:len(said)] == said, notes
