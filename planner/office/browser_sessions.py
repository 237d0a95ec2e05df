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
    SESSION_TTL,
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
    # Ended sign-ins are kept a day past their limit, so that a reload still says why it ended (walk W27).
    session.execute(BrowserSessionRow.__table__.delete().where(BrowserSessionRow.expires_at < _now() - _KEEP_ENDED))
    session.add(BrowserSessionRow(token_hash=_token_hash(raw), username=token.username, issued_at=token.issued_at,
                                  expires_at=token.expires, last_seen=token.last_seen))
    session.flush()
    return raw


#: Why a browser's sign-in ended (:func:`ended_text`): idle too long, past its absolute limit, or gone (signed out in
#: another tab, a new password, the account deactivated, or never known).
IDLE, EXPIRED, GONE = "idle", "expired", "gone"
#: An ended sign-in is kept this long past its absolute limit, so that a reload can still say why it ended.
_KEEP_ENDED = dt.timedelta(days=1)


def _minutes_text(span: dt.timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 60} 小时" if minutes % 60 == 0 else f"{minutes} 分钟"


def ended_text(reason: str, *, doing: str = "") -> str:
    """Why the sign-in ended, in the words the page shows (walk W27: after 30 minutes idle a click said
    已在其他页面退出、密码已更改或账户已停用, and a reload said nothing): ``doing`` (下载, 保存) when an act was
    refused, else the sentence for the login page."""
    then = f"，请重新登录后再{doing}" if doing else "，请重新登录。"
    if reason == IDLE:
        return f"登录已过期：已超过 {_minutes_text(SESSION_IDLE)}未操作，为安全起见已自动退出{then}"
    if reason == EXPIRED:
        return f"登录已过期：本次登录已满 {_minutes_text(SESSION_TTL)}，为安全起见已自动退出{then}"
    if doing:
        return f"登录已失效（已在其他页面退出或密码已更改），请重新登录后再{doing}"
    return "登录已失效（已在其他页面退出、密码已更改或账户已停用），请重新登录。"


def token_ended(token: SessionToken, now: dt.datetime | None = None) -> str:
    """Why an in-memory sign-in has ended (:data:`EXPIRED`, :data:`IDLE`), or "" while it lasts."""
    now = now or _now()
    if now >= token.expires:
        return EXPIRED
    return IDLE if token.is_expired(now) else ""


def _row_state(session: Session, raw: str | None, now: dt.datetime) -> tuple[BrowserSessionRow | None, str]:
    """The stored sign-in of a cookie token and "", or None and why not (:data:`GONE` unknown, :data:`EXPIRED` past
    its absolute limit, :data:`IDLE` unused too long; an ended one is deleted)."""
    if not raw or not _TOKEN_RE.fullmatch(str(raw)):
        return None, GONE
    row = session.scalar(select(BrowserSessionRow).where(BrowserSessionRow.token_hash == _token_hash(raw)))
    if row is None:
        return None, GONE
    reason = EXPIRED if now >= row.expires_at else IDLE if now - row.last_seen >= SESSION_IDLE else ""
    if reason:
        session.delete(row)
        session.flush()
        return None, reason
    return row, ""


def _live_row(session: Session, raw: str | None, now: dt.datetime) -> BrowserSessionRow | None:
    """The stored sign-in of a cookie token, or None: unknown, or past its absolute or idle limit (then deleted)."""
    return _row_state(session, raw, now)[0]


def resume_browser_session(session: Session, raw: str | None, *,
                           now: dt.datetime | None = None) -> tuple[Actor, SessionToken] | None:
    """The account and sign-in a browser's cookie stands for, or None (unknown, expired, idle, deactivated).

    An expired or orphaned session is deleted; a live one is marked as used now (caller commits).
    """
    resumed = resume_or_reason(session, raw, now=now)
    return None if isinstance(resumed, str) else resumed


def resume_or_reason(session: Session, raw: str | None, *,
                     now: dt.datetime | None = None) -> tuple[Actor, SessionToken] | str:
    """As :func:`resume_browser_session`, but when the cookie resumes nothing, why (:func:`ended_text`)."""
    from planner.office import clock_anchor

    clock_anchor.share(session)  # XIAFANG_CLOCK: a server started meanwhile continues the database's clock
    now = now or _now()
    row, reason = _row_state(session, raw, now)
    if row is None:
        return reason
    token = SessionToken(row.username, row.issued_at, row.expires_at, row.last_seen, secrets.token_hex(8))
    actor = get_actor(session, row.username)
    if actor is None:  # deactivated or deleted since
        session.delete(row)
        session.flush()
        return GONE
    row.last_seen = now
    session.flush()
    return actor, token.touched(now)


def touch_browser_session(session: Session, raw: str, *, now: dt.datetime | None = None) -> bool:
    """Mark a browser session as used (at most once a minute); False when it no longer exists (signed out in
    another tab, password changed, account deactivated) or has expired."""
    return not touch_or_reason(session, raw, now=now)


def touch_or_reason(session: Session, raw: str, *, now: dt.datetime | None = None) -> str:
    """As :func:`touch_browser_session`: "" while the sign-in lasts, else why it ended (:func:`ended_text`)."""
    now = now or _now()
    row, reason = _row_state(session, raw, now)
    if row is None:
        return reason
    if now - row.last_seen >= _TOUCH_EVERY:
        row.last_seen = now
        session.flush()
    return ""


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
    if isinstance(token, SessionToken) and (ended := token_ended(token, now)):
        raise PermissionDenied(ended_text(ended, doing=doing))
    if action is None:
        fresh = authorise_live(session, actor, token, now=now, doing=doing)
    else:  # the sign-in's own checks here; the rights are judged below, on the objects written
        current = get_actor(session, actor.username) if isinstance(actor, Actor) and not is_demo(actor) else None
        fresh = authorise_live(session, current or actor, token, now=now, doing=doing)
    if browser and (ended := _row_state(session, browser, now or _now())[1]):
        raise PermissionDenied(ended_text(ended, doing=doing))
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


__all__ = ["BROWSER_COOKIE", "EXPIRED", "GONE", "IDLE", "authorise_session", "end_browser_session",
           "end_browser_sessions", "ended_text", "open_browser_session", "resume_browser_session", "resume_or_reason",
           "token_ended", "touch_browser_session", "touch_or_reason"]
