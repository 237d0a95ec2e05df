"""Task S49b, 回访跟踪: a confirmed correction that takes away the 不实 finding of an issued 澄清函 says at 保存 that
the letter is now 已撤回; the 澄清 tab shows who withdrew it, when and why, offers its copy as 已撤回-…docx, and
asks for a new letter again once a visit finds the report untrue (before: the letter stayed 已澄清, nothing said)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.followup.clarification import ClarificationLetter, issue_clarification
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
COORDINATOR = Actor(username="zhou", role="coordinator")


def test_the_correction_withdraws_the_letter_and_the_page_says_so(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        case = CaseRow(case_no="PH-01", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                       content="反映林业站收取桉树砍伐保证金", category="林业", county="平和县", county_code="350628",
                       town="山格镇", village="土田村", lon=117.3, lat=24.4, status="planned")
        s.add(case)
        s.flush()
        plan = PlanRow(name="第49周", start_date=TODAY, days=5, status="issued")
        s.add(plan)
        s.flush()
        s.add(PlanCase(plan_id=plan.id, case_id=case.id, visit_id="V1", team_id="T5", visit_date=TODAY, seq=1))
        s.add(VisitOutcomeRow(case_id=case.id, visit_date=TODAY, result="visited", team_id="T5", report_true=False,
                              findings="反映不实", recorded_by="zhou"))
        s.flush()
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
