"""Walk E: an officer records 解决问题（个） on the phone form of 行程, stored as the 回访跟踪 form stores it, so 统计
counts it (ganbu3 recorded 已走访, 12 households, 1 lead, 问题已当场化解: 推动解决问题 1, 解决问题（个） 0)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.errors import InputError
from planner.field.day import officer_day, save_stop_outcome
from planner.followup.stats import compute_stats
from planner.store.database import session_scope
from planner.store.models import CaseRow, VisitOutcomeRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _form_widget, _officer_app, _saved


def test_an_officer_records_the_problems_solved_and_statistics_count_them(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    solved = _form_widget(at, "number_input", "solved")
    assert solved.label == "解决问题（个）" and solved.value == 0
    _form_widget(at, "radio", "result").set_value("visited")  # nothing is picked until the officer picks
    _form_widget(at, "number_input", "households").set_value(12)
    _form_widget(at, "number_input", "leads").set_value(1)
    solved.set_value(2)
    _form_widget(at, "checkbox", "resolved").check()
    _form_widget(at, "text_area", "findings").input("已入户核实，问题当场化解")
    next(b for b in at.button if "it_form_" in str(b.key)).click().run()
    assert not at.exception
    with session_scope(engine) as s:
        row = s.scalars(select(VisitOutcomeRow)).one()
        assert s.get(CaseRow, row.case_id).case_no == "ZZ2026-0101"
        assert (row.households_visited, row.leads_collected, row.problems_solved, row.problem_resolved) == (
            12, 1, 2, True)
        totals = compute_stats(s, start=MONDAY - dt.timedelta(days=30), end=MONDAY, by=()).totals
    assert totals["problems_solved"] == 2 and totals["cases_resolved"] == 1
    assert totals["household_visits"] == 12 and totals["leads_collected"] == 1
    # The recorded visit says it, and its correction form starts from it.
    assert any("解决问题 2 个" in t for t in (m.value for m in at.markdown))
    assert [w.value for w in at.number_input if str(w.key).endswith("_solved") and w.value] == [2]


def test_a_negative_count_of_problems_solved_is_refused(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        day = officer_day(s, OFFICER_T1, MONDAY)
        with pytest.raises(InputError, match="解决问题"):
            save_stop_outcome(s, day, "ZZ2026-0101", result="visited", solved=-1, who="li", actor=OFFICER_T1)


def test_a_correction_on_the_phone_keeps_what_the_form_does_not_show(engine, monkeypatch) -> None:
    """The phone form has no 反映问题 or 用时: correcting its counts must leave a leader's 反映不实 and time as recorded
    (they were reset to 未查明 and 0, and 解决问题 to 0 before the form had it)."""
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    key = str(_form_widget(at, "number_input", "households").key)
    draft = key.removeprefix("xf_").removesuffix("_households")
    at.radio(key=f"xf_{draft}_result").set_value("visited")  # nothing is picked until the officer picks
    at.number_input(key=key).set_value(12)
    _form_widget(at, "text_area", "findings").input("已入户核实")
    next(b for b in at.button if draft in str(b.key)).click().run()
    with session_scope(engine) as s:  # 回访跟踪: the leader marks the report untrue, 90 minutes spent, 1 solved
        row = s.scalars(select(VisitOutcomeRow)).one()
        row.report_true, row.time_spent_min, row.problems_solved = False, 90, 1
    at = _officer_app(OFFICER_T1, MONDAY)  # the form opened afresh, after the leader's record
    at.run()
    assert at.number_input(key=f"xf_{draft}_solved").value == 1
    at.number_input(key=key).set_value(15)
    next(b for b in at.button if draft in str(b.key)).click().run()
    assert not at.exception
    with session_scope(engine) as s:
        row = s.scalars(select(VisitOutcomeRow)).one()
        assert (row.households_visited, row.report_true, row.time_spent_min, row.problems_solved) == (15, False, 90, 1)


def test_a_correction_saved_by_someone_else_while_the_form_was_open_is_not_overwritten(engine, monkeypatch) -> None:
    """The form loads its values once, but checked the version of the record read on the latest run: a leader's
    correction made while the officer's form was open was overwritten by the values shown before it."""
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    key = str(_form_widget(at, "number_input", "households").key)
    draft = key.removeprefix("xf_").removesuffix("_households")
    at.radio(key=f"xf_{draft}_result").set_value("visited")  # nothing is picked until the officer picks
    at.number_input(key=key).set_value(12)
    _form_widget(at, "text_area", "findings").input("已入户核实")
    next(b for b in at.button if draft in str(b.key)).click().run()
    at.run()  # the form now shows the saved record (12 households)
    assert at.number_input(key=key).value == 12
    with session_scope(engine) as s:  # meanwhile the leader corrects it in 回访跟踪
        from planner.followup.outcomes import correct_outcome
        from planner.store.models import VisitOutcomeRow as Row

        row = s.scalars(select(Row)).one()
        day = officer_day(s, OFFICER_T1, MONDAY)
        from planner.field.day import stop_records

        rec = stop_records(s, ["ZZ2026-0101"], day.date, day.team_id)["ZZ2026-0101"]
        from planner.domain import VisitOutcome, VisitResult

        correct_outcome(s, row.id, VisitOutcome(case_no="ZZ2026-0101", visit_date=day.date, result=VisitResult.VISITED,
                                                team_id=day.team_id, findings="组长更正", households_visited=20),
                        who="lead", expected_version=rec.version)
    at.run()  # any tap on the phone: the record is read again, the form keeps what it showed
    at.number_input(key=key).set_value(13)
    next(b for b in at.button if draft in str(b.key)).click().run()
    assert not at.exception
    assert any("已由他人登记或修改" in e.value for e in at.error), [e.value for e in at.error]
    with session_scope(engine) as s:
        assert s.scalars(select(VisitOutcomeRow)).one().households_visited == 20  # the leader's correction stands
