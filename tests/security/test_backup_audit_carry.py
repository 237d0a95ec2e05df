"""A restore keeps the audit trail written after its backup, and its own audit row names who restored."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.office import audit
from planner.office import backup as bk
from planner.office.clock import CLOCK_ENV, show_time, utc_now
from planner.store.database import session_scope
from planner.store.models import AuditRow

from .seed import seed


@pytest.fixture()
def seeded(engine):
    with session_scope(engine) as s:
        seed(s)
    return engine


def _log(engine) -> list[dict]:
    """The audit log in the order it reads, oldest first."""
    with session_scope(engine) as s:
        rows = s.scalars(select(AuditRow).order_by(AuditRow.at, AuditRow.id))
        return [{"id": r.id, "at": r.at, "username": r.username, "action": r.action,
                 "case_nos": list(r.case_nos or ()), "detail": dict(r.detail or {})} for r in rows]


def _without_id(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "id"} for r in rows]


def _work_after_the_backup(engine) -> None:
    with session_scope(engine) as s:
        audit.record(s, "li", "export", case_nos=["ZZ2026-0101"], detail={"what": "register", "cases": 4})
        audit.record(s, "wang", "settings_change", detail={"changed": {"map_tiles": {}}})


def test_audit_rows_written_after_the_backup_survive_the_restore(seeded, tmp_path) -> None:
    bk.backup(seeded, tmp_path / "b.zip")
    in_backup = _log(seeded)
    _work_after_the_backup(seeded)
    later = _log(seeded)[len(in_backup):]
    assert [r["action"] for r in later] == ["export", "settings_change"]

    info = bk.restore(seeded, tmp_path / "b.zip", replace=True, who="zhang")

    log = _log(seeded)
    assert info.carried_over == 2
    # The backup's log, then the later rows unchanged, then the restore: nothing vanished, nothing doubled.
    assert log[: len(in_backup)] == in_backup
    assert _without_id(log[len(in_backup):-1]) == _without_id(later)
    assert [r["action"] for r in log].count("seed") == 1  # written just before the backup: in it, not carried again
    restore_row = log[-1]
    assert restore_row["action"] == "restore" and restore_row["username"] == "zhang"
    assert restore_row["detail"]["carried_over"] == 2
    assert restore_row["detail"]["carried_from"] == later[0]["at"].isoformat()
    assert restore_row["detail"]["carried_to"] == later[-1]["at"].isoformat()
    assert restore_row["detail"]["rows_before"] > 0
    # New ids, past the backup's, in the order the log reads.
    ids = [r["id"] for r in log]
    assert len(set(ids)) == len(ids) and ids == sorted(ids)
    assert min(r["id"] for r in log[len(in_backup):]) > max(r["id"] for r in in_backup)
    with session_scope(seeded) as s:  # the id sequence is past the carried rows: the next row still inserts
        assert audit.record(s, "li", "login").id > restore_row["id"]


def test_a_second_restore_keeps_the_first_restore_and_its_carried_rows_once(seeded, tmp_path) -> None:
    bk.backup(seeded, tmp_path / "b.zip")
    n_backup = len(_log(seeded))
    _work_after_the_backup(seeded)
    bk.restore(seeded, tmp_path / "b.zip", replace=True, who="zhang")
    with session_scope(seeded) as s:
        audit.record(s, "li", "login")
    first = _log(seeded)

    info = bk.restore(seeded, tmp_path / "b.zip", replace=True, who="chen")

    log = _log(seeded)
    assert info.carried_over == 4  # export, settings_change, zhang's restore, li's login
    assert _without_id(log[:-1]) == _without_id(first)
    assert [r["action"] for r in log[n_backup:]] == ["export", "settings_change", "restore", "login", "restore"]
    assert log[-1]["username"] == "chen" and log[-1]["detail"]["carried_over"] == 4


def test_rows_stamped_before_the_snapshot_but_missing_from_it_are_kept(seeded, tmp_path) -> None:
    """An audit row is stamped before its transaction commits: a backup taken in between lacks it."""
    bk.backup(seeded, tmp_path / "b.zip")
    with session_scope(seeded) as s:
        s.add(AuditRow(at=utc_now() - dt.timedelta(minutes=1), username="li", action="import", detail={}))
        # Older than the backup and not in it: a history the backup never had, not "what happened since".
        s.add(AuditRow(at=utc_now() - dt.timedelta(days=2), username="li", action="gazetteer_import", detail={}))

    info = bk.restore(seeded, tmp_path / "b.zip", replace=True, who="zhang")

    actions = [r["action"] for r in _log(seeded)]
    assert info.carried_over == 1 and actions.count("import") == 1 and actions[-1] == "restore"
    assert "gazetteer_import" not in actions


@pytest.mark.parametrize("pinned", ["2026-01-05T09:00", "2031-06-01T09:00"], ids=["clock-behind", "clock-ahead"])
def test_later_rows_are_found_on_the_office_clock(engine, tmp_path, monkeypatch, pinned) -> None:
    """With the office clock pinned (training, demos), rows are stamped on it, not on the server's real clock."""
    monkeypatch.setenv(CLOCK_ENV, pinned)
    with session_scope(engine) as s:
        seed(s)
    seeded = engine
    bk.backup(seeded, tmp_path / "b.zip")
    _work_after_the_backup(seeded)

    info = bk.restore(seeded, tmp_path / "b.zip", replace=True, who="zhang")

    with session_scope(seeded) as s:
        newest_first = [e["action"] for e in audit.recent(s, limit=3)]
    assert info.carried_over == 2
    assert newest_first == ["restore", "settings_change", "export"]  # the restore row reads last, on the same clock


