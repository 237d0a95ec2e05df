"""AppTest of 路线规划 → 打开此计划 on a plan whose re-plan merged 隆庆村's 改期 letter and 未找到 letter into one stop
(tests/routing/test_s48a_revisit_counts.py): the lock box says both, and 重新规划其余走访点 on the page keeps
记录为改期、未找到 in its note (the page passes OpenedPlan.both), not 未找到 alone."""

from __future__ import annotations

import datetime as dt

from _ui_data import db_url
from app_steps import open_plan as open_on_page

from planner.store.database import session_scope
from tests.routing.test_s48a_revisit_counts import _resaved
from tests.routing.test_w13f2_revisits_one_stop import TUESDAY, _running, _where


def test_the_page_says_both_kinds_of_a_merged_revisit_stop(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        pid = _running(s)
        new, _notes = _resaved(s, pid, days=3)
        (stop,) = [vid for vid in _where(new) if {"ZZ1B", "ZZ1C"} <= set(new.visits[vid].case_nos)]
    app = open_on_page(pid, dt.datetime.combine(TUESDAY, dt.time(7, 0)))
    assert not app.exception and not app.error, [e.value for e in app.error]
    said = " ".join(c.value for c in app.caption)
    assert f"{stop} 平和县山格镇隆庆村（12-07 改期、未找到）" in said, said
    next(b for b in app.button if b.label == "重新规划其余走访点").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    (note,) = [n for n in app.session_state["planning_replan_note"] if n.startswith(f"{stop} ")]
    assert "记录为改期、未找到" in note, note
