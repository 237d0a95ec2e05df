"""Letters whose last visit did not happen (改期, 未找到): the note 选件 puts before their ranking reasons."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import VisitResult
from planner.office.privacy import mask_free_text
from planner.store.models import CaseRow, VisitOutcomeRow

#: How much of the officer's reason the note keeps (the 排序理由 column is one line).
REASON_CHARS = 30


def missed_visits(session: Session, case_nos: Iterable[str]) -> dict[str, str]:
    """The letters among ``case_nos`` whose latest visit record is 改期 or 未找到, to a note for 排序理由.

    A plan closed with such a letter sends it back to 已登记, where it looks like a letter nobody went to (team
    leader's walk); the note says what happened: ``上次改期（12-07）：约定下周再访`` or
    ``上次未找到（12-07）：家中无人``.
    The officer's reason is free text: identities written into it are masked like everywhere else.

    Parameters
    ----------
    session
        Open session.
    case_nos
        The candidates' case numbers.

    Returns
    -------
    dict[str, str]
        Case number -> note; letters last visited, or never, are left out.
    """
    wanted = sorted(set(case_nos))
    if not wanted:
        return {}
    latest: dict[str, tuple] = {}
    for no, day, result, reason in session.execute(
            select(CaseRow.case_no, VisitOutcomeRow.visit_date, VisitOutcomeRow.result, VisitOutcomeRow.reason)
            .join(CaseRow, CaseRow.id == VisitOutcomeRow.case_id).where(CaseRow.case_no.in_(wanted))
            .order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id)):
        latest[no] = (day, result, reason)
    out = {}
    for no, (day, result, reason) in latest.items():
        if result not in (VisitResult.POSTPONED.value, VisitResult.NOT_FOUND.value):
            continue
        why = mask_free_text(" ".join(str(reason or "").split()))
        why = why if len(why) <= REASON_CHARS else why[: REASON_CHARS - 1] + "…"
        out[no] = f"上次{VisitResult(result).label}（{day.strftime('%m-%d')}）" + (f"：{why}" if why else "")
    return out
