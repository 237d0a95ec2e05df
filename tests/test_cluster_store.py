"""Tests of planner.store.clusters: clusters and manual decisions persist and are respected by later runs."""

import csv
import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from planner.analysis import Decision, Letter
from planner.store import clusters as store
from planner.store.models import CaseRow, ClusterDecision, ClusterMember, ClusterRow

DATA = Path(__file__).parent / "data" / "cluster_dev.csv"


def _letters():
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        Letter(r["id"], r["text"], dt.date.fromisoformat(r["received_date"]), address=r["address"],
               petitioner_key=r["petitioner_key"])
        for r in rows
    ]


def _add_cases(session, letters):
    for lt in letters:
        session.add(CaseRow(case_no=lt.letter_id, received_date=lt.received_date,
                            deadline=lt.received_date + dt.timedelta(days=60), content=lt.text))
    session.flush()


def test_recluster_saves_and_keeps_ids_and_decisions(session):
    letters = _letters()
    _add_cases(session, letters)
    first = store.recluster(session, letters)
    session.commit()
    n_issue = session.scalar(select(func.count()).select_from(ClusterRow).where(ClusterRow.kind == "issue"))
    assert n_issue == len(first.issues)
    assert store.load_assignment(session) == first.issue_of
    deposit = session.get(ClusterRow, first.issue_of["D01"])
    assert deposit.systemic and sorted(deposit.info["county_codes"]) == ["350605", "350627", "350628", "350629"]
    stmt = select(func.count()).select_from(ClusterMember).where(ClusterMember.cluster_id == deposit.id)
    members = session.scalar(stmt)
    assert members == 6

    # A person detaches D04 and merges 采砂 into 低保; both decisions are stored.
    res = store.decide(session, first, Decision("detach", letter_ids=("D04",)), who="tester")
    res = store.decide(session, res, Decision("merge", source=res.issue_of["S01"], target=res.issue_of["L01"]))
    session.commit()
    assert session.scalar(select(func.count()).select_from(ClusterDecision)) == 2
    detached_id = res.issue_of["D04"]

    # A later run with a new letter keeps every id and respects the decisions.
    new = Letter("Z1", "岸头村沙滩非法采砂，挖砂船天天作业", dt.date(2026, 7, 1), address="漳浦县佛昙镇岸头村")
    _add_cases(session, [new])
    again = store.recluster(session, [*letters, new])
    session.commit()
    for lid, cid in res.issue_of.items():
        assert again.issue_of[lid] == cid, lid
    assert again.issue_of["D04"] == detached_id != again.issue_of["D01"]
    assert again.issue_of["Z1"] == again.issue_of["L01"]
    assert store.load_assignment(session)["Z1"] == again.issue_of["Z1"]
