"""关联分析 (walk W28): a leader who sees every letter (no plan issued yet: the whole register is the pool) runs the
office's analysis: it is stored, so 选件 no longer says letters were 尚未做关联分析, and a 全部重新归类 logged as a
change is the grouping kept afterwards. An account that sees only part of the letters is told, in the log, that its
run was not stored as the office's groups."""

from __future__ import annotations

import pytest
from _ui_data import add_case, db_url
from app_steps import clusters_page, issue_route
from sqlalchemy import select

from pages.common import Key
from planner.followup.overview import unanalysed_note
from planner.office import audit
from planner.office.security import Actor
from planner.store import clusters as store
from planner.store.cases import load_cases
from planner.store.database import session_scope
from planner.store.models import CaseRow, ClusterMember, ClusterRow

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
    return engine


def _stored(engine) -> dict[str, str]:
    with session_scope(engine) as s:
        rows = s.execute(select(CaseRow.case_no, ClusterRow.id).join(ClusterMember, ClusterMember.case_id == CaseRow.id)
                         .join(ClusterRow, ClusterRow.id == ClusterMember.cluster_id).where(ClusterRow.kind == "issue"))
        return dict(rows.all())


def _partition(issue_of: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for no, cid in issue_of.items():
        groups.setdefault(cid, set()).add(no)
    return {frozenset(g) for g in groups.values()}


def test_a_leader_who_sees_every_letter_stores_the_analysis_and_its_regroup(office) -> None:
    lead = clusters_page(LEADER)
    assert not lead.exception
    shown = lead.session_state[Key.CLUSTER_RESULT]
    assert set(shown.issue_of) == {no for no, *_ in LETTERS}
    assert _partition(_stored(office)) == _partition(shown.issue_of)  # stored: was nothing
    with session_scope(office) as s:
        assert unanalysed_note(s, load_cases(s)) == ""
    lead.checkbox(key="cl_regroup").check()
    lead.button(key="cl_rerun").click().run()
    assert not lead.exception
    after = lead.session_state[Key.CLUSTER_RESULT]
    assert _stored(office) == after.issue_of  # what the log reports is what the office keeps
    with session_scope(office) as s:
        [row] = [r for r in audit.recent(s) if r["action"] == "cluster_rerun"]
        assert "saved" not in row["detail"] and "未保存" not in audit.describe(row)
        # The next session's run shows the same groups.
        assert store.recluster(s, load_cases(s)).issue_of == after.issue_of


def test_a_scoped_accounts_rerun_is_logged_as_not_stored(office) -> None:
    issue_route(office, [("D1", "V1", "T1"), ("D2", "V1", "T1")])  # 第一检查组's: the leader sees E1-E3 only
    lead = clusters_page(LEADER)
    lead.button(key="cl_rerun").click().run()
    assert not lead.exception
    with session_scope(office) as s:
        [row] = [r for r in audit.recent(s) if r["action"] == "cluster_rerun"]
        assert row["detail"]["saved"] is False
        assert "仅本账号可见的信件，未保存为全办的分组" in audit.describe(row)
