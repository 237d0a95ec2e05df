"""Walk E: group numbers stick to their groups — a decision made in a view that was not saved, then the run that
saves every letter, shows the numbers the leader saw."""

import datetime as dt

from planner.analysis import Decision
from planner.store import clusters as store
from planner.store.models import CaseRow
from tests.test_cluster_restore import _letters


def _add_cases(session, letters):
    for lt in letters:
        session.add(CaseRow(case_no=lt.letter_id, received_date=lt.received_date,
                            deadline=lt.received_date + dt.timedelta(days=60), content=lt.text))
    session.flush()


def _groups(result) -> dict[frozenset, str]:
    return {frozenset(c.case_nos): c.cluster_id for c in result.issues}


def test_a_decision_in_an_unsaved_view_keeps_the_numbers_the_leader_saw(session):
    # Walk E: a leader's view (not saved: a leader's part of the letters never replaces the office's clusters) was
    # the first analysis; the leader moved a letter into 桉树保证金 (I0006) and the run saved after it numbered every
    # other group afresh after I0006 (山林 I0001 -> I0007, 低保 I0002 -> I0008 ...).
    letters = _letters()
    _add_cases(session, letters)
    view = store.recluster(session, letters, save=False)
    assert store.load_assignment(session) == {}
    target = view.issue_of["D01"]
    stray = next(lt.letter_id for lt in letters if view.issue_of[lt.letter_id] != target
                 and view.cluster(view.issue_of[lt.letter_id]).size == 1)
    moved = store.decide(session, view, Decision("move", letter_ids=(stray,), target=target), save=False)
    saved = store.recluster(session, letters, keep=moved.issue_of)
    session.commit()
    assert saved.issue_of == moved.issue_of
    assert store.load_assignment(session) == moved.issue_of
    # A detach in the same view then gets a number no stored group has.
    view2 = store.recluster(session, letters, save=False)
    detached = store.decide(session, moved, Decision("detach", letter_ids=("D04",)), save=False)
    again = store.recluster(session, letters, keep=detached.issue_of)
    assert again.cluster(detached.issue_of["D04"]).case_nos == ("D04",)
    assert again.issue_of == detached.issue_of
    assert view2.issue_of == moved.issue_of


def test_a_detach_in_a_view_numbered_on_its_own_gets_a_number_no_stored_group_has(session):
    from planner.analysis import analyse

    letters = _letters()
    _add_cases(session, letters)
    stored = store.recluster(session, letters)
    # A view of part of the letters numbered without the stored run (as a leader's first view was, before anything
    # was stored): its next number is one the stored run has given to a group already.
    view = analyse([lt for lt in letters if lt.letter_id.startswith("D")])
    assert view._state.next_number <= max(int(c[1:]) for c in stored.issue_of.values())
    detached = store.decide(session, view, Decision("detach", letter_ids=("D04",)), save=False)
    new_id = detached.issue_of["D04"]
    assert new_id not in set(stored.issue_of.values())
    again = store.recluster(session, letters)
    assert again.cluster(new_id).case_nos == ("D04",)
