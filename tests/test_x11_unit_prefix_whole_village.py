"""A reported unit's name never starts inside a village's or town's name (walk W31: 关联分析 listed 墘村林业站 where the
letter wrote 河墘村林业站 — the segmenter cut 河 | 墘 | 村 and two tokens were taken as the prefix; the demo registers'
光伏扶贫电站 letters read 村光伏扶贫电站, 西村光伏扶贫电站 for 桥头村, 中西村…)."""

from __future__ import annotations

import pytest

from planner.analysis.textmine import mine
from planner.analysis.unit_prefix import start_outside_place


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("反映河墘村林业站收取桉树砍伐保证金每亩200元，砍伐后不退还。", "河墘村林业站"),
        ("尊敬的纪委领导：中西村光伏扶贫电站收益3600元没有按规定分配给脱贫户，去向不明。", "中西村光伏扶贫电站"),
        ("演武亭村光伏扶贫电站收益48000元没有按规定分配给脱贫户，去向不明。", "演武亭村光伏扶贫电站"),
        ("反映山格镇林业站收取保证金", "山格镇林业站"),
        ("反映县林业局不作为", "县林业局"),
    ],
)
def test_the_unit_keeps_the_whole_place_name(text: str, unit: str) -> None:
    assert mine(text).units == (unit,)


def test_a_prefix_starting_at_a_name_is_kept() -> None:
    tokens = ["反映", "河", "墘", "村", "林业站"]
    assert start_outside_place(tokens, 1, 4, {1, 2, 3}, {"河墘村"}) == 0  # 墘村 -> 河墘村
    assert start_outside_place(tokens, 0, 4, {1, 2, 3}, {"河墘村"}) == 0  # already whole
    assert start_outside_place(["山格镇", "土田村", "林业站"], 0, 2, {0, 1}, {"山格镇", "土田村"}) == 0
