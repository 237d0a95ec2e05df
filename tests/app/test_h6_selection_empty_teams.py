"""AppTest, walk W10: the coordinator's 选件 does not send teams nobody is on (no members, no officer or leader
account: an install's pre-made 第四、第五检查组) by default, says why they were left out, and still lets them be
ticked; with nobody on any team, all are offered as before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamMemberRow, TeamRow, UserRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 5)
COORD = Actor("xie_coord", "coordinator", display_name="谢统筹")
LEAD = Actor("lin_lead", "leader", team_ids=("T1",), display_name="林组长")
TEAMS = (("T1", "第一检查组"), ("T2", "第二检查组"), ("T4", "第四检查组"), ("T5", "第五检查组"))


def _case(i: int) -> CaseRow:
    received = dt.date(2026, 11, i)
    return CaseRow(case_no=f"ET-{i:02d}", received_date=received, deadline=received + dt.timedelta(days=60),
                   content="征地补偿款未发放", category="征地拆迁", county="平和县", county_code="350628",
                   town=f"{i}镇", town_code=f"35062810{i}", village=f"{i}村", village_code=f"35062810{i}201",
                   lon=117.3 + i / 100, lat=24.4, precision="village")


def _db(engine, monkeypatch, *, people: bool):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add_all([_case(i) for i in range(1, 4)])
        for tid, name in TEAMS:
            s.add(TeamRow(id=tid, name=name, base_lon=117.65, base_lat=24.51))
        s.add(UserRow(username=COORD.username, display_name=COORD.display_name, role=COORD.role, password_hash="x"))
        if people:  # T1 has its leader's account, T2 a member of its own; T4 and T5 nobody
            s.add(UserRow(username=LEAD.username, display_name=LEAD.display_name, role=LEAD.role,
                          password_hash="x", team_ids=list(LEAD.team_ids)))
            s.flush()
            s.add(TeamMemberRow(id="m1", team_id="T2", name="黄干部"))
    return engine


def _selection() -> AppTest:
    app = AppTest.from_file(str(ROOT / "pages" / "selection.py"), default_timeout=90)
    app.session_state["today"] = TODAY
    app.session_state["actor"] = COORD
    app.run()
    assert not app.exception
    return app


def _left_out(app: AppTest) -> list[str]:
    return [c.value for c in app.caption if "未默认参加" in c.value]


def test_teams_nobody_is_on_are_not_sent_by_default_and_the_page_says_why(engine, monkeypatch) -> None:
    _db(engine, monkeypatch, people=True)
    app = _selection()
    assert app.multiselect(key="sel_team_ids").value == ["T1", "T2"]
    (why,) = _left_out(app)
    assert "第四检查组、第五检查组" in why and "没有成员" in why and "组长" in why
    assert "第一检查组" not in why and "第二检查组" not in why
    # The visits go to the teams with people only (walk W10: 第四、第五检查组 were handed visits nobody receives).
    assert not any("第四检查组" in c.value for c in app.caption if "交各组组长规划" in c.value)
    # They can still be ticked; the note then names only the one still left out.
    app.multiselect(key="sel_team_ids").set_value(["T1", "T2", "T4"]).run()
    assert not app.exception
    assert app.multiselect(key="sel_team_ids").value == ["T1", "T2", "T4"]
    (why,) = _left_out(app)
    assert "第五检查组" in why and "第四检查组" not in why
    assert any("第四检查组（尚无组长账户" in c.value for c in app.caption if "交各组组长规划" in c.value)


def test_with_nobody_on_any_team_every_team_is_offered_as_before(engine, monkeypatch) -> None:
    _db(engine, monkeypatch, people=False)
    app = _selection()
    assert app.multiselect(key="sel_team_ids").value == ["T1", "T2", "T4", "T5"]
    assert not _left_out(app)
