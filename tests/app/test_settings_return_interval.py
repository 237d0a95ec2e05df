"""AppTest of 设置's 回访 interval: an administrator changes it (checked, audited); an officer or leader cannot."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor
from planner.office.settings import return_delay_days
from planner.store.database import session_scope
from planner.store.models import AuditRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "settings.py")
KEY = "set_return_delay_days"


def _page(engine, monkeypatch, role: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.ACTOR] = Actor(username=role, role=role)
    return at


def _save(app: AppTest) -> None:
    next(b for b in app.button if b.label == "保存设置").click().run()


def test_admin_changes_the_interval_and_the_change_is_stored_and_audited(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch, "admin")
    app.run()
    assert not app.exception
    field = app.number_input(key=KEY)
    assert field.value == 30 and not field.disabled
    assert "回访" in field.label
    field.set_value(45)
    _save(app)
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any("已保存" in s.value for s in app.success)
    with session_scope(engine) as s:
        assert return_delay_days(s) == 45
        (audit,) = s.scalars(select(AuditRow).where(AuditRow.action == "settings_change")).all()
        assert audit.username == "admin" and audit.detail["changed"]["general"]["return_delay_days"] == 45
    again = _page(engine, monkeypatch, "admin")
    again.run()
    assert again.number_input(key=KEY).value == 45


@pytest.mark.parametrize("bad", [0, 400])
def test_a_value_out_of_range_is_refused_in_chinese_and_nothing_is_stored(engine, monkeypatch, bad) -> None:
    app = _page(engine, monkeypatch, "admin")
    app.run()
    app.number_input(key=KEY).set_value(bad)
    _save(app)
    assert not app.exception
    assert any("回访间隔应为 1 到 365 之间的整天数" in e.value for e in app.error), [e.value for e in app.error]
    assert not app.success
    with session_scope(engine) as s:
        assert return_delay_days(s) == 30


@pytest.mark.parametrize("role", ["officer", "leader"])
def test_roles_without_the_settings_permission_cannot_change_it(engine, monkeypatch, role) -> None:
    app = _page(engine, monkeypatch, role)
    app.run()
    assert not app.exception
    assert any("只能查看" in w.value for w in app.warning)
    assert app.number_input(key=KEY).disabled
    assert next(b for b in app.button if b.label == "保存设置").disabled
