"""Walk W37: 问题已解决 ticked on a letter stored 解决问题 0 个 unless the officer also typed the number, and 统计's
解决问题 (the sum of the numbers recorded) undercounted. 回访跟踪 now shows 1 once the box is ticked (before 保存,
to change); 行程's form (no rerun on a tick) asks for the number at 保存; a 回访 finding the problem still solved
puts in nothing (counted at the visit that solved it)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.followup.solved_count import solved_after_tick, unsolved_count_note
from planner.followup.stats import compute_stats
from planner.store.database import session_scope
from planner.store.models import CaseRow, VisitOutcomeRow
from tests.app.test_followup_walk_s_leader import TODAY, _page, seeded  # noqa: F401 (the fixture)
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _form_widget, _officer_app, _saved

NO = "ZZJ2026-0903"  # planned for 第一检查组 today, nothing recorded yet
P = f"fu_{NO}_new_"


def _row(engine, case_no: str = NO) -> tuple | None:
    with session_scope(engine) as s:
        rows = s.scalars(select(VisitOutcomeRow).join(CaseRow, CaseRow.id == VisitOutcomeRow.case_id)
                         .where(CaseRow.case_no == case_no)).all()
        return [(r.problem_resolved, r.problems_solved) for r in rows]


def test_ticking_problem_solved_shows_one_problem_solved_before_saving_and_stores_it(seeded) -> None:  # noqa: F811
    app = _page(TODAY, NO)
    app.radio(key=P + "result").set_value("visited").run()
    assert app.number_input(key=P + "solved").value == 0
    app.toggle(key=P + "resolved").set_value(True).run()
    assert not app.exception
    assert app.number_input(key=P + "solved").value == 1  # seen before 保存, the officer can change it
    assert not any("解决问题（个）为 0" in w.value for w in app.warning)
    app.text_area(key=P + "findings").input("已入户核实，补贴已补发").run()
    app.button(key=P + "save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert _row(seeded) == [(True, 1)]
    said = [m.value for m in app.success]
    assert any("解决问题 1 个" in m for m in said), said
    with session_scope(seeded) as s:
        totals = compute_stats(s, start=TODAY - dt.timedelta(days=30), end=TODAY, by=()).totals
    assert totals["problems_solved"] == 1  # once: 0941's visit (问题已解决, typed 0 before this fix) adds none


def test_a_number_typed_is_kept_and_zero_after_the_tick_is_said(seeded) -> None:  # noqa: F811
    app = _page(TODAY, NO)
    app.radio(key=P + "result").set_value("visited").run()
    app.number_input(key=P + "solved").set_value(3).run()
    app.toggle(key=P + "resolved").set_value(True).run()
    assert app.number_input(key=P + "solved").value == 3
    app.number_input(key=P + "solved").set_value(0).run()
    assert any("已勾选“问题已解决”，但解决问题（个）为 0" in w.value for w in app.warning)
    app.toggle(key=P + "resolved").set_value(False).run()
    assert not any("解决问题（个）为 0" in w.value for w in app.warning)


def test_a_return_visit_finding_the_problem_still_solved_adds_no_problem_solved() -> None:
    assert solved_after_tick(resolved=True, solved=0, kept=True) is None
    assert unsolved_count_note(resolved=True, solved=0, kept=True) == ""
    assert solved_after_tick(resolved=True, solved=0) == 1
    assert solved_after_tick(resolved=True, solved=2) is None and solved_after_tick(resolved=False, solved=0) is None


def test_the_phone_form_asks_for_the_number_when_the_problem_was_solved_on_the_spot(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    _form_widget(at, "radio", "result").set_value("visited")
    _form_widget(at, "number_input", "households").set_value(5)
    _form_widget(at, "checkbox", "resolved").check()
    _form_widget(at, "text_area", "findings").input("问题当场化解")
    next(b for b in at.button if "it_form_" in str(b.key)).click().run()
    assert not at.exception
    assert any("问题已当场化解" in e.value and "解决问题（个）为 0" in e.value for e in at.error), at.error
    with session_scope(engine) as s:
        assert s.scalars(select(VisitOutcomeRow)).all() == []  # not saved; the form keeps what was typed
    assert _form_widget(at, "number_input", "households").value == 5
    _form_widget(at, "number_input", "solved").set_value(1)
    next(b for b in at.button if "it_form_" in str(b.key)).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with session_scope(engine) as s:
        row = s.scalars(select(VisitOutcomeRow)).one()
        assert (row.problem_resolved, row.problems_solved, row.households_visited) == (True, 1, 5)
