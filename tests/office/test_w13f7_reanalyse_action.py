"""关联分析 (walk W13): a re-run refused to an account without the right was refused by authorise(actor, "plan"), so
it read 「无权规划路线」, an action the user was not attempting. 重新分析 now has its own action, 重新分析关联 (the
planners': admin, coordinator, leader), with the page's 重新分析 and 全部重新归类 in the matrix; its refusal names
it."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.errors import PermissionDenied
from planner.office import audit
from planner.office import authorisation as authz
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow
from tests.app._ui_data import TODAY, add_case, db_url

from ._seed import ACCOUNTS

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")
OFFICER = Actor("off1", "officer", team_ids=("T1",), display_name="干部")
LETTERS = [("D1", "旧镇镇某村村干部优亲厚友，把亲属纳入低保。"),
           ("D2", "旧镇镇某村低保评定不公，村干部亲属违规享受低保。")]


@pytest.fixture()
def office(engine, monkeypatch):
    """Two letters on 第一检查组's issued route: the officer sees them."""
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, text in LETTERS:
        add_case(engine, no, county_code="350623", county="漳浦县", town="旧镇镇", content=text)
    with session_scope(engine) as s:
        plan = PlanRow(name="第49周", start_date=TODAY, days=1, status="issued", created_at=dt.datetime(2026, 12, 1),
                       created_by="coord", solver_status="feasible", objective=0, runtime_s=1.0, problem={},
                       result={}, version=1)
        s.add(plan)
        s.flush()
        ids = dict(s.execute(select(CaseRow.case_no, CaseRow.id)).all())
        s.add_all([PlanCase(plan_id=plan.id, case_id=ids[no], visit_id="V1", team_id="T1", visit_date=TODAY, seq=1)
                   for no, _t in LETTERS])
    return engine


def test_the_refusal_names_the_re_run_not_route_planning() -> None:
    with pytest.raises(PermissionDenied) as refused:
        authz.authorise(ACCOUNTS["officer"], "reanalyse")
    said = str(refused.value)
    assert f"无权{authz.ACTIONS['reanalyse'].label}" in said and "重新分析" in said
    assert authz.ACTIONS["plan"].label not in said
    for role in ("admin", "coordinator", "leader"):  # those who may adjust the groups may re-run them
        authz.authorise(ACCOUNTS[role], "reanalyse")
    assert authz.ACTIONS["reanalyse"].roles == authz.ACTIONS["plan"].roles
    assert {authz.entry("action", k).action for k in ("cl_rerun", "cl_regroup")} == {"reanalyse"}


def test_a_re_run_refused_on_the_page_names_the_re_run(office, monkeypatch) -> None:
    real = authz.is_allowed

    def offered_on_the_page(actor, action: str) -> bool:
        # The page offers 重新分析 (the right was there when it was drawn); authorise itself still says no.
        caller = inspect.stack()[1].filename
        return True if action == "reanalyse" and caller.endswith("clusters.py") else real(actor, action)

    monkeypatch.setattr(authz, "is_allowed", offered_on_the_page)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["actor"] = OFFICER
    at.run()
    assert not at.exception, at.exception
    at.button(key="cl_rerun").click().run()
    assert not at.exception, at.exception
    said = " ".join(e.value for e in at.error)
    assert "无权重新分析关联" in said and "规划路线" not in said, said
    with session_scope(office) as s:
        assert not [r for r in audit.recent(s) if r["action"] == "cluster_rerun"]
