"""关联分析 (walk W13): an officer was offered 重新分析 and 全部重新归类, and their re-run was written to the audit log.
Re-running regroups the letters, an adjustment of the groups: only those with 规划权限 (admin, coordinator, leader)
are offered it, and a click that reaches the server from an account that lost the right is refused. An officer still
reads the analysis of their own letters."""

from __future__ import annotations

import pytest
from app_steps import clusters_page, jiuzhen_letters_on_t1_route
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office import audit
from planner.office.security import Actor
from planner.store.database import session_scope

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
    return jiuzhen_letters_on_t1_route(engine, monkeypatch, LETTERS)


def _open(actor: Actor) -> AppTest:
    at = clusters_page(actor)
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
