"""Roles, permissions, local accounts (argon2, lockout), sessions and role-checked access to petitioner identity."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from planner.domain import Petitioner
from planner.errors import InputError, PermissionDenied
from planner.office import authorisation
from planner.office.password_rules import check_password_strength
from planner.store.models import BrowserSessionRow, CaseRow, TeamRow, UserRow

# The role × action table lives in planner.office.authorisation; these names are kept for existing callers.
ROLES: tuple[str, ...] = authorisation.ROLES
ROLE_LABELS: dict[str, str] = authorisation.ROLE_LABELS
PERMISSION_LABELS: dict[str, str] = {name: a.label for name, a in authorisation.ACTIONS.items()}
# Which role may do what. ``unmask`` additionally needs the account's own ``can_unmask`` flag.
PERMISSIONS: dict[str, frozenset[str]] = {name: a.roles for name, a in authorisation.ACTIONS.items()}

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
SESSION_TTL = dt.timedelta(hours=8)
SESSION_IDLE = dt.timedelta(minutes=30)
MIN_REASON_CHARS = 4
BOOTSTRAP_USERNAME = "admin"
ADMIN_PASSWORD_ENV = "XIAFANG_ADMIN_PASSWORD"

# One message for every failed login: it must not tell an attacker whether the account exists or is locked.
LOGIN_FAILED = "用户名或密码错误，或账户因多次失败已暂时锁定（15 分钟后再试）"

_USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{2,50}$")

# OWASP-recommended argon2id parameters (m=19 MiB, t=2) keep a login under ~100 ms on this kind of machine.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified against when the user does not exist, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def _now() -> dt.datetime:
    from planner.office.clock import utc_now

    return utc_now()


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a signed-in user, or :data:`SYSTEM` for batch jobs.

    Parameters
    ----------
    username
        Account name, written to the audit log.
    role
        One of ``admin`` 管理员, ``leader`` 组长, ``coordinator`` 协调员, ``officer`` 干部.
    team_ids
        Teams this person belongs to (officers) or leads (leaders).
    can_unmask
        Whether this account may reveal petitioner identity (only for roles with the ``unmask`` permission).
    display_name
        Name shown in the UI.
    """

    username: str
    role: str
    team_ids: tuple[str, ...] = ()
    can_unmask: bool = False
    display_name: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            choices = "、".join(f"{r}（{ROLE_LABELS.get(r, r)}）" for r in ROLES)
            raise InputError(f"角色应为 {choices} 之一，收到 {self.role!r}")
        if not str(self.username).strip():
            raise InputError("操作人须有用户名，现为空")
        object.__setattr__(self, "team_ids", tuple(str(t) for t in self.team_ids))

    def can(self, permission: str) -> bool:
        """True when this actor has ``permission`` (see :data:`PERMISSIONS`)."""
        return has_permission(self, permission)

    @property
    def role_label(self) -> str:
        """The role in Chinese (管理员, 组长, 协调员, 干部)."""
        return ROLE_LABELS[self.role]


# Batch jobs (CLI, migrations, tests) act as SYSTEM: full rights except revealing identity, which needs a person.
SYSTEM = Actor(username="system", role="admin", team_ids=(), can_unmask=False, display_name="系统")


def has_permission(actor: Actor, permission: str) -> bool:
    """True when ``actor``'s role grants ``permission`` (see :func:`planner.office.authorisation.is_allowed`)."""
    return authorisation.is_allowed(actor, permission)


def require(actor: Actor | None, permission: str) -> None:
    """Raise unless ``actor`` may do ``permission`` (:func:`planner.office.authorisation.authorise` without object).

    Raises
    ------
    PermissionDenied
        With a Chinese message naming the role and the refused action; always when ``actor`` is None.
    """
    authorisation.authorise(actor, permission)


# --- passwords and accounts -------------------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def _actor_from_row(row: UserRow) -> Actor:
    return Actor(
        username=row.username,
        role=row.role,
        team_ids=tuple(row.team_ids or ()),
        can_unmask=bool(row.can_unmask) and row.role in PERMISSIONS["unmask"],
        display_name=row.display_name or "",
    )


