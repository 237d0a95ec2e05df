"""关联分析 (walk W5): 重新分析 was the one action of the page missing from the audit log. It is audited now: who ran
it (the row's time says when), over how many letters, whether every letter was grouped afresh, and the related groups
(two letters or more) before and after."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import TODAY, add_forestry_fee_letters, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office import audit
from planner.store.database import session_scope

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")


@pytest.fixture()
def app(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    add_forestry_fee_letters(engine)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    return at


def _rows(engine, action: str) -> list[dict]:
    with session_scope(engine) as s:
        return [r for r in audit.recent(s) if r["action"] == action]


def test_rerun_is_audited_with_the_letters_and_the_groups_before_and_after(engine, app: AppTest) -> None:
    app.run()
    assert not _rows(engine, "cluster_rerun")  # opening the page is no 重新分析
    before = sum(1 for c in app.session_state[Key.CLUSTER_RESULT].issues if c.size >= 2)
    app.session_state["cl_tab"] = "待确认关联"
    app.button(key="cl_nm_yes_F1_F4").click().run()  # one more related group
    after = sum(1 for c in app.session_state[Key.CLUSTER_RESULT].issues if c.size >= 2)
    app.checkbox(key="cl_regroup").check()
    app.button(key="cl_rerun").click().run()
    assert not app.exception
    [row] = _rows(engine, "cluster_rerun")
    assert row["detail"]["letters"] == 4 and row["detail"]["regroup"] is True
    assert row["detail"]["groups_before"] == after and row["detail"]["groups_after"] == after == before + 1
    text = audit.describe(row)
    assert f"关联分析：重新分析 4 件信件（全部重新归类），关联问题 {after} 组 → {after} 组" in text, text
    assert audit.log_table([row])[0]["操作"] == "关联分析：重新分析"
