"""回访跟踪 after a coordinator changed a finding feedback was given on (walk W17): the confirmation does not speak of
a 澄清函 the letter never had, and 双反馈 then says the feedback rests on the old finding and is to give again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.followup.feedback import record_feedback
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)


def test_the_changed_finding_warns_without_a_letter_and_asks_for_new_feedback(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        case = CaseRow(case_no="ZZ-049", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                       content="反映低保评定不公", category="低保", county="东山县", county_code="350626",
                       town="陈城镇", village="澳角村", lon=117.5, lat=23.6, status="visited")
        s.add(case)
        s.flush()
        plan = PlanRow(name="第49周", start_date=TODAY, days=5, status="in_progress")
        s.add(plan)
        s.flush()
        s.add(PlanCase(plan_id=plan.id, case_id=case.id, visit_id="V1", team_id="T4", visit_date=TODAY, seq=1))
        s.add(VisitOutcomeRow(case_id=case.id, visit_date=TODAY, result="visited", team_id="T4", report_true=False,
                              findings="反映不实", households_visited=4, recorded_by="gb4"))
        s.flush()
        record_feedback(s, "ZZ-049", "petitioner", feedback_date=TODAY, channel="当面", content="反映问题不实",
                        who="gb4")
    with session_scope(engine) as s:
        oid = s.scalars(select(VisitOutcomeRow.id)).one()
    app = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    app.session_state["today"] = TODAY
    app.session_state["actor"] = Actor(username="xtc", role="coordinator")
    app.run()
    assert not app.exception
    (warned,) = [w.value for w in app.warning if "这些文书的依据将与记录不符" in w.value]
    assert "澄清函" not in warned and "请按新认定重新反馈" in warned, warned
    assert any("信访人：已反馈 · 党委政府：未反馈" in t.value for t in app.text)
    p = f"fu_ZZ-049_{oid}_"
    app.radio(key=p + "truth").set_value("partly").run()
    app.checkbox(key=p + "confirm_basis").check()
    app.button(key=p + "save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    said = [w.value for w in app.warning if "信访人：" in w.value]
    assert said == ["信访人：已反馈（依据更正前的认定：反映不实），需按新认定（反映部分属实）重新反馈"
                    " · 党委政府：未反馈"], said
    (listed,) = [d.value for d in app.dataframe if "缺" in d.value.columns]
    assert list(listed["缺"]) == ["党委政府、信访人（需按新认定重新反馈）"]
