"""Walk W6: after the administrator reset an officer's password, the officer's still-open 行程 page downloaded the
Excel summary, the whole-plan zip and the PDF (each audited). A reset ends the browser's sign-in; a download clicked
afterwards is now refused as moving or stopping the account already was: no file, and the page says why."""

from __future__ import annotations

import pytest

from pages.common import Key
from planner.errors import PermissionDenied
from planner.office import security
from planner.office.browser_sessions import authorise_session, end_browser_session, open_browser_session
from planner.office.security import SessionToken
from planner.store.database import session_scope
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _officer_app, _saved

ENDED = "登录已失效（已在其他页面退出或密码已更改），请重新登录后再下载"


def _signed_in(engine) -> tuple[security.Actor, SessionToken, str]:
    with session_scope(engine) as s:
        security.create_user(s, "off1", "Xiafang-2026-pass", role="officer", team_ids=["T1"])
    with session_scope(engine) as s:
        actor = security.authenticate(s, "off1", "Xiafang-2026-pass")
        token = SessionToken.issue(actor)
        return actor, token, open_browser_session(s, token)


def test_a_live_sign_in_is_let_through(engine) -> None:
    actor, token, browser = _signed_in(engine)
    with session_scope(engine) as s:
        assert authorise_session(s, actor, token, browser) == actor


@pytest.mark.parametrize("ending", ["reset", "own_password", "signed_out_elsewhere"])
def test_an_ended_sign_in_gets_no_file(engine, ending) -> None:
    actor, token, browser = _signed_in(engine)
    with session_scope(engine) as s:
        if ending == "reset":
            security.set_password(s, "off1", "Reset-by-admin-2026")
        elif ending == "own_password":
            security.set_password(s, "off1", "Own-new-pass-2026", actor=actor)
        else:
            end_browser_session(s, browser)
    with session_scope(engine) as s, pytest.raises(PermissionDenied) as refused:
        authorise_session(s, actor, token, browser)
    assert str(refused.value) == ENDED


def test_the_itinerary_page_refuses_its_files_after_a_reset(engine, monkeypatch, deferred) -> None:
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    with session_scope(engine) as s:
        at.session_state[Key.BROWSER_TOKEN] = open_browser_session(s, at.session_state[Key.SESSION_TOKEN])
    at.run()
    assert not at.exception
    files = {suffix: next(n for n in deferred if n.endswith(suffix)) for suffix in (".xlsx", ".zip", ".pdf")}
    assert deferred[files[".xlsx"]]()[:2] == b"PK"  # before the reset: the file
    with session_scope(engine) as s:
        security.set_password(s, "li", "Reset-by-admin-2026")  # the page stays open
    for name in files.values():
        with pytest.raises(PermissionDenied, match="登录已失效"):
            deferred[name]()
    assert at.session_state[Key.REFUSED_DOWNLOADS] == [ENDED]  # said on the page, once
