"""路线规划: one click of 重新规划其余走访点 (or 开始规划) searches once. On a plan whose team was on the road
(opened at 10:00 on its first day), a stop kept on the team today that no longer fits today was left out by the
search, which then ran again on half the time to place it elsewhere: two searches a click. Now it is freed before."""

from __future__ import annotations

import datetime as dt

from _ui_data import TODAY
from app_steps import open_plan, save_issued_plan

from pages.common import Key
from planner.domain import Visit
from planner.routing import report

VISITS = tuple(Visit(f"V{i}", 117.3 + 0.03 * i, 24.36 + 0.01 * i, 60, label=f"村{i}", case_nos=(f"ZZ{i}",))
               for i in range(1, 7))


def test_a_re_plan_of_a_plan_on_the_road_searches_once(engine, monkeypatch) -> None:
    limits = []
    real = report.solve

    def counting(*args, **kwargs):
        limits.append(kwargs.get("time_limit_s"))
        return real(*args, **kwargs)

    monkeypatch.setattr(report, "solve", counting)
    pid = save_issued_plan(engine, monkeypatch, VISITS, days=3)
    app = open_plan(pid, dt.datetime.combine(TODAY, dt.time(10, 0)))
    del limits[:]
    app.button(key="FormSubmitter:pl_replan-重新规划其余走访点").click().run()
    assert not app.exception and not app.error
    assert limits == [3.0]  # one search, on the whole budget (it was [3.0, 1.5])
    said = " ".join(str(w.value) for w in app.warning)
    assert "原在平和一组今天（12-07）的线路上，该组今天排不下（余下的时间：从驻地 10:00 出发" in said
    planned = {s.visit_id for r in app.session_state[Key.PLAN_DOC].plan.routes for s in r.stops}
    assert planned == {v.visit_id for v in VISITS}  # the stop that left today is planned on another day
