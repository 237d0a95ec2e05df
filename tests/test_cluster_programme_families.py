"""A programme's money under its other names is one core matter (issue 18, run 63): 耕地地力保护补贴 is what the
种粮补贴 became, 雨露计划 pays the 教育补助 / 助学金 of a vocational pupil. The words no longer refuse such a pair
as 核心事项不同; whether it links is left to the other rules (place, meaning, money)."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.clustering import _row_dot
from planner.analysis.evidence import _cores_related
from planner.analysis.linking import _verdict


def test_the_programmes_other_names_are_related_and_others_are_not():
    assert _cores_related(("耕地地力保护补贴",), ("种粮补贴",))
    assert _cores_related(("雨露计划",), ("助学金",))
    assert _cores_related(("教育补助",), ("雨露计划",))
    assert not _cores_related(("雨露计划",), ("种粮补贴",))
    assert not _cores_related(("耕地地力保护补贴",), ("低保",))


def test_a_pair_told_with_the_programmes_two_names_is_not_refused_as_two_matters():
    letters = [
        Letter("A", "我家三亩承包地的耕地地力保护补贴被村里统一代领走了，一分都没拿到。", dt.date(2026, 3, 2),
               address="平和县霞寨镇"),
        Letter("B", "种粮补贴本该发给种地的农户，却被村干部领走了，我们一分没有。", dt.date(2026, 3, 9),
               address="诏安县秀篆镇"),
    ]
    res = analyse(letters)
    st = res._state
    _ok, why = _verdict(st, letters, 0, 1, _row_dot(st.matrix, 0, 1), res.options)
    assert not why.startswith("核心事项不同"), why
