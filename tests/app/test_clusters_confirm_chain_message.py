"""关联分析 待确认关联 (walk R): confirm 043–045, then 044–045. The page said 045 joined 044's group; 045 was already
grouped with 043 and 044 joined them. The message now says which letter joined which group and the group's number."""

from __future__ import annotations

from pathlib import Path

from _ui_data import TODAY, add_forestry_fee_letters, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")


def test_the_second_confirmation_says_who_joined_which_group(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    add_forestry_fee_letters(engine)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["cl_tab"] = "待确认关联"
    at.run()
    at.button(key="cl_nm_yes_F1_F4").click().run()
    assert not at.exception
    group = at.session_state[Key.CLUSTER_RESULT].issue_of["F4"]
    label = at.session_state[Key.CLUSTER_RESULT].cluster(group).label  # the group in words, not its id (test_f13)
    assert any(f"两件合为一组「{label}」（2 件）" in m.value for m in at.success), [m.value for m in at.success]
    at.button(key="cl_nm_yes_F2_F4").click().run()
    assert not at.exception
    res = at.session_state[Key.CLUSTER_RESULT]
    after = res.issue_of["F2"]
    assert res.issue_of["F1"] == res.issue_of["F4"] == after
    said = " ".join(m.value for m in at.success)
    assert f"F2 已并入 F4 所在的组「{res.cluster(after).label}」（3 件）" in said and after not in said, said
    assert "F4 已并入 F2" not in said
