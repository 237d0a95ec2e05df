"""行程's phone form and stop cards (walk C): the counts come in 回访跟踪's order (入户走访, 收集线索, 解决问题) when a
phone stacks the columns, and a stop recorded 未找到 says the households it called on, which 统计 counts."""

from __future__ import annotations

from planner.domain import VisitResult
from planner.field.day import StopRecord
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _officer_app, _saved

ORDER = ["入户走访（户次）", "收集线索（条）", "解决问题（个）"]


def test_the_phone_form_lists_the_counts_in_the_followup_forms_order(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    draft = str(next(w.key for w in at.number_input if str(w.key).endswith("_households"))).removesuffix(
        "_households")
    # The element tree's order is the order a phone shows them in, one under another.
    labels = [w.label for w in at.number_input if str(w.key).startswith(draft + "_")]
    assert labels == ORDER, labels


def test_a_stop_recorded_not_found_says_the_households_it_called_on() -> None:
    rec = StopRecord(outcome_id=1, version=1, result=VisitResult.NOT_FOUND, households=2, leads=1,
                     findings="林业站已撤并", resolved=False)
    assert rec.text() == "未找到（林业站已撤并） · 入户 2 户次 · 线索 1 条"
    none = StopRecord(outcome_id=1, version=1, result=VisitResult.POSTPONED, households=0, leads=0,
                      findings="外出打工", resolved=False)
    assert none.text() == "改期（外出打工）"
