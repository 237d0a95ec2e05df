"""Walk W13: the re-plan's changes named a stop by its label (V027 芗城区芝山街道) where the lock list and 行程 say
V027 芗城区芝山街道红星村（村表无此村，待核对）. Given each stop's name on 行程 (stop_places), the changes use it, and a
stop taken into another still reads （并入 …） with a bracket in its name."""

from __future__ import annotations

import datetime as dt

from planner.routing.replan import day_notes
from planner.routing.same_place import absorbed_said
from tests.routing.test_f4_replan_on_the_road import MONDAY, _doc

NAME = "南靖县山城镇碧候村（村表无此村，待核对）"


def test_the_days_changes_name_stops_as_the_itinerary_does() -> None:
    tue, wed = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)
    before = _doc({("T1", MONDAY): ("V1",), ("T2", MONDAY): ("V3",), ("T2", tue): ("V5",), ("T2", wed): ("V4",)})
    after = _doc({("T1", MONDAY): ("V1", "V4"), ("T2", MONDAY): ("V3",)})
    label = before.visits["V5"].label
    assert label and label != NAME
    plain = " ".join(day_notes(before, after, MONDAY))
    assert f"V5 {label}（未排入）" in plain
    said = " ".join(day_notes(before, after, MONDAY, places={"V5": NAME}))
    assert f"V5 {NAME}（未排入）" in said and f"V5 {label}（未排入）" not in said
    assert "V4 " + before.visits["V4"].label in said  # a stop not named otherwise keeps its label
    merged = " ".join(absorbed_said(day_notes(before, after, MONDAY, places={"V5": NAME}), {"V3": ("V5",)}))
    assert f"V5 {NAME}（并入 V3）" in merged and "（未排入）" not in merged
