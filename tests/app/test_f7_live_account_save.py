"""Walk W6: an officer's 行程 form saved after the administrator changed the account.

登记走访结果 / 修改走访结果 is saved by a form callback, which Streamlit runs before the login gate re-reads the
account: the outcome was stored as the officer moved to another team, stopped, or whose password had been reset,
while the page then said 还没有可查看的计划 or 登录已失效. Now the save re-reads the account and the browser's
sign-in first (pages.common.live_actor): nothing is written and the page says why (未保存：…).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office import security
from planner.office.browser_sessions import open_browser_session
from planner.store.database import session_scope
from planner.store.models import AuditRow, VisitOutcomeRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _form_widget, _officer_app, _saved

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "Reset-by-admin-2026"

CHANGES = {
    # moved off the stop's team: said with what was typed, kept on the page (tests/app/test_h3_moved_officer_unsaved.py)
    "moved": (lambda s: security.update_user(s, "li", team_ids=["T2"]), None),
    "stopped": (lambda s: security.update_user(s, "li", active=False), "未保存：账户“li”已停用，不能保存"),
    "reset": (lambda s: security.set_password(s, "li", NEW_PASSWORD),
              "未保存：登录已失效（已在其他页面退出或密码已更改），请重新登录后再保存"),
}


def _signed_in_page(engine) -> AppTest:
    at = _officer_app(OFFICER_T1, MONDAY)
    with session_scope(engine) as s:  # the browser's stored sign-in, as pages.common.sign_in opens it
        at.session_state[Key.BROWSER_TOKEN] = open_browser_session(s, at.session_state[Key.SESSION_TOKEN])
    at.run()
    assert not at.exception
    return at


def _fill_and_save(at: AppTest, findings: str) -> None:
    _form_widget(at, "radio", "result").set_value("visited")  # nothing is picked until the officer picks
    _form_widget(at, "text_area", "findings").input(findings)
    next(b for b in at.button if "it_form_" in str(b.key)).click().run()
    assert not at.exception


def _outcomes(engine) -> list[tuple[str, str]]:
    with session_scope(engine) as s:
        return [(r.findings, r.recorded_by) for r in s.scalars(select(VisitOutcomeRow))]


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_save_after_the_account_changed_writes_nothing_and_says_why(engine, monkeypatch, change) -> None:
    _saved(engine, monkeypatch)
    at = _signed_in_page(engine)
    _form_widget(at, "number_input", "households").set_value(4)
    alter, said = CHANGES[change]
    with session_scope(engine) as s:  # the administrator, while the officer's form is open
        alter(s)
    _fill_and_save(at, "已入户核实")
    assert _outcomes(engine) == []
    assert at.session_state[Key.REFUSED_DOWNLOADS] == ([said] if said else [])
    assert (at.session_state["it_unsaved_moved"]["user"] == "li") if said is None else \
        "it_unsaved_moved" not in at.session_state
    assert _form_widget(at, "number_input", "households").value == 4  # what was typed is still there


def test_a_correction_after_a_move_leaves_the_record_and_the_audit_log_alone(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _signed_in_page(engine)
    _fill_and_save(at, "已入户核实")  # recorded while still in T1
    assert _outcomes(engine) == [("已入户核实", "li")]
    assert not at.session_state[Key.REFUSED_DOWNLOADS]
    with session_scope(engine) as s:
        security.update_user(s, "li", team_ids=["T2"])
    _fill_and_save(at, "已入户核实，另补充说明")  # 修改走访结果 of the same stop
    assert _outcomes(engine) == [("已入户核实", "li")]
    with session_scope(engine) as s:
        corrections = s.scalar(select(func.count()).select_from(AuditRow)
                               .where(AuditRow.action == "outcome_correct"))
    assert corrections == 0
    assert not at.session_state[Key.REFUSED_DOWNLOADS]  # said as the move, with what was typed (test_h3_moved_…)
    assert "核查情况：已入户核实，另补充说明" in at.session_state["it_unsaved_moved"]["text"]


def test_an_unchanged_account_still_saves(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _signed_in_page(engine)
    with session_scope(engine) as s:
        security.update_user(s, "wang", active=False)  # another account changed: nothing to do with this one
    _fill_and_save(at, "已入户核实")
    assert _outcomes(engine) == [("已入户核实", "li")]
    assert any("已保存信访件" in m.value for m in at.success)


def test_the_app_says_a_refused_save_in_its_own_words(engine, monkeypatch) -> None:
    from _ui_data import db_url

    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    monkeypatch.setenv("XIAFANG_DEMO", "0")
    with session_scope(engine) as s:
        security.create_user(s, "off1", "Xiafang-2026-pass", role="officer", team_ids=["T1"])
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    with session_scope(engine) as s:
        actor = security.authenticate(s, "off1", "Xiafang-2026-pass")
        security.set_password(s, "off1", NEW_PASSWORD)  # the reset that ended the sign-in
    app.session_state[Key.ACTOR] = actor
    app.session_state[Key.SESSION_TOKEN] = security.SessionToken.issue(actor)
    app.session_state[Key.BROWSER_TOKEN] = "x" * 43  # a sign-in the reset deleted
    app.session_state[Key.REFUSED_DOWNLOADS] = [CHANGES["reset"][1]]
    app.run()
    assert not app.exception
    assert "未保存：登录已失效（已在其他页面退出或密码已更改），请重新登录后再保存" in [e.value for e in app.error]
    assert "下访 · 登录" in [t.value for t in app.title]

