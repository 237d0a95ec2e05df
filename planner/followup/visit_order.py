"""The order of a letter's visits: a 回访 comes after the letter's first visit (首次走访, 带信下访), on a later day.

A 回访 goes back on a visit: one dated before the letter's first visit (its first 已走访 record that is not a 回访)
was accepted, and a record could be corrected into that state (first visit moved after its 回访, say). A letter with
回访 records only — settled in its register, first visited outside the system — has no first visit to follow.

A 回访 on the first visit's own day was accepted too, by another team (walk 3, W3-018): a return is made later, to
check that refunds and fixes happened (PRODUCT.md: 回访 and 整改), so it is dated after the first visit. Another team
may make it: 回访 are proposed to the first team first (优先安排首次下访的检查组), not only to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus, VisitResult, VisitType
from planner.store.models import CaseRow, TeamRow, VisitOutcomeRow


@dataclass(frozen=True, slots=True)
class _Visit:
    outcome_id: int | None
    visit_date: dt.date
    is_return: bool
    visited: bool
    team_id: str


def visit_order_refusal(
    session: Session, case: CaseRow, visit_date: dt.date, *, visit_type: VisitType | str, result: VisitResult | str,
    team_id: str = "", outcome_id: int | None = None, team_names: dict[str, str] | None = None,
) -> str:
    """Why saving this record of ``case`` (a new one, or record ``outcome_id`` corrected to these values) would leave
    a 回访 dated on or before the letter's first visit — naming both dates — or "" when it would not."""
    mine = _Visit(None, visit_date, VisitType(visit_type) is VisitType.RETURN,
                  VisitResult(result) is VisitResult.VISITED, team_id or "")
    rows = session.execute(
        select(VisitOutcomeRow.id, VisitOutcomeRow.visit_date, VisitOutcomeRow.visit_type, VisitOutcomeRow.result,
               VisitOutcomeRow.team_id)
        .where(VisitOutcomeRow.case_id == case.id)
    ).all()
    visits = [_Visit(i, d, k == VisitType.RETURN.value, r == VisitResult.VISITED.value, t or "")
              for i, d, k, r, t in rows if outcome_id is None or i != outcome_id] + [mine]
    firsts = [v for v in visits if v.visited and not v.is_return]
    if not firsts:
        return ""
    if mine.visited and not mine.is_return and not CaseStatus(case.status).is_open and (
            again := _earlier_first(visits[:-1], visit_date)):
        # Walk W31: 本次为回访 switched off on a letter 已化解 stored a second 首次走访, its households counted again.
        team, status = _team_label(session, again.team_id, team_names) or " ", CaseStatus(case.status).label
        return (f"信访件 {case.case_no} 已有 {again.visit_date.isoformat()}{team}的首次走访记录，现为“{status}”："
                "一件信访件只登记一次首次走访（带信下访），这次不能再登记为首次走访。如这次是回访，请打开“本次为回访”"
                "登记；如那条首次走访的日期或内容登错了，请在回访跟踪的“记录”中选择“更正”那一条。")
    first = min(firsts, key=lambda v: v.visit_date)
    early = [v for v in visits if v.is_return and v.visit_date <= first.visit_date]
    if not early:
        return ""
    team = _team_label(session, first.team_id, team_names)
    if mine in early:
        when = "与它同一天" if visit_date == first.visit_date else "在它之前"
        return (f"信访件 {case.case_no} 的首次走访是 {first.visit_date.isoformat()}{team}：回访不能早于首次走访，"
                f"也不能与它同一天；这次回访的日期 {visit_date.isoformat()} {when}。请填写实际回访的日期；"
                "如这次就是首次走访，请关闭“本次为回访”。")
    back = min(early, key=lambda v: v.visit_date)
    return (f"信访件 {case.case_no} 已有 {back.visit_date.isoformat()} 的回访记录：回访不能早于首次走访，"
            f"这样保存后首次走访将是 {first.visit_date.isoformat()}{team}，"
            f"{'与回访同一天' if back.visit_date == first.visit_date else '在回访之后'}。"
            "如这次是回访之后再去，请打开“本次为回访”登记；如那条回访记录的日期或类别登错了，请先更正那一条。")


def _earlier_first(visits: list[_Visit], visit_date: dt.date) -> _Visit | None:
    """The letter's first visit recorded on another day than ``visit_date`` (two teams at one stop on one day both
    record their visit), if any."""
    others = [v for v in visits if v.visited and not v.is_return and v.visit_date != visit_date]
    return min(others, key=lambda v: v.visit_date) if others else None


def second_first_note(
    session: Session, case_no: str, visit_date: dt.date, *, visit_type: VisitType | str, result: VisitResult | str,
    outcome_id: int | None = None, team_names: dict[str, str] | None = None,
) -> str:
    """For the page, before the save: a first visit recorded on a letter still open that already has one on another
    day is another visit (继续核查), said so it is never stored unawares; "" otherwise. On a settled letter
    :func:`visit_order_refusal` refuses it."""
    if VisitType(visit_type) is VisitType.RETURN or VisitResult(result) is not VisitResult.VISITED:
        return ""
    case = session.scalars(select(CaseRow).where(CaseRow.case_no == case_no)).first()
    if case is None or not CaseStatus(case.status).is_open:
        return ""
    rows = session.execute(
        select(VisitOutcomeRow.id, VisitOutcomeRow.visit_date, VisitOutcomeRow.result, VisitOutcomeRow.team_id)
        .where(VisitOutcomeRow.case_id == case.id, VisitOutcomeRow.visit_type != VisitType.RETURN.value)
    ).all()
    again = _earlier_first([_Visit(i, d, False, r == VisitResult.VISITED.value, t or "") for i, d, r, t in rows
                            if i != outcome_id], visit_date)
    if again is None:
        return ""
    team = _team_label(session, again.team_id, team_names) or " "
    return (f"信访件 {case_no} 已有 {again.visit_date.isoformat()}{team}的首次走访记录："
            "保存后将另记一次首次走访（继续核查）。如这次是回访，请打开“本次为回访”；如是那一次走访登错了日期，请在“记录”中选择“更正”那一条，不要另存。")


def visit_order_note(
    session: Session, case_no: str, visit_date: dt.date, *, visit_type: VisitType | str, result: VisitResult | str,
    team_id: str = "", outcome_id: int | None = None, team_names: dict[str, str] | None = None,
) -> str:
    """:func:`visit_order_refusal` for the page, before the save: "" for a case that does not exist."""
    case = session.scalars(select(CaseRow).where(CaseRow.case_no == case_no)).first()
    if case is None:
        return ""
    return visit_order_refusal(session, case, visit_date, visit_type=visit_type, result=result, team_id=team_id,
                               outcome_id=outcome_id, team_names=team_names)


def _team_label(session: Session, team_id: str, team_names: dict[str, str] | None) -> str:
    if not team_id:
        return ""
    name = (team_names or {}).get(team_id) or session.scalar(select(TeamRow.name).where(TeamRow.id == team_id))
    return f"（{name}）" if name else ""
