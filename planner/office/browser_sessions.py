"""Browser sign-ins that survive a reload: a random token in a session cookie, only its SHA-256 in the database.

A stored sign-in keeps the limits of the sign-in itself (:data:`planner.office.security.SESSION_TTL` absolute,
:data:`planner.office.security.SESSION_IDLE` idle); signing out, a new password or deactivation deletes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import PermissionDenied
from planner.office import authorisation
from planner.office.security import (
    SESSION_IDLE,
    Actor,
    SessionToken,
    _now,
    authorise_live,
    end_browser_sessions,
    get_actor,
    is_demo,
)
from planner.store.models import BrowserSessionRow

#: The cookie that carries a browser sign-in across reloads (a random token; the database keeps only its SHA-256).
BROWSER_COOKIE = "xf_session"
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{32,64}")
#: The database's ``last_seen`` is written at most this often (a page runs many times a minute).
_TOUCH_EVERY = dt.timedelta(seconds=60)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def open_browser_session(session: Session, token: SessionToken) -> str:
    """Remember a sign-in for its browser; returns the random token for the cookie (caller commits).

    The stored session has the sign-in's own limits (:data:`SESSION_TTL` absolute, :data:`SESSION_IDLE` idle).
    """
    raw = secrets.token_urlsafe(32)
    session.execute(BrowserSessionRow.__table__.delete().where(BrowserSessionRow.expires_at < _now()))
    session.add(BrowserSessionRow(token_hash=_token_hash(raw), username=token.username, issued_at=token.issued_at,
                                  expires_at=token.expires, last_seen=token.last_seen))
    session.flush()
    return raw


def _live_row(session: Session, raw: str | None, now: dt.datetime) -> BrowserSessionRow | None:
    """The stored sign-in of a cookie token, or None: unknown, or past its absolute or idle limit (then deleted)."""
    if not raw or not _TOKEN_RE.fullmatch(str(raw)):
        return None
    row = session.scalar(select(BrowserSessionRow).where(BrowserSessionRow.token_hash == _token_hash(raw)))
    if row is not None and (now >= row.expires_at or now - row.last_seen >= SESSION_IDLE):
        session.delete(row)
        session.flush()
        return None
    return row


def resume_browser_session(session: Session, raw: str | None, *,
                           now: dt.datetime | None = None) -> tuple[Actor, SessionToken] | None:
    """The account and sign-in a browser's cookie stands for, or None (unknown, expired, idle, deactivated).

    An expired or orphaned session is deleted; a live one is marked as used now (caller commits).
    """
    from planner.office import clock_anchor

    clock_anchor.share(session)  # XIAFANG_CLOCK: a server started meanwhile continues the database's clock
    now = now or _now()
    row = _live_row(session, raw, now)
    if row is None:
        return None
    token = SessionToken(row.username, row.issued_at, row.expires_at, row.last_seen, secrets.token_hex(8))
    actor = get_actor(session, row.username)
    if actor is None:  # deactivated or deleted since
        session.delete(row)
        session.flush()
        return None
    row.last_seen = now
    session.flush()
    return actor, token.touched(now)


def touch_browser_session(session: Session, raw: str, *, now: dt.datetime | None = None) -> bool:
    """Mark a browser session as used (at most once a minute); False when it no longer exists (signed out in
    another tab, password changed, account deactivated) or has expired."""
    now = now or _now()
    row = _live_row(session, raw, now)
    if row is None:
        return False
    if now - row.last_seen >= _TOUCH_EVERY:
        row.last_seen = now
        session.flush()
    return True


def authorise_session(session: Session, actor: Actor | None, token: SessionToken | None, browser: str | None, *,
                      action: str | None = None, doing: str = "下载", objs: Iterable[object] = (),
                      now: dt.datetime | None = None) -> Actor:
    """The account as it is now, re-checked for what a browser does outside a page's run: a download built on click
    (in another thread), or a widget callback that writes (run before the login gate re-reads the account).

    Signed in, not expired or idle, the account still active (:func:`planner.office.security.authorise_live`); then
    the browser's stored sign-in (``browser``, its cookie token) must still exist: a new password (the account's own
    or an administrator's reset), signing out in another tab or deactivation ends it (walk W6: the open page still
    downloaded after a reset). A download (no ``action``) is refused when the role, teams or unmask right changed
    since the page was drawn. A write (``action``, on ``objs``: :class:`planner.office.authorisation.TeamRef`,
    ``CaseRef`` …) is judged on the account as it is at the moment of the save (:func:`_may_still`): refused when the
    role changed, the unmask right went, or the account may no longer do ``action`` on ``objs``; a change that leaves
    that right intact (a new display name, a team added) saves what was typed (walk W6/F7).

    Raises
    ------
    PermissionDenied
        With the reason, in words ending with ``doing`` (下载, 保存).
    """
    if action is None:
        fresh = authorise_live(session, actor, token, now=now, doing=doing)
    else:  # the sign-in's own checks here; the rights are judged below, on the objects written
        current = get_actor(session, actor.username) if isinstance(actor, Actor) and not is_demo(actor) else None
        fresh = authorise_live(session, current or actor, token, now=now, doing=doing)
    if browser and _live_row(session, browser, now or _now()) is None:
        raise PermissionDenied(f"登录已失效（已在其他页面退出或密码已更改），请重新登录后再{doing}")
    if action is not None:
        _may_still(session, actor, fresh, action, tuple(objs), doing)
    return fresh


def _may_still(session: Session, was: Actor, now: Actor, action: str, objs: tuple[object, ...], doing: str) -> None:
    """Raise unless ``now`` (the account at the save) may still do ``action`` on ``objs`` that ``was`` (the account
    the page was drawn for) did: a role changed or an unmask right gone always refuses (the page, its fields and what
    it showed were for those rights); a change of teams refuses only when ``objs`` are no longer reachable (without
    ``objs``, when a team was taken away)."""
    changed = PermissionDenied(f"账户“{was.username}”的权限已变更，请刷新页面后再{doing}")
    if now.role != was.role or (was.can_unmask and not now.can_unmask):
        raise changed
    if not objs and not set(was.team_ids) <= set(now.team_ids):
        raise changed
    try:
        authorisation.authorise(now, action)
        for obj in objs:
            authorisation.authorise(now, action, obj, session=session)
    except PermissionDenied:
        if now.team_ids != was.team_ids:  # moved off the team: said as the change it is
            raise changed from None
        raise


def end_browser_session(session: Session, raw: str | None) -> None:
    """Forget one browser's sign-in (signing out)."""
    if raw and _TOKEN_RE.fullmatch(str(raw)):
        session.execute(BrowserSessionRow.__table__.delete().where(BrowserSessionRow.token_hash == _token_hash(raw)))


__all__ = ["BROWSER_COOKIE", "authorise_session", "end_browser_session", "end_browser_sessions", "open_browser_session",
           "resume_browser_session", "touch_browser_session"]
