"""恢复自动分组 (walk defect M2): a letter moved out, moved in or split off by hand can be handed back to the engine.

Before, a letter detached by mistake stayed on its own for good: the detach decision was replayed by every later
analysis and its stored singleton was kept. Restoring removes the decisions that place it (audited), keeps every
other letter's decisions and ids exactly, and places the letter afresh, so it goes back to the group it matches.
"""

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from planner.analysis import Decision, Letter
from planner.errors import NotFoundError
from planner.store import clusters as store
from planner.store.models import AuditRow, CaseRow, ClusterDecision

DATA = Path(__file__).parent / "data" / "cluster_dev.csv"


def _letters():
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        Letter(r["id"], r["text"], dt.date.fromisoformat(r["received_date"]), address=r["address"],
               petitioner_key=r["petitioner_key"])
        for r in rows
    ]


@pytest.fixture()
def letters(session):
    out = _letters()
    for lt in out:
        session.add(CaseRow(case_no=lt.letter_id, received_date=lt.received_date,
                            deadline=lt.received_date + dt.timedelta(days=60), content=lt.text))
    session.flush()
    return out


def _actions(session):
    return [(d.action, list(d.letter_ids), d.target) for d in store.load_decisions(session)]


def test_a_detached_letter_goes_back_to_its_group_and_stays_there(session, letters):
    first = store.recluster(session, letters)
    deposit = first.issue_of["D01"]
    assert first.issue_of["D04"] == deposit
    res = store.decide(session, first, Decision("detach", letter_ids=("D04",)), who="zuzhang1")
    session.commit()
    assert res.issue_of["D04"] != deposit
    # Re-analysis keeps the mistake: the decision and the stored singleton are replayed.
    assert store.recluster(session, letters).issue_of["D04"] != deposit
    session.commit()

    restored, changed = store.restore_automatic(session, letters, ["D04"], who="zuzhang1")
    session.commit()
    assert changed == 1
    assert restored.issue_of["D04"] == deposit
    assert store.load_decisions(session) == []
    audit = session.scalars(select(AuditRow).where(AuditRow.action == "cluster_restore")).one()
    assert audit.case_nos == ["D04"] and audit.reason == "关联分析：恢复自动分组"
    again = store.recluster(session, letters)
    assert again.issue_of["D04"] == deposit
    assert again.issue_of == restored.issue_of


def test_restoring_one_letter_keeps_every_other_decision_and_id(session, letters):
    first = store.recluster(session, letters)
    lowinc = first.issue_of["L01"]
    res = store.decide(session, first, Decision("detach", letter_ids=("D02", "D04", "D05")), who="a")
    res = store.decide(session, res, Decision("move", letter_ids=("S01", "D06"), target=lowinc), who="b")
    session.commit()
    ids_before = {x: res.issue_of[x] for x in ("D02", "D05", "S01")}
    assert len(set(ids_before.values())) == 3

    restored, changed = store.restore_automatic(session, letters, ["D04", "D06"], who="c")
    session.commit()
    assert changed == 2
    # The detach lost its middle letter: the two others keep their own ids, in the same order of replay.
    d02, d05 = ids_before["D02"], ids_before["D05"]
    assert _actions(session) == [("detach", ["D02"], d02), ("detach", ["D05"], d05), ("move", ["S01"], lowinc)]
    assert [r.who for r in session.scalars(select(ClusterDecision).order_by(ClusterDecision.id))] == ["a", "a", "b"]
    for lid, cid in ids_before.items():
        assert restored.issue_of[lid] == cid, lid
    assert restored.issue_of["D04"] == first.issue_of["D01"]
    assert restored.issue_of["D06"] == first.issue_of["D06"] != lowinc


def test_restore_of_an_unknown_letter_is_refused(session, letters):
    store.recluster(session, letters)
    with pytest.raises(NotFoundError, match="没有这些信件：NOPE"):
        store.restore_automatic(session, letters, ["NOPE"])


def test_decisions_version_changes_when_a_decision_is_rewritten(session, letters):
    first = store.recluster(session, letters)
    store.decide(session, first, Decision("detach", letter_ids=("D02", "D04")))
    session.flush()
    before = store.decisions_version(session)
    store.restore_automatic(session, letters, ["D04"])
    after = store.decisions_version(session)
    assert before != after and before.split(":")[0] == after.split(":")[0]  # same count, other content
