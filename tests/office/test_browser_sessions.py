"""A sign-in survives a reload through a cookie token, within the same limits as the sign-in itself; signing out,
a new password or deactivation ends it; the database never holds the token itself."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.office import browser_sessions, security
from planner.office.security import SESSION_IDLE, SESSION_TTL, SYSTEM, SessionToken
from planner.store.database import session_scope
from planner.store.models import BrowserSessionRow

PASSWORD = "Xiafang-2026-browser!"
T0 = dt.datetime(2026, 12, 7, 8, 0)


def _user(engine, name="zhou", role="officer"):
    with session_scope(engine) as s:
        return security.create_user(s, name, PASSWORD, role=role, actor=SYSTEM)


def _open(engine, actor, at=T0):
    with session_scope(engine) as s:
        return browser_sessions.open_browser_session(s, SessionToken.issue(actor, now=at))


def test_a_cookie_resumes_the_sign_in_and_only_its_hash_is_stored(engine):
    actor = _user(engine)
    raw = _open(engine, actor)
    with session_scope(engine) as s:
        stored = s.scalars(select(BrowserSessionRow.token_hash)).all()
        assert stored and raw not in stored
        got = browser_sessions.resume_browser_session(s, raw, now=T0 + dt.timedelta(minutes=20))
    assert got is not None
    back, token = got
    assert back.username == "zhou" and back.role == "officer"
    assert token.expires == T0 + SESSION_TTL  # the sign-in's own absolute limit, not a fresh one
    with session_scope(engine) as s:
        assert browser_sessions.resume_browser_session(s, raw[:-1] + ("A" if raw[-1] != "A" else "B"), now=T0) is None
        assert browser_sessions.resume_browser_session(s, "'; drop table users; --", now=T0) is None


def test_idle_or_expired_sessions_do_not_resume_and_are_deleted(engine):
    actor = _user(engine)
    idle = _open(engine, actor)
    with session_scope(engine) as s:
        assert browser_sessions.resume_browser_session(s, idle, now=T0 + SESSION_IDLE + dt.timedelta(seconds=1)) is None
        assert s.scalar(select(BrowserSessionRow.id)) is None
    late = _open(engine, actor)
    step = SESSION_IDLE - dt.timedelta(minutes=1)
    at = T0
    with session_scope(engine) as s:  # used all day long, it still ends at the absolute limit
        while at + step < T0 + SESSION_TTL:
            at += step
            assert browser_sessions.touch_browser_session(s, late, now=at)
        assert not browser_sessions.touch_browser_session(s, late, now=T0 + SESSION_TTL)
        assert browser_sessions.resume_browser_session(s, late, now=T0 + SESSION_TTL) is None


def test_touching_keeps_a_used_session_alive_past_the_idle_limit(engine):
    actor = _user(engine)
    raw = _open(engine, actor)
    with session_scope(engine) as s:
        assert browser_sessions.touch_browser_session(s, raw, now=T0 + dt.timedelta(minutes=25))
    with session_scope(engine) as s:
        assert browser_sessions.resume_browser_session(s, raw, now=T0 + dt.timedelta(minutes=50)) is not None


def test_signing_out_a_new_password_or_deactivation_end_it(engine):
    actor = _user(engine)
    admin = _user(engine, "admin1", role="admin")
    one, two, three = (_open(engine, actor) for _ in range(3))
    other = _open(engine, admin)
    with session_scope(engine) as s:
        browser_sessions.end_browser_session(s, one)
    with session_scope(engine) as s:
        assert not browser_sessions.touch_browser_session(s, one, now=T0)
        assert browser_sessions.touch_browser_session(s, two, now=T0)
        security.set_password(s, "zhou", PASSWORD + "x", actor=admin)
    with session_scope(engine) as s:
        assert not browser_sessions.touch_browser_session(s, two, now=T0)
        assert not browser_sessions.touch_browser_session(s, three, now=T0)
        assert browser_sessions.touch_browser_session(s, other, now=T0)  # another account is not touched
    again = _open(engine, actor)
    with session_scope(engine) as s:
        security.update_user(s, "zhou", active=False, actor=admin)
    with session_scope(engine) as s:
        assert browser_sessions.resume_browser_session(s, again, now=T0) is None
