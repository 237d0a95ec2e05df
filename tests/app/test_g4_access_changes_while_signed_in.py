"""Walk W4: an account changed by the administrator while its tab is open.

- a download refused at click says why on the page (not only in the server log, as a traceback);
- a role change that takes the identity right away says so, in the save message and in the audit log.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

import pytest
from _ui_data import db_url
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.errors import PermissionDenied
from planner.office import audit, security
from planner.office.logs import MaskingFilter
from planner.office.security import Actor, SessionToken
from planner.store.database import session_scope
from planner.store.models import CaseRow

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Xiafang-2026-pass"
TODAY = dt.date(2026, 12, 7)


def _sign_in(engine, app: AppTest, username: str, role: str, **kw) -> Actor:
    with session_scope(engine) as s:
        security.create_user(s, username, PASSWORD, role=role, **kw)
    with session_scope(engine) as s:
        actor = security.authenticate(s, username, PASSWORD)
    app.session_state[Key.ACTOR] = actor
    app.session_state[Key.SESSION_TOKEN] = SessionToken.issue(actor)
    return actor


# --- 1. a refused download is said on the page, and logged as one line


def test_a_download_refused_at_click_is_kept_for_the_page(engine, monkeypatch, deferred) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        s.add(CaseRow(case_no="ST-01", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                      content="反映村财务不公开", county="平和县", county_code="350628", status="registered"))
    app = AppTest.from_file(str(ROOT / "pages" / "figures.py"), default_timeout=60)
    app.session_state["today"] = TODAY
    _sign_in(engine, app, "zhou", "coordinator")
    app.run()
    assert not app.exception and not app.error
    (name,) = [n for n in deferred if n.startswith("带信下访统计-")]
    assert deferred[name]()[:2] == b"PK"
    assert not app.session_state[Key.REFUSED_DOWNLOADS]  # a file given is nothing to say
    with session_scope(engine) as s:
        security.update_user(s, "zhou", role="leader", team_ids=["T1"])  # the tab stays open
    with pytest.raises(PermissionDenied, match="权限已变更"):
        deferred[name]()
    assert app.session_state[Key.REFUSED_DOWNLOADS] == ["账户“zhou”的权限已变更，请刷新页面后再下载"]


def test_the_app_shows_a_refused_download_once_even_on_the_login_form(engine, monkeypatch) -> None:
    # Each AppTest runs app.py once (a second run of the same AppTest runs the page alone): a new one per click.
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    monkeypatch.setenv("XIAFANG_DEMO", "0")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    _sign_in(engine, app, "off1", "officer", team_ids=["T1"])
    with session_scope(engine) as s:
        security.update_user(s, "off1", active=False)
    app.session_state[Key.REFUSED_DOWNLOADS] = ["账户“off1”已停用，不能下载"]  # what the click left
    app.run()
    assert not app.exception
    assert "未下载：账户“off1”已停用，不能下载" in [e.value for e in app.error]
    assert "下访 · 登录" in [t.value for t in app.title]  # the stopped account is on the login form


def test_a_refused_download_is_said_once_on_the_page(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    monkeypatch.setenv("XIAFANG_DEMO", "0")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    _sign_in(engine, app, "off1", "officer", team_ids=["T1"])
    refused = ["账户“off1”的权限已变更，请刷新页面后再下载"]
    app.session_state[Key.REFUSED_DOWNLOADS] = refused
    app.run()
    assert not app.exception
    assert [e.value for e in app.error] == ["未下载：账户“off1”的权限已变更，请刷新页面后再下载"]
    assert refused == []  # said; the next run says nothing more


def test_a_refusal_through_streamlits_deferred_download_is_one_log_line() -> None:
    try:
        try:
            raise PermissionDenied("账户“off1”的权限已变更，请刷新页面后再下载")
        except PermissionDenied as exc:
            raise MediaFileStorageError(f"Callable execution failed: {exc}") from exc
    except MediaFileStorageError:
        record = logging.LogRecord("streamlit.runtime.backend_operation_handler", logging.ERROR, __file__, 1,
                                   "Error executing deferred callable for file_id %s", ("abc",), sys.exc_info())
    assert MaskingFilter().filter(record)
    line = logging.Formatter("%(message)s").format(record)
    assert "\n" not in line and "Traceback" not in line
    assert line.endswith("PermissionDenied: 账户“off1”的权限已变更，请刷新页面后再下载")
    # A bug struck while a refusal was being handled is no refusal: it keeps its traceback.
    try:
        try:
            raise PermissionDenied("不能下载")
        except PermissionDenied:
            raise KeyError("bug") from None
    except KeyError:
        bug = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    MaskingFilter().filter(bug)
    assert "Traceback" in logging.Formatter("%(message)s").format(bug)


# --- 2. a leader made 干部 while signed in: tests/browser/test_g4_rights_changed_while_open.py (an AppTest runs
# app.py only on its first run, and the menu drawn before is what matters)


# --- 3. the identity right and a role change


@pytest.fixture()
def users_page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    from planner.store.teams import ensure_team_shells

    with session_scope(engine) as s:
        security.create_user(s, "root", PASSWORD, role="admin")
        security.create_user(s, "lead1", PASSWORD, role="leader", team_ids=["T1"], can_unmask=True)
        ensure_team_shells(s)
    at = AppTest.from_file(str(ROOT / "pages" / "users.py"), default_timeout=30)
    at.session_state["actor"] = Actor("root", "admin")
    return at


def _key(page: AppTest, field: str) -> str:
    """The edit form's widget key for ``field`` (the form takes new keys each time it starts afresh)."""
    (key,) = [w.key for w in page.main if getattr(w, "key", None) and str(w.key).startswith("edit_lead1")
              and str(w.key).endswith("_" + field)]
    return key


def _save_role(page: AppTest, role: str) -> str:
    page.selectbox(key="edit_username").select("lead1").run()
    page.selectbox(key=_key(page, "role")).select(role)
    page.button(key=_key(page, "save")).click().run()
    assert not page.exception and not page.error
    return page.success[0].value


def test_demoting_says_the_identity_right_went_and_promoting_that_it_is_not_given(users_page, engine) -> None:
    users_page.run()
    saved = _save_role(users_page, "officer")
    assert "已取消 lead1 的可查看身份权限（干部不能查看信访人身份）" in saved
    with session_scope(engine) as s:
        assert security.get_actor(s, "lead1").can_unmask is False
        (row,) = [r for r in audit.recent(s, limit=5) if r["action"] == "user_update"]
        text = audit.log_table([row])[0]["说明"]
    assert "可查看信访人身份改为否（干部不能查看信访人身份，随角色取消）" in text
    assert users_page.checkbox(key=_key(users_page, "unmask")).value is False  # the form shows the account as saved
    saved = _save_role(users_page, "leader")
    assert "lead1 未授予可查看身份权限" in saved and "已取消" not in saved
    with session_scope(engine) as s:
        assert security.get_actor(s, "lead1").can_unmask is False  # given back only when ticked
