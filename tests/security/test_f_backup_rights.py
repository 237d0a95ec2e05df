"""设置 › 备份 (walk 1: an office administrator without a shell could not back up): ``backup_download`` makes the
backup ``python -m planner backup`` makes, as bytes to download, audited. Only the ``backup`` right (administrators)
may call it; every other role, and the demo visitor, is refused and nothing is written. Every audited function of
``planner/office/backup.py`` is listed here with the action it needs. On SQLite and PostgreSQL (``engine``)."""

from __future__ import annotations

import ast
import datetime as dt
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from planner.errors import PermissionDenied
from planner.office import authorisation as authz
from planner.office import backup as bk
from planner.office.audit import describe
from planner.office.security import DEMO_ACTOR, Actor
from planner.store.database import session_scope
from planner.store.models import AuditRow, CaseRow, PetitionerRow

ROOT = Path(__file__).resolve().parents[2]
ROLES = {"admin": Actor("f_admin", "admin"), "coordinator": Actor("f_coord", "coordinator"),
         "leader": Actor("f_lead", "leader", team_ids=("T1",)), "officer": Actor("f_off", "officer", team_ids=("T1",))}
#: Every audited function of planner/office/backup.py and the action it needs.
WRITERS = {"backup_download": "backup"}


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(tmp_path / "data"))


def _seed(engine) -> None:
    with session_scope(engine) as s:
        case = CaseRow(case_no="FB-01", received_date=dt.date(2026, 11, 2), deadline=dt.date(2026, 12, 31),
                       content="反映某村虚报低保户名单", county="东山县", county_code="350626")
        case.petitioner = PetitionerRow(name="林海生", phone="13905961234")
        s.add(case)


def _backups(engine) -> list[AuditRow]:
    with session_scope(engine) as s:
        rows = s.scalars(select(AuditRow).where(AuditRow.action == "backup")).all()
        s.expunge_all()
        return list(rows)


def test_every_audited_function_of_backup_is_listed() -> None:
    src = (ROOT / "planner" / "office" / "backup.py").read_text(encoding="utf-8")
    audited = {n.name for n in ast.parse(src).body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")
               and "audit.record(" in (ast.get_source_segment(src, n) or "")}
    assert audited == set(WRITERS)
    assert authz.entry("download", "set_backup_download").action == "backup"


@pytest.mark.parametrize("role", sorted(ROLES))
def test_only_the_backup_right_gets_a_backup(engine, role: str, tmp_path) -> None:
    _seed(engine)
    actor = ROLES[role]
    if not authz.is_allowed(actor, "backup"):
        with pytest.raises(PermissionDenied):
            bk.backup_download(engine, actor)
        assert _backups(engine) == []
        return
    name, data = bk.backup_download(engine, actor, file_name="xiafang-backup-20261207-0800.zip")
    assert name == "xiafang-backup-20261207-0800.zip"
    path = tmp_path / name
    path.write_bytes(data)
    manifest = bk.verify(path)
    assert manifest["tables"]["cases"]["rows"] == 1
    with zipfile.ZipFile(path) as zf:
        assert "林海生" in zf.read("tables/petitioners.jsonl").decode()  # the whole database, as the CLI writes it
    (row,) = _backups(engine)
    assert row.username == actor.username and row.detail["via"] == "page"
    text = describe({"action": row.action, "username": row.username, "detail": row.detail,
                     "case_nos": [], "reason": ""})
    assert "备份数据库到文件「xiafang-backup-20261207-0800.zip」" in text

    # What was downloaded restores (the page says how: python -m planner restore).
    with session_scope(engine) as s:
        s.query(CaseRow).delete()
    bk.restore(engine, path, replace=True, who="f_admin")
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(CaseRow)) == 1


def test_the_demo_visitor_gets_no_backup(engine) -> None:
    with pytest.raises(PermissionDenied, match="演示模式"):
        bk.backup_download(engine, DEMO_ACTOR)
    assert _backups(engine) == []
