"""关联分析 (walk W5): a decision (in 待确认关联 or 人工调整) took no reason. A 说明 written beside a decision is stored
with it and named in its audit entry; on the page it is shown as text (escaped), never as Markdown or HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import TODAY, add_forestry_fee_letters, db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office import audit
from planner.store.database import session_scope
from planner.store.models import ClusterDecision

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")
NOTE = "经电话核实 <b>不是</b> **同一笔** 钱"


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


def test_a_note_on_a_confirmed_pair_is_stored_audited_and_shown_as_text(engine, app: AppTest) -> None:
    app.session_state["cl_tab"] = "待确认关联"
    app.run()
    app.text_input(key="cl_nm_note_F1_F4").input(NOTE).run()
    app.button(key="cl_nm_yes_F1_F4").click().run()
    assert not app.exception
    with session_scope(engine) as s:
        [payload] = [d.payload for d in s.scalars(select(ClusterDecision))]
    assert payload["note"] == NOTE
    [row] = _rows(engine, "cluster_link")
    assert f"说明：{NOTE}" in audit.describe(row)
    said = [m.value for m in app.success]
    assert any("说明：" in m and "\\<b\\>" in m and "\\*\\*" in m for m in said), said  # escaped, never HTML


def test_a_note_goes_with_a_detach_and_a_restore_and_is_cleared_after(engine, app: AppTest) -> None:
    app.run()
    app.session_state["cl_tab"] = "待确认关联"
    app.button(key="cl_nm_yes_F1_F4").click().run()
    app.session_state["cl_tab"] = "同类问题"
    app.run()
    app.text_input(key="cl_note").input("F4 说的是勘查费，另案处理").run()
    app.multiselect(key="cl_letters_pick").select("F4").run()
    app.button(key="cl_detach").click().run()
    assert not app.exception
    with session_scope(engine) as s:
        notes = [d.payload.get("note", "") for d in s.scalars(select(ClusterDecision).order_by(ClusterDecision.id))]
    assert notes == ["", "F4 说的是勘查费，另案处理"]
    [row] = _rows(engine, "cluster_detach")
    assert "说明：F4 说的是勘查费，另案处理" in audit.describe(row)
    assert any("说明：F4 说的是勘查费" in m.value for m in app.success)
    assert app.text_input(key="cl_note").value == ""  # not carried over to the next adjustment

    app.text_area(key="cl_add_nos").input("F4").run()
    app.text_input(key="cl_note").input("移错了").run()
    app.button(key="cl_restore_typed").click().run()
    assert not app.exception
    [row] = _rows(engine, "cluster_restore")
    assert "说明：移错了" in audit.describe(row)
