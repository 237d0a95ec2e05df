"""Walk 2 (F5): 计划经过 said “下发了计划（草稿 → 已下发），32 件信访件的状态随之变更” when 22 letters became 已排程
and the 10 the plan left out went back to 已登记. The line now says what happened, status by status."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.store.database import session_scope
from planner.store.lifecycle import plan_history, plan_saved, set_plan_status
from planner.store.models import CaseRow, PlanCase, PlanRow

DAY = dt.date(2026, 12, 7)


def _case(no: int) -> CaseRow:
    return CaseRow(case_no=f"ZZ2026-{no:03d}", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                   content="村道硬化工程款去向不明", category="工程建设", county="龙海区", county_code="350604",
                   town="角美镇", village="沙州村", lon=117.9, lat=24.5, precision="village")


def test_issuing_says_how_many_were_scheduled_and_how_many_went_back(engine) -> None:
    with session_scope(engine) as s:
        s.add_all([_case(n) for n in range(1, 6)])
        plan = PlanRow(name="2026-12-07 起 3 天", start_date=DAY, days=3, status="draft", created_by="lead")
        s.add(plan)
        s.flush()
        for n in range(1, 6):
            case_id = s.scalar(select(CaseRow.id).where(CaseRow.case_no == f"ZZ2026-{n:03d}"))
            routed = n <= 3  # 3 routed; 2 left out (no team, no day)
            s.add(PlanCase(plan_id=plan.id, case_id=case_id, visit_id=f"V{n}", team_id="T1" if routed else "",
                           visit_date=DAY if routed else None, seq=n))
        s.flush()
        plan_saved(s, plan.id, who="lead")
        set_plan_status(s, plan.id, "issued", who="lead")
        pid = plan.id
    with session_scope(engine) as s:
        lines = [e.sentence() for e in plan_history(s, pid)]
        statuses = [st for (st,) in s.execute(select(CaseRow.status).order_by(CaseRow.case_no))]
    assert statuses == ["planned"] * 3 + ["registered"] * 2
    assert "5 件信访件列入走访清单（已选件）" in lines[0]
    assert "5 件信访件的状态随之变更" not in lines[1]
    assert lines[1].endswith("下发了计划（草稿 → 已下发），信访件随之变更：3 件改为已排程、2 件改为已登记。"), lines[1]
