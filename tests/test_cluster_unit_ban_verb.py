"""Walk E: “盘陀镇办桉树砍伐手续” gave the reported unit 盘陀镇办 — 办 is the verb there (to get a permit done), not an
office. A bare 办 before what one goes to an office to get (手续, 证, 审批 …) is no unit; offices stay units."""

from __future__ import annotations

import pytest

from planner.analysis.textmine import mine


@pytest.mark.parametrize("text", [
    "盘陀镇办桉树砍伐手续时被收取保证金", "我去盘陀镇办证被刁难",
    # Walk M: 被反映对象 listed 老人办 and 代办 (someone doing it for the old people, for a fee).
    "村干部帮老人办高龄补贴要收代办费", "有人专门代办残疾证，收两百元", "帮群众办社保卡收好处费",
])
def test_ban_the_verb_is_no_unit(text: str) -> None:
    assert not any(u.endswith("办") for u in mine(text).units), mine(text).units


@pytest.mark.parametrize(("text", "unit"), [
    ("盘陀镇办事处主任收礼", "盘陀镇办事处"), ("街道办工作人员吃拿卡要", "街道办"), ("镇办主任收礼", "镇办"),
    ("镇政府和镇林业站收钱", "镇林业站"), ("县信访办不作为", "县信访办"), ("镇综治办主任收礼", "镇综治办"),
])
def test_offices_stay_units(text: str, unit: str) -> None:
    assert unit in mine(text).units
