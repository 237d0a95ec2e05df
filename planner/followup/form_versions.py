"""Whose change moved a record on since a form loaded it (walk W17).

Walk W17: a coordinator's own correction of 034 (不实 → 属实) withdrew its 澄清函, and 回访跟踪 then said
"这条记录已被他人修改…保存会被拒绝" on that letter's correction form: the change was the coordinator's own save.
A form remembers :func:`last_change` of its record when it loads it; when the record's version has moved on,
:func:`only_own_changes` tells the page whether every change since was the user's own (reload quietly) or not.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.store.models import RecordHistory


def last_change(session: Session, kind: str, record_id: int) -> int:
    """The id of the latest line of the record's 修改记录 (0 when it has none)."""
    return session.scalars(select(func.max(RecordHistory.id)).where(
        RecordHistory.kind == kind, RecordHistory.record_id == int(record_id))).first() or 0


def only_own_changes(session: Session, kind: str, record_id: int, since: int, who: str) -> bool:
    """Whether the record's 修改记录 has lines after ``since`` and all of them are ``who``'s: the record moved on by
    that user's own saves only. A change with no line (or anyone else's) is not theirs."""
    whos = set(session.scalars(select(RecordHistory.who).where(
        RecordHistory.kind == kind, RecordHistory.record_id == int(record_id), RecordHistory.id > since)))
    return bool(who) and whos == {who}
