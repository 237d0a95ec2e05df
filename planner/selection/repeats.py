"""Repeat letters whose first letter was visited already: the note 选件 puts before their ranking reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus, VisitResult
from planner.store.cases import SETTLING, WAITING, chain_mates
from planner.store.models import CaseRow, VisitOutcomeRow


def visited_firsts(session: Session, case_nos: Iterable[str], *, actor: Any = None) -> dict[str, str]:
    """The letters among ``case_nos`` an earlier letter of whose repeat chain was visited after they last were, to
    a note for 排序理由: ``同一信访人同一事项，前件 ZX2026-002 已于 12-07 走访``.

    A repeat letter the plan did not take stays 已登记 when its first letter is visited and the plan closed; it
    then ranks like a letter nobody went to, and could be planned as a trip of its own to the same door (team
    leader's walk Q, 057 after 002). Its status is not changed here: the note tells the leader, and says that a
    waiting letter is settled along with the first one (:func:`planner.store.cases.set_status`).

    Parameters
    ----------
    session
        Open session.
    case_nos
        The candidates' case numbers.
    actor
        The reader (None: the library itself); a first letter that is not theirs is not named, only its day (walk
        H: a leader read another team's case numbers).

    Returns
    -------
    dict[str, str]
        Case number -> note; letters with no such earlier letter are left out.
    """
    mates = chain_mates(session, case_nos)
    if not mates:
        return {}
    involved = sorted(set(mates) | set().union(*mates.values()))
    rows = {no: (day, status) for no, day, status in session.execute(
        select(CaseRow.case_no, CaseRow.received_date, CaseRow.status).where(CaseRow.case_no.in_(involved)))}
    visited: dict[str, dt.date] = {}
    for no, day in session.execute(
            select(CaseRow.case_no, VisitOutcomeRow.visit_date).join(CaseRow, CaseRow.id == VisitOutcomeRow.case_id)
            .where(CaseRow.case_no.in_(involved), VisitOutcomeRow.result == VisitResult.VISITED.value)
            .order_by(VisitOutcomeRow.visit_date)):
        visited[no] = day  # the latest
    found: dict[str, tuple[dt.date, str]] = {}
    for no in sorted(mates):
        if no not in rows:
            continue
        earlier = [(visited[m], rows[m][0], m) for m in mates[no]
                   if m in rows and m in visited and (rows[m][0], m) < (rows[no][0], no)]
        if not earlier:
            continue
        # The latest visit of an earlier letter; of two visited that day, the first letter of the chain.
        day = max(e[0] for e in earlier)
        first = min(e for e in earlier if e[0] == day)[2]
        if no in visited and visited[no] >= day:  # visited itself since: nothing to add
            continue
        found[no] = (day, first)
    hidden: set[str] = set()
    if actor is not None and found:
        from planner.office.authorisation import outside_cases

        hidden = set(outside_cases(actor, session, {f for _, f in found.values()}))
    out: dict[str, str] = {}
    for no, (day, first) in found.items():
        who = "（其他检查组办理）" if first in hidden else f" {first} "
        note = f"同一信访人同一事项，前件{who}已于 {day.strftime('%m-%d')} 走访"
        first_status = CaseStatus(rows[first][1])
        if first_status in SETTLING:
            note += f"（前件现{first_status.label}）"
        elif CaseStatus(rows[no][1]) in WAITING:
            note += "，前件化解、澄清或办结时本件随之一并办结"
        out[no] = note
    return out
