"""回访跟踪 after a coordinator changed a finding feedback was given on (walk W17): the confirmation does not speak of
a 澄清函 the letter never had, and 双反馈 then says the feedback rests on the old finding and is to give again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app_steps import AOJIAO, followup_page, routed_letter
from sqlalchemy import select

from planner.followup.feedback import record_feedback
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)


def test_the_changed_finding_warns_without_a_letter_and_asks_for_new_feedback(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        routed_letter(s, team="T4", plan_status="in_progress", untrue_by="gb4", households=4, **AOJIAO,
                      case_no="ZZ-049", content="反映低保评定不公", status="visited")
        record_feedback(s, "ZZ-049", "petitioner", feedback_date=TODAY, channel="当面", content="反映问题不实",
                        who="gb4")
    with session_scope(engine) as s:
        oid = s.scalars(select(VisitOutcomeRow.id)).one()
    app = followup_page(Actor(username="xtc", role="coordinator"))
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
