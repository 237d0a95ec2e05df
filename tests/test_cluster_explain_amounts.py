"""Every link explained with its amounts (issue 18; walk O: amounts were never shown as evidence): the same rate or
sum in two letters is a reason for the link, rates for one unit that disagree are a doubt."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.evidence import _amounts

DAY = dt.date(2026, 3, 2)


def test_the_same_rate_is_a_reason_and_another_rate_a_doubt():
    letters = [
        Letter("a", "华安县仙都镇林业站收取桉树砍伐保证金，每亩800元，收了我家4800元。", DAY, address="华安县仙都镇"),
        Letter("b", "仙都镇林业站砍桉树要先交保证金，每亩800元，一直不退。", DAY, address="华安县仙都镇"),
        Letter("c", "仙都镇林业站收桉树保证金每亩500元，不开收据。", DAY, address="华安县仙都镇"),
    ]
    res = analyse(letters)
    same = res.explain("a", "b")
    assert same.shared_amounts == ("每亩800元",)  # not told again as a bare 800元
    assert "金额相同：每亩800元" in same.reasons()
    assert same.doubts() == ()
    other = res.explain("a", "c")
    assert other.shared_amounts == ()
    assert other.doubts() == ("收费标准或金额不同：每亩800元 / 每亩500元",)
    assert not any(r.startswith("金额相同") for r in other.reasons())


def test_sums_and_months_read_as_written():
    a = frozenset({("#万元", 3.5), ("#个月", 4.0), ("户", 200.0)})
    b = frozenset({("#万元", 3.5), ("#个月", 4.0), ("户", 150.0), ("户", 120.0)})
    same, other = _amounts(a, b)
    assert same == ("3.5万元", "4个月")
    assert other == ("每户200元 / 每户120元、每户150元",)
    assert _amounts(frozenset(), b) == ((), ())
