"""Audit log: who did what, when, to which cases and why (unmasked views, exports, logins); no personal fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import XiafangError
from planner.office.logs import looks_personal, mask_personal_text
from planner.store.models import AuditRow

# Keys that would put identity into the audit log; the log says *that* identity was seen, never *what* it was.
FORBIDDEN_KEYS = frozenset(
    {"name", "phone", "id_number", "idnumber", "id_no", "petitioner", "petitioner_name", "mobile", "tel",
     "姓名", "电话", "手机", "身份证", "身份证号", "信访人", "举报人", "联系电话"}
)  # fmt: skip


class PersonalDataError(XiafangError):
    """A programming error: personal fields were about to be written to the audit log."""


def _clean(value: object, path: str) -> object:
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if str(key).strip().lower() in FORBIDDEN_KEYS:
                # The message names the key only: echoing the value would leak it into the traceback.
                raise PersonalDataError(
                    f"detail: key {path + str(key)!r} would store a personal field in the audit log"
                )
            out[str(key)] = _clean(item, f"{path}{key}.")
        return out
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_clean(v, path) for v in value]
    if isinstance(value, str):
        return mask_personal_text(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return mask_personal_text(str(value))


def record(
    session: Session,
    actor: object,
    action: str,
    *,
    case_nos: Iterable[str] = (),
    reason: str = "",
    detail: Mapping | None = None,
) -> AuditRow:
    """Add an audit row to ``session`` (flushed; the caller's transaction commits it).

    Parameters
    ----------
    session
        Open session.
    actor
        A :class:`planner.office.security.Actor` (its ``username`` is stored) or a user name.
    action
        Short verb such as ``unmask_view``, ``export``, ``login``, ``import``.
    case_nos
        The cases concerned.
    reason
        Why (free text; phone/ID-number-like text is masked).
    detail
        JSON-able extras; keys naming personal fields are refused.

    Returns
    -------
    AuditRow

    Raises
    ------
    PersonalDataError
        When ``detail`` holds a personal-field key.
    """
    if not action or len(action) > 50:
        raise XiafangError(f"action: expected 1..50 characters, got {action!r}")
    username = getattr(actor, "username", None) or str(actor or "")
    cleaned = _clean(dict(detail or {}), "")
    nos = [mask_personal_text(str(n)) for n in case_nos]
    reason = mask_personal_text(reason or "")
    row = AuditRow(
        at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        username=str(username)[:100],
        action=action,
        case_nos=nos,
        reason=reason,
        detail=cleaned,
    )
    # Defence in depth: whatever path built the row, nothing phone/ID-like may reach the table.
    if looks_personal(reason) or any(looks_personal(n) for n in nos) or looks_personal(str(cleaned)):
        raise PersonalDataError(f"audit row for action {action!r} still holds phone/ID-like text")
    session.add(row)
    session.flush()
    return row


def recent(session: Session, *, limit: int = 200, action: str | None = None, username: str | None = None) -> list[dict]:
    """The latest audit rows as dicts, newest first (for the 用户管理 page and reports)."""
    stmt = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit)
    if action:
        stmt = stmt.where(AuditRow.action == action)
    if username:
        stmt = stmt.where(AuditRow.username == username)
    return [
        {"at": r.at, "username": r.username, "action": r.action, "case_nos": list(r.case_nos or ()),
         "reason": r.reason, "detail": dict(r.detail or {})}
        for r in session.scalars(stmt)
    ]  # fmt: skip
