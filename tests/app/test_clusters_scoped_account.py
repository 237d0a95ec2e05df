"""关联分析 opened by an account that sees only part of the letters (an officer: their team's cases; a leader:
their teams' and the unplanned pool) must not replace the office's stored clusters with an analysis of that part.

Found in a browser walk: after an officer of 第一检查组 opened 关联分析, the clusters table held 3 issues over
their 5 letters instead of the office's 22 over 241, so 选件 lost the 同类问题/跨县 weight of every other letter.
"""

from __future__ import annotations

import pytest
from _ui_data import add_case, db_url
from app_steps import clusters_page, issue_route
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, ClusterDecision, ClusterMember, ClusterRow

COORDINATOR = Actor("coord", "coordinator", display_name="协调员")
OFFICER = Actor("off1", "officer", team_ids=("T1",), display_name="干部")
LEADER = Actor("lead2", "leader", team_ids=("T2",), display_name="组长")

LETTERS = [
    ("E1", "350628", "平和县", "九峰镇", "九峰镇林业站向林农收取桉树砍伐保证金每亩200元，砍伐后不予退还，请求查处。"),
    ("E2", "350627", "南靖县", "书洋镇", "书洋镇林业站收取桉树砍伐保证金，林农砍伐桉树后保证金一直不退。"),
    ("E3", "350629", "华安县", "仙都镇", "仙都镇林业站要求砍伐桉树先交保证金，至今未退还保证金。"),
    ("D1", "350623", "漳浦县", "旧镇镇", "旧镇镇某村村干部优亲厚友，把亲属纳入低保，真正困难户吃不上低保。"),
    ("D2", "350623", "漳浦县", "旧镇镇", "旧镇镇某村低保评定不公，村干部亲属违规享受低保。"),
]


@pytest.fixture()
def office(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    # D1 and D2 are on 第一检查组's route, E1 on 第三检查组's
    issue_route(engine, [("D1", "V1", "T1"), ("D2", "V1", "T1"), ("E1", "V2", "T3")])
    return engine


def _open(actor: Actor) -> AppTest:
    at = clusters_page(actor)
    assert not at.exception
    return at


def _stored(engine) -> dict[str, set[str]]:
    with session_scope(engine) as s:
        rows = s.execute(select(ClusterRow.id, CaseRow.case_no).join(ClusterMember, ClusterMember.cluster_id ==
                                                                     ClusterRow.id)
                         .join(CaseRow, CaseRow.id == ClusterMember.case_id).where(ClusterRow.kind == "issue"))
        out: dict[str, set[str]] = {}
        for cid, no in rows:
            out.setdefault(cid, set()).add(no)
        return out


@pytest.mark.parametrize("scoped", [OFFICER, LEADER], ids=["officer", "leader"])
def test_a_scoped_account_does_not_overwrite_the_office_clusters(office, scoped: Actor) -> None:
    _open(COORDINATOR)
    before = _stored(office)
    assert set().union(*before.values()) == {no for no, *_ in LETTERS}  # the office-wide analysis: every letter
    seen = _open(scoped)
    result = seen.session_state[Key.CLUSTER_RESULT]
    assert "E1" not in result.issue_of  # the scoped account's own view leaves out what it may not see
    assert _stored(office) == before
    with session_scope(office) as s:
        assert s.scalar(select(func.count()).select_from(ClusterMember).join(
            ClusterRow, ClusterRow.id == ClusterMember.cluster_id).where(ClusterRow.kind == "issue")) == len(LETTERS)


def test_a_leaders_decision_is_kept_and_the_office_clusters_stay_whole(office) -> None:
    _open(COORDINATOR)
    original = _stored(office)
    lead = _open(LEADER)  # sees the pool (E2, E3): D1, D2 are 第一检查组's and E1 第三检查组's
    lead.number_input(key="cl_min_size").set_value(1).run()
    pick = lead.multiselect(key="cl_letters_pick")
    pick.set_value([pick.options[0]]).run()
    lead.button(key="cl_detach").click().run()
    assert not lead.exception
    with session_scope(office) as s:
        assert s.scalar(select(func.count()).select_from(ClusterDecision)) == 1
    stored = _stored(office)
    assert set().union(*stored.values()) == {no for no, *_ in LETTERS}  # still every letter, not the leader's two
    assert {"D1", "D2"} in stored.values()
    # 恢复自动分组 by the same leader: the decision goes, the letter is placed again over every letter, and the
    # office's stored clusters still hold every letter.
    with session_scope(office) as s:
        (gone,) = s.scalars(select(ClusterDecision)).one().payload["letter_ids"]
    lead.text_area(key="cl_add_nos").input(gone).run()
    lead.button(key="cl_restore_typed").click().run()
    assert not lead.exception
    with session_scope(office) as s:
        assert s.scalar(select(func.count()).select_from(ClusterDecision)) == 0
    after = lead.session_state[Key.CLUSTER_RESULT]
    assert "E1" not in after.issue_of  # E1 is not in its view: the letter's group there holds only what it sees
    assert set(after.cluster(after.issue_of[gone]).case_nos) <= {"E2", "E3"}
    assert _stored(office) == original  # the letter is back in its group, over every letter


def test_an_officer_moved_to_another_team_no_longer_sees_the_old_teams_groups(office) -> None:
    # Walk M: an officer moved from one team to another still saw the old team's groups (their 被反映对象, counties
    # and dates) until 重新分析: the page kept its earlier result and the cache did not know the account's letters.
    at = _open(OFFICER)
    assert set(at.session_state[Key.CLUSTER_RESULT].issue_of) == {"D1", "D2"}
    moved = Actor("off1", "officer", team_ids=("T3",), display_name="干部")
    at.session_state["actor"] = moved
    at.run()
    assert not at.exception
    assert set(at.session_state[Key.CLUSTER_RESULT].issue_of) == {"E1"}
    shown = " ".join(str(x.value) for x in [*at.markdown, *at.caption, *at.warning]) + " ".join(
        df.value.to_string() for df in at.dataframe)
    assert "低保" not in shown
    # A fresh page for the moved account (a new sign-in) is not served the cached old analysis either.
    assert set(_open(moved).session_state[Key.CLUSTER_RESULT].issue_of) == {"E1"}
