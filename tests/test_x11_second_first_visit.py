"""A letter 已化解 gets no second 首次走访 silently (walk W31: on 回访跟踪, ZZ2026-001 — 待回访 — opened with 本次为回访
on; switched off and saved, a second 核查 record went in, its households counted in 入户走访 again).

A first visit on a settled letter that has one on another day is refused, naming the record there is and saying to
record a 回访 or correct that record; on 回访跟踪 the save is not offered; 行程's save is refused alike. Two teams at
one stop on one day still record their visit each; on a letter still open another first visit is said, not refused.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from planner.domain import VisitOutcome, VisitType
from planner.errors import InputError
from planner.field.day import TeamDay, save_stop_outcome
from planner.followup.outcomes import record_outcome
from planner.followup.visit_order import second_first_note
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamRow, VisitOutcomeRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _saved

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 12, 7)
NO = "ZZ2026-001"


def _case(session, no: str = NO, status: str = "planned") -> None:
    session.add(
        CaseRow(
            case_no=no,
            received_date=dt.date(2026, 10, 2),
            deadline=dt.date(2027, 1, 1),
            content=f"{no} 反映村集体鱼塘发包不公开",
            category="三资管理",
            county="漳浦县",
            county_code="350623",
            town="佛昙镇",
            village="岸头村",
            lon=117.9,
            lat=24.2,
            status=status,
        )
    )
    session.add(TeamRow(id="T1", name="第一检查组", base_lon=117.6, base_lat=24.5))
    session.flush()


def _visit(day: dt.date, *, team: str = "T1", resolved: bool = False, households: int = 4) -> VisitOutcome:
    return VisitOutcome(
        case_no=NO,
        visit_date=day,
        result="visited",
        team_id=team,
        problem_resolved=resolved,
        households_visited=households,
        findings="已核实",
    )


def _firsts(session) -> int:
    return session.scalar(
        select(func.count())
        .select_from(VisitOutcomeRow)
        .where(VisitOutcomeRow.visit_type == VisitType.INVESTIGATION.value)
    )


def test_a_settled_letter_gets_a_return_visit_not_a_second_first_visit(session) -> None:
    _case(session)
    record_outcome(session, _visit(dt.date(2026, 11, 20), resolved=True), who="wu1", today=DAY)
    with pytest.raises(InputError) as refused:
        record_outcome(session, _visit(DAY, resolved=True, households=6), who="wu1", today=DAY)
    said = str(refused.value)
    assert "已有 2026-11-20（第一检查组）的首次走访记录" in said and "已化解" in said, said
    assert "本次为回访" in said and "更正" in said, said
    assert _firsts(session) == 1
    # Dated before it, or by another team: the same.
    with pytest.raises(InputError, match="只登记一次首次走访"):
        record_outcome(session, _visit(dt.date(2026, 11, 10), team="T2"), who="wu1", today=DAY)
    # The 回访 is what goes in; and a second team at the first visit's stop that day still records its visit.
    record_outcome(session, _visit(DAY, resolved=True), who="wu1", visit_type="return", today=DAY)
    record_outcome(session, _visit(dt.date(2026, 11, 20), team="T2", resolved=True), who="wu2", today=DAY)
    assert _firsts(session) == 2


def test_an_open_letter_is_told_of_its_first_visit(session) -> None:
    _case(session)
    record_outcome(session, _visit(dt.date(2026, 11, 20)), who="wu1", today=DAY)  # not resolved: 已下访
    note = second_first_note(session, NO, DAY, visit_type="investigation", result="visited")
    assert "已有 2026-11-20（第一检查组）的首次走访记录" in note and "本次为回访" in note, note
    assert second_first_note(session, NO, DAY, visit_type="return", result="visited") == ""
    assert second_first_note(session, NO, dt.date(2026, 11, 20), visit_type="investigation", result="visited") == ""
    record_outcome(session, _visit(DAY), who="wu1", today=DAY)  # continuing the check: still allowed
    assert _firsts(session) == 2


def test_itinerary_refuses_a_second_first_visit_on_a_settled_letter(engine, monkeypatch) -> None:
    pid = _saved(engine, monkeypatch)
    with session_scope(engine) as s:  # settled by another team's visit before the plan's day
        record_outcome(
            s,
            VisitOutcome(
                case_no="ZZ2026-0101",
                visit_date=MONDAY - dt.timedelta(days=3),
                result="visited",
                team_id="T2",
                problem_resolved=True,
            ),
            who="wang",
            today=MONDAY,
        )
    with session_scope(engine) as s, pytest.raises(InputError, match="只登记一次首次走访"):
        save_stop_outcome(
            s,
            TeamDay(MONDAY, "T1", pid),
            "ZZ2026-0101",
            result="visited",
            households=3,
            findings="已入户核实",
            who="li",
            actor=OFFICER_T1,
            today=MONDAY,
        )
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(VisitOutcomeRow)) == 1


@pytest.fixture()
def settled(engine, monkeypatch):
    with session_scope(engine) as s:
        _case(s)
        record_outcome(s, _visit(dt.date(2026, 11, 20), resolved=True), who="wu1", today=DAY)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return engine


def test_the_page_offers_no_save_of_a_second_first_visit(settled) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = DAY
    at.session_state["actor"] = Actor(username="coord", role="coordinator")
    at.run()
    at.segmented_control(key="fu_scope").set_value("all").run()
    p = f"fu_{NO}_new_"
    assert at.toggle(key=p + "return").value  # 待回访: opens on the 回访
    at.toggle(key=p + "return").set_value(False).run()
    at.radio(key=p + "result").set_value("visited").run()
    assert not at.exception, at.exception
    said = " ".join(w.value for w in at.warning)
    assert "只登记一次首次走访" in said and "2026-11-20" in said, said
    assert at.button(key=p + "save").disabled
