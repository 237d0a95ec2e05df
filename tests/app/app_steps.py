"""Steps the page AppTests share: open 路线规划 or 关联分析 as someone, save and issue a plan on the planning page,
put letters on an issued route. Imported by the tests as a plain module (``from app_steps import ...`` in tests/app,
``from tests.app.app_steps import ...`` elsewhere), like ``_ui_data``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.lifecycle import set_plan_status
from planner.store.models import CaseRow, PlanCase, PlanRow, VisitOutcomeRow
from planner.store.teams import save_team
from tests.app._ui_data import TODAY, add_case, db_url

PAGES = Path(__file__).resolve().parents[2] / "pages"
PLANNING = str(PAGES / "planning.py")
CLUSTERS = str(PAGES / "clusters.py")
FOLLOWUP = str(PAGES / "followup.py")
#: Monday 07:00, when the shared plans are saved on the planning page.
MONDAY_7 = dt.datetime.combine(TODAY, dt.time(7, 0))


def planning_page(today: dt.date, now: dt.datetime | None = None) -> AppTest:
    """路线规划 (not yet run) on ``today``, its clock at ``now`` when given."""
    at = AppTest.from_file(PLANNING, default_timeout=90)
    at.session_state[Key.TODAY] = today
    if now is not None:
        at.session_state["planning_now"] = now
    return at


def planning_at(now: dt.datetime) -> AppTest:
    """路线规划 (not yet run) on ``now``'s day at ``now``."""
    return planning_page(now.date(), now)


def open_plan(pid: int, now: dt.datetime) -> AppTest:
    """路线规划 at ``now`` with plan ``pid`` opened (打开此计划 clicked); the caller checks what it says."""
    app = planning_at(now)
    app.run()
    app.button(key=f"pl_open_{pid}").click().run()
    return app


def save_issued_plan(engine: Engine, monkeypatch: pytest.MonkeyPatch, visits: Sequence[Visit], *, days: int,
                     team_name: str = "平和一组", now: dt.datetime | None = MONDAY_7) -> int:
    """Team A, a letter for each case number of ``visits``, a ``days``-day plan of one stop a day's limit saved on
    the page (from TODAY at ``now``; with ``now`` None, the page's own start and clock) and issued: its id."""
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", team_name, 117.313, 24.363, base_name="平和县纪委监委"))
    for v in visits:
        for no in v.case_nos:
            add_case(engine, no)
    app = planning_page(TODAY, now)
    app.session_state[Key.VISITS] = tuple(visits)
    app.run()
    if now is not None:
        app.date_input(key="pl_start").set_value(now.date())
    app.number_input(key="pl_days").set_value(days)
    app.number_input(key="pl_limit").set_value(1)
    next(b for b in app.button if b.label == "开始规划").click().run()
    next(b for b in app.button if b.label == "保存方案").click().run()
    assert not app.exception and not app.error
    pid = app.session_state[Key.PLAN_ID]
    with session_scope(engine) as s:
        set_plan_status(s, pid, "issued", who="admin")
    return pid


def clusters_page(actor: Actor | None = None, *, timeout: int = 60) -> AppTest:
    """关联分析 on TODAY, run, as ``actor`` (None: the conftest's administrator); the caller checks it."""
    at = AppTest.from_file(CLUSTERS, default_timeout=timeout)
    at.session_state[Key.TODAY] = TODAY
    if actor is not None:
        at.session_state["actor"] = actor
    at.run()
    return at


def followup_page(actor: Actor) -> AppTest:
    """回访跟踪 on TODAY, run, as ``actor``; checked to have run without an exception."""
    app = AppTest.from_file(FOLLOWUP, default_timeout=30)
    app.session_state[Key.TODAY] = TODAY
    app.session_state["actor"] = actor
    app.run()
    assert not app.exception
    return app


#: The letter the 回访跟踪 AppTests record on: a 桉树 deposit at 平和县山格镇土田村.
_PH01 = {"case_no": "PH-01", "content": "反映林业站收取桉树砍伐保证金", "category": "林业", "county": "平和县",
         "county_code": "350628", "town": "山格镇", "village": "土田村", "lon": 117.3, "lat": 24.4}


#: A 低保 letter's place: 东山县陈城镇澳角村 (walk W17's letters).
AOJIAO = {"category": "低保", "county": "东山县", "county_code": "350626", "town": "陈城镇", "village": "澳角村",
          "lon": 117.5, "lat": 23.6}


def routed_letter(s, *, team: str = "T5", plan_status: str = "issued", untrue_by: str = "",
                  households: int | None = None, **case: object) -> CaseRow:
    """A letter (PH-01 unless ``case`` says otherwise) on ``team``'s route of plan 第49周 today, in session ``s``;
    with ``untrue_by`` also visited today and recorded 反映不实 by that account."""
    row = CaseRow(**{**_PH01, "received_date": dt.date(2026, 11, 1), "deadline": dt.date(2026, 12, 31),
                     "status": "planned", **case})
    s.add(row)
    s.flush()
    plan = PlanRow(name="第49周", start_date=TODAY, days=5, status=plan_status)
    s.add(plan)
    s.flush()
    s.add(PlanCase(plan_id=plan.id, case_id=row.id, visit_id="V1", team_id=team, visit_date=TODAY, seq=1))
    if untrue_by:
        counted = {} if households is None else {"households_visited": households}
        s.add(VisitOutcomeRow(case_id=row.id, visit_date=TODAY, result="visited", team_id=team, report_true=False,
                              findings="反映不实", recorded_by=untrue_by, **counted))
    s.flush()
    return row


def issue_route(engine: Engine, stops: Iterable[tuple[str, str, str]]) -> int:
    """An issued one-day plan 第49周 (made by coord) putting each (case no, visit id, team id) on TODAY: its id."""
    with session_scope(engine) as s:
        plan = PlanRow(name="第49周", start_date=TODAY, days=1, status="issued", created_at=dt.datetime(2026, 12, 1),
                       created_by="coord", solver_status="feasible", objective=0, runtime_s=1.0, problem={},
                       result={}, version=1)
        s.add(plan)
        s.flush()
        ids = dict(s.execute(select(CaseRow.case_no, CaseRow.id)).all())
        s.add_all([PlanCase(plan_id=plan.id, case_id=ids[no], visit_id=vid, team_id=team, visit_date=TODAY, seq=1)
                   for no, vid, team in stops])
        return plan.id


def jiuzhen_letters_on_t1_route(engine: Engine, monkeypatch: pytest.MonkeyPatch,
                                letters: Iterable[tuple[str, str]]) -> Engine:
    """The (case no, text) letters from 漳浦县旧镇镇, all on 第一检查组's (T1) issued route: an officer of T1 sees
    them all. The engine, for the fixture to return."""
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    letters = list(letters)
    for no, text in letters:
        add_case(engine, no, county_code="350623", county="漳浦县", town="旧镇镇", content=text)
    issue_route(engine, [(no, "V1", "T1") for no, _t in letters])
    return engine
