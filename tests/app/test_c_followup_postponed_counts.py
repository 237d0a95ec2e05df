"""AppTest of 回访跟踪: a letter recorded 改期 (the visit did not happen) takes no 入户走访 / 收集线索 / 解决问题
counts, 用时 or 问题已解决: the form hides them for a 改期 and asks the day agreed (改到哪天). A visit put off on a
day gone opens on a new record dated today, the 改期 kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.domain import VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.store.database import session_scope
from planner.store.models import CaseRow, VisitOutcomeRow
from tests.app.test_followup_walk_s_leader import TODAY, _page, seeded  # noqa: F401 (the fixture)

NO = "ZZJ2026-0903"  # planned for 第一检查组 today, nothing recorded yet
P = f"fu_{NO}_new_"


def _stored(engine) -> list[tuple]:
    with session_scope(engine) as s:
        return [(r.result, r.households_visited, r.leads_collected) for r in s.scalars(
            select(VisitOutcomeRow).join(CaseRow, CaseRow.id == VisitOutcomeRow.case_id).where(CaseRow.case_no == NO))]


def test_a_put_off_visit_takes_no_counts_time_or_resolution_and_asks_the_day_agreed(seeded) -> None:  # noqa: F811
    """A 改期 did not happen: the form shows no counts, 用时 (60 分钟 by default, walk 1), 问题已解决, 反映问题 or
    核查情况, and asks 改到哪天 instead; what was typed in the counts before 改期 was chosen is not saved."""
    app = _page(TODAY, NO)
    assert not app.exception
    app.number_input(key=P + "households").set_value(12).run()
    assert app.number_input(key=P + "minutes").value == 60
    app.radio(key=P + "result").set_value("postponed").run()
    labels = [w.label for w in (*app.number_input, *app.toggle, *app.radio, *app.text_area)]
    assert not any(w in " ".join(labels) for w in ("入户走访", "收集线索", "解决问题", "用时", "问题已解决", "反映问题",
                                                   "核查情况")), labels
    app.text_input(key=P + "reason").input("信访人外出打工，约 12-15 回村").run()
    assert app.date_input(key=P + "put_off_to").label.startswith("改到哪天")
    app.date_input(key=P + "put_off_to").set_value(dt.date(2026, 12, 15)).run()
    assert not app.error and not app.button(key=P + "save").disabled
    app.button(key=P + "save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert _stored(seeded) == [("postponed", 0, 0)]
    with session_scope(seeded) as s:
        (row,) = s.scalars(select(VisitOutcomeRow).join(CaseRow, CaseRow.id == VisitOutcomeRow.case_id)
                           .where(CaseRow.case_no == NO)).all()
        assert (row.time_spent_min, row.put_off_to, row.problem_resolved) == (0, dt.date(2026, 12, 15), False)
    said = [m.value for m in app.success]
    assert any("的走访结果：改期（未走访），约定 2026-12-15 再访" in m for m in said), said


def _put_off_today(engine) -> None:
    with session_scope(engine) as s:
        record_outcome(s, VisitOutcome(case_no=NO, visit_date=TODAY, result="postponed", team_id="T1",
                                       reason="信访人外出打工"), who="wu1", today=TODAY)


def test_a_visit_put_off_on_a_day_gone_opens_on_a_new_record_dated_today(seeded) -> None:  # noqa: F811
    """Walk C: a month after 改期, the letter (not planned again) opened on 更正：… · 改期 dated the day put off; the
    visit made since was to be typed over the 改期."""
    _put_off_today(seeded)
    later = TODAY + dt.timedelta(days=5)
    app = _page(later, NO)
    assert not app.exception
    assert app.selectbox(key=f"fu_{NO}_outcome_pick").value == "new"
    assert app.date_input(key=P + "date").value == later
    assert not any("同一组同一天" in w.value for w in app.warning)
    app.radio(key=P + "result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.number_input(key=P + "households").set_value(4).run()
    app.text_area(key=P + "findings").input("已入户核实补贴发放情况").run()
    app.button(key=P + "save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert sorted(_stored(seeded)) == [("postponed", 0, 0), ("visited", 4, 0)]


def test_on_the_day_put_off_the_letter_opens_on_that_record_to_correct(seeded) -> None:  # noqa: F811
    _put_off_today(seeded)
    app = _page(TODAY, NO)
    with session_scope(seeded) as s:
        (oid,) = s.scalars(select(VisitOutcomeRow.id).join(CaseRow, CaseRow.id == VisitOutcomeRow.case_id)
                           .where(CaseRow.case_no == NO)).all()
    assert app.selectbox(key=f"fu_{NO}_outcome_pick").value == oid
