"""AppTest of 关联分析: systemic issue listed first with its counties, letters and map; manual merge and
detach are persisted and survive re-analysis; open letters go to the selection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.store.database import session_scope
from planner.store.models import ClusterDecision, ClusterRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")

LETTERS = [
    ("E1", "350628", "平和县", "九峰镇", "九峰镇林业站向林农收取桉树砍伐保证金每亩200元，砍伐后不予退还，请求查处。"),
    ("E2", "350627", "南靖县", "书洋镇", "书洋镇林业站收取桉树砍伐保证金，林农砍伐桉树后保证金一直不退。"),
    ("E3", "350629", "华安县", "仙都镇", "仙都镇林业站要求砍伐桉树先交保证金，至今未退还保证金。"),
    ("E4", "350605", "长泰区", "枋洋镇", "枋洋镇林业站违规收取桉树砍伐保证金，请纪委核实。"),
    ("D1", "350623", "漳浦县", "旧镇镇", "旧镇镇某村村干部优亲厚友，把亲属纳入低保，真正困难户吃不上低保。"),
    ("D2", "350623", "漳浦县", "旧镇镇", "旧镇镇某村低保评定不公，村干部亲属违规享受低保。"),
    ("X1", "350602", "芗城区", "石亭镇", "石亭镇某工程偷工减料，道路刚修好就开裂。"),
]


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text,
                 status="resolved" if no == "E4" else "registered")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    return at


def test_systemic_issue_first_with_counties_map_and_letters(app: AppTest) -> None:
    app.run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["关联问题（2 件以上）"] == "2"
    assert metrics["跨县系统性问题"] == "1"
    table = app.dataframe[0].value
    assert list(table["件数"]) == [4, 2]  # singletons are not "related"; systemic first
    assert table["系统性"].iloc[0] == "是"
    assert set(table["区县"].iloc[0].split("、")) == {"平和县", "南靖县", "华安县", "长泰区"}
    assert table["未办结"].iloc[0] == 3
    assert any("系统性问题" in w.value for w in app.warning)
    letters = app.dataframe[1].value
    assert set(letters["编号"]) == {"E1", "E2", "E3", "E4"}
    script = next(json.loads(el.proto.json_args)["script"] for el in app.get("component_instance")
                  if "script" in el.proto.json_args)
    assert "E2" in script and "D1" not in script
    result = app.session_state[Key.CLUSTER_RESULT]
    assert result.issue_of["E1"] == result.issue_of["E3"]


def test_systemic_filter_and_repeat_tab(app: AppTest) -> None:
    app.run()
    app.checkbox(key="cl_systemic_only").check().run()
    assert list(app.dataframe[0].value["件数"]) == [4]


def test_add_open_letters_to_selection(app: AppTest) -> None:
    app.session_state[Key.PLAN_ID] = 7
    app.run()
    app.button(key="cl_add_to_selection").click().run()
    assert sorted(app.session_state[Key.SELECTED_CASES]) == ["E1", "E2", "E3"]  # E4 is resolved
    assert app.session_state[Key.PLAN_ID] is None


def test_merge_and_detach_are_persisted_and_replayed(engine, app: AppTest) -> None:
    app.run()
    _first, second = list(app.dataframe[0].value["编号"])
    app.selectbox(key="cl_merge_target").select(second).run()
    app.button(key="cl_merge").click().run()
    assert not app.exception
    result = app.session_state[Key.CLUSTER_RESULT]
    assert result.issue_of["D1"] == result.issue_of["E1"]
    assert app.dataframe[0].value["件数"].iloc[0] == 6
    with session_scope(engine) as s:
        decisions = s.scalars(select(ClusterDecision)).all()
        assert [d.action for d in decisions] == ["merge"]

    app.multiselect(key="cl_letters_pick").select("D2").run()
    app.button(key="cl_detach").click().run()
    result = app.session_state[Key.CLUSTER_RESULT]
    assert result.issue_of["D2"] != result.issue_of["E1"]
    # A new session re-analyses from the database and replays both decisions.
    again = AppTest.from_file(PAGE, default_timeout=60)
    again.session_state[Key.TODAY] = TODAY
    again.run()
    r2 = again.session_state[Key.CLUSTER_RESULT]
    assert r2.issue_of["D1"] == r2.issue_of["E1"] and r2.issue_of["D2"] != r2.issue_of["E1"]
    with session_scope(engine) as s:
        assert s.scalar(select(ClusterRow.id).where(ClusterRow.id == r2.issue_of["E1"])) is not None


def test_officer_cannot_change_clusters(app: AppTest) -> None:
    from planner.office.security import Actor

    app.session_state[Key.ACTOR] = Actor(username="off", role="officer")
    app.run()
    # Officers see only their teams' cases; with none planned yet the page explains and offers no action.
    assert any("只能查看本组" in i.value for i in app.info)
    assert not app.button


def test_letters_added_to_a_group_and_moved_out_survive_reanalysis(engine, app: AppTest) -> None:
    from planner.store.models import AuditRow

    app.run()
    result = app.session_state[Key.CLUSTER_RESULT]
    deposit, dibao = result.issue_of["E1"], result.issue_of["D1"]
    assert result.issue_of["X1"] not in (deposit, dibao)
    # The deposit issue is picked (first row): add X1 to it, then move E4 out into the 低保 group.
    app.text_area(key="cl_add_nos").input("X1").run()
    app.button(key="cl_add").click().run()
    assert not app.exception
    assert app.session_state[Key.CLUSTER_RESULT].issue_of["X1"] == deposit
    app.multiselect(key="cl_letters_pick").select("E4").run()
    app.selectbox(key="cl_move_target").select(dibao).run()
    app.button(key="cl_move").click().run()
    result = app.session_state[Key.CLUSTER_RESULT]
    assert result.issue_of["E4"] == dibao and result.issue_of["X1"] == deposit
    with session_scope(engine) as s:
        assert [d.action for d in s.scalars(select(ClusterDecision)).all()] == ["move", "move"]
        audited = s.scalars(select(AuditRow).where(AuditRow.action == "cluster_move")).all()
        assert [a.case_nos for a in audited] == [["X1"], ["E4"]]
    again = AppTest.from_file(PAGE, default_timeout=60)
    again.session_state[Key.TODAY] = TODAY
    again.run()
    r2 = again.session_state[Key.CLUSTER_RESULT]
    assert r2.issue_of["X1"] == r2.issue_of["E1"] and r2.issue_of["E4"] == r2.issue_of["D1"]


def test_review_queue_confirms_or_rejects_a_near_miss_in_one_click(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    add_case(engine, "F1", county_code="350628", county="平和县", town="霞寨镇",
             content="霞寨镇林业站收取桉树砍伐保证金每亩300元，至今不退。")
    add_case(engine, "F2", county_code="350628", county="平和县", town="霞寨镇",
             content="霞寨镇林业站办理采伐证要交设计费每亩50元，没有依据。")
    add_case(engine, "F3", county_code="350604", county="龙海区", town="白水镇", content="大霞村低保评定优亲厚友。")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    assert not at.exception
    result = at.session_state[Key.CLUSTER_RESULT]
    assert result.issue_of["F1"] != result.issue_of["F2"]
    keys = [b.key for b in at.button if b.key and b.key.startswith("cl_nm_")]
    assert "cl_nm_yes_F1_F2" in keys and "cl_nm_no_F1_F2" in keys
    assert any("反对：" in m.value for m in at.markdown) and any("支持：" in m.value for m in at.markdown)
    pair = next(m.value for m in at.markdown if "**F1**" in m.value and "相似度" in m.value)
    assert "单独一件" in pair and "I0" not in pair  # the issue as a leader reads it, not its internal id
    at.button(key="cl_nm_no_F1_F2").click().run()
    assert not at.exception
    assert "cl_nm_yes_F1_F2" not in [b.key for b in at.button]  # rejected: not proposed again
    with session_scope(engine) as s:
        d = s.scalars(select(ClusterDecision)).all()
        assert [(x.action, x.payload["letter_ids"]) for x in d] == [("unlink", ["F1", "F2"])]
