"""Settled letters whose words a later register changed: said to the leader, never reopened silently.

Walk W11: ZZ-XF-2026-0049, already 已化解, gained a new allegation (另反映其侄子违规承包村集体鱼塘) when the register
was imported again, and stayed 已化解 with nothing said. The import records each change (``import_update`` in the
letter's history, old and new values); a letter that is 已化解, 已澄清 or 已办结 and whose content, title, 被反映人,
被反映单位 or 问题类别 an import changed after it was settled is flagged until someone who plans marks it read
(``register_update_seen``, in the same history). Whether to handle it again is theirs to decide.

Public API
----------
``settled_updates(session, case_nos=None, actor=None) -> dict[str, SettledUpdate]``
    The flagged letters with what changed (identities masked).
``mark_seen(session, case_no, who) -> None``
    Mark a letter's flag read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus
from planner.store.models import CaseHistory, CaseRow

#: Fields that say what a letter is about (an address change of a letter on a plan: planner.store.moved_letters).
CONTENT_FIELDS = {"content": "反映内容", "title": "标题", "reported_persons": "被反映人",
                  "reported_units": "被反映单位", "category": "问题类别"}
#: The history action that marks a flag read.
SEEN = "register_update_seen"
_CLOSED = tuple(s.value for s in CaseStatus if not s.is_open)


@dataclass(frozen=True, slots=True)
class SettledUpdate:
    """A settled letter (``status``) and what the imports since it was settled changed of its words."""

    case_no: str
    status: CaseStatus
    changes: tuple[str, ...]  # ``登记表 b.xlsx 第 50 行（2026-12-07 09:30）：反映内容 新增“……”``
    last_id: int  # the latest import_update entry flagged (what mark_seen covers)

    def text(self) -> str:
        """``登记表更新了已办结信访件的内容：ZZ-XF-2026-0049（已化解）……`` for 回访跟踪."""
        return (f"登记表更新了已办结信访件的内容：{self.case_no}（{self.status.label}）在办结后，"
                + "；".join(self.changes) + "。本件仍为“" + self.status.label
                + "”，未自动重新打开：请组长阅后决定是否重新办理（改状态、安排走访或回访）。")


def _words(value: object) -> str:
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value or "")


def _change(label: str, old: str, new: str) -> str:
    if old and new.startswith(old):
        return f"{label}新增“{new[len(old):].strip().rstrip('。')}”"
    return f"{label}由“{old or '（空）'}”改为“{new or '（空）'}”"


def settled_updates(session: Session, case_nos: Iterable[str] | None = None, *,
                    actor: object = None) -> dict[str, SettledUpdate]:
    """The letters (of ``case_nos``, all when None; those ``actor`` may see) that are settled now and whose words an
    import changed after they were settled, not yet marked read.

    A letter's settling is its latest status change (or, imported already settled, its creation). The changes are
    read from the ``import_update`` history entries; the letters' petitioner names and numbers are masked in them.

    Returns
    -------
    dict[str, SettledUpdate]
        By case number, in case-number order.
    """
    from planner.followup.common import _visible
    from planner.office.clock import show_time
    from planner.office.privacy import field_text
    from planner.store.cases import petitioner_names

    q = select(CaseRow.id, CaseRow.case_no, CaseRow.status, CaseRow.created_at).where(CaseRow.status.in_(_CLOSED))
    if case_nos is not None:
        wanted = set(case_nos)
        if not wanted:
            return {}
        q = q.where(CaseRow.case_no.in_(wanted))
    rows = {r.id: r for r in session.execute(_visible(q, actor))}
    if not rows:
        return {}
    entries: dict[int, list[CaseHistory]] = {}
    for h in session.scalars(select(CaseHistory).where(
            CaseHistory.case_id.in_(list(rows)),
            CaseHistory.action.in_(("status", "import_update", SEEN))).order_by(CaseHistory.at, CaseHistory.id)):
        entries.setdefault(h.case_id, []).append(h)
    found: dict[str, tuple[CaseRow, list[tuple[CaseHistory, dict]]]] = {}
    for cid, hs in entries.items():
        row = rows[cid]
        since: dt.datetime | None = row.created_at
        seen_id = 0
        updates: list[tuple[CaseHistory, dict]] = []
        for h in hs:
            if h.action == "status":
                since, updates = h.at, []
            elif h.action == SEEN:
                seen_id = max(seen_id, int((h.detail or {}).get("upto") or 0))
            elif str(((h.detail or {}).get("changed") or {}).get("status", {}).get("new") or "") in _CLOSED:
                since, updates = h.at, []  # the register closed it: its words as of then are what was settled
            elif since is None or h.at >= since:
                changed = {k: v for k, v in ((h.detail or {}).get("changed") or {}).items() if k in CONTENT_FIELDS}
                if changed:
                    updates.append((h, changed))
        updates = [(h, c) for h, c in updates if h.id > seen_id]
        if updates:
            found[row.case_no] = (row, updates)
    names = petitioner_names(session, set(found))
    out = {}
    for no in sorted(found):
        row, updates = found[no]
        said = []
        for h, changed in updates:
            d = h.detail or {}
            parts = [_change(CONTENT_FIELDS[k], field_text(_words(v.get("old")), names.get(no, ())),
                             field_text(_words(v.get("new")), names.get(no, ())))
                     for k, v in changed.items() if isinstance(v, dict)]
            said.append(f"登记表 {d.get('file', '')} 第 {d.get('row', '')} 行（{show_time(h.at)} 导入）："
                        + "，".join(parts))
        out[no] = SettledUpdate(no, CaseStatus(row.status), tuple(said), max(h.id for h, _ in updates))
    return out


def mark_seen(session: Session, case_no: str, who: str) -> None:
    """Mark ``case_no``'s flag read by ``who`` (the imports flagged so far; a later one flags it again)."""
    flagged = settled_updates(session, [case_no]).get(case_no)
    if flagged is None:
        return
    case_id = session.scalar(select(CaseRow.id).where(CaseRow.case_no == case_no))
    session.add(CaseHistory(case_id=case_id, who=who[:100], action=SEEN,
                            detail={"upto": flagged.last_id, "note": "已阅登记表对已办结信访件的更新"}))
    session.flush()
