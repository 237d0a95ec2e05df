"""AppTest of 用户管理: admin only; create, change and reset accounts; audit log shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.office import security
from planner.office.security import Actor
from planner.store.database import session_scope

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Xiafang-2026-pass"
ADMIN = Actor("root", "admin")


@pytest.fixture()
def page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        security.create_user(s, "root", PASSWORD, role="admin")
    at = AppTest.from_file(str(ROOT / "pages" / "users.py"), default_timeout=20)
    at.session_state["actor"] = ADMIN
    return at


@pytest.mark.parametrize("role", ["leader", "coordinator", "officer"])
def test_refused_for_non_admins(page: AppTest, role: str) -> None:
    page.session_state["actor"] = Actor("x", role)
    page.run()
    assert page.error and "无权管理用户" in page.error[0].value
    assert not page.dataframe


def test_create_edit_reset(page: AppTest, engine) -> None:
    page.run()
    assert list(page.dataframe[0].value["用户名"]) == ["root"]
    page.text_input(key="new_username").input("zhou")
    page.selectbox(key="new_role").select("officer")
    page.text_input(key="new_teams").input("t1，t2")
    page.text_input(key="new_password").input("weak")
    page.button[0].click().run()
    assert page.error and "password" in page.error[0].value  # weak password refused, with the rule
    page.text_input(key="new_password").input(PASSWORD)
    page.button[0].click().run()
    assert "zhou" in list(page.dataframe[0].value["用户名"])
    with session_scope(engine) as s:
        assert security.get_actor(s, "zhou") == Actor("zhou", "officer", ("t1", "t2"), False, "")

    page.selectbox(key="edit_username").select("zhou").run()
    page.selectbox(key="edit_role").select("leader")
    page.checkbox(key="edit_unmask").check()
    page.button[1].click().run()
    with session_scope(engine) as s:
        assert security.get_actor(s, "zhou").can_unmask
    page.text_input(key="reset_password_value").input("Another-pass-2027")
    page.button[2].click().run()
    with session_scope(engine) as s:
        assert security.authenticate(s, "zhou", "Another-pass-2027").role == "leader"
    page.run()
    actions = list(page.dataframe[1].value["操作"])
    assert {"user_create", "user_update", "password_set", "login"} <= set(actions)
    assert not any(PASSWORD in str(v) for v in page.dataframe[1].value.to_numpy().ravel())
