"""Walk 2 (F5): a register whose 紧急程度 had 紧急、严重、较重、一般 was read 4, 4, 4, 3 and the import said nothing of
the three levels merged. The preview's mapping note now names the levels that fall on one severity; words that say
one level two ways (紧急, 加急, 急件) are not such a loss."""

from __future__ import annotations

from planner.intake.register_levels import mapping_note
from planner.intake.urgency import read_urgency


def test_levels_merged_on_one_severity_are_named() -> None:
    cells = ["一般"] * 31 + ["紧急"] * 16 + ["较重"] * 15 + ["严重"] * 14
    note = mapping_note("紧急程度", cells)
    # Three levels above 一般 on two severities (W19, F14: read as a whole): the two nearest share one, and are named.
    assert "注意：本表在 一般 之上有 3 个等级" in note
    assert "紧急、严重 最接近，同按 5（最急）计，选件排序时不再区分" in note
    assert "较重 15 件 → 4（急）" in note
    # Read alone, the order the scale keeps: nothing is read above 紧急 or below 一般.
    assert read_urgency("紧急") >= read_urgency("严重") >= read_urgency("较重") > read_urgency("一般")


def test_one_level_said_two_ways_is_not_a_loss() -> None:
    note = mapping_note("紧急程度", ["特急", "紧急", "急", "急件", "（紧急）", "一般", "缓"])
    assert "注意" not in note
    assert (read_urgency("特急"), read_urgency("紧急"), read_urgency("一般")) == (5, 4, 3)  # walk B's order kept
