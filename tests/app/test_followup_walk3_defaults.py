"""回访跟踪 (walk 3): a leader recording a visit of a letter on no plan got 检查组 （未记录）, so the letter and its
澄清函 belonged to no team and its officers never saw it; the leader's own team is the default now. An officer
with nothing to record was told to import and plan, which an officer cannot do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
CASE = "ZZJ2026-1009"


@pytest.fixture()
def office(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.6, base_lat=24.5))
        s.add(TeamRow(id="T2", name="第二检查组", base_lon=117.4, base_lat=24.3))
    return engine


def _page(actor: Actor, case_no: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = actor
    if case_no:
        at.session_state["followup_case"] = case_no
    at.run()
    return at


def test_a_leader_records_a_letter_on_no_plan_for_their_own_team(office) -> None:
    with session_scope(office) as s:
        s.add(CaseRow(case_no=CASE, received_date=dt.date(2026, 11, 2), deadline=dt.date(2027, 1, 1),
                      content="反映霞寨镇钟腾村支书侵占集体林地", county="平和县", county_code="350628",
                      town="霞寨镇", village="钟腾村", lon=117.2, lat=24.4))
    at = _page(Actor(username="li", role="leader", team_ids=("T2",), display_name="李组长"), CASE)
    assert not at.exception, at.exception
    team = next(b for b in at.selectbox if b.label == "检查组")
    assert team.value == "T2"


def test_an_officer_with_nothing_to_record_is_not_told_to_import(office) -> None:
    at = _page(Actor(username="wu", role="officer", team_ids=("T1",), display_name="吴干事"))
    assert not at.exception, at.exception
    said = " ".join(m.value for m in (*at.info, *at.warning, *at.markdown, *at.caption))
    assert "组长下发下访计划后" in said
    assert "请先导入信访件" not in said
