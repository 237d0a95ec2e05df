"""Issue 14.3: from the demo to real data in the browser — the demo visitor creates the first administrator on 导入
and goes on signed in as that account (the register import no longer signs the visitor out)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.errors import PermissionDenied
from planner.intake.demo_seed import load_demo_if_empty
from planner.office import security
from planner.office.security import DEMO_ACTOR, Actor
from planner.store.database import session_scope
from planner.store.models import AuditRow, CaseRow, ImportBatch

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "import_register.py")
DATA = ROOT / "tests" / "data" / "registers"
PASSWORD = "Office-Admin-2026"


@pytest.fixture()
def demo_db(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    with session_scope(engine) as s:
        security.mark_demo_data(s)
    return engine


def test_demo_visitor_creates_the_first_admin_then_imports(demo_db) -> None:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.ACTOR] = DEMO_ACTOR
    at.run()
    assert any("演示模式" in i.value for i in at.info)
    assert not at.get("file_uploader")  # no import while the demo runs: the guided path comes first
    at.text_input(key="demo_admin_username").input("chief")
    at.text_input(key="demo_admin_password").input(PASSWORD)
    at.text_input(key="demo_admin_password2").input(PASSWORD + "x")
    at.button[0].click().run()
    assert at.error and "不一致" in at.error[0].value
    at.text_input(key="demo_admin_password2").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    signed_in = at.session_state[Key.ACTOR]
    assert isinstance(signed_in, Actor) and (signed_in.username, signed_in.role) == ("chief", "admin")
    assert isinstance(at.session_state[Key.SESSION_TOKEN], security.SessionToken)
    assert at.success and "演示模式已结束" in at.success[0].value
    assert at.get("file_uploader")  # and the import page is there for the admin
    with session_scope(demo_db) as s:
        assert not security.demo_sign_in_allowed(s)
        assert security.get_actor(s, "chief").role == "admin"
        assert s.scalars(select(AuditRow.action).where(AuditRow.action == "demo_ended")).all() == ["demo_ended"]

    # Importing now keeps the session: the admin is still signed in on the next run.
    at.session_state["import_file"] = ("normal_utf8.csv", (DATA / "normal_utf8.csv").read_bytes())
    at.run()
    at.button(key="import_go").click().run()
    assert not at.exception and at.session_state[Key.ACTOR].username == "chief"


def test_only_the_demo_visitor_and_only_before_any_account(demo_db) -> None:
    with session_scope(demo_db) as s:
        with pytest.raises(PermissionDenied):
            security.end_demo(s, Actor("x", "coordinator"), "chief", PASSWORD)
        security.end_demo(s, DEMO_ACTOR, "chief", PASSWORD)
    with session_scope(demo_db) as s:
        with pytest.raises(PermissionDenied):
            security.end_demo(s, DEMO_ACTOR, "second", PASSWORD)


def test_ending_the_demo_on_the_page_removes_the_demo_letters_and_says_so(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    assert load_demo_if_empty(engine, letters=40)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.ACTOR] = DEMO_ACTOR
    at.run()
    # Beforehand: what will be removed, and that the office's register is not affected.
    assert any("演示数据（40 件演示信访件及其办理记录）将被清除，不影响之后导入的登记表" in w.value for w in at.warning)
    at.text_input(key="demo_admin_username").input("chief")
    at.text_input(key="demo_admin_password").input(PASSWORD)
    at.text_input(key="demo_admin_password2").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    # Afterwards: what was removed.
    done = at.success[0].value
    assert "演示模式已结束" in done and "已清除的演示数据：信访件 40 件" in done and "办理记录" in done
    with session_scope(engine) as s:
        assert s.scalar(select(CaseRow.id).limit(1)) is None
        assert s.scalar(select(ImportBatch.id).limit(1)) is None

    # The office's register is then all there is: 导入 counts only its rows.
    register = (DATA / "normal_utf8.csv").read_bytes()
    at.session_state["import_file"] = ("normal_utf8.csv", register)
    at.run()
    at.button(key="import_go").click().run()
    assert not at.exception
    with session_scope(engine) as s:
        cases = s.scalars(select(CaseRow.case_no)).all()
    assert len(cases) == at.session_state[Key.IMPORT_RESULT]["imported"] > 0
