"""Walk E: a letter a leader detached (逐件移出) stays on its own in every later run, until 恢复自动分组 frees it."""

import datetime as dt

from planner.analysis import Decision, Letter, analyse, apply_decision, update
from tests.test_cluster_restore import _letters


def _detached_d04():
    letters = _letters()
    first = analyse(letters)
    assert first.issue_of["D04"] == first.issue_of["D01"]  # one 桉树保证金 matter before the leader acts
    res = apply_decision(first, Decision("detach", letter_ids=("D04",)))
    return letters, first, res, res.decisions[-1]


#: A later letter told almost in D04's own words (same town, same unit, same charge).
LIKE_D04 = Letter("N1", "再反映长泰岩溪林业站违规收取桉树采伐保证金，每户一千到三千元，收款不开正规票据。",
                  dt.date(2026, 6, 20), address="长泰区岩溪镇")


def test_a_detached_letter_keeps_its_group_to_itself_when_a_letter_like_it_arrives():
    letters, _first, res, detach = _detached_d04()
    alone = res.issue_of["D04"]
    again = analyse([*letters, LIKE_D04], decisions=(detach,), previous_assignment=res.issue_of)
    assert again.cluster(alone).case_nos == ("D04",)
    assert again.issue_of["N1"] != alone
    regrouped = analyse([*letters, LIKE_D04], decisions=(detach,), previous_assignment=res.issue_of,
                        keep_previous=False)
    assert regrouped.cluster(regrouped.issue_of["D04"]).case_nos == ("D04",)
    added = update(res, [LIKE_D04])
    assert added.cluster(alone).case_nos == ("D04",)
    assert added.issue_of["N1"] != alone


def test_a_letter_stored_under_the_detached_letters_new_number_is_placed_afresh():
    # Walk E: the detach was numbered in a leader's view (I0125) while the stored run had given that number to
    # another letter (a 违规占用耕地 letter): the next run put both in one group, labelled with both letters' words.
    letters, _first, res, detach = _detached_d04()
    alone = res.issue_of["D04"]
    other = next(lt.letter_id for lt in letters if lt.letter_id.startswith("S"))
    stored = {**res.issue_of, other: alone}
    for keep in (True, False):
        again = analyse(letters, decisions=(detach,), previous_assignment=stored, keep_previous=keep)
        assert again.cluster(alone).case_nos == ("D04",), keep
        assert again.issue_of[other] != alone, keep


def test_a_later_letter_of_the_same_petitioner_does_not_follow_a_detached_letter():
    letters, first, _res, _detach = _detached_d04()
    res = apply_decision(first, Decision("detach", letter_ids=("D01",)))
    detach = res.decisions[-1]
    again = analyse(letters, decisions=(detach,))
    assert again.cluster(again.issue_of["D01"]).case_nos == ("D01",)
    assert again.issue_of["D05"] != again.issue_of["D01"]


def test_a_leader_may_still_move_a_letter_into_a_detached_letters_group():
    letters, _first, res, detach = _detached_d04()
    alone = res.issue_of["D04"]
    moved = apply_decision(res, Decision("move", letter_ids=("D02",), target=alone))
    again = analyse(letters, decisions=moved.decisions, previous_assignment=moved.issue_of)
    assert set(again.cluster(alone).case_nos) == {"D04", "D02"}
    assert detach in again.decisions
