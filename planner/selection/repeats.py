"""Repeat chains in 选件: letters whose first letter was visited already (the note before their ranking reasons),
letters a live plan's visit carries or does not, and a chain chosen whole."""

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


def carried_along(session: Session, case_nos: Iterable[str], *,
                  scope: frozenset[str] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Split the letters whose repeat chain a live plan visits (:func:`planner.store.plans.chain_holders`) into
    those that plan's visit truly carries and those it does not.

    A later letter waiting for an earlier letter a live plan sends a team to is carried: the field sheets of that
    letter list it and an outcome settling it settles this one (the one rule of
    :func:`planner.store.cases.waits_for`). An *earlier* letter is not: the plan has no row for it, its sheets do
    not name it and nothing recorded there settles it (walk 2: ZZ2026-015, first letter of a writer whose 071 and
    072 plan #1 visits, was said to be "already in plan #1" and was planned nowhere). It stays a candidate, with a
    note saying where its later letters are.

    Returns
    -------
    tuple[dict[str, str], dict[str, str]]
        (carried: case number -> where, as ``chain_holders`` says it; apart: case number -> a note for 排序理由).
    """
    from planner.store.cases import waits_for
    from planner.store.plans import case_holders, chain_holders

    wanted = sorted({str(c) for c in case_nos})
    said = chain_holders(session, wanted, scope=scope)
    if not said:
        return {}, {}
    mates = chain_mates(session, said)
    team_of: dict[str, str] = {}
    held = case_holders(session, set().union(*mates.values()), team_of=team_of)
    involved = set(said) | {m for no in said for m in mates.get(no, ()) if m in held}
    rows = {r.case_no: r for r in session.scalars(select(CaseRow).where(CaseRow.case_no.in_(sorted(involved))))}
    carried: dict[str, str] = {}
    apart: dict[str, str] = {}
    for no, where in said.items():
        row = rows.get(no)
        on_plan = sorted((m for m in mates.get(no, ()) if m in held and m in rows),
                         key=lambda m: (rows[m].received_date, m))
        if row is not None and any((rows[m].received_date, m) < (row.received_date, no) and waits_for(
                session, rows[m], row) for m in on_plan):
            carried[no] = where
            continue
        mate = on_plan[0] if on_plan else ""
        if not mate or (scope is not None and team_of.get(mate) not in scope):
            apart[no] = "同一信访人就同一事项的另一封来信在其他检查组的计划中，本件不在该计划内，需另行安排"
        else:
            apart[no] = f"同一信访人的 {mate} {held[mate]}，本件不在该计划内、不随其办结，需另行安排"
    return carried, apart


def whole_chains(session: Session, chosen: Iterable[str], candidates: Iterable[str]) -> dict[str, str]:
    """The candidates of the repeat chains of ``chosen`` that were not chosen: case number -> the chosen letter
    it goes with.

    A chain is visited once, all its letters carried by that visit (its sheets list them, its outcomes settle them):
    choosing a later letter without the earlier one left the earlier one planned nowhere (walk 2: 071 and 072 in
    plan #1, their first letter 015 in none)."""
    picked = list(dict.fromkeys(str(c) for c in chosen))
    pool = {str(c) for c in candidates} - set(picked)
    if not picked or not pool:
        return {}
    out: dict[str, str] = {}
    for no, others in sorted(chain_mates(session, picked).items()):
        for m in sorted(others & pool):
            out.setdefault(m, no)
    return out
