"""Whose change moved a record on since a form loaded it (walk W17).

Walk W17: a coordinator's own correction of 034 (不实 → 属实) withdrew its 澄清函, and 回访跟踪 then said
"这条记录已被他人修改…保存会被拒绝" on that letter's correction form: the change was the coordinator's own save.
A form remembers :func:`last_change` of its record when it loads it; when the record's version has moved on,
:func:`only_own_changes` tells the page whether every change since was the user's own (reload quietly) or not.

Kind ``case`` is a letter itself (案件地图's 更正问题类别 and 校准位置, walk W20), by its case number: its lines
are its 办理记录 (``case_history``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.store.models import CaseHistory, CaseRow, RecordHistory


def _lines(kind: str, record_id: int | str) -> tuple[Any, Any, list]:
    """(the history table's id column, its who column, the conditions picking the record's lines)."""
    if kind == "case":
        case_id = select(CaseRow.id).where(CaseRow.case_no == str(record_id)).scalar_subquery()
        return CaseHistory.id, CaseHistory.who, [CaseHistory.case_id == case_id]
    return RecordHistory.id, RecordHistory.who, [RecordHistory.kind == kind, RecordHistory.record_id == int(record_id)]


def last_change(session: Session, kind: str, record_id: int | str) -> int:
    """The id of the latest line of the record's 修改记录 (0 when it has none)."""
    ident, _who, where = _lines(kind, record_id)
    return session.scalars(select(func.max(ident)).where(*where)).first() or 0


def only_own_changes(session: Session, kind: str, record_id: int | str, since: int, who: str) -> bool:
    """Whether the record's 修改记录 has lines after ``since`` and all of them are ``who``'s: the record moved on by
    that user's own saves only. A change with no line (or anyone else's) is not theirs."""
    ident, by, where = _lines(kind, record_id)
    whos = set(session.scalars(select(by).where(*where, ident > since)))
    return bool(who) and whos == {who}
