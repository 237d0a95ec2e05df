"""Walk D: a leader's 加入本组 came apart after 重新分析.

A leader sees part of the letters; that view is numbered on its own, so the group the leader added six letters to
had one id there (I0050) and another in the office's stored clusters. The move decision named the view's id: the six
letters were pinned under it, the two letters already in the group stayed under the office's id, and every later
run showed two groups (“补偿款、截留、征地，6 件｜有人工调整” and “青苗补偿款…，2 件”). A move (and a merge) now
carries the letters that were in the target group when it was made, and every run keeps them together.
"""

from __future__ import annotations

import dataclasses

from planner.analysis import Decision, analyse
from planner.analysis.clustering import apply_decision
from planner.store import clusters as store
from planner.store.models import CaseRow, ClusterDecision
from tests.test_cluster_restore import _letters


def _setting():
    letters = _letters()
    office = analyse(letters)
    groups: dict[str, list[str]] = {}
    for lid, cid in office.issue_of.items():
        groups.setdefault(cid, []).append(lid)
    pairs = [sorted(m) for m in groups.values() if len(m) >= 2]
    singles = sorted(m[0] for m in groups.values() if len(m) == 1)
    target = pairs[len(pairs) // 2]  # a group well down the list: a part of the letters numbers it differently
    moving = tuple(singles[:3])
    dropped = {lid for m in pairs[: len(pairs) // 2] for lid in m}  # the leader sees none of the earlier groups
    view = analyse([lt for lt in letters if lt.letter_id not in dropped])
    return letters, office, view, target, moving


def test_letters_added_in_a_partial_view_stay_with_the_group_in_every_later_run() -> None:
    letters, office, view, target, moving = _setting()
    x, y = view.issue_of[target[0]], office.issue_of[target[0]]
    assert x != y, "the leader's view numbers the group differently (what made the walk's decision misfire)"
    assert len({view.issue_of[lid] for lid in target}) == 1

    decision = apply_decision(view, Decision("move", letter_ids=moving, target=x)).decisions[-1]
    assert set(target) <= set(decision.anchors) and not set(moving) & set(decision.anchors)
    assert Decision.from_payload(decision.to_payload()) == decision

    for keep in (True, False):  # 重新分析, and 重新分析 with 全部重新归类
        again = analyse(letters, decisions=[decision], previous_assignment=office.issue_of, keep_previous=keep)
        assert len({again.issue_of[lid] for lid in (*target, *moving)}) == 1, keep
        twice = analyse(letters, decisions=[decision], previous_assignment=again.issue_of, keep_previous=keep)
        assert twice.issue_of == again.issue_of

    # What the walk saw, from the same decision without its anchors: two groups.
    bare = dataclasses.replace(decision, anchors=())
    split = analyse(letters, decisions=[bare], previous_assignment=office.issue_of)
    assert split.issue_of[target[0]] != split.issue_of[moving[0]]


def test_a_merge_in_a_partial_view_keeps_both_groups_together() -> None:
    letters, office, view, target, _ = _setting()
    groups: dict[str, list[str]] = {}
    for lid, cid in view.issue_of.items():
        groups.setdefault(cid, []).append(lid)
    x = view.issue_of[target[0]]
    other = next(cid for cid, m in sorted(groups.items()) if len(m) >= 2 and cid != x)
    decision = apply_decision(view, Decision("merge", source=other, target=x)).decisions[-1]
    both = (*target, *groups[other])
    for keep in (True, False):
        again = analyse(letters, decisions=[decision], previous_assignment=office.issue_of, keep_previous=keep)
        assert len({again.issue_of[lid] for lid in both}) == 1, keep


def test_restoring_an_anchor_letter_frees_it(session) -> None:
    letters, _office, view, target, moving = _setting()
    for lt in letters:
        session.add(CaseRow(case_no=lt.letter_id, received_date=lt.received_date, content=lt.text,
                            deadline=lt.received_date))
    session.flush()
    decision = apply_decision(view, Decision("move", letter_ids=moving, target=view.issue_of[target[0]])).decisions[-1]
    session.add(ClusterDecision(action="move", payload=decision.to_payload(), who="lead1"))
    session.flush()
    store.restore_automatic(session, letters, [target[0]], who="lead1")
    (kept,) = store.load_decisions(session)
    assert target[0] not in kept.anchors and set(target[1:]) <= set(kept.anchors) and kept.letter_ids == moving
