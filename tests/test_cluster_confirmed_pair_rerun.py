"""Walk F: a pair confirmed in 待确认关联 (“是同一问题（并入一组）”) by a leader came apart on the next run.

A leader sees part of the letters, so the decision is stored but the office's stored clusters are not rewritten;
the next run keeps every letter's stored group (``keep_previous``), and that kept group beat the confirmed pair:
ZZ2026Q4-020 and -086 stayed in I0048 and I0080. A confirmed pair now joins in every run, kept groups or not.
"""

from __future__ import annotations

from planner.analysis import Decision, analyse
from tests.test_cluster_restore import _letters


def _apart_pair(result) -> tuple[str, str]:
    groups: dict[str, list[str]] = {}
    for lid, cid in result.issue_of.items():
        groups.setdefault(cid, []).append(lid)
    singles = sorted(m[0] for m in groups.values() if len(m) == 1)
    return singles[0], singles[-1]


def test_a_pair_confirmed_without_rewriting_the_stored_groups_joins_in_the_next_run() -> None:
    letters = _letters()
    office = analyse(letters)
    a, b = _apart_pair(office)
    assert office.issue_of[a] != office.issue_of[b]
    link = Decision("link", letter_ids=(a, b))
    for keep in (True, False):
        again = analyse(letters, decisions=[link], previous_assignment=dict(office.issue_of), keep_previous=keep)
        assert again.issue_of[a] == again.issue_of[b], keep
        # Nothing else moved: every other letter keeps its group with the kept groups.
        if keep:
            moved = {lid for lid, cid in again.issue_of.items()
                     if lid not in (a, b) and cid != office.issue_of[lid]}
            assert not moved


def test_a_later_rejection_of_the_pair_parts_it_again() -> None:
    letters = _letters()
    office = analyse(letters)
    a, b = _apart_pair(office)
    decisions = [Decision("link", letter_ids=(a, b)), Decision("unlink", letter_ids=(a, b))]
    again = analyse(letters, decisions=decisions, previous_assignment=dict(office.issue_of))
    assert again.issue_of[a] != again.issue_of[b]


def test_a_pair_confirmed_after_a_detach_joins_when_the_decisions_are_replayed() -> None:
    """The confirmation freed the detached letter where it was made, but a replay of the decisions kept the earlier
    detach's pin: the pair came apart on the next run."""
    from planner.analysis.clustering import apply_decision

    letters = _letters()
    office = analyse(letters)
    groups: dict[str, list[str]] = {}
    for lid, cid in office.issue_of.items():
        groups.setdefault(cid, []).append(lid)
    pair = sorted(next(m for m in groups.values() if len(m) >= 2))
    a, b = _apart_pair(office)
    detached = apply_decision(office, Decision("detach", letter_ids=(b,)))
    linked = apply_decision(detached, Decision("link", letter_ids=(a, b)))
    assert linked.issue_of[a] == linked.issue_of[b]
    again = analyse(letters, decisions=linked.decisions, previous_assignment=dict(linked.issue_of))
    assert again.issue_of[a] == again.issue_of[b]
    assert again.issue_of[pair[0]] == again.issue_of[pair[1]]  # nothing else came apart


def test_confirming_a_lone_letter_with_a_letter_of_a_group_adds_it_to_that_group() -> None:
    """Re-walk F: confirming ZZ2026Q4-063 (alone) with -204 (in a group of four about one matter) took 204 out of its
    group into a new group with 063; the group fell to three. The lone letter joins the group, in every later run,
    whichever letter the review card names first."""
    from planner.analysis.clustering import apply_decision

    letters = _letters()
    office = analyse(letters)
    groups: dict[str, list[str]] = {}
    for lid, cid in office.issue_of.items():
        groups.setdefault(cid, []).append(lid)
    big = sorted(max(groups.values(), key=len))
    assert len(big) >= 2
    lone, _ = _apart_pair(office)
    member = big[-1]
    done = apply_decision(office, Decision("link", letter_ids=(lone, member)))
    assert done.issue_of[lone] == done.issue_of[member] == office.issue_of[member]
    assert {lid for lid, cid in done.issue_of.items() if cid == office.issue_of[member]} == {*big, lone}
    assert done.decisions[-1].letter_ids == (member, lone)  # stored as: lone follows member
    for keep in (True, False):
        again = analyse(letters, decisions=done.decisions, previous_assignment=dict(done.issue_of), keep_previous=keep)
        assert len({again.issue_of[x] for x in (*big, lone)}) == 1, keep
    # Without the stored groups (a first run over the decisions), the same.
    fresh = analyse(letters, decisions=done.decisions)
    assert len({fresh.issue_of[x] for x in (*big, lone)}) == 1
