"""恢复自动分组 counts the adjustments it undid: a letter's own move, not another letter's move or detach that named
it only as a member of the group it joined or left (browser walk: one letter restored, 撤销人工调整 3 处)."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Decision, Letter
from planner.store import clusters as store
from planner.store.models import CaseRow

DAY = dt.date(2026, 10, 5)
ROWS = [
    ("华安县仙都镇大地村", "大地村的村干部每月给自己发误工补贴，每人五六百，村民代表会从来没讨论过。"),
    ("华安县仙都镇大地村", "我们大地村两委用集体收入给自己发加班费，端午中秋还各发一千块过节费。"),
    ("龙海区紫泥镇锦田村", "锦田村的垃圾站建在水源边上，臭气熏天，夏天苍蝇成群。"),
    ("南靖县书洋镇田中村", "田中村村委会把村里的山林卖给老板，价钱很低，村民不知情。"),
    ("漳浦县盘陀镇和美村", "和美村村委自己给自己发补贴，名目叫误工费"),
    ("漳浦县盘陀镇和美村", "和美村干部中秋国庆自行发放慰问金给村干部本人"),
]


def test_restoring_a_letter_counts_its_own_adjustments_only(session) -> None:
    letters = [Letter(f"R{k}", t, DAY + dt.timedelta(days=k), address=a) for k, (a, t) in enumerate(ROWS)]
    for lt in letters:
        session.add(CaseRow(case_no=lt.letter_id, received_date=lt.received_date,
                            deadline=lt.received_date + dt.timedelta(days=60), content=lt.text,
                            address_text=lt.address))
    session.flush()
    first = store.recluster(session, letters)
    dadi = first.issue_of["R0"]
    assert first.issue_of["R1"] == dadi
    # R2 added to 大地村's group (R0 and R1 named as its members), then detached; then R1 moved to 和美村's group.
    res = store.decide(session, first, Decision("move", letter_ids=("R2",), target=dadi), who="组长甲")
    res = store.decide(session, res, Decision("detach", letter_ids=("R2",)), who="组长甲")
    res = store.decide(session, res, Decision("move", letter_ids=("R1",), target=res.issue_of["R4"]), who="组长甲")
    session.commit()
    assert {d.action for d in store.load_decisions(session) if "R1" in d.anchors} == {"move", "detach"}
    restored, changed = store.restore_automatic(session, letters, ["R1"], who="组长甲")
    session.commit()
    assert changed == 1  # R1's own move; R2's two adjustments are kept
    kept = store.load_decisions(session)
    assert [(d.action, d.letter_ids) for d in kept] == [("move", ("R2",)), ("detach", ("R2",))]
    assert restored.issue_of["R1"] == restored.issue_of["R0"]
    assert restored.issue_of["R2"] != restored.issue_of["R0"]
