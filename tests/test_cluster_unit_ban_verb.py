"""Walk E: “盘陀镇办桉树砍伐手续” gave the reported unit 盘陀镇办 — 办 is the verb there (to get a permit done), not an
office. A bare 办 before what one goes to an office to get (手续, 证, 审批 …) is no unit; offices stay units."""

from __future__ import annotations

import pytest

from planner.analysis.textmine import mine


@pytest.mark.parametrize("text", ["盘陀镇办桉树砍伐手续时被收取保证金", "我去盘陀镇办证被刁难"])
def test_ban_the_verb_is_no_unit(text: str) -> None:
    assert not any(u.endswith("办") for u in mine(text).units), mine(text).units


@pytest.mark.parametrize(("text", "unit"), [
    ("盘陀镇办事处主任收礼", "盘陀镇办事处"), ("街道办工作人员吃拿卡要", "街道办"), ("镇办主任收礼", "镇办"),
    ("镇政府和镇林业站收钱", "镇林业站"),
])
def test_offices_stay_units(text: str, unit: str) -> None:
    assert unit in mine(text).units
