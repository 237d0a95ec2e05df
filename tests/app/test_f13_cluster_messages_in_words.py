"""Walk W19: after an adjustment on 关联分析 the message named groups by their internal id (已将 3 件加入本组 I0017,
现单独一件（I0086）… 现显示 I0086). Every message names a group as the page lists it — its words and size, a group of
one by its letter — never by id."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest
from test_clusters_manual_fixes import D1, E1, E2, E3, X1, app  # noqa: F401  (app is a fixture)

from pages.common import Key

GROUP_ID = re.compile(r"I\d{3,}")


def _said(page: AppTest) -> str:
    return " ".join(s.value for s in page.success)


def _words(result, cid: str) -> str:
    c = result.cluster(cid)
    return f"「{c.label}」（{c.size} 件"


def test_adding_moving_and_merging_name_the_groups_in_words(app: AppTest) -> None:  # noqa: F811
    app.run()
    before = app.session_state[Key.CLUSTER_RESULT]
    deposit, lowinc = before.issue_of[E1], before.issue_of[D1]
    app.text_area(key="cl_add_nos").input(X1).run()
    app.button(key="cl_add").click().run()
    assert not app.exception
    said = _said(app)
    assert f"已将 1 件加入本组{_words(before, deposit)}）" in said and "本组现共 5 件" in said, said
    assert not GROUP_ID.search(said), said

    before = app.session_state[Key.CLUSTER_RESULT]
    app.multiselect(key="cl_letters_pick").set_value([X1]).run()
    app.selectbox(key="cl_move_target").set_value(lowinc).run()
    app.button(key="cl_move").click().run()
    assert not app.exception
    said = _said(app)
    assert f"已将 1 件移到{_words(before, lowinc)}）" in said and "该组现共" in said, said
    assert not GROUP_ID.search(said), said

    before = app.session_state[Key.CLUSTER_RESULT]
    app.selectbox(key="cl_merge_target").set_value(lowinc).run()
    app.button(key="cl_merge").click().run()
    assert not app.exception
    said = _said(app)
    assert f"已合并：{_words(before, deposit)}）并入{_words(before, lowinc)}）" in said, said
    assert not GROUP_ID.search(said), said


def test_splitting_and_detaching_name_the_letters_and_the_groups_in_words(app: AppTest) -> None:  # noqa: F811
    app.run()
    app.multiselect(key="cl_letters_pick").set_value([E2, E3]).run()
    app.button(key="cl_split").click().run()
    assert not app.exception
    result = app.session_state[Key.CLUSTER_RESULT]
    new = result.issue_of[E2]
    said = _said(app)
    assert f"拆分为新的一组{_words(result, new)}）" in said and not GROUP_ID.search(said), said

    app.selectbox(key="cl_pick").set_value(new).run()
    app.multiselect(key="cl_letters_pick").set_value([E3]).run()
    app.button(key="cl_detach").click().run()
    assert not app.exception
    said = _said(app)
    assert f"{E3} 现单独一件" in said and f"现显示 {E3}（单独一件）" in said, said
    assert f"只剩 {E2} 一件" in said and "为显示该组" in said, said
    assert not GROUP_ID.search(said), said
