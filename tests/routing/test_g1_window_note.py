"""A time window bounds when a visit starts, not when it ends, and the plan's stops say so (a walk read a
09:00-10:30 window and a visit at 10:27-11:27 as a broken window)."""

from __future__ import annotations

from planner.domain import hhmm
from planner.routing.plan_words import window_note
from planner.routing.report import plan_document
from tests.routing.conftest import MONDAY, PLAIN, team, visit


def _doc(visits):
    return plan_document(list(visits), [team("A")], start_date=MONDAY, days=1, time_limit_s=1.0, travel=PLAIN)


def test_a_visit_that_runs_past_its_window_is_the_example():
    doc = _doc([visit("W", 117.33, 24.37, 120, window_start_min=9 * 60, window_end_min=9 * 60 + 30, label="隆庆村")])
    (stop,) = [s for r in doc.plan.routes for s in r.stops]
    assert 9 * 60 <= stop.start_min <= 9 * 60 + 30 < stop.end_min  # the solver's meaning, unchanged
    assert window_note(doc.plan, doc.visits) == (
        "时间窗约束到达（开始走访）的时间：走访在时间窗内开始，结束可能晚于时间窗结束（如 隆庆村：时间窗 09:00-09:30，"
        f"{hhmm(stop.start_min)} 开始，{hhmm(stop.end_min)} 结束）。")


def test_said_without_an_example_when_every_window_holds_the_whole_visit_and_not_at_all_without_windows():
    doc = _doc([visit("W", 117.33, 24.37, 30, window_start_min=9 * 60, window_end_min=16 * 60)])
    assert doc.plan.planned_visit_ids() == {"W"}
    assert window_note(doc.plan, doc.visits) == (
        "时间窗约束到达（开始走访）的时间：走访在时间窗内开始，结束可能晚于时间窗结束。")
    plain = _doc([visit("P", 117.33, 24.37, 30)])
    assert plain.plan.planned_visit_ids() == {"P"} and window_note(plain.plan, plain.visits) == ""
