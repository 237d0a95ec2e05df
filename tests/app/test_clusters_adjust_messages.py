"""AppTest of 关联分析 → 人工调整 after the browser walks: after 逐件移出 the page stays on a sensible group with the
panel open and the message beside it, saying where the letter went; 合并 says what it merged.

Walk: split two letters into a new group, move one of them out: the group was left with one letter and dropped from
the list, the page switched to an unrelated group with 人工调整 folded, and the message stood above that group.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from test_clusters_manual_fixes import D1, E1, E2, E3, E4, app  # noqa: F401  (app is a fixture)

from pages.common import Key

PANEL = "人工调整（合并、拆分、移出、移入、加入）"


def _panel(page: AppTest):
    return next(e for e in page.expander if e.label == PANEL)


def _panel_says(page: AppTest) -> str:
    return " ".join(s.value for s in _panel(page).success)


def test_a_letter_moved_out_of_a_group_of_two_shows_where_it_went(app: AppTest) -> None:  # noqa: F811
    app.run()
    deposit = app.session_state[Key.CLUSTER_RESULT].issue_of[E1]
    app.multiselect(key="cl_letters_pick").set_value([E2, E3]).run()
    app.button(key="cl_split").click().run()
    new = app.session_state[Key.CLUSTER_RESULT].issue_of[E2]
    assert new != deposit
    assert app.session_state[Key.SELECTED_CLUSTER] == deposit  # two letters are left: the page stays on it
    assert "拆分为新的一组「" in _panel_says(app) and new not in _panel_says(app)  # words, not the id (test_f13)
    assert app.session_state["cl_edit_open"] is True  # the panel stays open

    app.selectbox(key="cl_pick").set_value(new).run()
    app.multiselect(key="cl_letters_pick").set_value([E3]).run()
    app.button(key="cl_detach").click().run()
    assert not app.exception
    result = app.session_state[Key.CLUSTER_RESULT]
    alone = result.issue_of[E3]
    assert alone not in (new, deposit) and result.issue_of[E2] == new
    # The group left holds one letter: the page shows where the letter went, listed (至少几件 now 1), panel open.
    assert app.session_state[Key.SELECTED_CLUSTER] == alone
    assert app.selectbox(key="cl_pick").value == alone
    assert app.number_input(key="cl_min_size").value == 1
    assert app.session_state["cl_edit_open"] is True and _panel(app).proto.expanded
    said = _panel_says(app)
    assert f"{E3} 现单独一件" in said and alone not in said and new not in said, said
    assert f"只剩 {E2} 一件" in said and "至少几件" in said and f"现显示 {E3}（单独一件）" in said
    assert not any(E3 in s.value for s in app.success if s not in _panel(app).success)  # beside it, not on top


def test_a_letter_moved_out_of_a_larger_group_keeps_the_page_on_that_group(app: AppTest) -> None:  # noqa: F811
    app.run()
    deposit = app.session_state[Key.CLUSTER_RESULT].issue_of[E1]
    app.multiselect(key="cl_letters_pick").set_value([E4]).run()
    app.button(key="cl_detach").click().run()
    assert not app.exception
    result = app.session_state[Key.CLUSTER_RESULT]
    assert app.session_state[Key.SELECTED_CLUSTER] == deposit and app.selectbox(key="cl_pick").value == deposit
    assert app.number_input(key="cl_min_size").value == 2  # nothing to widen
    said = _panel_says(app)
    assert f"{E4} 现单独一件" in said and result.issue_of[E4] not in said and "原组" not in said and "恢复" in said


def test_a_merge_says_which_group_went_into_which(app: AppTest) -> None:  # noqa: F811
    app.run()
    before = app.session_state[Key.CLUSTER_RESULT]
    deposit, lowinc = before.issue_of[E1], before.issue_of[D1]
    assert app.session_state[Key.SELECTED_CLUSTER] == deposit
    app.selectbox(key="cl_merge_target").set_value(lowinc).run()
    app.button(key="cl_merge").click().run()
    assert not app.exception
    assert app.session_state[Key.CLUSTER_RESULT].issue_of[E1] == lowinc
    assert app.session_state[Key.SELECTED_CLUSTER] == lowinc
    said = _panel_says(app)
    assert (f"已合并：「{before.cluster(deposit).label}」（4 件）并入「{before.cluster(lowinc).label}」（2 件），"
            "合并后共 6 件") in said, said
