"""Walk W19: the audit log's 关联分析 rows named only group ids (I0032、I0086、I0026 → I0017), not which letters moved,
and an id meant one letter's group, later another's. Each row now names the letters by case number and each group by
its words and size as shown then; a row stored before keeps its old sentence."""

import re

from sqlalchemy import select

from planner.analysis import Decision
from planner.office import audit
from planner.store import clusters as store
from planner.store.models import AuditRow
from tests.test_cluster_store import _add_cases, _letters

GROUP_ID = re.compile(r"I\d{3,}")


def _said(session) -> dict[str, str]:
    said: dict[str, str] = {}
    for e in audit.recent(session, limit=50):  # newest first: the latest row of each action
        if e["action"].startswith("cluster_"):
            said.setdefault(e["action"], audit.describe(e))
    return said


def _words(res, cid: str, when: str = "原") -> str:
    c = res.cluster(cid)
    return f"「{c.label}」（{when} {c.size} 件）"


def test_every_adjustment_names_its_letters_and_groups_in_words(session):
    letters = _letters()
    _add_cases(session, letters)
    res = store.recluster(session, letters)
    session.commit()
    deposit, land, sand = res.issue_of["D01"], res.issue_of["L01"], res.issue_of["S01"]
    first = res
    res = store.decide(session, res, Decision("move", letter_ids=("D04",), target=land), who="组长甲")
    moved = res
    res = store.decide(session, res, Decision("detach", letter_ids=("D03",)), who="组长甲")
    before_split = res
    res = store.decide(session, res, Decision("split", letter_ids=("D05", "D06")), who="组长甲")
    before_merge = res
    res = store.decide(session, res, Decision("merge", source=sand, target=land), who="组长甲")
    session.commit()
    said = _said(session)
    assert said["cluster_move"].endswith(
        f"移入另一组：D04 原在{_words(first, deposit)}，移入{_words(moved, land, '调整后')}。"), said
    assert f"D03 原在{_words(moved, deposit)}，各自移出为单独一件" in said["cluster_detach"]
    new = res.issue_of["D05"]
    assert (f"D05、D06 原在{_words(before_split, deposit)}，拆分为新的一组{_words(before_merge, new, '调整后')}"
            in said["cluster_split"])
    assert (f"{_words(before_merge, sand)}并入{_words(before_merge, land)}，合并后共 {res.cluster(land).size} 件"
            in said["cluster_merge"]) and "涉及信访件 S0" in said["cluster_merge"]
    for text in said.values():
        assert not GROUP_ID.search(text), text
    for row in session.scalars(select(AuditRow).where(AuditRow.action.like("cluster_%"))):
        assert not GROUP_ID.search(row.reason), row.reason
        assert row.detail["source"]  # the ids stay in the detail, a secondary reference
    # A row stored before the words were keeps its sentence with the ids.
    audit.record(session, "组长甲", "cluster_move", case_nos=["D04"], reason="关联分析：信件移入另一组：I0001 → I0002",
                 detail={"source": "I0001", "target": "I0002", "from": ["I0001"], "to": ["I0002"]})
    session.commit()
    assert "（I0001 → I0002）" in _said(session)["cluster_move"]


def test_a_confirmed_or_rejected_pair_and_a_restore_name_the_letters_and_groups(session):
    letters = _letters()
    _add_cases(session, letters)
    res = store.recluster(session, letters)
    session.commit()
    deposit, land = res.issue_of["D01"], res.issue_of["L01"]
    first = store.decide(session, res, Decision("unlink", letter_ids=("D01", "L01")), who="组长甲")
    res = store.decide(session, res, Decision("detach", letter_ids=("D02",)), who="组长甲")
    store.restore_automatic(session, letters, ["D02"], who="组长甲")
    session.commit()
    said = _said(session)
    assert (f"D01 所在的{_words(first, deposit)}与L01 所在的{_words(first, land)}不是同一问题，两组保持分开"
            in said["cluster_unlink"]), said
    assert "单独一件 → 「" in said["cluster_restore"], said
    for text in said.values():
        assert not GROUP_ID.search(text), text

