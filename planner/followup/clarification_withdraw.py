"""撤回 of an issued 澄清函 whose ground is gone (task S49b).

A 澄清函 says "经带信下访实地调查核实……反映的问题不属实": it rests on the case's visit found 反映不实. When a leader's
confirmed correction (:mod:`planner.followup.outcome_basis`) takes that finding away, the letter stayed 已澄清 and
统计 went on counting it. Now it is marked 已撤回 — who, when and why — in its history, the case's 办理记录 and
审计日志; 统计 no longer counts it; the case leaves 已澄清 when no letter stands; and a new 澄清函 may be issued
when a visit finds the report untrue again.

The issued document stays on record: an office keeps what it sent out (归档, and to tell the addressee the letter is
withdrawn), so a withdrawn letter can still be downloaded — as a copy headed in red 本函已撤回 (who, when, why) and
named 已撤回-…, never as a letter that could be sent again by mistake.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus, VisitResult
from planner.followup.common import _history, set_case_status
from planner.store.history import log_change
from planner.store.models import CaseHistory, CaseRow, ClarificationRow, VisitOutcomeRow

#: A letter's state as the pages say it.
ISSUED_LABEL = "已出具"
WITHDRAWN_LABEL = "已撤回"


def standing(stmt):
    """``stmt`` (a select over :class:`ClarificationRow`) limited to the letters not withdrawn."""
    return stmt.where(ClarificationRow.withdrawn_at.is_(None))


def letter_state(row: ClarificationRow) -> str:
    """已出具 or 已撤回."""
    return WITHDRAWN_LABEL if row.withdrawn_at is not None else ISSUED_LABEL


def finding_label(result: str, report_true: bool | None, report_partly: bool = False) -> str:
    """The 认定 a record states, as the forms say it: 反映不实 / 反映属实 / 反映部分属实 / 未认定 (or the result when
    nobody was met)."""
    if result != VisitResult.VISITED.value:
        return VisitResult(result).label
    if report_true is None:
        return "未认定反映问题是否属实"
    return "反映不实" if report_true is False else ("反映部分属实" if report_partly else "反映属实")


def withdrawal_text(session: Session, row: ClarificationRow) -> str:
    """``已于 2026-12-07 09:30 由 黄组长（lead） 撤回：<why>``, or ``""`` for a letter that stands."""
    from planner.office.clock import show_time
    from planner.store.lifecycle import account_label

    if row.withdrawn_at is None:
        return ""
    who = account_label(session, row.withdrawn_by) if row.withdrawn_by else "—"
    return f"已于 {show_time(row.withdrawn_at)} 由 {who} 撤回：{row.withdrawn_reason}"


def withdrawn_file_name(name: str) -> str:
    """The download name of a withdrawn letter: ``已撤回-澄清函-….docx``."""
    return f"{WITHDRAWN_LABEL}-{name}"


#: The part of a letter's file name that tells it from the case's earlier letters: ``…-第2份.docx``.
_PART = re.compile(r"-(第\d+份)\.docx$")


def letter_label(letter: Mapping[str, Any], letters: Iterable[Mapping[str, Any]] = ()) -> str:
    """How a page names one 澄清函 (a row of :func:`planner.followup.clarification.list_clarifications`):
    ``澄清函（李建国，2026-12-07）``, and with the part its file name has of its own when it is not the case's first
    letter (``澄清函（李建国，2026-12-07，第2份）``, as it downloads: ``…-第2份.docx``), so two letters of one cadre on
    one day are told apart (walk: both withdrawn ones read 澄清函（李建国，2026-12-07）).

    ``letters``: the case's letters; a letter without a file that shares its cadre and day with another is named by
    its place among them (in the order issued), the first keeping the plain name."""
    head, letters = f"{letter['cadre']}，{letter['issued_date'].isoformat()}", list(letters)
    if found := _PART.search(letter.get("document_name") or ""):
        return f"澄清函（{head}，{found.group(1)}）"
    ids = sorted(c["id"] for c in letters)
    twins = [c["id"] for c in letters if (c["cadre"], c["issued_date"]) == (letter["cadre"], letter["issued_date"])]
    if len(twins) > 1 and letter["id"] in ids and letter["id"] != min(twins):
        return f"澄清函（{head}，第{ids.index(letter['id']) + 1}份）"
    return f"澄清函（{head}）"


def withdrawn_note(gone: Iterable[Mapping[str, Any]], letters: Iterable[Mapping[str, Any]] = ()) -> str:
    """What 回访跟踪 says after a correction withdrew the letters ``gone`` (of the case's ``letters``), each named by
    :func:`letter_label`, in the order issued; ``""`` when none."""
    letters = list(letters)
    if not (names := [letter_label(c, letters) for c in sorted(gone, key=lambda c: c["id"])]):
        return ""
    return " " + "、".join(names) + "已标记为已撤回，不再计入统计；如再次认定反映不实，可在“澄清”标签重新出具。"


def withdraw_clarifications(session: Session, case: CaseRow, row: VisitOutcomeRow, letters: list[ClarificationRow],
                            *, who: str) -> None:
    """Mark ``letters`` 已撤回 because visit record ``row`` (just corrected by ``who``) no longer finds the report
    untrue: in each letter's history, the case's 办理记录 and 审计日志; the case leaves 已澄清 when no letter stands."""
    from planner.office import audit
    from planner.office.clock import utc_now

    if not letters:
        return
    found = finding_label(row.result, row.report_true, bool(row.report_partly))
    why = (f"所依据的走访记录 #{row.id}（{row.visit_date.isoformat()}）已更正为{found}，不再认定反映不实；"
           "本函不再计入澄清统计，如再次认定反映不实，可重新出具澄清函")
    now = utc_now()
    for c in letters:
        if c.withdrawn_at is not None:
            continue
        c.withdrawn_at, c.withdrawn_by, c.withdrawn_reason = now, who, why
        log_change(session, "clarification", c.id, who=who, action="withdrawn", case_id=case.id,
                   changes={"status": {"from": ISSUED_LABEL, "to": WITHDRAWN_LABEL}, "note": why})
        _history(session, case, who, "clarification_withdrawn", {"clarification_id": c.id, "cadre": c.cadre,
                                                                 "note": why})
        audit.record(session, who, "clarification_withdraw", case_nos=[case.case_no],
                     detail={"letter": c.id, "outcome": row.id, "issued_date": c.issued_date})
    session.flush()
    still = session.scalars(standing(select(ClarificationRow.id).where(ClarificationRow.case_id == case.id))).first()
    if still is None and CaseStatus(case.status) is CaseStatus.CLARIFIED:
        set_case_status(session, case.case_no, _status_without_letter(session, case), who=who,
                        note=f"澄清函已撤回（走访记录 #{row.id} 更正为{found}）")


def _status_without_letter(session: Session, case: CaseRow) -> CaseStatus:
    """Where a case stands once its only 澄清函 is withdrawn: 已化解 or 已下访 after its visits as they stand, else the
    status it had before it was visited or clarified."""
    rows = session.execute(select(VisitOutcomeRow.result, VisitOutcomeRow.problem_resolved)
                           .where(VisitOutcomeRow.case_id == case.id)).all()
    visited = [bool(resolved) for result, resolved in rows if result == VisitResult.VISITED.value]
    if any(visited):
        return CaseStatus.RESOLVED
    if visited:
        return CaseStatus.VISITED
    settled = {CaseStatus.VISITED.value, CaseStatus.RESOLVED.value, CaseStatus.CLARIFIED.value}
    for h in session.scalars(select(CaseHistory).where(CaseHistory.case_id == case.id, CaseHistory.action == "status")
                             .order_by(CaseHistory.id.desc())):
        before = (h.detail or {}).get("from")
        if (h.detail or {}).get("to") in settled and before and before not in settled:
            return CaseStatus(before)
    return CaseStatus.PLANNED
