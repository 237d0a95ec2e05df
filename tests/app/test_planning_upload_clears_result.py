"""路线规划: a visits.csv uploaded after a plan was made replaces the plan on screen.

Found in walk A: a leader planned 选件's visits, then uploaded another visits.csv; the page showed the new file's
visits above the old plan's routes and table until 开始规划 was pressed again — a plan of visits no longer chosen,
with its 保存 button. The old result is now cleared and the page says the file was read and must be planned.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from _ui_data import TODAY, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
VISITS = (
    Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村"),
    Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村"),
)
CSV = "编号,经度,纬度,核查分钟,优先级\nW9,117.40,24.35,30,3\n".encode("utf-8-sig")


class _Upload:
    name = "第二周走访点.csv"

    def __init__(self, data: bytes = CSV, file_id: str = "upload-1") -> None:
        self.data, self.file_id = data, file_id

    def getvalue(self) -> bytes:
        return self.data


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state[Key.VISITS] = VISITS
    at.session_state["actor"] = Actor("coord", "coordinator")
    return at


def test_an_upload_after_planning_clears_the_old_result(app: AppTest, monkeypatch) -> None:
    app.run()
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    app.button[0].click().run()  # 开始规划
    assert not app.exception
    old = app.session_state[Key.PLAN_DOC]
    assert set(old.visits) == {"V1", "V2"}

    real = st.file_uploader
    monkeypatch.setattr(st, "file_uploader", lambda label, *a, **k: _Upload() if "visits.csv" in label
                        else real(label, *a, **k))
    app.run()
    assert not app.exception
    assert not app.error, [e.value for e in app.error]
    assert [v.visit_id for v in app.session_state[Key.VISITS]] == ["W9"]
    assert app.session_state[Key.PLAN_DOC] is None and app.session_state[Key.PLAN_ID] is None
    infos = " ".join(i.value for i in app.info)
    assert "已读入 第二周走访点.csv 的 1 个走访点" in infos and "开始规划" in infos
    assert not [b for b in app.button if b.label.startswith("保存")]  # nothing of the old plan to save

    app.run()  # the same file is read once: a rerun keeps the note until the new visits are planned
    assert "已读入" in " ".join(i.value for i in app.info)
    app.button[0].click().run()
    assert not app.exception
    assert list(app.session_state[Key.PLAN_DOC].visits) == ["W9"]
    assert "已读入" not in " ".join(i.value for i in app.info)


def test_a_bad_upload_is_named_as_the_user_knows_it(app: AppTest, monkeypatch) -> None:
    """The error named a temporary copy (/tmp/tmpab12/visits.csv 缺少列 ['priority']) and English row words."""
    app.run()
    app.number_input(key="pl_days").set_value(3)
    app.number_input(key="pl_limit").set_value(1)
    app.button[0].click().run()  # 开始规划 with 3 working days
    assert app.session_state[Key.PLAN_DOC].plan.days == 3
    real = st.file_uploader
    bad = "编号,经度,纬度,核查分钟\nW9,117.40,24.35,30\n".encode("utf-8-sig")
    monkeypatch.setattr(st, "file_uploader", lambda label, *a, **k: _Upload(bad) if "visits.csv" in label
                        else real(label, *a, **k))
    app.run()
    text = " ".join(e.value for e in app.error)
    assert "第二周走访点.csv 缺少列 优先级（priority）" in text and "/tmp" not in text
    assert [v.visit_id for v in app.session_state[Key.VISITS]] == ["V1", "V2"]  # the chosen visits are kept

    wrong = "编号,经度,纬度,核查分钟,优先级\nW9,117.40,北纬24,30,3\n".encode("utf-8-sig")
    monkeypatch.setattr(st, "file_uploader", lambda label, *a, **k: _Upload(wrong, "upload-2")
                        if "visits.csv" in label else real(label, *a, **k))
    app.run()
    text = " ".join(e.value for e in app.error)
    assert "第二周走访点.csv 第 2 行 纬度：应为数字" in text and "'北纬24'" in text
    # Walk C: the form vanished (st.stop) and 工作日数 fell back from 2 to 1 when the good file came next.
    assert app.number_input(key="pl_days").value == 3 and app.button[0].label == "开始规划"
    assert [v.visit_id for v in app.session_state[Key.VISITS]] == ["V1", "V2"]
    monkeypatch.setattr(st, "file_uploader", lambda label, *a, **k: _Upload(CSV, "upload-3")
                        if "visits.csv" in label else real(label, *a, **k))
    app.run()
    assert not app.error and app.number_input(key="pl_days").value == 3
    assert [v.visit_id for v in app.session_state[Key.VISITS]] == ["W9"]
