"""AppTest of the login gate: form, wrong password, sign-in, expiry, deactivation, demo mode."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from planner.office import security
from planner.store.database import session_scope

PASSWORD = "Xiafang-2026-pass"


def _gate(url: str) -> None:
    import streamlit as st

    from pages.login import require_login
    from planner.store.database import make_engine

    actor = require_login(make_engine(url))
    st.write(f"SIGNED_IN {actor.username} {actor.role}")


@pytest.fixture()
def app(engine, monkeypatch) -> AppTest:
    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    monkeypatch.delenv(security.ADMIN_PASSWORD_ENV, raising=False)
    with session_scope(engine) as s:
        security.create_user(s, "lin", PASSWORD, role="leader", team_ids=["t1"])
    return AppTest.from_function(_gate, args=(engine.url.render_as_string(hide_password=False),), default_timeout=20)


def _texts(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(e.value for e in at.error)


def _login(at: AppTest, user: str, password: str) -> AppTest:
    at.text_input(key="login_username").input(user)
    at.text_input(key="login_password").input(password)
    return at.button[0].click().run()


def test_form_shown_and_nothing_else(app: AppTest) -> None:
    app.run()
    assert app.text_input(key="login_password").proto.type == app.text_input(key="login_password").proto.PASSWORD
    assert "SIGNED_IN" not in _texts(app)


def test_wrong_password_then_right(app: AppTest) -> None:
    app.run()
    _login(app, "lin", "nope")
    assert app.error[0].value == security.LOGIN_FAILED and "SIGNED_IN" not in _texts(app)
    _login(app, "lin", PASSWORD)
    assert "SIGNED_IN lin leader" in _texts(app)
    assert app.session_state["actor"].team_ids == ("t1",)


def test_unknown_user_same_message(app: AppTest) -> None:
    app.run()
    _login(app, "ghost", PASSWORD)
    assert app.error[0].value == security.LOGIN_FAILED


def test_expired_session_asks_again(app: AppTest) -> None:
    app.run()
    _login(app, "lin", PASSWORD)
    token = app.session_state["session_token"]
    app.session_state["session_token"] = security.SessionToken(
        token.username, token.issued_at - dt.timedelta(hours=9), token.expires - dt.timedelta(hours=9),
        token.last_seen - dt.timedelta(hours=9),
    )  # fmt: skip
    app.run()
    assert "SIGNED_IN" not in _texts(app) and any("过期" in w.value for w in app.warning)


def test_deactivated_user_is_signed_out(app: AppTest, engine) -> None:
    app.run()
    _login(app, "lin", PASSWORD)
    with session_scope(engine) as s:
        security.update_user(s, "lin", active=False)
    app.run()
    assert "SIGNED_IN" not in _texts(app)


def test_demo_mode_only_without_accounts(engine, monkeypatch) -> None:
    monkeypatch.setenv(security.DEMO_ENV, "1")
    at = AppTest.from_function(_gate, args=(engine.url.render_as_string(hide_password=False),), default_timeout=20)
    at.run()
    assert "SIGNED_IN demo coordinator" in _texts(at)
    assert not at.session_state["actor"].can_unmask
    with session_scope(engine) as s:  # the first real account closes the demo door
        security.create_user(s, "lin", PASSWORD, role="leader")
    at.run()
    assert "SIGNED_IN" not in _texts(at)


def test_demo_marker_without_env(engine, monkeypatch) -> None:
    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    with session_scope(engine) as s:
        assert not security.demo_sign_in_allowed(s)  # fresh install: safe by default
        security.mark_demo_data(s)
    with session_scope(engine) as s:
        assert security.demo_sign_in_allowed(s)
    monkeypatch.setenv(security.DEMO_ENV, "0")
    with session_scope(engine) as s:
        assert not security.demo_sign_in_allowed(s)


def test_demo_batch_only(engine, monkeypatch) -> None:
    from planner.store.models import ImportBatch

    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    with session_scope(engine) as s:
        s.add(ImportBatch(filename="演示登记表.xlsx", file_sha256="0" * 64, imported_by="demo"))
    with session_scope(engine) as s:
        assert security.demo_sign_in_allowed(s)
        s.add(ImportBatch(filename="register.xlsx", file_sha256="1" * 64, imported_by="coordinator1"))
    with session_scope(engine) as s:
        assert not security.demo_sign_in_allowed(s)  # a real register closes the demo door


def test_a_bad_first_admin_password_names_the_account_and_what_to_do(engine, monkeypatch) -> None:
    """Walk A (L1): with XIAFANG_ADMIN_PASSWORD=Admin#2026zz the page said only "…不符合密码规则：密码不能包含用户名",
    never which user (admin), and the office ran with no account until someone guessed."""
    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    monkeypatch.setenv(security.DEMO_ENV, "0")
    monkeypatch.setenv(security.ADMIN_PASSWORD_ENV, "Admin#2026zz")
    at = AppTest.from_function(_gate, args=(engine.url.render_as_string(hide_password=False),), default_timeout=20)
    at.run()
    text = " ".join(e.value for e in at.error)
    assert security.BOOTSTRAP_USERNAME in text and security.ADMIN_PASSWORD_ENV in text
    assert "重新启动" in text and "users bootstrap" in text


def test_an_account_changes_its_own_password_and_signs_in_again(app: AppTest, engine) -> None:
    """Walk H: only 用户管理 could set a password, so the administrator knew everyone's. 修改密码 in the sidebar
    checks the current one, the rules and the repeat, then signs every browser out."""
    new = "Xf-own-2026!q"
    app.run()
    _login(app, "lin", PASSWORD)
    assert "SIGNED_IN lin" in _texts(app)

    def change(current: str, first: str, second: str) -> AppTest:
        app.text_input(key="own_pw_current").input(current)
        app.text_input(key="own_pw_new").input(first)
        app.text_input(key="own_pw_again").input(second)
        return next(b for b in app.button if b.label == "修改密码").click().run()

    change(PASSWORD, new, new + "y")
    assert any("两次输入的新密码不一致" in e.value for e in app.error)
    change("wrong-password", new, new)
    assert any("当前密码不正确" in e.value for e in app.error)
    change(PASSWORD, "short", "short")
    assert app.error and "SIGNED_IN lin" in _texts(app)  # a weak one is refused, still signed in
    with session_scope(engine) as s:  # nothing changed so far
        assert security.authenticate(s, "lin", PASSWORD).username == "lin"
    change(PASSWORD, new, new)
    assert "SIGNED_IN" not in _texts(app)
    assert any("密码已修改" in x.value for x in app.success)
    _login(app, "lin", PASSWORD)
    assert app.error[0].value == security.LOGIN_FAILED
    _login(app, "lin", new)
    assert "SIGNED_IN lin leader" in _texts(app)
    with session_scope(engine) as s:
        actions = [r["action"] for r in audit_recent(s)]
    assert "password_set" in actions


def test_a_password_an_administrator_set_is_changed_before_anything_else(app: AppTest, engine) -> None:
    """An account created (or reset) in 用户管理 signs in with the administrator's 初始密码 and sees only the form
    to set its own; the new one signs it out, and the next sign-in reaches the pages."""
    mine = "Wu-own-pass-2026"
    with session_scope(engine) as s:
        security.create_user(s, "root1", PASSWORD, role="admin")
        admin = security.authenticate(s, "root1", PASSWORD)
        security.create_user(s, "wu", PASSWORD, role="officer", team_ids=["t1"], actor=admin)
    app.run()
    _login(app, "wu", PASSWORD)
    assert "SIGNED_IN" not in _texts(app)
    assert app.title[0].value == "请先设置新密码"
    app.text_input(key="own_pw_current").input(PASSWORD)
    app.text_input(key="own_pw_new").input(mine)
    app.text_input(key="own_pw_again").input(mine)
    next(b for b in app.button if b.label == "修改密码").click().run()
    assert any("密码已修改" in x.value for x in app.success) and "SIGNED_IN" not in _texts(app)
    _login(app, "wu", mine)
    assert "SIGNED_IN wu officer" in _texts(app)
    assert not any(t.value == "请先设置新密码" for t in app.title)


def audit_recent(session) -> list[dict]:
    from planner.office import audit

    return audit.recent(session, limit=50)
