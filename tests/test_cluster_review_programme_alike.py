"""The review queue points out one public programme told alike at several places with no village cadre acting
(walks Q and R: 高标准农田 with cracked channels in two or three counties, which both walkers took for one practice).
The engine still keeps such a template apart by itself (the demo registers' truth and the issue's own
same-matter-other-place error); the leader sees the pair first, says why, and decides in one click. A village
cadre's doing told alike (村支书优亲厚友评低保) stays each village's matter and is not pointed out."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.review import near_misses

DAY = dt.date(2026, 10, 3)
LETTERS = [
    Letter("a", "我们村的高标准农田项目，水渠刚建好就开裂，验收走过场，施工方偷工减料。", DAY, address="龙海区东园镇"),
    Letter("b", "我们村的高标准农田项目，水渠刚修好就开裂了，验收走过场，施工单位偷工减料。", DAY,
           address="漳浦县旧镇镇"),
    Letter("d", "村支书优亲厚友，把低保名额给了自己的亲戚，真正困难的评不上。", DAY, address="龙海区东园镇"),
    Letter("e", "村支书优亲厚友，把低保名额给了亲戚，困难户评不上低保。", DAY, address="漳浦县旧镇镇"),
]


def test_a_programme_told_alike_is_offered_first_and_says_why():
    res = analyse(LETTERS)
    assert len({res.issue_of[x] for x in "abde"}) == 4  # nothing joined by itself
    queue = near_misses(res)
    pairs = [(m.a_id, m.b_id) for m in queue]
    assert ("a", "b") in pairs and ("d", "e") in pairs
    first = queue[0]
    assert (first.a_id, first.b_id) == ("a", "b")
    assert any("同一公共项目（高标准农田）" in e and "请确认" in e for e in first.evidence_for), first.evidence_for
    assert first.evidence_against.startswith("同一格式的反映")
    cadre = next(m for m in queue if (m.a_id, m.b_id) == ("d", "e"))
    assert not any("同一公共项目" in e for e in cadre.evidence_for)
    assert first.score > cadre.score + 0.5  # the cadre template keeps its penalty


def test_confirming_it_makes_one_cross_county_matter():
    from planner.analysis import Decision

    res = analyse(LETTERS, decisions=[Decision("link", ("a", "b"))])
    assert res.issue_of["a"] == res.issue_of["b"]
    cluster = res.cluster(res.issue_of["a"])
    assert len(set(cluster.county_codes)) == 2
