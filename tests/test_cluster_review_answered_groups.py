"""待确认关联 (browser walk as a team leader): a 「不是同一问题」 answers the question for the two groups it was asked
about, and a near miss is near in meaning (no pair at 语义相似度 -0.02 resting on one broad word)."""

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from planner.analysis import Decision, Letter, analyse, apply_decision, semantic
from planner.analysis.meaning import closeness
from planner.analysis.review import NEAR_FLOOR, near_misses

DATA = Path(__file__).parent / "data"


def _letters(name):
    with (DATA / name).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        Letter(r["id"], r["text"], dt.date.fromisoformat(r["received_date"]), address=r["address"],
               petitioner_key=r["petitioner_key"])
        for r in rows
    ]


@pytest.fixture(scope="module", params=["cluster_dev.csv", "cluster_wording_dev.csv"])
def dev(request):
    letters = _letters(request.param)
    return letters, analyse(letters)


def _groups(result, m):
    return frozenset((result.issue_of[m.a_id], result.issue_of[m.b_id]))


def test_a_rejection_is_not_asked_again_through_another_pair_of_the_same_two_groups(dev):
    letters, result = dev
    queue = near_misses(result, limit=50)
    assert queue
    for m in queue[:6]:
        rejected = apply_decision(result, Decision("unlink", letter_ids=(m.a_id, m.b_id)))
        asked = _groups(rejected, m)
        rerun = analyse(letters, decisions=rejected.decisions, previous_assignment=rejected.issue_of)
        for res in (rejected, rerun):
            again = [(x.a_id, x.b_id) for x in near_misses(res, limit=50)
                     if {res.issue_of[x.a_id], res.issue_of[x.b_id]} == {res.issue_of[m.a_id], res.issue_of[m.b_id]}]
            assert not again, (m.a_id, m.b_id, asked, again)


def test_a_rejection_leaves_the_other_questions_in_the_queue(dev):
    result = dev[1]
    queue = near_misses(result, limit=50)
    m = queue[0]
    rejected = apply_decision(result, Decision("unlink", letter_ids=(m.a_id, m.b_id)))
    before = {_groups(result, x) for x in queue} - {_groups(result, m)}
    after = near_misses(rejected, limit=50)
    shown = Counter(g for x in after for g in (x.a_issue, x.b_issue))
    # A question left out of the queue only gave way to another of the same group (each group is asked about twice).
    for pair in before - {_groups(rejected, x) for x in after}:
        assert any(shown[g] >= 2 for g in pair), pair


def test_cluster_dev_a_rejected_pair_with_more_letters_in_one_group_does_not_come_back():
    # The case of the walk on the dev register: L04 alone and L01 in a group of three; after 不是同一问题 on L01-L04
    # the queue asked again about the same two groups through L03-L04.
    letters = _letters("cluster_dev.csv")
    result = analyse(letters)
    queue = near_misses(result, limit=50)
    first = next((m for m in queue if {m.a_id, m.b_id} == {"L01", "L04"}), None)
    if first is None:
        pytest.skip("the analysis no longer offers L01-L04")
    rejected = apply_decision(result, Decision("unlink", letter_ids=("L01", "L04")))
    groups = {rejected.issue_of["L01"], rejected.issue_of["L04"]}
    assert sum(rejected.cluster(g).size for g in groups) > 2  # another pair of the two groups exists
    assert not [m for m in near_misses(rejected, limit=50) if {m.a_issue, m.b_issue} == groups]


def test_every_pair_offered_is_near_in_meaning(dev):
    assert semantic.available()
    result = dev[1]
    assert result.semantic
    at = {lt.letter_id: i for i, lt in enumerate(result.letters)}
    queue = near_misses(result, limit=200)
    assert queue
    for m in queue:
        assert closeness(result._state, at[m.a_id], at[m.b_id]) >= NEAR_FLOOR, m


def test_a_red_envelope_for_a_house_repair_and_a_banquet_gift_is_no_near_miss():
    # cluster_dev: W01 (好处费 for 危房改造) and K02 (礼金 at a banquet) share only the folded word 红包, at 语义相似度
    # 0.07; the queue offered them.
    letters = _letters("cluster_dev.csv")
    result = analyse(letters)
    assert result.issue_of["W01"] != result.issue_of["K02"]
    assert not [m for m in near_misses(result, limit=200) if {m.a_id, m.b_id} == {"W01", "K02"}]
