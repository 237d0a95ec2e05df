"""Who corrected a recorded visit after the officer, for the phone's 行程 (walk W17).

Walk W17: the coordinator changed a visit's 认定 from 不实 to 属实 on 回访跟踪; the officer's phone still read
已登记：已走访 · 入户 4 户次 — no 认定, and no sign anyone else had touched the record. The card now says the record as
it stands (with its 认定, :meth:`planner.field.day.StopRecord.text`) and, under it, the office's last correction:
``协调员 郑晓彤（xtc） 12-07 08:16 更正了认定、核查情况``. Only field names, never their contents: nothing of a
petitioner's identity is said that the officer's own form does not show.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

#: The roles whose corrections are the office's (an officer's own or a teammate's edits are not said).
OFFICE_ROLES = ("leader", "coordinator", "admin")


def office_corrections(session: Session, outcome_ids: Iterable[int]) -> dict[int, str]:
    """Outcome id -> ``协调员 郑晓彤（xtc） 12-07 08:16 更正了认定、核查情况（共 2 次）`` for the records a leader,
    coordinator or administrator corrected (the last correction; how many there were when more than one)."""
    from planner.followup.outcome_basis import FIELD_LABELS
    from planner.office.authorisation import ROLE_LABELS
    from planner.office.clock import show_time
    from planner.store.lifecycle import account_labels
    from planner.store.models import RecordHistory, UserRow

    ids = sorted({int(i) for i in outcome_ids})
    if not ids:
        return {}
    roles = dict(session.execute(select(UserRow.username, UserRow.role)
                                 .where(UserRow.role.in_(OFFICE_ROLES))).all())
    if not roles:
        return {}
    found: dict[int, list] = {}
    for h in session.scalars(select(RecordHistory).where(
            RecordHistory.kind == "outcome", RecordHistory.record_id.in_(ids), RecordHistory.action == "corrected",
            RecordHistory.who.in_(list(roles))).order_by(RecordHistory.id)):
        found.setdefault(int(h.record_id), []).append(h)
    names = account_labels(session) if found else {}
    out: dict[int, str] = {}
    for rid, rows in found.items():
        last = rows[-1]
        # In the forms' order: 结果、认定、…、核查情况.
        fields = "、".join(dict.fromkeys(label for f, label in FIELD_LABELS.items() if f in (last.changes or {})))
        when = show_time(last.at)[5:]  # 12-07 08:16: the year is this season's
        more = f"（共 {len(rows)} 次）" if len(rows) > 1 else ""
        out[rid] = (f"{ROLE_LABELS.get(roles[last.who], '')} {names.get(last.who, last.who)} {when} "
                    f"更正了{fields or '记录'}{more}")
    return out
