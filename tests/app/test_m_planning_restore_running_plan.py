"""路线规划 (walk 2, D9): a leader whose plan was 执行中 reopened 路线规划 and read
"上次选定的信访件未恢复：7 个走访点已在进行中的计划里…请重新选件。"
— the stops are in the running plan, which is re-planned where it is, not chosen again."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from test_selection_restore_after_plan_page import _choose_all, db  # noqa: F401  (db is a fixture)

from pages.common import Key
from planner.domain import VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.store.database import session_scope
from planner.store.lifecycle import set_plan_status
from planner.store.models import CaseRow, PlanCase, PlanRow
from tests.test_selection_restore_after_plan import DAY

ROOT = Path(__file__).resolve().parents[2]


def _plan_all(engine, visit_of: dict[str, str], *, start: bool) -> int:
    """Plan every chosen letter on DAY and issue it; ``start``: record one visit, so the plan is 执行中."""
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
    if start:
        with session_scope(engine) as s:
            record_outcome(s, VisitOutcome(case_no="ZQ-04", visit_date=DAY, result="visited", team_id="T1"),
                           who="off", plan_id=pid, today=DAY)
    return pid


def _plan_page_note() -> str:
    at = AppTest.from_file(str(ROOT / "pages" / "planning.py"), default_timeout=60)
    at.session_state[Key.TODAY] = DAY
    at.run()
    assert not at.exception
    return " ".join(i.value for i in at.info)


def test_stops_in_a_running_plan_are_re_planned_there_not_chosen_again(db) -> None:  # noqa: F811
    pid = _plan_all(db, _choose_all(), start=True)
    note = _plan_page_note()
    assert "上次选定的信访件未恢复：" in note, note
    assert "请重新选件" not in note, note
    assert f"计划 #{pid}「第49周」（执行中）正在进行" in note, note
    assert "“打开此计划”，再点“重新规划其余走访点”" in note, note


def test_an_issued_plan_not_yet_started_gets_the_same_advice(db) -> None:  # noqa: F811
    pid = _plan_all(db, _choose_all(), start=False)
    note = _plan_page_note()
    assert f"计划 #{pid}「第49周」（已下发）正在进行" in note and "请重新选件" not in note, note
