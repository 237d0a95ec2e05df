"""AppTest of 行程 (walk W6): after 第一检查组 was renamed 第一检查组（东山线） on 检查组, its officer's day —
the header, the team choice and the download names — reads the name now, not the one the plan was saved with."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.field import load_document
from planner.office import security
from planner.office.security import Actor, SessionToken
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, TeamRow
from planner.store.plans import save_plan
from planner.store.teams import save_team

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "data" / "plan_zhangzhou.json"
OFFICER = Actor(username="li", role="officer", team_ids=("T1",), display_name="李干部")
NEW = "第一检查组（东山线）"


def test_the_officer_reads_the_teams_name_now(engine, monkeypatch, deferred) -> None:
    doc = load_document(PLAN)
    with session_scope(engine) as s:
        for t in doc.teams.values():
            save_team(s, t)
        for no, c in doc.cases.items():
            s.add(CaseRow(case_no=no, received_date=dt.date.fromisoformat(c["received_date"]),
                          deadline=dt.date.fromisoformat(c["deadline"]), title=c["summary"], content=c["summary"],
                          category=c["category"], county=c["county"], town=c["town"], village=c["village"],
                          status="planned"))
        s.flush()
        plan_id = save_plan(s, doc, name="平和 12 月第一周", who="boss")
        set_plan_status(s, plan_id, PlanStatus.ISSUED, who="boss")  # officers go by issued plans only
        security.create_user(s, OFFICER.username, "Xiafang-2026-pass", role="officer", team_ids=("T1",),
                             display_name=OFFICER.display_name)
        save_team(s, dataclasses.replace(doc.teams["T1"], name=NEW), expected_version=s.get(TeamRow, "T1").version)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    at.session_state["actor"] = OFFICER
    at.session_state["session_token"] = SessionToken.issue(OFFICER)
    at.session_state["today"] = dt.date(2026, 12, 7)
    at.run()
    assert not at.exception
    texts = [m.value for m in at.markdown] + [h.value for h in at.subheader] + [c.value for c in at.caption]
    assert any(NEW in t for t in texts), texts
    team_box = at.selectbox(key="it_team")
    assert team_box.format_func(team_box.value) == NEW
    assert f"{NEW}_2026-12-07.html" in deferred and f"{NEW}_2026-12-07.pdf" in deferred, list(deferred)
    assert not any(n.startswith("第一检查组_") for n in deferred)
