"""Letters whose last visit did not happen (改期, 未找到): the note 选件 puts before their ranking reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import VisitResult
from planner.followup.revisits import waiting_revisits
from planner.office.privacy import mask_free_text
from planner.store.models import CaseRow, VisitOutcomeRow

#: How much of the officer's reason the note keeps (the 排序理由 column is one line).
REASON_CHARS = 30
_MISSED = (VisitResult.POSTPONED.value, VisitResult.NOT_FOUND.value)


def missed_visits(session: Session, case_nos: Iterable[str], *, today: dt.date | None = None) -> dict[str, str]:
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
    today
        The day the page is read (says 已逾期 of a revisit past its day; None: not said).

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
    # A visit promised for a day, or one a plan left out, that no plan holds now says so first (walk W15: 029,
    # 改期 with 12-09 agreed, left out by the re-plan of a plan ending 12-08, read like any other letter):
    # 待再访：12-07 改期，约定 12-09 再访；计划 #3「…」第 2 版未能排入（reason）.
    waiting = waiting_revisits(session, case_nos=[no for no, (_d, r, _w) in latest.items() if r in _MISSED])
    for no, (day, result, reason) in latest.items():
        if result not in _MISSED:
            continue
        why = mask_free_text(" ".join(str(reason or "").split()))
        why = why if len(why) <= REASON_CHARS else why[: REASON_CHARS - 1] + "…"
        if (w := waiting.get(no)) is not None and (w.agreed is not None or w.plan_id is not None):
            out[no] = w.text(today or w.recorded) + (f"（{why}）" if why else "")
            continue
        out[no] = f"上次{VisitResult(result).label}（{day.strftime('%m-%d')}）" + (f"：{why}" if why else "")
    return out
