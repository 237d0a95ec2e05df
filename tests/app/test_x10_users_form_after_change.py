"""用户管理: the edit form shows the account as stored once another session changed it, and an untouched 保存 then
writes nothing (the stale-form pattern of walk W32 on 检查组)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.office import audit, security
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.teams import ensure_team_shells

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Xiafang-2026-pass"
ADMIN = Actor("root", "admin")


@pytest.fixture()
def page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        security.create_user(s, "root", PASSWORD, role="admin")
        ensure_team_shells(s)
        security.create_user(s, "zhou", PASSWORD, role="officer", team_ids=("T1",))
    at = AppTest.from_file(str(ROOT / "pages" / "users.py"), default_timeout=20)
    at.session_state["actor"] = ADMIN
    return at


def _role(at: AppTest) -> str:
    return next(w for w in at.selectbox if w.label == "角色" and str(w.key).startswith("edit_zhou")).value


def test_the_form_shows_another_sessions_change_and_an_untouched_save_keeps_it(page: AppTest, engine) -> None:
    page.run()
    page.selectbox(key="edit_username").select("zhou").run()
    assert _role(page) == "officer"
    with session_scope(engine) as s:  # another administrator makes 周 a leader
        security.update_user(s, "zhou", role="leader", actor=Actor("other", "admin"))
    page.run()
    assert not page.exception
    assert _role(page) == "leader"
    next(b for b in page.button if b.label == "保存").click().run()
    assert not page.exception and not page.error, [e.value for e in page.error]
    assert any("没有改动，未保存" in i.value for i in page.info)
    with session_scope(engine) as s:
        assert security.get_actor(s, "zhou").role == "leader"
        assert len(audit.recent(s, action="user_update")) <= 1


def test_a_save_on_the_old_form_is_refused_not_written_back(page: AppTest, engine) -> None:
    page.run()
    page.selectbox(key="edit_username").select("zhou").run()
    with session_scope(engine) as s:
        security.update_user(s, "zhou", role="leader", actor=Actor("other", "admin"))
    page.checkbox(key="edit_zhou_unmask").check()
    next(b for b in page.button if b.label == "保存").click().run()
    assert not page.exception
    with session_scope(engine) as s:
        actor = security.get_actor(s, "zhou")
    assert actor.role == "leader" and not actor.can_unmask  # nothing of the old form written
    assert page.error and "未保存" in page.error[0].value
    assert _role(page) == "leader"
