"""AppTest of 检查组 (walk W21): saving a team without a day (or a member) that an issued plan still uses says so on
the page, naming the plan and the day; the coordinator's teams.csv import had said nothing of plan #1's 12-09."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, TeamMember
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import PlanRow
from planner.store.teams import save_team

ROOT = Path(__file__).resolve().parents[2]
COORD = Actor("coord", "coordinator", display_name="陈协调")
D8, D9, D10 = dt.date(2026, 12, 8), dt.date(2026, 12, 9), dt.date(2026, 12, 10)


def test_saving_a_team_without_a_day_its_issued_plan_uses_names_the_plan(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        save_team(s, Team("T1", "第一检查组", 117.65, 24.51, available_dates=(D8, D9, D10),
                          members=(TeamMember("m1", "郑国华"), TeamMember("m2", "林晓东"))))
        s.add(row := PlanRow(name="东山线", start_date=D8, days=3, status="issued", created_by="lead1", result={
            "routes": [{"team": "T1", "date": d.isoformat(), "stops": [{"visit": f"V{d.day}{i}"} for i in range(n)]}
                       for d, n in ((D8, 2), (D9, 4), (D10, 1))],
            "teams": [{"id": "T1", "name": "第一检查组", "depot_lon": 117.65, "depot_lat": 24.51,
                       "members": [{"id": "m1", "name": "郑国华"}, {"id": "m2", "name": "林晓东"}]}]}))
        s.flush()
        pid = row.id
    at = AppTest.from_file(str(ROOT / "pages" / "teams.py"), default_timeout=30)
    at.session_state["actor"] = COORD
    at.session_state[Key.TODAY] = dt.date(2026, 12, 7)
    at.run()
    at.text_input(key="tm_T1_dates").input("2026-12-08；2026-12-10；2026-12-11")
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.error, [e.value for e in at.error]
    said = [w.value for w in at.warning]
    assert any(f"已下发的计划 #{pid}「东山线」：在 12-09（4 个走访点）派第一检查组出行，"
               "但该组的可出行日期已不含 12-09" in w and f"打开计划 #{pid}" in w for w in said), said
    at.run()  # said once, after the save
    assert not any("东山线" in w.value for w in at.warning)
