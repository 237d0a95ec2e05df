"""AppTest of 回访跟踪 as a leader (walk S): a 回访 switched on over the first visit's record is a new record and
the first visit is kept; a record's kind changes only through 更正记录类别; no 澄清函 on a visit 未找到/未认定."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.domain import VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.followup.stats import compute_stats
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, ClarificationRow, PlanCase, PlanRow, TeamRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
LEADER = Actor(username="zhou", role="leader", team_ids=("T1",), display_name="周组长")


@pytest.fixture()
def seeded(engine, monkeypatch):
    """ZZJ2026-0941 planned for 第一检查组 today; the officer wu1 recorded it 已走访, 问题已解决, with findings."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.6, base_lat=24.5))
        for no in ("ZZJ2026-0941", "ZZJ2026-0903"):
            s.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 2), deadline=dt.date(2027, 1, 1),
                          content=f"{no} 反映佛昙镇岸头村支书承包村里海蛎养殖区不交承包费", category="三资管理",
                          county="漳浦县", county_code="350623", town="佛昙镇", village="岸头村", lon=117.9,
                          lat=24.2, status="planned"))
        s.flush()
        plan = PlanRow(name="第49周", start_date=TODAY, days=5, status="issued")
        s.add(plan)
        s.flush()
        for seq, case in enumerate(s.scalars(select(CaseRow).order_by(CaseRow.id)), 1):
            s.add(PlanCase(plan_id=plan.id, case_id=case.id, visit_id=f"V{seq}", team_id="T1", visit_date=TODAY,
                           seq=seq))
    with session_scope(engine) as s:
        record_outcome(s, VisitOutcome(case_no="ZZJ2026-0941", visit_date=TODAY, result="visited", team_id="T1",
                                       problem_resolved=True, findings="承包费已补缴，群众满意", households_visited=6),
                       who="wu1", today=TODAY)
    return engine


def _page(day: dt.date, case_no: str = "ZZJ2026-0941") -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = day
    at.session_state["actor"] = LEADER
    at.session_state["followup_case"] = case_no
    at.run()
    at.selectbox(key="fu_case").set_value(case_no).run()
    return at


def _ok(app: AppTest) -> None:
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]


def _records(engine) -> list[tuple]:
    with session_scope(engine) as s:
        return [(r.visit_date, r.visit_type, r.findings) for r in
                s.scalars(select(VisitOutcomeRow).order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id))]


def test_a_return_visit_switched_on_over_the_first_visits_record_is_a_new_record(seeded) -> None:
    """Walk S (SERIOUS): 记录 was 更正：2026-12-07 · 第一检查组 · 已走访; 本次为回访 on and 保存更正 turned the
    officer's first visit (its findings) into the 回访 — one record left, 统计 counting 带信下访 1 and 回访 1."""
    engine = seeded
    app = _page(TODAY)  # the walk: the same day, the letter listed [今日]
    _ok(app)
    (oid,) = [r.id for r in _rows(engine)]
    assert app.selectbox(key="fu_ZZJ2026-0941_outcome_pick").value == oid  # the officer's record, to correct
    app.toggle(key=f"fu_ZZJ2026-0941_{oid}_return").set_value(True).run()
    _ok(app)
    # The form turned to a new record, that 回访, dated today; the first visit's record is untouched.
    assert app.selectbox(key="fu_ZZJ2026-0941_outcome_pick").value == "new"
    assert app.toggle(key="fu_ZZJ2026-0941_new_return").value is True
    assert any("原记录" in i.value and "保持不变" in i.value for i in app.info)
    assert app.button(key="fu_ZZJ2026-0941_new_save").label == "保存走访结果"
    # The same team on the same day is the same visit: said before the save, and no save offered (walk T).
    assert any("同一组同一天只能有一条记录" in w.value for w in app.warning)
    assert app.button(key="fu_ZZJ2026-0941_new_save").disabled
    assert _records(engine) == [(TODAY, "investigation", "承包费已补缴，群众满意")]

    later = _page(TODAY + dt.timedelta(days=3))  # back three days later, turned to the first visit's record
    later.selectbox(key="fu_ZZJ2026-0941_outcome_pick").set_value(oid).run()
    assert later.toggle(key=f"fu_ZZJ2026-0941_{oid}_return").value is False
    later.toggle(key=f"fu_ZZJ2026-0941_{oid}_return").set_value(True).run()
    _ok(later)
    assert later.selectbox(key="fu_ZZJ2026-0941_outcome_pick").value == "new"
    assert later.date_input(key="fu_ZZJ2026-0941_new_date").value == TODAY + dt.timedelta(days=3)
    later.text_area(key="fu_ZZJ2026-0941_new_findings").input("回访：承包费已缴清，群众满意")
    later.radio(key="fu_ZZJ2026-0941_new_result").set_value("visited")  # nothing picked until the user picks (W13)
    later.button(key="fu_ZZJ2026-0941_new_save").click().run()
    _ok(later)
    assert _records(engine) == [(TODAY, "investigation", "承包费已补缴，群众满意"),
                                (TODAY + dt.timedelta(days=3), "return", "回访：承包费已缴清，群众满意")]
    with session_scope(engine) as s:
        totals = compute_stats(s, start=dt.date(2026, 1, 1), end=TODAY + dt.timedelta(days=3), by=()).totals
    assert (totals["letters_taken_down"], totals["return_visits"]) == (1, 1)


