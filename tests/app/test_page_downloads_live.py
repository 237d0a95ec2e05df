"""Downloads on 回访跟踪 (澄清函, 文书) and 导入 (未导入的行) are built when clicked, after the live session is
re-checked: an account deactivated, or whose rights changed, after the page was drawn gets no file.

A click runs the callable the page registered for the button (Streamlit's deferred download); the tests run that
same callable, captured when the page registers it.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from _ui_data import db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.errors import PermissionDenied
from planner.followup.clarification import ClarificationLetter, issue_clarification
from planner.office import security
from planner.office.security import SessionToken
from planner.store.database import session_scope
from planner.store.models import CaseRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "registers"
TODAY = dt.date(2026, 12, 7)
PASSWORD = "Xiafang-2026-pass"


def _signed_in(engine, app: AppTest) -> None:
    """A coordinator signed in the way the login page does it (actor and session token)."""
    with session_scope(engine) as s:
        security.create_user(s, "zhou", PASSWORD, role="coordinator", display_name="周协调")
    with session_scope(engine) as s:
        actor = security.authenticate(s, "zhou", PASSWORD)
    app.session_state[Key.ACTOR] = actor
    app.session_state[Key.SESSION_TOKEN] = SessionToken.issue(actor)


def test_a_letter_download_is_refused_once_the_account_is_deactivated(engine, monkeypatch, deferred) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        s.add(CaseRow(case_no="PH-01", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                      content="反映林业站收取桉树砍伐保证金", county="平和县", county_code="350628",
                      status="visited"))
        s.flush()
        s.add(VisitOutcomeRow(case_id=s.scalar(select(CaseRow.id)), visit_date=TODAY, result="visited",
                              report_true=False, recorded_by="zhou"))  # the visit that found it untrue
        letter = ClarificationLetter(cadre="李某某", matter="私分扶贫资金", finding="资金使用符合政策规定",
                                     addressee="中共平和县山格镇委员会", issued_date=TODAY)
        issue_clarification(s, "PH-01", letter, who="zhou")
    app = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    app.session_state["today"] = TODAY
    app.session_state[Key.FOLLOWUP_CASE] = "PH-01"  # the case being worked on (已澄清, so not in the open list)
    _signed_in(engine, app)
    app.run()
    assert not app.exception and not app.error
    (name,) = [n for n in deferred if n.startswith("澄清函-PH-01")]
    assert deferred[name]()[:2] == b"PK"  # signed in and active: the letter
    with session_scope(engine) as s:
        security.update_user(s, "zhou", active=False)  # the administrator stops the account; the tab stays open
    with pytest.raises(PermissionDenied, match="已停用"):
        deferred[name]()


def test_rejected_rows_download_is_refused_once_the_rights_change(engine, monkeypatch, deferred) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    app = AppTest.from_file(str(ROOT / "pages" / "import_register.py"), default_timeout=60)
    _signed_in(engine, app)
    app.session_state[getattr(Key, "IMPORT_FILE", "import_file")] = ("bad_rows.csv",
                                                                   (DATA / "bad_rows.csv").read_bytes())
    app.run()
    app.button(key="import_go").click().run()
    assert not app.exception and not app.error
    batch = app.session_state[Key.IMPORT_RESULT]["batch_id"]
    click = deferred[f"未导入的行-bad_rows-{batch}.xlsx"]  # named after the register (walk D: several counties')
    data = click()
    assert data[:2] == b"PK"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]][:4] == ["来源文件", "行号", "列", "原因"]
    assert {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)} == {"bad_rows.csv"}
    with session_scope(engine) as s:
        security.update_user(s, "zhou", role="officer")
    with pytest.raises(PermissionDenied, match="权限已变更"):
        click()


def test_statistics_excel_is_refused_once_the_account_is_deactivated(engine, monkeypatch, deferred) -> None:
    # 统计's 下载 Excel was built with the page (issue 13.3): an open tab kept the file after the account stopped.
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        s.add(CaseRow(case_no="ST-01", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                      content="反映村财务不公开", county="平和县", county_code="350628", status="registered"))
    app = AppTest.from_file(str(ROOT / "pages" / "figures.py"), default_timeout=60)
    app.session_state["today"] = TODAY
    _signed_in(engine, app)
    app.run()
    assert not app.exception and not app.error
    (name,) = [n for n in deferred if n.startswith("带信下访统计-")]
    assert deferred[name]()[:2] == b"PK"
    with session_scope(engine) as s:
        security.update_user(s, "zhou", active=False)
    with pytest.raises(PermissionDenied, match="已停用"):
        deferred[name]()
