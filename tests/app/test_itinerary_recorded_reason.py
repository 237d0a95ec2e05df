"""Officer's walk: after 改期 or 未找到 the stop card on 行程 read only "已登记：改期"; the reason the officer typed
(选件 shows it as 上次改期) was not on the card."""

from __future__ import annotations

import pytest

from planner.domain import VisitResult
from planner.field.day import StopRecord
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _form_widget, _officer_app, _saved


def _recorded(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**已登记**")]


@pytest.mark.parametrize(("result", "label"), [("postponed", "改期"), ("not_found", "未找到")])
def test_the_card_says_the_reason_of_a_stop_put_off_or_not_found(engine, monkeypatch, result, label) -> None:
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    _form_widget(at, "radio", "result").set_value(result)
    _form_widget(at, "text_area", "findings").input("信访人外出打工，\n约 12-15 回村")
    next(b for b in at.button if "it_form_" in str(b.key)).click().run()
    assert not at.exception
    assert _recorded(at) == [f"**已登记**：{label}（信访人外出打工， 约 12-15 回村）"], _recorded(at)
    at = _officer_app(OFFICER_T1, MONDAY)  # the page opened afresh reads it from the record
    at.run()
    assert _recorded(at) == [f"**已登记**：{label}（信访人外出打工， 约 12-15 回村）"], _recorded(at)


def test_the_reason_is_shown_as_typed_text_and_identities_in_it_are_masked() -> None:
    rec = StopRecord(outcome_id=1, version=1, result=VisitResult.POSTPONED, households=0, leads=0,
                     findings="**<b>张三</b>** 电话 13812345678 不在家", resolved=False)
    assert rec.text() == "改期（**<b>张三</b>** 电话 138****5678 不在家）"
    assert StopRecord(outcome_id=1, version=1, result=VisitResult.NOT_FOUND, households=0, leads=0, findings=" ",
                      resolved=False).text() == "未找到"
    visited = StopRecord(outcome_id=1, version=1, result=VisitResult.VISITED, households=12, leads=3,
                         findings="已入户核实", resolved=True, solved=1)
    assert visited.text() == "已走访 · 入户 12 户次 · 线索 3 条 · 解决问题 1 个 · 已当场化解"
