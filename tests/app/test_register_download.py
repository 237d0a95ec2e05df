"""统计 offers the register back as Excel: every column the office's register had, identities as 已隐去, only to
accounts that may export, built when clicked after the live session is re-checked."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from _ui_data import db_url
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.errors import PermissionDenied
from planner.intake.register import import_register
from planner.office import security
from planner.office.security import SessionToken
from planner.store.database import session_scope

ROOT = Path(__file__).resolve().parents[2]
REGISTER = ROOT / "tests" / "data" / "registers" / "county_office.xlsx"
PAGE = str(ROOT / "pages" / "figures.py")
PASSWORD = "Xiafang-2026-pass"
TODAY = dt.date(2026, 12, 7)
NAME = f"信访件登记表-{TODAY.isoformat()}.xlsx"


def _page(engine, monkeypatch, username: str, role: str, teams: tuple[str, ...] = ()) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    import_register(engine, REGISTER.read_bytes(), filename=REGISTER.name, who="test")
    with session_scope(engine) as s:
        security.create_user(s, username, PASSWORD, role=role, team_ids=teams)
    with session_scope(engine) as s:
        actor = security.authenticate(s, username, PASSWORD)
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state["today"] = TODAY
    app.session_state[Key.ACTOR] = actor
    app.session_state[Key.SESSION_TOKEN] = SessionToken.issue(actor)
    return app


def test_coordinator_downloads_the_register_with_every_column_and_no_identity(engine, monkeypatch, deferred) -> None:
    app = _page(engine, monkeypatch, "zhou", "coordinator")
    app.run()
    assert not app.exception and not app.error
    labels = [b.label for b in app.get("download_button")]
    assert "下载登记表（Excel）" in labels
    sheet = load_workbook(io.BytesIO(deferred[NAME]()))["登记表"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    headers, body = rows[0], rows[1:]
    assert len(body) == 8  # every row of the office's register
    assert any(f"可导出 {len(body)} 件" in c.value for c in app.caption), [c.value for c in app.caption]
    for own in ("承办人", "备注", "涉及金额（万元）", "序号"):  # the office's own columns come back
        assert own in headers, headers
    remark = [r[headers.index("备注")] for r in body]
    assert "同类问题霞寨镇也有反映，建议并案" in remark
    text = " ".join(str(v) for r in body for v in r)
    assert "林建华" not in text and "13905961234" not in text
    assert "已隐去" in [r[headers.index("信访人")] for r in body]
    # The account is stopped while the tab stays open: the click gets no file.
    with session_scope(engine) as s:
        security.update_user(s, "zhou", active=False)
    with pytest.raises(PermissionDenied, match="已停用"):
        deferred[NAME]()


def test_an_officer_is_offered_no_register_export(engine, monkeypatch, deferred) -> None:
    app = _page(engine, monkeypatch, "li", "officer", ("T1",))
    app.run()
    assert not app.exception
    assert "下载登记表（Excel）" not in [b.label for b in app.get("download_button")]
    assert NAME not in deferred
