"""回访跟踪 › 澄清: two 澄清函 issued on one finding for the same cadre the same day were offered as two downloads of
one name (下载 澄清函-PH-01-李建国-2026-12-07.docx twice). Each download now names its letter (…-第2份), and once
withdrawn each is still offered under its own name behind 已撤回-."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app_steps import followup_page, routed_letter
from sqlalchemy import select

from planner.followup.clarification import ClarificationLetter, issue_clarification
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
COORDINATOR = Actor(username="zhou", role="coordinator")
NAME = "澄清函-PH-01-李建国-2026-12-07"


def _labels(app) -> list[str]:
    """The 澄清 tab's downloads (the 文书 tab offers the one picked there too)."""
    return [b.proto.label for b in app.get("download_button")
            if "澄清函-PH-01" in b.proto.label and "fu_cl_dl_docs" not in b.proto.id]


def test_each_letter_of_a_finding_is_offered_under_its_own_name(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        routed_letter(s, untrue_by="zhou")
        for addressee in ("山格镇党委", "平和县林业局"):
            issue_clarification(s, "PH-01", ClarificationLetter(cadre="李建国", matter="收取保证金", finding="未收取",
                                                                addressee=addressee, issued_date=TODAY), who="zhou")
    with session_scope(engine) as s:
        oid = s.scalars(select(VisitOutcomeRow.id)).one()
    app = followup_page(COORDINATOR)
    labels = _labels(app)
    assert sorted(labels) == [f"下载 {NAME}-第2份.docx", f"下载 {NAME}.docx"], labels

    p = f"fu_PH-01_{oid}_"
    app.radio(key=p + "truth").set_value("true").run()
    app.checkbox(key=p + "confirm_basis").check()
    app.button(key=p + "save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    labels = _labels(app)
    assert sorted(labels) == [f"下载 已撤回-{NAME}-第2份.docx", f"下载 已撤回-{NAME}.docx"], labels
