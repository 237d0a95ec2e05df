"""Task S49b, 回访跟踪: a confirmed correction that takes away the 不实 finding of an issued 澄清函 says at 保存 that
the letter is now 已撤回; the 澄清 tab shows who withdrew it, when and why, offers its copy as 已撤回-…docx, and
asks for a new letter again once a visit finds the report untrue (before: the letter stayed 已澄清, nothing said)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app_steps import routed_letter
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.followup.clarification import ClarificationLetter, issue_clarification
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
COORDINATOR = Actor(username="zhou", role="coordinator")


def test_the_correction_withdraws_the_letter_and_the_page_says_so(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        routed_letter(s, untrue_by="zhou")
        issue_clarification(s, "PH-01", ClarificationLetter(cadre="李建国", matter="收取保证金", finding="未收取",
                                                            addressee="山格镇党委", issued_date=TODAY), who="zhou")
    with session_scope(engine) as s:
        oid = s.scalars(select(VisitOutcomeRow.id)).one()
    app = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    app.session_state["today"] = TODAY
    app.session_state["actor"] = COORDINATOR
    app.run()
    p = f"fu_PH-01_{oid}_"
    app.radio(key=p + "truth").set_value("true").run()
    app.checkbox(key=p + "confirm_basis").check()
    app.button(key=p + "save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any("澄清函（李建国，2026-12-07）已标记为已撤回，不再计入统计" in m.value for m in app.success)
    said = [w.value for w in app.warning if "撤回：" in w.value]
    assert said and "由 zhou 撤回：所依据的走访记录" in said[0] and "已更正为反映属实" in said[0], said
    assert any(b.proto.label.startswith("下载 已撤回-澄清函-PH-01") for b in app.get("download_button"))

    # A new 不实 finding: the page asks for a 澄清函 again.
    app.radio(key=p + "truth").set_value("false").run()
    app.button(key=p + "save").click().run()
    assert any("尚未出具澄清函" in w.value for w in app.warning), [w.value for w in app.warning]
