"""AppTest of 用户管理 (walk W6): an administrator took away their own administrator role with one click while
another administrator was active, and lost 用户管理 at once. Giving up one's own role, or stopping one's own account,
now needs a tick; without it nothing is saved and the page says what would be lost and who could undo it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.errors import InputError
from planner.office import security
from planner.office.own_account import CONFIRM_LABEL, check_own_change
from planner.office.security import Actor
from planner.store.database import session_scope

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Xiafang-2026-pass"
ROOT_ADMIN = Actor("root", "admin")


@pytest.fixture()
def page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        security.create_user(s, "root", PASSWORD, role="admin")
        security.create_user(s, "wang", PASSWORD, role="admin", display_name="王管理")
    at = AppTest.from_file(str(ROOT / "pages" / "users.py"), default_timeout=20)
    at.session_state["actor"] = ROOT_ADMIN
    return at


def _save(at: AppTest) -> None:
    next(b for b in at.button if b.label == "保存").click().run()


def _role(engine, username: str) -> tuple[str, bool]:
    with session_scope(engine) as s:
        row = next(u for u in security.list_users(s, actor=ROOT_ADMIN) if u["username"] == username)
    return row["role"], row["active"]


def test_giving_up_ones_own_admin_role_asks_first_and_names_the_consequence(page: AppTest, engine) -> None:
    page.run()
    page.selectbox(key="edit_username").select("root").run()
    page.selectbox(key="edit_root_role").select("coordinator")
    _save(page)
    assert not page.exception and not page.success
    warned = " ".join(w.value for w in page.warning)
    assert "未保存" in warned and "本人账户 root 的角色从管理员改为协调员" in warned
    assert "失去管理员权限" in warned
    assert "请勾选“确认修改本人账户”后再点保存" in warned and "只有其他启用的管理员能恢复：王管理（wang）" in warned
    assert _role(engine, "root") == ("admin", True)
    assert page.selectbox(key="edit_root_role").value == "coordinator"  # the choice stays in the form
    page.checkbox(key="edit_root_own_ok").check()
    _save(page)
    assert not page.warning and _role(engine, "root") == ("coordinator", True)


def test_stopping_ones_own_account_asks_first(page: AppTest, engine) -> None:
    page.run()
    page.selectbox(key="edit_username").select("root").run()
    page.checkbox(key="edit_root_active").uncheck()
    _save(page)
    assert "你正在停用本人账户 root" in " ".join(w.value for w in page.warning)
    assert _role(engine, "root") == ("admin", True)


def test_another_admins_account_and_ones_own_name_save_at_once(page: AppTest, engine) -> None:
    page.run()
    assert [c.key for c in page.checkbox if c.label == CONFIRM_LABEL] == ["edit_root_own_ok"]  # one's own form
    page.selectbox(key="edit_username").select("wang").run()
    assert not [c for c in page.checkbox if c.label == CONFIRM_LABEL]  # wang's form: no tick to give
    page.selectbox(key="edit_wang_role").select("coordinator")
    _save(page)
    assert not page.warning and _role(engine, "wang") == ("coordinator", True)
    page.selectbox(key="edit_username").select("root").run()
    page.text_input(key="edit_root_name").input("根管理")
    _save(page)
    assert not page.warning and page.success


def test_the_library_refuses_without_the_confirmation(session) -> None:
    security.create_user(session, "root", PASSWORD, role="admin")
    with pytest.raises(InputError, match=r"本人账户 root.*请勾选“确认修改本人账户”"):
        check_own_change(session, ROOT_ADMIN, "root", role="leader", active=True, confirmed=False)
    check_own_change(session, ROOT_ADMIN, "root", role="leader", active=True, confirmed=True)
    check_own_change(session, ROOT_ADMIN, "other", role="leader", active=False, confirmed=False)
