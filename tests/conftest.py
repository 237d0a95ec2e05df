"""Shared fixtures: databases (SQLite always, PostgreSQL when reachable — required when CI is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from planner.store.database import make_engine, session_factory, upgrade
from planner.store.models import Base

PG_ADMIN_URL = os.environ.get("XIAFANG_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_reachable() -> str | None:
    try:
        eng = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with eng.connect() as conn:
            conn.execute(text("select 1"))
        eng.dispose()
        return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (parallel runs never share one), dropped at the end."""
    why = _pg_reachable()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but PostgreSQL at {PG_ADMIN_URL} is unreachable: {why}")
        pytest.skip(f"PostgreSQL not reachable ({why})")
    name = f"xf_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as conn:
        conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def _sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'xiafang-test.db'}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """URL of an empty-schema database, once per backend."""
    if request.param == "sqlite":
        return request.getfixturevalue("_sqlite_url")
    return request.getfixturevalue("pg_database_url")


@pytest.fixture(scope="session")
def _migrated_engines() -> dict[str, Engine]:
    return {}


@pytest.fixture()
def engine(db_url: str, _migrated_engines: dict[str, Engine]) -> Iterator[Engine]:
    """A migrated engine on each backend; every table is emptied after the test."""
    eng = _migrated_engines.get(db_url)
    if eng is None:
        eng = make_engine(db_url)
        upgrade(eng)
        _migrated_engines[db_url] = eng
    yield eng
    with eng.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture()
def session(engine: Engine) -> Iterator[Session]:
    """A session on :func:`engine`; the test commits what it wants to persist."""
    s = session_factory(engine)()
    try:
        yield s
    finally:
        s.rollback()
        s.close()


@pytest.fixture()
def backend(engine: Engine) -> str:
    """``"sqlite"`` or ``"postgresql"``."""
    return engine.dialect.name


CHROMIUM = os.environ.get("XIAFANG_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    """Debian's headless chromium through Playwright, one per test session (Playwright's sync API allows one).

    Skipped when chromium is missing, except under CI, where the browser tests must run.
    """
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but chromium is missing at {CHROMIUM} (.ci/run installs Debian's chromium)")
        pytest.skip(f"needs Debian's chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--disable-background-networking", "--disable-component-update", "--no-first-run",
                  "--disable-sync", "--disable-default-apps", "--no-sandbox", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _visit_dates_checked_against_a_fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixtures record visits in late 2026 (return visits into 2027): outcomes check dates against 2027-12-31.

    A test of the check itself passes ``today=`` or patches ``planner.followup.outcomes.local_today`` again.
    """
    import datetime as dt

    monkeypatch.setattr("planner.followup.outcomes.local_today", lambda: dt.date(2027, 12, 31))
