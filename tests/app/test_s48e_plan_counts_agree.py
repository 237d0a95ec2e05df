"""AppTest of 路线规划's counts on a reopened plan with a stop to visit again (walk W14, shot 26): 已安排走访点 19 / 20
stood beside 未安排 0, the 20th stop being 待再访, said nowhere near them. The line under the figures counts the
stops so that they add up (已安排 + 待再访 + 未安排 = 共), and the letters they hold."""

from __future__ import annotations

import datetime as dt

from _ui_data import TODAY
from app_steps import open_plan, save_issued_plan

from planner.domain import Visit, VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.store.database import session_scope

VISITS = (
    Visit("V1", 117.33, 24.37, 45, label="山格镇隆庆村", case_nos=("ZZ1", "ZZ1B"), must=True),
    Visit("V2", 117.36, 24.38, 45, label="小溪镇西林村", case_nos=("ZZ2",), must=True),
)


def test_the_counts_of_a_reopened_plan_add_up(engine, monkeypatch) -> None:
    pid = save_issued_plan(engine, monkeypatch, VISITS, days=3, team_name="平和下访组")
    with session_scope(engine) as s:
        for no, result in (("ZZ1", "visited"), ("ZZ1B", "not_found")):
            record_outcome(s, VisitOutcome(no, TODAY, result, team_id="A", reason="" if result == "visited"
                                           else "信访人不在家"), who="offA", plan_id=pid, today=TODAY)
    app = open_plan(pid, dt.datetime.combine(TODAY, dt.time(15, 0)))
    assert not app.exception and not app.error, [e.value for e in app.error]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["已安排走访点"] == "2 / 3" and metrics["未安排"] == "0", metrics
    (line,) = [c.value for c in app.caption if c.value.startswith("共 ")]
    want = "共 3 个走访点（3 件信访件，同村的合为一个点）：已安排 2 个，待再访 1 个，未安排 0 个。状态："
    assert line.startswith(want), line
