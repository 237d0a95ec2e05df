"""An account changes its own password (修改密码 in the sidebar)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InputError
from planner.office.security import Actor, AuthenticationError, authenticate, check_password_strength, set_password
from planner.store.models import UserRow


def must_change(session: Session, username: str) -> bool:
    """Whether the account's password was set by someone else (初始密码, a reset, a generated first password) and
    must be changed before anything else (a password an administrator typed is one the administrator knows)."""
    return bool(session.scalar(select(UserRow.must_change_password).where(UserRow.username == username)))


def change_own_password(session: Session, actor: Actor, current: str, new: str, repeated: str) -> None:
    """An account changes its own password: the current one is checked first (a wrong one counts towards the
    lock-out, as at sign-in), the new one must follow the rules, differ from the current and be typed twice alike.
    Every browser signed in to the account is signed out (:func:`set_password`); audited as ``password_set``.

    Raises
    ------
    AuthenticationError
        The current password is wrong (or the account is locked or inactive).
    InputError
        The new password is weak, the same as the current one, or the two entries differ.
    """
    if new != repeated:
        raise InputError("两次输入的新密码不一致")
    if new == current:
        raise InputError("新密码不能与当前密码相同")
    check_password_strength(new, username=actor.username)
    try:
        authenticate(session, actor.username, current)
    except AuthenticationError:
        raise AuthenticationError("当前密码不正确（连续输错 5 次账户将被锁定）") from None
    set_password(session, actor.username, new, actor=actor)
