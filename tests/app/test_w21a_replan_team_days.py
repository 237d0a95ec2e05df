"""AppTest of 路线规划 (walk W21): a day taken out of the team's 可出行日期 after its plan was issued is said when the
plan is opened, before 重新规划其余走访点, and the re-plan puts no stop on it (it used the plan's saved copy of the
team, and the new version kept the day)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from _ui_data import TODAY
from app_steps import MONDAY_7, open_plan, save_issued_plan

from pages.common import Key
from planner.domain import Visit
from planner.store.database import session_scope
from planner.store.plans import load_plan
from planner.store.teams import save_team, team_records

VISITS = tuple(Visit(f"V{k}", 117.33 + 0.03 * k, 24.37 - 0.01 * k, 120, label=f"{k}号村", case_nos=(f"ZZ{k}",))
               for k in range(1, 7))


def test_a_day_taken_out_of_the_team_is_said_and_replanned(engine, monkeypatch) -> None:
    pid = save_issued_plan(engine, monkeypatch, VISITS, days=3)
    with session_scope(engine) as s:
        days = sorted({r.date for r in load_plan(s, pid).plan.routes if r.stops and r.date > TODAY})
        assert days, load_plan(s, pid).plan.routes
        out = days[0]
        record = team_records(s, team_ids=("A",))[0]
        keep = tuple(TODAY + dt.timedelta(days=i) for i in range(4) if TODAY + dt.timedelta(days=i) != out)
        save_team(s, dataclasses.replace(record.team, available_dates=keep), expected_version=record.version)
    app = open_plan(pid, MONDAY_7)
    said = " ".join(w.value for w in app.warning)
    assert f"平和一组的可出行日期已改为 {'、'.join(f'{d:%m-%d}' for d in keep)}" in said, said
    assert f"{out:%m-%d} 的" in said and "将重新安排" in said, said
    next(b for b in app.button if b.label == "重新规划其余走访点").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    new = app.session_state[Key.PLAN_DOC]
    assert not [r for r in new.plan.routes if r.date == out and r.stops]
    assert new.teams["A"].available_dates == keep
    assert any("按检查组现在的设置重新规划" in w.value for w in app.warning)