def test_the_kind_of_a_record_changes_only_through_correct_kind(seeded) -> None:
    engine = seeded
    app = _page(TODAY)
    (oid,) = [r.id for r in _rows(engine)]
    assert app.selectbox(key="fu_ZZJ2026-0941_outcome_pick").value == oid
    app.checkbox(key=f"fu_ZZJ2026-0941_{oid}_fix_kind").check().run()
    app.toggle(key=f"fu_ZZJ2026-0941_{oid}_return").set_value(True).run()
    _ok(app)
    assert app.selectbox(key="fu_ZZJ2026-0941_outcome_pick").value == oid  # still this record
    assert any("首次走访（带信下访）改为回访" in w.value for w in app.warning)
    app.button(key=f"fu_ZZJ2026-0941_{oid}_save").click().run()
    _ok(app)
    assert any("记录类别已更正为回访" in s.value for s in app.success)
    assert _records(engine) == [(TODAY, "return", "承包费已补缴，群众满意")]


def test_no_clarification_for_a_letter_whose_only_visit_found_nobody(seeded) -> None:
    """Walk S (MEDIUM): 澄清函 issued for a letter visited 未找到, 反映问题 未认定."""
    engine = seeded
    with session_scope(engine) as s:
        record_outcome(s, VisitOutcome(case_no="ZZJ2026-0903", visit_date=TODAY, result="not_found", team_id="T1",
                                       reason="信访人外出务工"), who="wu1", today=TODAY)
    app = _page(TODAY, "ZZJ2026-0903")
    _ok(app)
    said = "结果为“已走访”、反映问题认定为“不实（需澄清）”的走访记录"
    for key, text in (("cadre", "陈建明"), ("matter", "承包海蛎养殖区不交承包费"), ("finding", "承包费已缴清"),
                      ("addressee", "中共漳浦县佛昙镇委员会")):
        widget = app.text_area(key=f"fu_ZZJ2026-0903_cl_{key}") if key in ("matter", "finding") else \
            app.text_input(key=f"fu_ZZJ2026-0903_cl_{key}")
        widget.input(text)
        if key == "cadre":  # said as the form is filled in, before 生成 (unasked, it is not said: walk W10)
            app.run()
            assert any("均为未找到或改期" in w.value and said in w.value for w in app.warning)
    app.button(key="fu_ZZJ2026-0903_cl_issue").click().run()
    assert any(said in e.value for e in app.error)
    with session_scope(engine) as s:
        assert s.scalar(select(ClarificationRow.id)) is None
        assert s.scalar(select(CaseRow.status).where(CaseRow.case_no == "ZZJ2026-0903")) != "clarified"


def _rows(engine) -> list[VisitOutcomeRow]:
    with session_scope(engine) as s:
        rows = list(s.scalars(select(VisitOutcomeRow)))
        s.expunge_all()
        return rows
