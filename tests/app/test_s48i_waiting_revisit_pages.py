"""AppTest of walk W15 on the pages: a letter recorded 改期 with 12-09 agreed, which the re-plan (第 2 版) of a plan
ending 12-08 left out, read 到期回访 0 on 首页 and was not in 回访跟踪's 今日与回访. Now 首页 counts it 待再访 (已逾期
once past the day) and 回访跟踪 lists it first, saying the agreed day and which plan left it out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor
from planner.store.database import session_scope
from tests.test_s48i_waiting_revisits import MONDAY, _left_out

PAGES = Path(__file__).resolve().parents[2] / "pages"
THURSDAY = MONDAY + dt.timedelta(days=3)


def _page(engine, monkeypatch, name: str, actor: Actor) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        pid = _left_out(s)
    at = AppTest.from_file(str(PAGES / name), default_timeout=60)
    at.session_state[Key.TODAY] = THURSDAY
    at.session_state["actor"] = actor
    at.session_state["s48i_pid"] = pid
    return at


def test_home_counts_the_waiting_revisits(engine, monkeypatch) -> None:
    at = _page(engine, monkeypatch, "home.py", Actor("coord", "coordinator"))
    at.run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["待再访"] == "2", metrics
    assert any(c.value == "其中已逾期 2 件" for c in at.caption), [c.value for c in at.caption]


def test_followup_today_lists_the_promised_visit(engine, monkeypatch) -> None:
    at = _page(engine, monkeypatch, "followup.py", Actor("lead", "leader", team_ids=("T1",)))
    pid = at.session_state["s48i_pid"]
    at.session_state["fu_scope"] = "today"
    at.session_state["fu_case"] = "ZZ1B"
    at.run()
    assert not at.exception, at.exception
    box = at.selectbox(key="fu_case")
    # The running plan's 12-08 stops, never recorded, are listed first as work due too (walk W26).
    assert [o.split(" · ")[0] for o in box.options] == ["[待登记 12-08] ZZ4", "[待登记 12-08] ZZ3", "[待再访] ZZ1C",
                                                        "[待再访] ZZ1B"], box.options
    assert box.value == "ZZ1B"
    said = [w.value for w in at.warning if "待再访" in w.value]
    assert said and "约定 12-09 再访（已逾期 1 天）" in said[0] and f"计划 #{pid}" in said[0], said
