"""关联分析 → 人工调整 → 拆分为新的一组 works on the first click (browser walk: letters picked, list closed, the click
on 拆分为新的一组 did nothing until one had clicked elsewhere first).

The cause was in the browser: while 选择信件 has focus it is a row taller, so the mouse-down on a button under it took
the focus away, the row of buttons moved up and the mouse-up landed beside the button — no click. The buttons now
stand beside the picker (tests/browser/test_clusters_split_click.py clicks them in chromium); here, without a browser,
the pick and one click split them off, and the buttons do not sit under the picker.
"""

from __future__ import annotations

from test_clusters_manual_fixes import E1, E2, E3, _decisions, app  # noqa: F401  (app is a fixture)

from pages.common import Key


def test_picking_letters_then_one_click_on_split_splits_them_off_and_says_so(engine, app) -> None:  # noqa: F811
    app.run()
    result = app.session_state[Key.CLUSTER_RESULT]
    group = result.issue_of[E1]
    assert result.issue_of[E2] == result.issue_of[E3] == group
    app.selectbox(key="cl_pick").set_value(group).run()
    # As the browser does: the pick reruns the page (the buttons come on), then the first click on the button.
    app.multiselect(key="cl_letters_pick").set_value([E2, E3]).run()
    app.button(key="cl_split").click().run()
    assert not app.exception
    assert _decisions(engine) == [("split", [E2, E3])]
    new = app.session_state[Key.CLUSTER_RESULT]
    assert new.issue_of[E2] == new.issue_of[E3] != group
    said = f"拆分为新的一组「{new.cluster(new.issue_of[E2]).label}」（2 件"  # in words, not by id (test_f13)
    assert any(said in s.value for s in app.success), [s.value for s in app.success]
    assert app.multiselect(key="cl_letters_pick").value == []


def test_the_picked_letters_buttons_stand_beside_the_picker_not_under_it(app) -> None:  # noqa: F811
    app.run()
    beside = [c for c in app.columns if [m.key for m in c.multiselect] == ["cl_letters_pick"]]
    assert len(beside) == 1, "选择信件 stands in a column of its own"
    buttons = [c for c in app.columns if {"cl_split", "cl_detach", "cl_restore_picked"} <= {b.key for b in c.button}]
    assert len(buttons) == 1, "拆分、逐件移出、恢复自动分组 stand together in the column beside it"
    assert buttons[0].proto is not beside[0].proto
