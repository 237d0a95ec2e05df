"""路线规划 → 打开此计划 on a plan whose first stop holds two letters, one recorded 已走访 and one 未找到: the stop came
locked as a whole (锁定 pre-filled), so 重新规划其余走访点 could not plan the letter not met again. The visited letter
stays locked on its stop; the other is a stop of its own, free, and the lock box says why for each letter."""

from __future__ import annotations

import datetime as dt

from app_steps import open_plan, save_issued_plan

from pages.common import Key
from planner.domain import Visit, VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.store.database import session_scope
from planner.store.plans import load_plan

VISITS = (
    Visit("V1", 117.33, 24.37, 45, label="小溪镇", case_nos=("ZZ1", "ZZ1B")),
    Visit("V2", 117.36, 24.38, 45, label="山格镇", case_nos=("ZZ2",)),
    Visit("V3", 117.39, 24.35, 45, label="文峰镇", case_nos=("ZZ3",)),
)


def test_the_letter_not_met_at_a_visited_stop_is_free_and_the_lock_box_says_why(engine, monkeypatch) -> None:
    pid = save_issued_plan(engine, monkeypatch, VISITS, days=3)
    with session_scope(engine) as s:
        (team, day) = next((r.team_id, r.date) for r in load_plan(s, pid).plan.routes if "V1" in r.visit_ids)
        for no, result in (("ZZ1", "visited"), ("ZZ1B", "not_found")):
            record_outcome(s, VisitOutcome(no, day, result, team_id=team, reason="信访人不在家" if result != "visited"
                                           else ""), who="offA", plan_id=pid, today=day)
    later = open_plan(pid, dt.datetime.combine(day, dt.time(15, 0)))
    assert not later.exception and not later.error, [e.value for e in later.error]
    assert later.multiselect(key="pl_locked").value == ["V1"]
    said = " ".join(c.value for c in later.caption)
    # Named by its letters' place as 行程 names it (939d9af), not by the label 选件 once wrote (小溪镇).
    assert "V1-未找到 平和县山格镇（信访件 ZZ1B" in said and "上次走访未见到信访人，可重新安排" in said, said
    assert "V1 平和县山格镇的信访件 ZZ1（已走访）仍锁定" in said, said

    next(b for b in later.button if b.label == "重新规划其余走访点").click().run()
    assert not later.exception and not later.error, [e.value for e in later.error]
    new = later.session_state[Key.PLAN_DOC]
    where = {no: (r.team_id, r.date) for r in new.plan.routes for v in r.visit_ids for no in new.visits[v].case_nos}
    assert where["ZZ1"] == (team, day), where
    assert "ZZ1B" not in where or where["ZZ1B"][1] > day, where
    assert "ZZ1B" in where or any(u.visit_id.startswith("V1-未找到") for u in new.plan.unassigned)
