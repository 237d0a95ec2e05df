"""Backup and restore: consistent snapshot, exact round trip on both backends and across them, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from sqlalchemy import text

from planner.errors import InputError
from planner.office import backup as bk
from planner.store.database import make_engine, session_scope, upgrade
from planner.store.models import CaseRow, PetitionerRow

from .seed import dump, seed


@pytest.fixture()
def seeded(engine):
    with session_scope(engine) as s:
        seed(s)
    return engine


def test_round_trip_same_database(seeded, tmp_path) -> None:
    before = dump(seeded)
    info = bk.backup(seeded, tmp_path / "b.zip")
    assert info.rows["cases"] == 4 and info.rows["petitioners"] == 4 and info.revisions
    assert (tmp_path / "b.zip").stat().st_mode & 0o077 == 0  # holds identities: owner-only
    with session_scope(seeded) as s:  # change and delete things after the backup
        s.execute(CaseRow.__table__.update().values(title="改过"))
        s.execute(PetitionerRow.__table__.delete())
    with pytest.raises(InputError, match="--replace"):
        bk.restore(seeded, tmp_path / "b.zip")
    bk.restore(seeded, tmp_path / "b.zip", replace=True)
    assert dump(seeded) == before
    with session_scope(seeded) as s:  # sequences moved past restored ids: new rows still insert
        new = CaseRow(case_no="NEW", received_date=dt.date(2026, 12, 1), deadline=dt.date(2027, 1, 30))
        new.petitioner = PetitionerRow(name="")
        s.add(new)
        s.flush()
        assert new.id > max(r[0] for r in before["cases"])


def test_round_trip_across_backends(seeded, tmp_path) -> None:
    before = dump(seeded)
    bk.backup(seeded, tmp_path / "b.zip")
    other = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        bk.restore(other, tmp_path / "b.zip")  # empty database: schema created, no --replace needed
        assert dump(other) == before
        bk.backup(other, tmp_path / "c.zip")
        bk.restore(seeded, tmp_path / "c.zip", replace=True)
        assert dump(seeded) == before
    finally:
        other.dispose()


def test_snapshot_ignores_concurrent_commits(seeded) -> None:
    with bk._transaction(seeded, write=False) as conn:
        n1 = conn.scalar(text("SELECT COUNT(*) FROM cases"))
        with seeded.begin() as other:
            other.execute(text("UPDATE cases SET title = 'x'"))
            other.execute(text("DELETE FROM petitioners"))
        assert conn.scalar(text("SELECT COUNT(*) FROM petitioners")) == 4
        assert conn.scalar(text("SELECT COUNT(*) FROM cases")) == n1


def test_damaged_backup_leaves_database_unchanged(seeded, tmp_path) -> None:
    bk.backup(seeded, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    lines = members["tables/petitioners.jsonl"].splitlines(keepends=True)
    members["tables/petitioners.jsonl"] = b"".join(lines[:-1])  # last table row lost
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    with session_scope(seeded) as s:
        s.execute(CaseRow.__table__.update().values(title="现状"))
    before = dump(seeded)
    with pytest.raises(InputError, match="damaged"):
        bk.restore(seeded, tmp_path / "bad.zip", replace=True)
    assert dump(seeded) == before


@pytest.mark.parametrize(
    ("content", "match"),
    [(b"not a zip", "not a readable zip"), (None, "no manifest"), ({"format": "other"}, "format")],
)
def test_bad_files_refused(seeded, tmp_path, content, match) -> None:
    path = tmp_path / "x.zip"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("other.txt", "x")
            if content is not None:
                zf.writestr("manifest.json", json.dumps(content))
    with pytest.raises(InputError, match=match):
        bk.restore(seeded, path, replace=True)


def test_cli_round_trip(seeded, tmp_path, monkeypatch, capsys) -> None:
    from planner.cli import main

    monkeypatch.setenv("DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    before = dump(seeded)
    assert main(["backup", "--out", str(tmp_path / "cli.zip")]) == 0
    assert main(["restore", str(tmp_path / "cli.zip")]) == 2
    assert "--replace" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "cli.zip"), "--replace"]) == 0
    assert dump(seeded) == before
    assert main(["restore", str(tmp_path / "missing.zip")]) == 2


def test_newer_schema_refused(seeded, tmp_path) -> None:
    bk.backup(seeded, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest["tables"]["cases"]["columns"].append("future_column")
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(tmp_path / "new.zip", "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    with pytest.raises(InputError, match="future_column"):
        bk.restore(seeded, tmp_path / "new.zip", replace=True)
    upgrade(seeded)
