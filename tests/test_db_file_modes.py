"""The SQLite database holds petitioners' names, phones and ID numbers: the app creates its data folder 0700 and the
database file (and its -wal/-shm/-journal files) 0600, not readable by every local user."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from planner.store.database import data_dir, make_engine, upgrade

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """The usual umask 022, under which SQLite alone would create the file 0644."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _use(engine) -> None:
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))


def test_new_data_folder_and_database_are_private(tmp_path, monkeypatch, open_umask) -> None:
    folder = tmp_path / "nested" / "data"
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert data_dir() == folder
    assert _mode(folder) == 0o700
    db = folder / "xiafang.db"
    engine = make_engine(f"sqlite:///{db}")
    try:
        _use(engine)
        with engine.connect() as conn:  # an open connection keeps the WAL files
            conn.execute(text("SELECT count(*) FROM t")).scalar_one()
            siblings = [p for p in folder.iterdir() if p.name.startswith("xiafang.db-")]
            assert siblings, "WAL mode should have made xiafang.db-wal/-shm"
            for path in [db, *siblings]:
                assert _mode(path) == 0o600, path
    finally:
        engine.dispose()
    assert _mode(db) == 0o600


def test_new_database_outside_the_data_folder_is_private(tmp_path, open_umask) -> None:
    db = tmp_path / "elsewhere.db"
    engine = make_engine(f"sqlite:///{db}")
    try:
        assert not db.exists()  # created when first used, not when the engine is made
        _use(engine)
        assert _mode(db) == 0o600
    finally:
        engine.dispose()


def test_existing_data_folder_keeps_its_mode(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o750)
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(folder))
    assert data_dir() == folder and _mode(folder) == 0o750


def test_old_0644_database_in_the_data_folder_is_tightened(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(folder))
    db = folder / "xiafang.db"
    db.touch()
    db.chmod(0o644)
    engine = make_engine(f"sqlite:///{db}")
    try:
        _use(engine)
        assert _mode(db) == 0o600
    finally:
        engine.dispose()


def test_existing_database_placed_elsewhere_keeps_its_mode(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(tmp_path / "data"))
    db = tmp_path / "shared.db"
    db.touch()
    db.chmod(0o640)
    engine = make_engine(f"sqlite:///{db}")
    try:
        _use(engine)
        assert _mode(db) == 0o640
    finally:
        engine.dispose()


def test_in_memory_database_still_works() -> None:
    engine = make_engine("sqlite://")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
    engine.dispose()
