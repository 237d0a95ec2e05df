"""关联分析 (walk W13): an officer was offered 重新分析 and 全部重新归类, and their re-run was written to the audit log.
Re-running regroups the letters, an adjustment of the groups: only those with 规划权限 (admin, coordinator, leader)
are offered it, and a click that reaches the server from an account that lost the right is refused. An officer still
reads the analysis of their own letters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office import audit
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")
COORDINATOR = Actor("coord", "coordinator", display_name="协调员")
LEADER = Actor("lead1", "leader", team_ids=("T1",), display_name="组长")
OFFICER = Actor("off1", "officer", team_ids=("T1",), display_name="干部")

LETTERS = [
    ("D1", "旧镇镇某村村干部优亲厚友，把亲属纳入低保，真正困难户吃不上低保。"),
    ("D2", "旧镇镇某村低保评定不公，村干部亲属违规享受低保。"),
    ("D3", "旧镇镇某村村干部把自己亲戚评为低保户，符合条件的困难群众评不上低保。"),
]


@pytest.fixture()
def office(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, text in LETTERS:
        add_case(engine, no, county_code="350623", county="漳浦县", town="旧镇镇", content=text)
    with session_scope(engine) as s:  # every letter is on 第一检查组's route: the officer sees them all
        plan = PlanRow(name="第49周", start_date=TODAY, days=1, status="issued", created_at=dt.datetime(2026, 12, 1),
                       created_by="coord", solver_status="feasible", objective=0, runtime_s=1.0, problem={},
                       result={}, version=1)
        s.add(plan)
        s.flush()
        ids = dict(s.execute(select(CaseRow.case_no, CaseRow.id)).all())
        s.add_all([PlanCase(plan_id=plan.id, case_id=ids[no], visit_id="V1", team_id="T1", visit_date=TODAY, seq=1)
                   for no, _t in LETTERS])
    return engine


def _open(actor: Actor) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["actor"] = actor
    at.run()
    assert not at.exception
    return at


def _offered(at: AppTest) -> set[str]:
    keys = {b.key for b in at.button} | {c.key for c in at.checkbox}
    return keys & {"cl_rerun", "cl_regroup"}


def _reruns(engine) -> list[dict]:
    with session_scope(engine) as s:
        return [r for r in audit.recent(s) if r["action"] == "cluster_rerun"]


def test_an_officer_reads_the_groups_but_is_offered_no_rerun(office) -> None:
    at = _open(OFFICER)
    result = at.session_state[Key.CLUSTER_RESULT]
    assert set(result.issue_of) == {no for no, _t in LETTERS}  # the analysis of their letters is shown
    assert any(c.size >= 2 for c in result.issues)
    assert not _offered(at)
    assert not _reruns(office)


@pytest.mark.parametrize("actor", [COORDINATOR, LEADER], ids=["coordinator", "leader"])
def test_those_who_may_adjust_the_groups_are_offered_it(office, actor: Actor) -> None:
    at = _open(actor)
    assert _offered(at) == {"cl_rerun", "cl_regroup"}
    at.button(key="cl_rerun").click().run()
    assert not at.exception
    assert len(_reruns(office)) == 1


def test_a_click_from_an_account_that_lost_the_right_reruns_nothing(office) -> None:
    at = _open(LEADER)
    at.checkbox(key="cl_regroup").check()
    at.button(key="cl_rerun").click()
    at.session_state["actor"] = OFFICER  # the account became an officer's while the page was open
    at.run()
    assert not at.exception
    assert not _reruns(office)
    assert not _offered(at)
