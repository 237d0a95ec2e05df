"""关联分析 (walk W13): a re-run refused to an account without the right was refused by authorise(actor, "plan"), so
it read 「无权规划路线」, an action the user was not attempting. 重新分析 now has its own action, 重新分析关联 (the
planners': admin, coordinator, leader), with the page's 重新分析 and 全部重新归类 in the matrix; its refusal names
it."""

from __future__ import annotations

import inspect

import pytest

from planner.errors import PermissionDenied
from planner.office import audit
from planner.office import authorisation as authz
from planner.office.security import Actor
from planner.store.database import session_scope
from tests.app.app_steps import clusters_page, jiuzhen_letters_on_t1_route

from ._seed import ACCOUNTS

OFFICER = Actor("off1", "officer", team_ids=("T1",), display_name="干部")
LETTERS = [("D1", "旧镇镇某村村干部优亲厚友，把亲属纳入低保。"),
           ("D2", "旧镇镇某村低保评定不公，村干部亲属违规享受低保。")]


@pytest.fixture()
def office(engine, monkeypatch):
    """Two letters on 第一检查组's issued route: the officer sees them."""
    return jiuzhen_letters_on_t1_route(engine, monkeypatch, LETTERS)


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
    at = clusters_page(OFFICER)
    assert not at.exception, at.exception
    at.button(key="cl_rerun").click().run()
    assert not at.exception, at.exception
    said = " ".join(e.value for e in at.error)
    assert "无权重新分析关联" in said and "规划路线" not in said, said
    with session_scope(office) as s:
        assert not [r for r in audit.recent(s) if r["action"] == "cluster_rerun"]
