"""An import killed midway (SIGKILL of a child ``python -m planner import``) leaves the database exactly as it was."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from planner.intake.demo import generate_letters, letters_with, register_csv_bytes
from planner.intake.register import import_register
from planner.store.database import session_scope

from .seed import dump, seed

ROOT = Path(__file__).resolve().parents[2]
APP_NAME = "xf_killed_import"


def _writing_sqlite(path: str) -> bool:
    """True while another process holds SQLite's write lock (its import transaction has started writing)."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def _writing_pg(url: str) -> bool:
    """True while the child's PostgreSQL backend has a transaction id (it has written and not committed)."""
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            return bool(
                conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = :a AND backend_xid IS NOT NULL"
                    ),
                    {"a": APP_NAME},
                )
            )
    finally:
        eng.dispose()


def kill_import_midway(engine, register: Path, *, timeout_s: float = 120.0) -> dict:
    """Start ``python -m planner import register`` on ``engine``'s database, SIGKILL it while it writes.

    Returns a dict: ``killed`` (True when killed inside its write transaction), ``returncode``, ``polls``.
    """
    url = engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url, "PGAPPNAME": APP_NAME, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", "planner", "import", str(register), "--who", "killtest"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    is_writing = (
        (lambda: _writing_sqlite(engine.url.database))
        if engine.dialect.name == "sqlite"
        else (lambda: _writing_pg(url))
    )
    polls = 0
    killed = False
    deadline = time.monotonic() + timeout_s
    try:
        while child.poll() is None and time.monotonic() < deadline:
            polls += 1
            if is_writing():
                child.send_signal(signal.SIGKILL)
                killed = True
                break
            time.sleep(0.005)
    finally:
        if child.poll() is None and not killed:
            child.kill()
        child.wait(timeout=30)
    return {"killed": killed, "returncode": child.returncode, "polls": polls}


@pytest.fixture()
def before_state(engine, tmp_path):
    """A database with seeded cases and an earlier import; the big register updates 300 of its cases."""
    letters = generate_letters(11, 2000)
    earlier = letters_with(letters[:300], content="早先版本的内容")
    with session_scope(engine) as s:
        seed(s)
        import_register(s, register_csv_bytes(earlier), filename="earlier.csv", who="coordinator")
    path = tmp_path / "big-register.csv"
    path.write_bytes(register_csv_bytes(letters))
    return path


def test_killed_import_changes_nothing(engine, before_state) -> None:
    before = dump(engine)
    outcome = kill_import_midway(engine, before_state)
    assert outcome["killed"], f"the import finished before it could be killed: {outcome}"
    assert outcome["returncode"] == -signal.SIGKILL
    after = dump(engine)
    lost = {t: (len(before[t]), len(after[t])) for t in before if before[t] != after[t]}
    assert not lost, f"tables changed by a killed import: {lost}"
    # The database is still usable: the same import now completes.
    summary = import_register(engine, before_state, who="coordinator")
    assert summary.imported == 1700 and summary.updated == 300