def _validate_account(username: str, role: str, can_unmask: bool) -> None:
    if not _USERNAME_RE.match(username or ""):
        raise InputError(f"用户名须为 2-50 个字母、数字或 _.- ，收到“{username}”")
    if role not in ROLES:
        raise InputError(f"角色须为 {'、'.join(f'{r}（{ROLE_LABELS.get(r, r)}）' for r in ROLES)} 之一，收到 {role!r}")
    if can_unmask and role not in PERMISSIONS["unmask"]:
        allowed = "、".join(ROLE_LABELS.get(r, r) for r in ROLES if r in PERMISSIONS["unmask"])
        raise InputError(f"{ROLE_LABELS[role]}账户不能被授予查看信访人身份的权限（只有{allowed}可以）")


def _check_team_ids(session: Session, team_ids: tuple[str, ...] | list[str]) -> list[str]:
    """The team ids, refused when the office has a team list and one of them is not on it (a typo gives no cases)."""
    ids = [str(t).strip() for t in team_ids if str(t).strip()]
    known = set(session.scalars(select(TeamRow.id)))
    unknown = [t for t in ids if t not in known]
    if known and unknown:
        raise InputError(f"组“{'”“'.join(unknown)}”不在组列表中（现有：{'、'.join(sorted(known))}）")
    return list(dict.fromkeys(ids))


def _get_user(session: Session, username: str) -> UserRow | None:
    return session.scalars(select(UserRow).where(UserRow.username == username)).first()


