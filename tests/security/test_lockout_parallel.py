"""Issue 13.4: the login-failure counter is atomic, so parallel attempts cannot get past the lockout."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from planner.office import security
from planner.store.database import session_factory, session_scope
from planner.store.models import AuditRow, UserRow

GOOD = "Xiafang-2026-pass"


def _attack(engine, username: str, *, threads: int, tries: int, password: str = "wrong-guess") -> list[str]:
    """``threads`` threads, each with its own session, each trying ``tries`` passwords at once."""
    start = threading.Barrier(threads)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        factory = session_factory(engine)
        start.wait()
        for _ in range(tries):
            with factory() as s:
                try:
                    security.authenticate(s, username, password)
                    result = "ok"
                except security.AuthenticationError:
                    result = "refused"
            with lock:
                outcomes.append(result)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in pool)
    return outcomes


def test_thirty_wrong_passwords_from_ten_threads_lock_the_account(engine) -> None:
    with session_scope(engine) as s:
        security.create_user(s, "target", GOOD, role="coordinator")
    outcomes = _attack(engine, "target", threads=10, tries=3)
    assert outcomes == ["refused"] * 30
    with session_scope(engine) as s:
        row = s.scalars(select(UserRow).where(UserRow.username == "target")).one()
        assert row.locked_until is not None
        checked = [
            r.detail for r in s.scalars(select(AuditRow).where(AuditRow.action == "login_failed"))
            if r.detail.get("why") == "bad_password"
        ]
        # At most MAX_FAILED_LOGINS passwords were ever checked: the rest were refused unchecked.
        assert len(checked) <= security.MAX_FAILED_LOGINS
        assert sorted(d["failures"] for d in checked) == list(range(1, len(checked) + 1))
        # Locked: the right password is refused too.
        with pytest.raises(security.AuthenticationError):
            security.authenticate(s, "target", GOOD)


def test_parallel_right_passwords_all_get_in(engine) -> None:
    """The claim-before-check counter must not lock out a person signing in from several tabs at once."""
    with session_scope(engine) as s:
        security.create_user(s, "busy", GOOD, role="leader")
    outcomes = _attack(engine, "busy", threads=4, tries=1, password=GOOD)
    assert outcomes.count("ok") == 4
