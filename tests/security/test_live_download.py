"""Issue 13.3: a download is authorised when it is clicked, against the live session, before any file is built."""

from __future__ import annotations

import datetime as dt

import pytest

from pages.common import live_download
from planner.errors import PermissionDenied
from planner.office import security
from planner.office.security import SessionToken
from planner.store.database import session_scope

GOOD = "Xiafang-2026-pass"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@pytest.fixture()
def signed_in(engine):
    with session_scope(engine) as s:
        security.create_user(s, "root", GOOD, role="admin")
        security.create_user(s, "lead", GOOD, role="leader", team_ids=["T1"], can_unmask=True)
    with session_scope(engine) as s:
        actor = security.authenticate(s, "lead", GOOD)
    return actor, SessionToken.issue(actor)


def _download(engine, actor, token) -> tuple[list[int], object]:
    built: list[int] = []

    def build() -> bytes:
        built.append(1)
        return b"unmasked workbook"

    return built, live_download(build, actor, token, engine)


def test_a_live_session_gets_its_file(engine, signed_in) -> None:
    built, click = _download(engine, *signed_in)
    assert click() == b"unmasked workbook" and built == [1]


def test_deactivated_account_gets_nothing(engine, signed_in) -> None:
    built, click = _download(engine, *signed_in)  # the button was drawn while the account was active
    with session_scope(engine) as s:
        security.update_user(s, "lead", active=False)
    with pytest.raises(PermissionDenied, match="已停用"):
        click()
    assert built == []


def test_idle_past_the_limit_gets_nothing(engine, signed_in) -> None:
    actor, _ = signed_in
    token = SessionToken.issue(actor, now=_now() - security.SESSION_IDLE - dt.timedelta(minutes=1))
    built, click = _download(engine, actor, token)
    with pytest.raises(PermissionDenied, match="登录已过期：已超过 30 分钟未操作"):  # why, in the office's words
        click()
    assert built == []


@pytest.mark.parametrize("change", [{"role": "officer"}, {"team_ids": []}, {"can_unmask": False}])
def test_rights_changed_since_the_page_was_drawn(engine, signed_in, change) -> None:
    built, click = _download(engine, *signed_in)
    with session_scope(engine) as s:
        security.update_user(s, "lead", **change)
    with pytest.raises(PermissionDenied, match="权限已变更"):
        click()
    assert built == []


def test_no_session_no_file(engine, signed_in) -> None:
    actor, _ = signed_in
    built, click = _download(engine, actor, None)
    with pytest.raises(PermissionDenied, match="未登录"):
        click()
    assert built == []