def test_the_restore_row_reads_as_a_sentence_naming_who_and_what_was_kept(seeded, tmp_path) -> None:
    bk.backup(seeded, tmp_path / "b.zip")
    _work_after_the_backup(seeded)
    bk.restore(seeded, tmp_path / "b.zip", replace=True, who="zhang", audit_detail={"os_user": "xiafang"})
    with session_scope(seeded) as s:
        entry = audit.recent(s, limit=1)[0]
    said = audit.describe(entry, names={"zhang": "张强"})
    assert audit.action_label("restore") == "恢复数据库"
    assert said.startswith(show_time(entry["at"]) + "，张强（zhang）用备份文件「b.zip」")
    assert "保留了备份之后的 2 条审计记录" in said and "系统用户「xiafang」" in said


def test_the_cli_restore_names_the_operator(seeded, tmp_path, monkeypatch, capsys) -> None:
    from planner.cli import main

    monkeypatch.setenv("DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr("getpass.getuser", lambda: "opsadmin")
    assert main(["backup", "--out", str(tmp_path / "cli.zip")]) == 0
    _work_after_the_backup(seeded)

    assert main(["restore", str(tmp_path / "cli.zip"), "--replace", "--who", "张三"]) == 0
    out = capsys.readouterr().out
    assert "3 条记录已保留" in out and "张三" in out  # export, settings_change and the backup's own audit row
    row = _log(seeded)[-1]
    assert (row["action"], row["username"]) == ("restore", "张三")
    assert row["detail"]["os_user"] == "opsadmin" and row["detail"]["via"] == "cli"

    assert main(["restore", str(tmp_path / "cli.zip"), "--replace"]) == 0  # no --who: the system account
    row = _log(seeded)[-1]
    assert (row["action"], row["username"]) == ("restore", "opsadmin")

    assert main(["restore", str(tmp_path / "cli.zip"), "--replace", "--who", "  "]) == 2
    assert "--who" in capsys.readouterr().err


def test_the_cli_backup_names_the_operator(seeded, tmp_path, monkeypatch) -> None:
    from planner.cli import main

    monkeypatch.setenv("DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr("getpass.getuser", lambda: "opsadmin")
    assert main(["backup", "--out", str(tmp_path / "a.zip"), "--who", "张三"]) == 0
    assert main(["backup", "--out", str(tmp_path / "b.zip")]) == 0
    rows = [r for r in _log(seeded) if r["action"] == "backup"]
    assert [r["username"] for r in rows] == ["张三", "opsadmin"]
    assert all(r["detail"]["os_user"] == "opsadmin" for r in rows)
    with session_scope(seeded) as s:
        said = audit.describe(audit.recent(s, limit=1, action="backup")[0])
    assert "opsadmin备份数据库到文件「b.zip」" in said and "系统用户「opsadmin」" in said
