"""AppTest: the 标记完成 prompt counts only real visits and says what was recorded for the rest (team leader's walk:
“16 件中 11 件已走访” counted letters recorded 改期 and 未找到 as visited)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.domain import VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow
from tests.app.test_plan_complete_confirm import _app

TODAY = dt.date(2026, 12, 9)
DAY = dt.date(2026, 12, 7)


def _plan(engine, n: int) -> int:
    with session_scope(engine) as s:
        cases = [CaseRow(case_no=f"PH-{i:02d}", received_date=DAY - dt.timedelta(days=30 - i),
                         deadline=DAY + dt.timedelta(days=60), status="planned", county="平和县",
                         county_code="350628", lon=117.3, lat=24.4, petitioner_key="p-wu" if i in (1, 2) else "")
                 for i in range(1, n + 1)]
        plan = PlanRow(name="第49周", start_date=DAY, days=1, status="issued", created_by="lead")
        s.add_all([*cases, plan])
        s.flush()
        for i, case in enumerate(cases):  # PH-01 and its repeat PH-02 at one stop
            s.add(PlanCase(plan_id=plan.id, case_id=case.id, visit_id=f"V{max(i, 1)}", team_id="T1", visit_date=DAY,
                           seq=i))
        return plan.id


def _record(engine, pid: int, case_no: str, result: str = "visited", reason: str = "") -> None:
    with session_scope(engine) as s:
        record_outcome(s, VisitOutcome(case_no=case_no, visit_date=DAY, result=result, team_id="T1", reason=reason),
                       who="off6", plan_id=pid)


def test_mark_done_counts_only_visits_and_names_rescheduled_not_found_and_unrecorded(engine, monkeypatch) -> None:
    pid = _plan(engine, 8)
    for no in ("PH-01", "PH-03", "PH-04"):
        _record(engine, pid, no)
    _record(engine, pid, "PH-05", "postponed", "约定下周再访")
    _record(engine, pid, "PH-06", "not_found", "家中无人")
    app = _app(engine, monkeypatch, pid)
    app.session_state["today"] = TODAY
    app.button(key=f"pl_life_{pid}_done").click().run()
    assert not app.exception
    warning = " ".join(w.value for w in app.warning)
    # PH-02 is PH-01's repeat at the same stop: visited with it. PH-07 and PH-08: nothing recorded.
    counts = "排入的 8 件中 4 件已走访（含随前件走访的重复件 1 件），改期 1 件，未找到 1 件，未记录 2 件"
    assert counts in warning, warning
    with session_scope(engine) as s:
        assert set(s.scalars(select(CaseRow.status).where(CaseRow.case_no == "PH-05"))) == {"planned"}
