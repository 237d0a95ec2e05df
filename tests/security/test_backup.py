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
    with pytest.raises(InputError, match="已损坏"):
        bk.restore(seeded, tmp_path / "bad.zip", replace=True)
    assert dump(seeded) == before


@pytest.mark.parametrize(
    ("content", "match"),
    [(b"not a zip", "不是可读取的 zip"), (None, "没有 manifest"), ({"format": "other"}, "格式")],
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
    manifest["hmac"] = bk._signature(manifest, bk.backup_key())  # a genuine backup from a newer version
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(tmp_path / "new.zip", "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    with pytest.raises(InputError, match="future_column"):
        bk.restore(seeded, tmp_path / "new.zip", replace=True)
    upgrade(seeded)


# --- issue 13.9: restore trusts nothing but its own signed, complete backups ------------------------------------


def _rewrite(src, dst, change) -> None:
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    change(members)
    with zipfile.ZipFile(dst, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)


def _recompute_checksums(members: dict) -> None:
    """What an attacker does after editing a table: fix the manifest's checksums and counts (not the HMAC)."""
    import hashlib

    manifest = json.loads(members["manifest.json"])
    for name, meta in manifest["tables"].items():
        data = members[f"tables/{name}.jsonl"]
        meta["sha256"] = hashlib.sha256(data).hexdigest()
        meta["rows"] = len(data.splitlines())
    members["manifest.json"] = json.dumps(manifest).encode()


def test_edited_backup_promoting_an_officer_is_refused(seeded, tmp_path) -> None:
    from planner.office import security

    with session_scope(seeded) as s:
        security.create_user(s, "adm", "Xiafang-2026-pass", role="admin")
        security.create_user(s, "off", "Xiafang-2026-pass", role="officer")
    bk.backup(seeded, tmp_path / "b.zip")

    def promote(members: dict) -> None:
        members["tables/users.jsonl"] = members["tables/users.jsonl"].replace(b'"officer"', b'"admin"')
        _recompute_checksums(members)

    _rewrite(tmp_path / "b.zip", tmp_path / "evil.zip", promote)
    before = dump(seeded)
    with pytest.raises(InputError, match="真实性校验"):
        bk.restore(seeded, tmp_path / "evil.zip", replace=True)
    assert dump(seeded) == before
    with session_scope(seeded) as s:
        assert security.get_actor(s, "off").role == "officer"


def test_backup_signed_with_another_key_needs_that_key(seeded, tmp_path) -> None:
    bk.backup_key()  # this server's own key (made by its first backup): on its own the test made none (-n 2 run)
    other_key = bytes(range(32))
    bk.backup(seeded, tmp_path / "b.zip", key=other_key)
    with pytest.raises(InputError, match="真实性校验"):
        bk.restore(seeded, tmp_path / "b.zip", replace=True)
    bk.restore(seeded, tmp_path / "b.zip", replace=True, key=other_key)


@pytest.mark.parametrize("dropped", ["audit_log", "users"])
def test_backup_lacking_a_table_is_refused_and_nothing_is_emptied(seeded, tmp_path, dropped) -> None:
    from planner.office import audit, security
    from planner.office.security import SYSTEM

    with session_scope(seeded) as s:
        security.create_user(s, "adm", "Xiafang-2026-pass", role="admin")
        audit.record(s, SYSTEM, "test_event")
    key = bk.backup_key()
    bk.backup(seeded, tmp_path / "b.zip")

    def drop(members: dict) -> None:
        del members[f"tables/{dropped}.jsonl"]
        manifest = json.loads(members["manifest.json"])
        del manifest["tables"][dropped]
        manifest["hmac"] = bk._signature(manifest, key)  # even correctly signed (an older, partial backup)
        members["manifest.json"] = json.dumps(manifest).encode()

    _rewrite(tmp_path / "b.zip", tmp_path / "partial.zip", drop)
    before = dump(seeded)
    with pytest.raises(InputError, match=dropped):
        bk.restore(seeded, tmp_path / "partial.zip", replace=True)
    assert dump(seeded) == before


def test_malformed_rows_never_reach_the_error_message(seeded, tmp_path) -> None:
    """A signed backup whose rows the database refuses: the error names table and line, never the values."""
    from .seed import dump as _dump

    key = bk.backup_key()
    bk.backup(seeded, tmp_path / "b.zip")
    secrets_in_db = [str(v) for row in _dump(seeded)["petitioners"] for v in row if isinstance(v, str) and v]

    def break_rows(members: dict) -> None:
        lines = members["tables/petitioners.jsonl"].splitlines(keepends=True)
        members["tables/petitioners.jsonl"] = b"".join(lines + lines)  # duplicate primary keys
        manifest = json.loads(members["manifest.json"])
        _recompute_checksums(members)
        manifest = json.loads(members["manifest.json"])
        manifest["hmac"] = bk._signature(manifest, key)
        members["manifest.json"] = json.dumps(manifest).encode()

    _rewrite(tmp_path / "b.zip", tmp_path / "dup.zip", break_rows)
    with pytest.raises(InputError) as info:
        bk.restore(seeded, tmp_path / "dup.zip", replace=True)
    shown = str(info.value) + repr(info.value.__cause__) + repr(info.value.__context__)
    assert "petitioners" in shown
    assert secrets_in_db and not any(secret in shown for secret in secrets_in_db)


def test_a_restore_on_a_server_without_the_key_says_how_to_give_it(seeded, tmp_path, monkeypatch, capsys) -> None:
    # Walk P: a backup restored on a new server (fresh data folder) failed naming only the missing key file.
    from planner.cli import main

    monkeypatch.setenv("DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(tmp_path / "old"))
    assert main(["backup", "--out", str(tmp_path / "b.zip")]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "old" / "backup.key") in out and "--key" in out  # the backup says what to keep
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(tmp_path / "new"))
    assert main(["restore", str(tmp_path / "b.zip"), "--replace"]) == 2
    assert "--key" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "b.zip"), "--replace", "--key", str(tmp_path / "old" / "backup.key")]) == 0
