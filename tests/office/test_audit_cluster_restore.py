"""The audit row of 恢复自动分组 names the group a letter left and the group it went back to, as a merge's, split's or
move's row names its groups (admin's walk: 关联分析：恢复自动分组，涉及信访件 ZX2026-057 and no group)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.analysis import Decision
from planner.office import audit
from planner.store import clusters as store
from planner.store.models import AuditRow, CaseRow
from tests.test_cluster_restore import _letters

AT = dt.datetime(2026, 12, 7, 0, 30, tzinfo=dt.UTC)


def _said(detail: dict, case_nos: list[str]) -> str:
    return audit.describe({"at": AT, "username": "wang", "action": "cluster_restore", "case_nos": case_nos,
                           "reason": "关联分析：恢复自动分组", "detail": detail})


def test_the_restore_row_names_the_group_left_and_the_group_gone_back_to(session) -> None:
    letters = _letters()
    for lt in letters:
        session.add(CaseRow(case_no=lt.letter_id, received_date=lt.received_date,
                            deadline=lt.received_date + dt.timedelta(days=60), content=lt.text))
    session.flush()
    first = store.recluster(session, letters)
    deposit = first.issue_of["D01"]
    res = store.decide(session, first, Decision("detach", letter_ids=("D04",)), who="zuzhang1")
    alone = res.issue_of["D04"]
    assert alone != deposit
    session.commit()

    restored, _ = store.restore_automatic(session, letters, ["D04"], who="zuzhang1")
    session.commit()
    assert restored.issue_of["D04"] == deposit
    row = session.scalars(select(AuditRow).where(AuditRow.action == "cluster_restore")).one()
    assert row.detail["from"] == [alone] and row.detail["to"] == [deposit]
    text = audit.describe({"at": row.at, "username": row.username, "action": row.action,
                           "case_nos": row.case_nos, "reason": row.reason, "detail": row.detail})
    # The groups in words as shown then, not by id (walk W19, test_f13): the letter was on its own.
    back = restored.cluster(deposit)
    went = f"单独一件 → 「{back.label}」（调整后 {back.size} 件）"
    assert f"关联分析：恢复自动分组（{went}），涉及信访件 D04" in text, text
    assert alone not in text and deposit not in text


def test_letters_gone_different_ways_are_named_one_by_one() -> None:
    moves = [{"case_no": "ZX-1", "from": "I0004", "to": "I0001", "alone": False},
             {"case_no": "ZX-2", "from": "I0004", "to": "I0009", "alone": True},
             {"case_no": "ZX-3", "from": "I0002", "to": "I0002", "alone": False}]
    text = _said({"moves": moves}, ["ZX-1", "ZX-2", "ZX-3"])
    assert "恢复自动分组（ZX-1：I0004 → I0001；ZX-2：I0004 → I0009，单独一件；ZX-3：仍在 I0002）" in text, text


def test_an_older_row_without_the_groups_still_reads() -> None:
    text = _said({"decisions_changed": 1}, ["ZX-1"])
    assert "关联分析：恢复自动分组，涉及信访件 ZX-1。" in text and "{" not in text
