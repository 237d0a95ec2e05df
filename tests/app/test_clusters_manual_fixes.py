"""AppTest of 关联分析 → 人工调整 after the browser walk (defects M2 and L5).

M2: typing a case number into the old "把其他信件加入本组" search offered "全选 N 个匹配项" first and one click added
18 unrelated letters; the detach list showed bare numbers; a letter moved out by mistake could never go back.
L5: "是同一问题" in 待确认关联 jumped back to the 同类问题 tab.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.store.database import session_scope
from planner.store.models import AuditRow, ClusterDecision

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")

# Case numbers that share their digits, as a register's 自编 numbers do: a fuzzy search matches several of them.
E1, E2, E3, E4 = "自编-20260808-a1", "自编-20260826-b2", "自编-20260809-c3", "自编-20260806-d4"
D1, D2, X1 = "自编-20260808-e5", "自编-20260828-f6", "自编-20260880-g7"
LETTERS = [
    (E1, "350628", "平和县", "九峰镇", "九峰镇林业站向林农收取桉树砍伐保证金每亩200元，砍伐后不予退还，请求查处。"),
    (E2, "350627", "南靖县", "书洋镇", "书洋镇林业站收取桉树砍伐保证金，林农砍伐桉树后保证金一直不退。"),
    (E3, "350629", "华安县", "仙都镇", "仙都镇林业站要求砍伐桉树先交保证金，至今未退还保证金。"),
    (E4, "350605", "长泰区", "枋洋镇", "枋洋镇林业站违规收取桉树砍伐保证金，请纪委核实。"),
    (D1, "350623", "漳浦县", "旧镇镇", "旧镇镇某村村干部优亲厚友，把亲属纳入低保，真正困难户吃不上低保。"),
    (D2, "350623", "漳浦县", "旧镇镇", "旧镇镇某村低保评定不公，村干部亲属违规享受低保。"),
    (X1, "350602", "芗城区", "石亭镇", "石亭镇某工程偷工减料，道路刚修好就开裂。"),
]


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    return at


def _fresh() -> AppTest:
    again = AppTest.from_file(PAGE, default_timeout=60)
    again.session_state[Key.TODAY] = TODAY
    again.run()
    return again


def _decisions(engine) -> list[tuple[str, list[str]]]:
    with session_scope(engine) as s:
        return [(d.action, d.payload["letter_ids"]) for d in s.scalars(select(ClusterDecision))]


def test_a_partial_number_adds_nothing_and_exact_numbers_add_exactly_those_letters(engine, app: AppTest) -> None:
    app.run()
    assert not app.exception
    deposit = app.session_state[Key.CLUSTER_RESULT].issue_of[E1]
    assert app.session_state[Key.SELECTED_CLUSTER] == deposit
    # What the walker typed: part of a number. Nothing is offered to add, the number is named as not found.
    app.text_area(key="cl_add_nos").input("20260808").run()
    assert not app.exception
    assert app.button(key="cl_add").disabled
    assert any("没有找到这些编号：20260808" in w.value and "编号须完整" in w.value for w in app.warning)
    assert not [m for m in app.multiselect if m.key == "cl_add_pick"]  # no fuzzy search with "select all"

    app.text_area(key="cl_add_nos").input(f"{X1}，{E2}\n{D1}  nope").run()
    shown = [t.value for t in app.text]
    line = next(t for t in shown if t.startswith(X1))
    assert "2026-" in line and "芗城区石亭镇" in line and "偷工减料" in line  # date, place, first words
    assert any(t.startswith(E2) and "已在本组" in t for t in shown)
    assert any("没有找到这些编号：nope" in w.value for w in app.warning)
    assert app.button(key="cl_add").label == "加入本组（2 件）"
    app.button(key="cl_add").click().run()
    assert not app.exception
    result = app.session_state[Key.CLUSTER_RESULT]
    assert result.issue_of[X1] == result.issue_of[D1] == deposit
    assert result.cluster(deposit).size == 6  # the 4 deposit letters and exactly the 2 typed ones
    assert _decisions(engine) == [("move", [X1, D1])]
    assert app.text_area(key="cl_add_nos").value == ""  # the typed numbers are cleared after the action


def test_the_letters_to_move_out_show_their_summaries(app: AppTest) -> None:
    app.run()
    options = app.multiselect(key="cl_letters_pick").options
    assert len(options) == 4
    assert all("｜" in o and "保证金" in o for o in options), options


def test_a_letter_moved_out_by_mistake_goes_back_with_restore(engine, app: AppTest) -> None:
    app.run()
    deposit = app.session_state[Key.CLUSTER_RESULT].issue_of[E1]
    app.multiselect(key="cl_letters_pick").select(E2).run()
    app.button(key="cl_detach").click().run()
    assert not app.exception
    assert app.session_state[Key.CLUSTER_RESULT].issue_of[E2] != deposit
    assert app.multiselect(key="cl_letters_pick").value == []  # the selection is cleared after the action
    assert any("恢复" in s.value for s in app.success)
    # Before the fix this was for good: a new analysis replays the detach.
    assert _fresh().session_state[Key.CLUSTER_RESULT].issue_of[E2] != deposit

    app.text_area(key="cl_add_nos").input(E2).run()
    assert any(t.value.startswith(E2) and "有人工调整" in t.value for t in app.text)
    app.button(key="cl_restore_typed").click().run()
    assert not app.exception
    assert app.session_state[Key.CLUSTER_RESULT].issue_of[E2] == deposit
    assert any("已恢复 1 件信件的自动分组" in s.value for s in app.success)
    assert _decisions(engine) == []
    with session_scope(engine) as s:
        audited = s.scalars(select(AuditRow).where(AuditRow.action == "cluster_restore")).all()
        assert [a.case_nos for a in audited] == [[E2]]
    again = _fresh()
    assert again.session_state[Key.CLUSTER_RESULT].issue_of[E2] == deposit
    again.button(key="cl_rerun").click().run()  # 重新分析 keeps it there
    assert again.session_state[Key.CLUSTER_RESULT].issue_of[E2] == deposit


def test_a_letter_added_by_mistake_is_restored_from_the_group_and_a_singleton_too(engine, app: AppTest) -> None:
    app.run()
    deposit = app.session_state[Key.CLUSTER_RESULT].issue_of[E1]
    app.text_area(key="cl_add_nos").input(X1).run()
    app.button(key="cl_add").click().run()
    assert app.session_state[Key.CLUSTER_RESULT].issue_of[X1] == deposit
    app.multiselect(key="cl_letters_pick").select(X1).run()
    app.button(key="cl_restore_picked").click().run()
    assert not app.exception
    result = app.session_state[Key.CLUSTER_RESULT]
    assert result.issue_of[X1] != deposit and result.cluster(result.issue_of[X1]).size == 1
    assert _decisions(engine) == []
    # A singleton is reached with 至少几件 = 1: its own 人工调整 offers the same restore.
    app.multiselect(key="cl_letters_pick").select(E3).run()
    app.button(key="cl_detach").click().run()
    single = app.session_state[Key.CLUSTER_RESULT].issue_of[E3]
    app.number_input(key="cl_min_size").set_value(1).run()
    app.selectbox(key="cl_pick").select(single).run()
    assert app.multiselect(key="cl_letters_pick").options[0].startswith(E3)
    app.multiselect(key="cl_letters_pick").select(E3).run()
    app.button(key="cl_restore_picked").click().run()
    assert app.session_state[Key.CLUSTER_RESULT].issue_of[E3] == deposit


def test_confirming_a_near_miss_stays_on_the_review_tab(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    add_case(engine, "F1", county_code="350628", county="平和县", town="霞寨镇",
             content="霞寨镇林业站收取桉树砍伐保证金每亩300元，至今不退。")
    add_case(engine, "F2", county_code="350628", county="平和县", town="霞寨镇",
             content="霞寨镇林业站办理采伐证要交设计费每亩50元，没有依据。")
    add_case(engine, "F3", county_code="350604", county="龙海区", town="白水镇", content="大霞村低保评定优亲厚友。")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    assert at.get("tab_container")[0].proto.id  # a keyed widget: a rerun does not reset the open tab
    at.session_state["cl_tab"] = "待确认关联"
    at.run()
    at.button(key="cl_nm_yes_F1_F2").click().run()
    assert not at.exception
    assert at.session_state[Key.CLUSTER_RESULT].issue_of["F1"] == at.session_state[Key.CLUSTER_RESULT].issue_of["F2"]
    assert at.session_state["cl_tab"] == "待确认关联"
    assert at.get("tab_container")[0].proto.id