def account_key(username: str) -> str:
    """How account names are told apart: NFKC (full-width ＯＦＦ１ is OFF1), trimmed and case-folded, so OFF1, Off1
    and off1 are one name (walk W27: OFF1 was created beside off1)."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def _same_name(session: Session, username: str) -> list[UserRow]:
    """The accounts whose name is ``username`` by :func:`account_key` (names are ASCII, so SQL ``lower`` folds them);
    more than one only in a database made before names were compared so (kept: both still sign in)."""
    key = account_key(username)
    rows = session.scalars(select(UserRow).where(func.lower(UserRow.username) == key).order_by(UserRow.id)).all()
    return [r for r in rows if account_key(r.username) == key]


def _account_signing_in(session: Session, typed: str) -> UserRow | None:
    """The account a typed name signs in to: its exact name first, else the one account it names regardless of case
    and width; None when it names none, or (an older database's look-alike pair) several and neither exactly."""
    row = _get_user(session, typed)
    if row is not None:
        return row
    same = _same_name(session, typed)
    return same[0] if len(same) == 1 else None


def create_user(
    session: Session,
    username: str,
    password: str,
    *,
    role: str,
    team_ids: tuple[str, ...] | list[str] = (),
    can_unmask: bool = False,
    display_name: str = "",
    actor: Actor = SYSTEM,
) -> Actor:
    """Create a local account (flushed, not committed).

    Parameters
    ----------
    session
        Open session; the caller commits.
    username, password
        The password must pass :func:`check_password_strength`.
    role, team_ids, can_unmask, display_name
        See :class:`Actor`.
    actor
        Who creates the account (needs ``manage_users``); audited.

    Returns
    -------
    Actor
        The new account as an actor.

    Raises
    ------
    PermissionDenied, InputError
        Not an admin; invalid name, role or password; the name is taken.
    """
    from planner.office import audit

    require(actor, "manage_users")
    username = unicodedata.normalize("NFKC", username or "").strip()
    _validate_account(username, role, can_unmask)
    check_password_strength(password, username=username)
    if _get_user(session, username) is not None:
        raise InputError(f"用户名“{username}”已存在")
    if same := _same_name(session, username):
        raise InputError(f"用户名“{username}”与已有账户“{same[0].username}”只差大小写或全角、半角，登录时是同一个名字；"
                         "请另取一个")
    team_ids = _check_team_ids(session, team_ids)
    row = UserRow(
        username=username,
        display_name=display_name.strip(),
        role=role,
        password_hash=hash_password(password),
        team_ids=[str(t) for t in team_ids],
        can_unmask=bool(can_unmask),
        failed_logins=0,
        active=True,
        must_change_password=actor.username != SYSTEM.username,  # 初始密码 typed by an administrator
    )
    session.add(row)
    session.flush()
    audit.record(
        session, actor, "user_create",
        detail={"user": username, "role": role, "team_ids": list(team_ids), "can_unmask": bool(can_unmask)},
    )  # fmt: skip
    return _actor_from_row(row)


def update_user(
    session: Session,
    username: str,
    *,
    role: str | None = None,
    team_ids: tuple[str, ...] | list[str] | None = None,
    can_unmask: bool | None = None,
    display_name: str | None = None,
    active: bool | None = None,
    actor: Actor = SYSTEM,
    expected_version: int | None = None,
) -> Actor:
    """Change an account's role, teams, unmask right, display name or active flag (audited; caller commits).

    ``expected_version`` is the account's version the form was loaded at (:func:`user_version`): when someone else
    saved the account since, the change is refused and nothing is written.

    Raises
    ------
    NotFoundError
        No such user.
    InputError
        The change would leave no active admin, or is invalid.
    ConflictError
        The account changed since ``expected_version`` was read.
    """
    from planner.errors import NotFoundError
    from planner.office import audit

    require(actor, "manage_users")
    row = _get_user(session, username)
    if row is None:
        raise NotFoundError(f"没有用户“{username}”")
    new_role = row.role if role is None else role
    new_unmask = bool(row.can_unmask if can_unmask is None else can_unmask)
    if role is not None and can_unmask is None and role not in PERMISSIONS["unmask"]:
        new_unmask = False  # demoting to officer drops the right rather than failing (audited as dropped)
    _validate_account(row.username, new_role, new_unmask)
    new_active = row.active if active is None else bool(active)
    if row.role == "admin" and (new_role != "admin" or not new_active):
        others = session.scalar(
            select(func.count())
            .select_from(UserRow)
            .where(UserRow.role == "admin", UserRow.active.is_(True), UserRow.id != row.id)
        )
        if not others:
            raise InputError(f"“{username}”是唯一的启用管理员，不能降级或停用")
    # One conditional UPDATE bumps the version first: a second editor of the same version matches no row (it waits
    # for the first one's transaction on both backends), so two saves can never both pass.
    bump = update(UserRow).where(UserRow.id == row.id)
    if expected_version is not None:
        bump = bump.where(UserRow.version == int(expected_version))
    if session.execute(bump.values(version=UserRow.version + 1)).rowcount != 1:
        from planner.errors import ConflictError

        raise ConflictError(f"账户 {username} 已被他人修改（你看到的是第 {expected_version} 版）。你的修改没有保存，"
                            "请刷新后再改。")
    session.expire(row, ["version"])
    changes = {}
    for key, value in (
        ("role", new_role),
        ("team_ids", None if team_ids is None else _check_team_ids(session, team_ids)),
        ("can_unmask", new_unmask),
        ("display_name", None if display_name is None else display_name.strip()),
        ("active", new_active),
    ):
        if value is not None and getattr(row, key) != value:
            changes[key] = value
            setattr(row, key, value)
    session.flush()
    if not new_active:
        end_browser_sessions(session, row.username)
    if changes:
        # A right dropped with the role, not asked for: the log says so (walk W4: the admin was never told).
        dropped = {"unmask_dropped": True} if changes.get("can_unmask") is False and can_unmask is None else {}
        audit.record(session, actor, "user_update", detail={"user": row.username, **changes, **dropped})
    return _actor_from_row(row)


def user_version(session: Session, username: str) -> int:
    """An account's version, for :func:`update_user`'s ``expected_version``."""
    from planner.errors import NotFoundError

    row = _get_user(session, username)
    if row is None:
        raise NotFoundError(f"没有用户“{username}”")
    return int(row.version)


def set_password(session: Session, username: str, password: str, *, actor: Actor = SYSTEM) -> None:
    """Set a new password (strength-checked), clearing any lockout. Admins may reset anyone; users themselves.

    Raises
    ------
    PermissionDenied
        Neither an admin nor the account owner.
    NotFoundError, InputError
        No such user; weak password.
    """
    from planner.errors import NotFoundError
    from planner.office import audit

    if actor.username != username:
        require(actor, "manage_users")
    row = _get_user(session, username)
    if row is None:
        raise NotFoundError(f"没有用户“{username}”")
    check_password_strength(password, username=username)
    row.password_hash = hash_password(password)
    row.failed_logins = 0
    row.locked_until = None
    row.must_change_password = actor.username != username  # someone else knows it: changed at the next sign-in
    session.flush()
    end_browser_sessions(session, username)  # a new password signs out every browser that knew the old one
    audit.record(session, actor, "password_set", detail={"user": username})


def list_users(session: Session, *, actor: Actor = SYSTEM) -> list[dict]:
    """All accounts as plain dicts (no hashes), sorted by user name."""
    require(actor, "manage_users")
    rows = session.scalars(select(UserRow).order_by(UserRow.username)).all()
    now = _now()
    return [
        {
            "username": r.username,
            "display_name": r.display_name,
            "role": r.role,
            "role_label": ROLE_LABELS.get(r.role, r.role),
            "team_ids": list(r.team_ids or ()),
            "can_unmask": bool(r.can_unmask),
            "active": bool(r.active),
            "locked": bool(r.locked_until and r.locked_until > now),
            "failed_logins": int(r.failed_logins or 0),
            "must_change": bool(r.must_change_password),
        }
        for r in rows
    ]


class AuthenticationError(PermissionDenied):
    """Sign-in failed; the message is always :data:`LOGIN_FAILED`."""


def _claim_attempt(session: Session, user_id: int, now: dt.datetime) -> int | None:
    """Count one more sign-in attempt atomically, before the password is checked; None while locked.

    One ``UPDATE … SET failed_logins = failed_logins + 1 … RETURNING`` on both backends: parallel attempts can
    neither lose an increment nor check more than :data:`MAX_FAILED_LOGINS` passwords per lockout window.
    """
    claimed = session.execute(
        update(UserRow)
        .where(UserRow.id == user_id, or_(UserRow.locked_until.is_(None), UserRow.locked_until <= now))
        .values(failed_logins=func.coalesce(UserRow.failed_logins, 0) + 1)
        .returning(UserRow.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    session.commit()  # release the write lock before the (slow) password check
    return claimed


def authenticate(session: Session, username: str, password: str, *, now: dt.datetime | None = None) -> Actor:
    """Check a user name and password and return the signed-in actor.

    After :data:`MAX_FAILED_LOGINS` failures in a row the account is locked for :data:`LOCKOUT`; while locked
    even the right password is refused. Each attempt is counted atomically *before* its password is checked
    (:func:`_claim_attempt`), so parallel attempts cannot check more than :data:`MAX_FAILED_LOGINS` passwords.
    The outcome is audited and **committed** (a failure counter must survive the exception the caller receives).

    Parameters
    ----------
    session
        Open session; this function commits it.
    username, password
        As typed.
    now
        Naive UTC time, for tests.

    Returns
    -------
    Actor

    Raises
    ------
    AuthenticationError
        Always with the same message, whether the user is unknown, inactive, locked or the password wrong.
    """
    from planner.office import audit, clock_anchor

    clock_anchor.share(session)  # XIAFANG_CLOCK: sign-ins age on the database's clock
    now = now or _now()
    username = unicodedata.normalize("NFKC", username or "").strip()
    row = _account_signing_in(session, username) if username else None
    if row is None or not row.active:
        try:  # same work as a real check, so timing does not reveal unknown names
            _hasher.verify(_DUMMY_HASH, password or "")
        except VerificationError:
            pass
        # An account that exists (disabled) writes the row under its own name, as a wrong password does (walk V:
        # 系统 stood in the user column); a name nobody has stays the system's.
        why = "unknown" if row is None else "inactive"
        audit.record(session, SYSTEM if row is None else row.username, "login_failed",
                     detail={"user": (username if row is None else row.username)[:100], "why": why})
        session.commit()
        raise AuthenticationError(LOGIN_FAILED)
    user_id, username = row.id, row.username  # the account's own spelling, however it was typed
    attempt = _claim_attempt(session, user_id, now)
    if attempt is None or attempt > MAX_FAILED_LOGINS:
        # Locked, or parallel attempts already used up this window: refused without checking the password,
        # and the lock (re)starts so a counter left high by an interrupted attempt still expires.
        if attempt is not None:
            session.execute(
                update(UserRow)
                .where(UserRow.id == user_id)
                .values(locked_until=now + LOCKOUT, failed_logins=0)
                .execution_options(synchronize_session=False)
            )
        audit.record(session, username, "login_failed", detail={"user": username, "why": "locked"})
        session.commit()
        raise AuthenticationError(LOGIN_FAILED)
    row = session.get(UserRow, user_id)
    try:
        ok = _hasher.verify(row.password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok:
        detail = {"user": row.username, "why": "bad_password", "failures": attempt}
        if attempt >= MAX_FAILED_LOGINS:
            locked_until = now + LOCKOUT
            session.execute(
                update(UserRow)
                .where(UserRow.id == user_id)
                .values(locked_until=locked_until, failed_logins=0)
                .execution_options(synchronize_session=False)
            )
            detail["locked_until"] = locked_until.isoformat(timespec="seconds")
        audit.record(session, row.username, "login_failed", detail=detail)
        session.commit()
        raise AuthenticationError(LOGIN_FAILED)
    session.refresh(row)
    row.failed_logins = 0
    row.locked_until = None
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = hash_password(password)
    actor = _actor_from_row(row)
    audit.record(session, actor, "login")
    session.commit()
    return actor


def bootstrap_admin(session: Session) -> str | None:
    """On a fresh install (no accounts at all) create the first admin account ``admin``.

    The password comes from ``XIAFANG_ADMIN_PASSWORD`` when set (it must pass the strength rules);
    otherwise a random one is generated and returned so the CLI can print it **once**.
    Nothing happens when any account exists. Demo data, if the install still holds the demo, is removed in the
    same transaction (see :mod:`planner.store.demo_data`).

    Returns
    -------
    str or None
        The generated password, or None when none was generated (accounts exist, or the env var was used).
    """
    if session.scalar(select(func.count()).select_from(UserRow)):
        return None
    env_password = os.environ.get(ADMIN_PASSWORD_ENV, "")
    password = env_password or _generate_password()
    admin = create_user(session, BOOTSTRAP_USERNAME, password, role="admin", can_unmask=False, display_name="管理员")
    _get_user(session, BOOTSTRAP_USERNAME).must_change_password = not env_password  # printed on a terminal
    # The first account ends the demo, whichever way it is created: the demo letters must not stay in the office's
    # figures (the browser path, :func:`end_demo`, does the same).
    from planner.office import audit
    from planner.store.demo_data import remove_demo_data

    removed = remove_demo_data(session)
    if any(removed.values()):
        audit.record(session, admin, "demo_data_removed", detail={"removed": removed})
    session.commit()
    return None if env_password else password


def _generate_password() -> str:
    while True:
        candidate = secrets.token_urlsafe(15) + "-7a"
        try:
            check_password_strength(candidate, username=BOOTSTRAP_USERNAME)
            return candidate
        except InputError:
            continue


def end_browser_sessions(session: Session, username: str) -> int:
    """Forget every browser sign-in of an account (``planner.office.browser_sessions``); the number forgotten."""
    return session.execute(BrowserSessionRow.__table__.delete()
                           .where(BrowserSessionRow.username == username)).rowcount or 0


def get_actor(session: Session, username: str) -> Actor | None:
    """The current state of an active account as an actor (None if missing or deactivated).

    Pages call this on each run so a role change or deactivation takes effect without a new sign-in.
    """
    row = _get_user(session, username)
    if row is None or not row.active:
        return None
    return _actor_from_row(row)


# --- sessions ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionToken:
    """A browser sign-in: expires :data:`SESSION_TTL` after issue or :data:`SESSION_IDLE` after last use."""

    username: str
    issued_at: dt.datetime
    expires: dt.datetime
    last_seen: dt.datetime
    nonce: str = ""

    @classmethod
    def issue(cls, actor: Actor, *, now: dt.datetime | None = None, ttl: dt.timedelta = SESSION_TTL) -> SessionToken:
        """A new token for ``actor`` starting at ``now`` (naive UTC)."""
        now = now or _now()
        return cls(actor.username, now, now + ttl, now, secrets.token_hex(8))

    def is_expired(self, now: dt.datetime | None = None, *, idle: dt.timedelta = SESSION_IDLE) -> bool:
        """True after the absolute expiry or after ``idle`` without use."""
        now = now or _now()
        return now >= self.expires or now - self.last_seen >= idle

    def touched(self, now: dt.datetime | None = None) -> SessionToken:
        """The same token marked as used at ``now``."""
        return dataclasses.replace(self, last_seen=now or _now())


def authorise_live(
    session: Session, actor: Actor | None, token: SessionToken | None, *, now: dt.datetime | None = None,
    doing: str = "下载",
) -> Actor:
    """Re-check a browser session at the moment it asks for a file (a download is built on click, in another thread).

    The page captured ``actor`` and ``token`` when it rendered the button; when the click comes the account must
    still be active with the same role, teams and unmask right, and the session must not have passed its absolute
    or idle limit (:data:`SESSION_IDLE`) since that render. ``doing`` is the act refused, as the refusal says it.

    Returns
    -------
    Actor
        The account as it is now.

    Raises
    ------
    PermissionDenied
        Not signed in, expired or idle, deactivated, or the account's rights changed since the page was shown.
    """
    if not isinstance(actor, Actor) or not isinstance(token, SessionToken) or token.username != actor.username:
        raise PermissionDenied(f"未登录，不能{doing}")
    if token.is_expired(now):
        raise PermissionDenied(f"登录已超时，请重新登录后再{doing}")
    if is_demo(actor):
        fresh = actor if demo_sign_in_allowed(session) else None
    else:
        fresh = get_actor(session, actor.username)
    if fresh is None:
        raise PermissionDenied(f"账户“{actor.username}”已停用，不能{doing}")
    if (fresh.role, fresh.team_ids, fresh.can_unmask) != (actor.role, actor.team_ids, actor.can_unmask):
        raise PermissionDenied(f"账户“{actor.username}”的权限已变更，请刷新页面后再{doing}")
    return fresh


# --- data access ------------------------------------------------------------------------------------------------------


def visible_case_filter(actor: Actor | None) -> ColumnElement[bool]:
    """A where-clause on ``CaseRow`` selecting the cases ``actor`` may see (:func:`authorisation.case_filter`)."""
    return authorisation.case_filter(actor)


def can_see_case(session: Session, actor: Actor | None, case_no: str) -> bool:
    """True when ``case_no`` exists and is visible to ``actor``."""
    return bool(
        session.scalar(
            select(func.count()).select_from(CaseRow).where(CaseRow.case_no == case_no, visible_case_filter(actor))
        )
    )


class _HasIdentity(Protocol):
    name: str
    phone: str
    id_number: str


def petitioner_view(
    actor: Actor,
    petitioner: _HasIdentity | None,
    *,
    unmask: bool = False,
    reason: str = "",
    session: Session | None = None,
    case_nos: tuple[str, ...] | list[str] = (),
) -> Petitioner:
    """The petitioner's identity as ``actor`` may see it: masked by default.

    Parameters
    ----------
    actor
        Who looks.
    petitioner
        A :class:`~planner.domain.Petitioner` or ``PetitionerRow`` (anything with name/phone/id_number).
    unmask
        Ask for the real identity; needs the ``unmask`` permission, a reason and a session for the audit row.
    reason
        Why (at least 4 characters), written to the audit log.
    session
        Where the audit row is added (the caller commits; the row is flushed at once).
    case_nos
        The cases concerned, for the audit log.

    Returns
    -------
    Petitioner
        Masked (张**, 138****1234, ******) unless unmasking was allowed.

    Raises
    ------
    PermissionDenied
        Unmasking without the permission.
    InputError
        Unmasking without a reason or without a session.
    """
    from planner.office import audit

    if petitioner is None:
        return Petitioner()
    plain = Petitioner(
        name=str(petitioner.name or ""), phone=str(petitioner.phone or ""), id_number=str(petitioner.id_number or "")
    )
    if not unmask:
        return plain.masked()
    require(actor, "unmask")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_CHARS:
        raise InputError(f"查看信访人身份须填写理由（至少 {MIN_REASON_CHARS} 个字），收到 {reason!r}")
    if session is None:
        raise InputError("查看信访人身份必须写入审计日志，需要数据库会话")
    audit.record(session, actor, "unmask_view", case_nos=tuple(case_nos), reason=reason)
    session.flush()
    return plain


def unmask_allowed(actor: Actor | None) -> bool:
    """True when ``actor`` may reveal identities (for showing the 显示身份 control at all)."""
    return actor is not None and has_permission(actor, "unmask")


# --- demo mode --------------------------------------------------------------------------------------------------------

DEMO_ENV = "XIAFANG_DEMO"
DEMO_SETTING = "demo_data"
DEMO_ACTOR = Actor(username="demo", role="coordinator", team_ids=(), can_unmask=False, display_name="演示协调员")


def is_demo(actor: object) -> bool:
    """True for the password-less demo visitor (:data:`DEMO_ACTOR`): it may look and try, never change what outlives
    the demo (settings, accounts)."""
    return isinstance(actor, Actor) and actor == DEMO_ACTOR


def end_demo(
    session: Session, actor: Actor | None, username: str, password: str, *, display_name: str = ""
) -> Actor:
    """The demo visitor creates the office's first administrator: the demo ends and the visitor goes on as that admin.

    This is the browser path from the demo to real data (the CLI's ``users bootstrap`` is the other). It is only
    open while :func:`demo_sign_in_allowed` (no account exists yet); creating the account closes demo sign-in for
    everyone. The demo data (demo letters and everything hanging off them, see :mod:`planner.store.demo_data`) is
    removed in the same transaction, so the office's statistics never count a fictitious letter. Audited as
    ``demo_ended`` and ``demo_data_removed`` (with the counts); the caller commits.

    Raises
    ------
    PermissionDenied
        Not the demo visitor, or accounts already exist.
    InputError
        Invalid user name or weak password (same rules as :func:`create_user`).
    """
    from planner.office import audit

    if not is_demo(actor) or not demo_sign_in_allowed(session):
        raise PermissionDenied("只有演示模式下、尚无任何账户时才能这样创建首个管理员")
    from planner.store.demo_data import remove_demo_data

    admin = create_user(session, username, password, role="admin", display_name=display_name, actor=SYSTEM)
    audit.record(session, admin, "demo_ended", detail={"user": admin.username})
    removed = remove_demo_data(session)
    audit.record(session, admin, "demo_data_removed", detail={"removed": removed})
    session.info["demo_data_removed"] = removed  # for the page's "what was removed"
    return admin


def mark_demo_data(session: Session) -> None:
    """Record that the database was filled by the demo loader (call it from the demo loader; caller commits)."""
    from planner.store.models import SettingRow

    if session.get(SettingRow, DEMO_SETTING) is None:
        session.add(SettingRow(key=DEMO_SETTING, value={"loaded": True}))
        session.flush()


def demo_sign_in_allowed(session: Session) -> bool:
    """Whether the app may sign visitors in as :data:`DEMO_ACTOR` without a password.

    Safe by default: never once any account exists (creating the first admin closes the door), never when
    ``XIAFANG_DEMO=0``. Otherwise allowed when ``XIAFANG_DEMO=1``, or when the database holds only demo data:
    the demo loader imported it (an import batch by ``demo``, or :func:`mark_demo_data`) and no register was
    imported by anyone else. The demo actor is a coordinator without the right to unmask, so even then no
    identity is shown.
    """
    from planner.store.models import ImportBatch, SettingRow

    flag = os.environ.get(DEMO_ENV, "").strip()
    if flag == "0" or session.scalar(select(func.count()).select_from(UserRow)):
        return False
    if flag == "1":
        return True
    demo_names = ["demo", "演示"]
    real_imports = session.scalar(
        select(func.count()).select_from(ImportBatch).where(ImportBatch.imported_by.not_in(demo_names))
    )
    if real_imports:
        return False
    demo_imports = session.scalar(
        select(func.count()).select_from(ImportBatch).where(ImportBatch.imported_by.in_(demo_names))
    )
    return bool(demo_imports) or session.get(SettingRow, DEMO_SETTING) is not None
