"""Audit rows of 关联分析's manual decisions name the letters and the groups they left and joined (browser walk:
moves, detaches and splits were stored with an empty source; a merge named neither group nor letter)."""

from sqlalchemy import select

from planner.analysis import Decision
from planner.store import clusters as store
from planner.store.models import AuditRow
from tests.test_cluster_store import _add_cases, _letters


def test_every_decision_audits_its_letters_and_groups_from_and_to(session):
    letters = _letters()
    _add_cases(session, letters)
    res = store.recluster(session, letters)
    session.commit()
    deposit, land, sand = res.issue_of["D01"], res.issue_of["L01"], res.issue_of["S01"]
    res = store.decide(session, res, Decision("move", letter_ids=("D04",), target=land), who="组长甲")
    res = store.decide(session, res, Decision("detach", letter_ids=("D03",)), who="组长甲")
    res = store.decide(session, res, Decision("split", letter_ids=("D05", "D06")), who="组长甲")
    sand_letters = sorted(n for n, cid in res.issue_of.items() if cid == sand)
    res = store.decide(session, res, Decision("merge", source=sand, target=land), who="组长甲")
    session.commit()
    rows = session.scalars(select(AuditRow).where(AuditRow.action.like("cluster_%")).order_by(AuditRow.id)).all()
    move, detach, split, merge = rows
    assert move.case_nos == ["D04"] and move.detail["source"] == deposit and move.detail["target"] == land
    assert "D04 原在「" in move.reason and "移入「" in move.reason and deposit not in move.reason  # words (test_f13)
    assert detach.case_nos == ["D03"] and detach.detail["source"] == deposit
    assert detach.detail["target"] == res.issue_of["D03"] != deposit
    assert split.case_nos == ["D05", "D06"] and split.detail["source"] == deposit
    assert split.detail["target"] == res.issue_of["D05"] not in ("", deposit)
    assert sorted(merge.case_nos) == sand_letters and sand_letters
    assert merge.detail["source"] == sand and merge.detail["target"] == land
    assert "并入「" in merge.reason and sand not in merge.reason and land not in merge.reason  # words (test_f13)


def test_a_rejection_audits_the_two_groups_it_keeps_apart_not_a_move(session):
    # Walk W5: 判定不是同一问题 read "(I0006、I0033 → I0006、I0033)", as if letters had moved.
    letters = _letters()
    _add_cases(session, letters)
    res = store.recluster(session, letters)
    session.commit()
    deposit, land = res.issue_of["D01"], res.issue_of["L01"]
    store.decide(session, res, Decision("unlink", letter_ids=("D01", "L01")), who="组长甲")
    session.commit()
    row = session.scalars(select(AuditRow).where(AuditRow.action == "cluster_unlink")).one()
    assert "→" not in row.reason
    assert "D01 所在的「" in row.reason and "与L01 所在的「" in row.reason  # words (test_f13)
    assert deposit not in row.reason and land not in row.reason
    assert "保持分开" in row.reason
