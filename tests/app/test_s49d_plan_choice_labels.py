"""The saved-plan pickers of 行程 and 路线规划 tell versions of a plan apart: a walker found older plans hard to tell
apart (the same name, no date, version or teams). Each choice says its 版, its days, its teams (an officer's, only
their own), who saved it last by display name (never the account) and when, and its status."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from planner.office import security
from planner.office.security import Actor, SessionToken
from planner.store.database import session_scope
from planner.store.models import PlanRow, RecordHistory
from planner.store.plan_labels import choice_labels
from planner.store.plans import list_plans, load_plan, resave_plan
from tests.app.test_itinerary import MONDAY, OFFICER_T1, ROOT, _officer_app, _saved

COORDINATOR = Actor(username="boss", role="coordinator", display_name="陈主任")


def _two_versions(engine, monkeypatch) -> int:
    """The fixture plan (T1 12-07/08, T2 12-07) saved by boss (陈主任), issued, then re-planned by him: 第2版, saved
    2026-12-06 14:30 Beijing time."""
    pid = _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        security.create_user(s, "boss", "Xiafang-2026-pass", role="coordinator", display_name="陈主任")
        row = s.get(PlanRow, pid)
        resave_plan(s, pid, load_plan(s, pid), who="boss", expected_version=row.version)
        s.flush()
        for action, at in (("created", dt.datetime(2026, 12, 5, 1, 0)), ("replanned", dt.datetime(2026, 12, 6, 6, 30))):
            s.execute(update(RecordHistory).where(RecordHistory.kind == "plan", RecordHistory.record_id == pid,
                                                  RecordHistory.action == action).values(at=at))  # UTC
    return pid


def test_a_label_says_version_days_teams_who_saved_it_and_when(engine, monkeypatch) -> None:
    pid = _two_versions(engine, monkeypatch)
    with session_scope(engine) as s:
        every = choice_labels(s, list_plans(s))[pid]
        mine = choice_labels(s, list_plans(s, actor=OFFICER_T1), scope={"T1"})[pid]
    assert every == (f"#{pid} 第2版 · 12-07至12-08 · 第一检查组、第二检查组 · 陈主任 12-06 14:30 保存 · 已下发 · "
                     "平和 12 月第一周"), every
    assert "boss" not in every
    assert mine == (f"#{pid} 第2版 · 12-07至12-08 · 第一检查组 · 陈主任 12-06 14:30 保存 · 已下发 · "
                    "平和 12 月第一周"), mine


def test_the_itinerary_and_planning_pickers_use_it(engine, monkeypatch) -> None:
    pid = _two_versions(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    label = at.selectbox(key="it_plan").format_func(pid)
    assert label.startswith(f"#{pid} 第2版 · 12-07至12-08 · 第一检查组 · 陈主任 12-06 14:30 保存 · 已下发"), label
    # The whole label under the box, where a phone's box cuts it off.
    assert any(c.value == f"所选计划：{label}" for c in at.caption), [c.value for c in at.caption]
    assert "第二检查组" not in label and "boss" not in label
    app = AppTest.from_file(str(ROOT / "pages" / "planning.py"), default_timeout=60)
    app.session_state["actor"] = COORDINATOR
    app.session_state["session_token"] = SessionToken.issue(COORDINATOR)
    app.session_state["today"] = MONDAY
    app.run()
    assert not app.exception
    options = app.selectbox(key="pl_life_plan").options
    assert (f"#{pid} 第2版 · 12-07至12-08 · 第一检查组、第二检查组 · 陈主任 12-06 14:30 保存 · 已下发 · "
            "平和 12 月第一周") in options, options
