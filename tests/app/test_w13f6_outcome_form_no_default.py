"""Walk W13: on the phone's 行程 the 下一站 outcome form opened with 已走访 already picked, so one tap on 保存 recorded
a visit that had not happened. The form starts with no result picked and a save without one is refused, with a
clear message, by the page and by save_stop_outcome; nothing is stored until the officer picks a result."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.domain import VisitResult
from planner.errors import InputError
from planner.field.day import officer_day, save_stop_outcome
from planner.store.database import session_scope
from planner.store.models import VisitOutcomeRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _form_widget, _officer_app, _saved


def _outcomes(engine) -> list:
    with session_scope(engine) as s:
        return [(r.result, r.households_visited) for r in s.scalars(select(VisitOutcomeRow))]


def test_the_form_starts_with_no_result_and_a_save_without_one_records_nothing(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    result = _form_widget(at, "radio", "result")
    assert result.value is None, result.value  # not 已走访 (nor any other) before the officer picks
    _form_widget(at, "number_input", "households").set_value(5)
    _form_widget(at, "text_area", "findings").input("已核实押金情况")
    save = next(b for b in at.button if "it_form_" in str(b.key))
    save.click().run()
    assert not at.exception
    assert _outcomes(engine) == []  # one tap on 保存 records no visit
    assert any("请先选择结果" in e.value and "已走访" in e.value for e in at.error), [e.value for e in at.error]
    assert not any("已保存信访件" in m.value for m in at.success)
    # What was typed is still there, and still nothing picked for the officer.
    assert _form_widget(at, "number_input", "households").value == 5
    assert _form_widget(at, "text_area", "findings").value == "已核实押金情况"
    assert _form_widget(at, "radio", "result").value is None
    _form_widget(at, "radio", "result").set_value(VisitResult.VISITED.value)
    next(b for b in at.button if "it_form_" in str(b.key)).click().run()
    assert not at.exception
    assert len(_outcomes(engine)) == 1 and _outcomes(engine)[0][1] == 5
    assert any("已保存信访件" in m.value for m in at.success)


@pytest.mark.parametrize("missing", [None, ""])
def test_save_stop_outcome_refuses_a_save_without_a_result(engine, monkeypatch, missing) -> None:
    _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        day = officer_day(s, OFFICER_T1, MONDAY)
        with pytest.raises(InputError, match="请先选择结果（已走访、未找到、改期）再保存"):
            save_stop_outcome(s, day, "ZZ2026-0101", result=missing, households=3, findings="已核实", who="li",
                              actor=OFFICER_T1, today=MONDAY)
    assert _outcomes(engine) == []
