"""设置 › 备份: an administrator backs up the database from the page and downloads it (walk 1: only the CLI could);
the page says how to restore. A coordinator, a leader or an officer sees no such button. The download is built when
clicked, after the session is checked again, and is audited."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from _ui_data import db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.errors import PermissionDenied
from planner.office import security
from planner.office.security import SessionToken
from planner.store.database import session_scope
from planner.store.models import AuditRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "settings.py")
PASSWORD = "Xiafang-2026-pass"


def _page(engine, monkeypatch, tmp_path, role: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(tmp_path / "data"))
    with session_scope(engine) as s:
        security.create_user(s, f"f_{role}", PASSWORD, role=role, team_ids=["T1"] if role in ("leader", "officer")
                             else [])
    with session_scope(engine) as s:
        actor = security.authenticate(s, f"f_{role}", PASSWORD)
    app = AppTest.from_file(PAGE, default_timeout=30)
    app.session_state[Key.ACTOR] = actor
    app.session_state[Key.SESSION_TOKEN] = SessionToken.issue(actor)
    app.run()
    assert not app.exception
    return app


def _backup_rows(engine) -> list[dict]:
    with session_scope(engine) as s:
        return [dict(r.detail) | {"who": r.username}
                for r in s.scalars(select(AuditRow).where(AuditRow.action == "backup"))]


def test_the_administrator_downloads_a_backup_and_reads_how_to_restore(engine, monkeypatch, tmp_path,
                                                                       deferred) -> None:
    app = _page(engine, monkeypatch, tmp_path, "admin")
    assert any(h.value == "备份" for h in app.subheader)
    assert any("python -m planner restore" in c.value for c in app.caption)
    (name,) = [n for n in deferred if n.startswith("xiafang-backup-")]
    assert _backup_rows(engine) == []  # nothing is built before the click
    data = deferred[name]()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "manifest.json" in zf.namelist() and "tables/users.jsonl" in zf.namelist()
    assert _backup_rows(engine) == [{"file": name, "rows": _backup_rows(engine)[0]["rows"], "via": "page",
                                     "who": "f_admin"}]

    with session_scope(engine) as s:
        security.create_user(s, "f_admin2", PASSWORD, role="admin")
    with session_scope(engine) as s:
        security.update_user(s, "f_admin", active=False)  # stopped while the page stays open: no file
    with pytest.raises(PermissionDenied, match="已停用"):
        deferred[name]()
    assert len(_backup_rows(engine)) == 1


@pytest.mark.parametrize("role", ["coordinator", "leader", "officer"])
def test_other_roles_see_no_backup(engine, monkeypatch, tmp_path, deferred, role: str) -> None:
    app = _page(engine, monkeypatch, tmp_path, role)
    assert not any(h.value == "备份" for h in app.subheader)
    assert not [n for n in deferred if n.startswith("xiafang-backup-")]
    assert not any("python -m planner restore" in c.value for c in app.caption)
