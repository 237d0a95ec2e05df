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


def test_per_letter_actions_survive_a_rerun_and_a_new_import_and_are_audited(session):
    from planner.store.models import AuditRow

    letters = _letters()
    _add_cases(session, letters)
    first = store.recluster(session, letters)
    session.commit()
    deposit, land = first.issue_of["D01"], first.issue_of["L01"]
    lone = next(lid for lid, cid in first.issue_of.items() if cid not in (deposit, land)
                and list(first.issue_of.values()).count(cid) == 1)
    # Add a lone letter to the deposit group, move D04 out of it into 低保, confirm and reject near misses.
    res = store.decide(session, first, Decision("move", letter_ids=(lone,), target=deposit), who="组长甲")
    res = store.decide(session, res, Decision("move", letter_ids=("D04",), target=land), who="组长甲")
    res = store.decide(session, res, Decision("unlink", letter_ids=("D01", "D02")), who="组长甲")
    session.commit()
    assert res.issue_of[lone] == deposit and res.issue_of["D04"] == land
    audited = session.scalars(select(AuditRow).where(AuditRow.action.like("cluster_%")).order_by(AuditRow.id)).all()
    assert [a.action for a in audited] == ["cluster_move", "cluster_move", "cluster_unlink"]
    assert audited[0].username == "组长甲" and audited[0].case_nos == [lone] and audited[0].detail["target"] == deposit

    # A re-run of the same register, then a new import: the actions hold and every other id is kept.
    again = store.recluster(session, letters)
    session.commit()
    assert again.issue_of[lone] == deposit and again.issue_of["D04"] == land
    new = [
        Letter("N1", "长泰区岩溪镇林业站收取桉树砍伐保证金不退，林农意见大。", dt.date(2026, 8, 1),
               address="长泰区岩溪镇"),
        Letter("N2", "本村低保评定不公开，村干部亲属吃低保。", dt.date(2026, 8, 2), address="平和县山格镇土田村"),
    ]
    _add_cases(session, new)
    later = store.recluster(session, [*letters, *new])
    session.commit()
    assert later.issue_of[lone] == deposit and later.issue_of["D04"] == land
    assert ("D01", "D02") in {d.pair() for d in store.load_decisions(session) if d.action == "unlink"}
    for lid, cid in again.issue_of.items():
        assert later.issue_of[lid] == cid, lid
    assert store.load_assignment(session)[lone] == deposit
