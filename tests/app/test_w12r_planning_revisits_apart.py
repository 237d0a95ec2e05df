"""AppTest of 路线规划 on an issued plan where one letter of a stop was visited and another recorded 未找到 (walk W12:
打开计划 #1 said ``2 个必访点未排入`` in a warning box for letters that only wait to be visited again). The opened plan
lists them under 待再访的走访点 with what was recorded and when; 未安排, the status and the warning count only stops
the planner could not place; the re-plan form offers the leader 排不下时再访点优先 (off: the promised stops first)."""

from __future__ import annotations

import datetime as dt

from _ui_data import TODAY
from app_steps import open_plan, save_issued_plan

from planner.domain import Visit, VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.store.database import session_scope
from planner.store.plans import load_plan

VISITS = (
    Visit("V1", 117.33, 24.37, 45, label="山格镇隆庆村", case_nos=("ZZ1", "ZZ1B"), must=True),
    Visit("V2", 117.36, 24.38, 45, label="小溪镇西林村", case_nos=("ZZ2",), must=True),
)


def test_letters_to_visit_again_are_not_said_as_left_out(engine, monkeypatch) -> None:
    pid = save_issued_plan(engine, monkeypatch, VISITS, days=3, team_name="平和下访组")
    with session_scope(engine) as s:
        assert "V1" in load_plan(s, pid).plan.route_for("A", TODAY).visit_ids
        for no, result in (("ZZ1", "visited"), ("ZZ1B", "not_found")):
            record_outcome(s, VisitOutcome(no, TODAY, result, team_id="A", reason="" if result == "visited"
                                           else "信访人不在家"), who="offA", plan_id=pid, today=TODAY)

    app = open_plan(pid, dt.datetime.combine(TODAY, dt.time(15, 0)))
    assert not app.exception and not app.error, [e.value for e in app.error]
    said = " ".join(w.value for w in app.warning) + " ".join(c.value for c in app.caption)
    assert "必访点未排入" not in said, said
    assert "未安排的走访点" not in [h.value.split("（")[0] for h in app.subheader]
    assert "待再访的走访点（1 个）" in [h.value for h in app.subheader], [h.value for h in app.subheader]
    (table,) = [d.value for d in app.dataframe if "记录" in d.value.columns]
    assert list(table["走访点"]) == ["V1-未找到"] and list(table["信访件"]) == ["ZZ1B"], table
    assert "记录为未找到" in table["记录"][0] and "12-07" in table["记录"][0], table
    unplaced = next(m for m in app.metric if m.label == "未安排")
    assert unplaced.value == "0", unplaced.value
    assert app.checkbox(key="pl_revisits_first").label == "排不下时再访点优先"
    assert not app.checkbox(key="pl_revisits_first").value
