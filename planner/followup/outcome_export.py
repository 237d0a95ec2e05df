"""走访结果 workbook: one row per letter visited, for coordinators and leaders to report and follow up on.

The 登记表 export says only a letter's 办理状态, and 统计 only counts (walk W15: nobody could list which letters were
visited when, by whom, with what result). This lists each visit the statistics count — one outcome per letter, day
and team, the latest recorded (:func:`planner.followup.stats.latest_per_visit`, corrections included) — with its
place, team and officers, result and 认定, 入户 户次, 核查情况, 双反馈 dates, 澄清函 and 回访 due.

Masked as the other exports: a leader or officer gets their own teams' visits only; petitioners' names, phones and
ID numbers say 已隐去 (匿名 when the letter has none), and the free text is withheld as on the 登记表; only an
account that may unmask, with a reason, gets them (audited as ``export_unmasked``), never a petitioner who asked for
confidentiality (保密). Every export is audited.

Public API
----------
``COLUMNS``
    (header, width) of the sheet's columns.
``outcome_rows(session, *, actor=None, start=None, end=None, unmask=False) -> tuple[list[str], list[list]]``
    Headers and rows, in visit order.
``outcomes_xlsx(session, *, actor, start=None, end=None, unmask=False, reason="") -> bytes``
    The workbook (sheet 走访结果), authorised and audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import VisitResult, VisitType
from planner.errors import InputError
from planner.intake.workbooks import table_xlsx
from planner.office.privacy import confidentiality_request, field_text
from planner.store.cases import NO_NAME
from planner.store.models import (
    CaseRow,
    ClarificationRow,
    FeedbackRow,
    FollowUpRow,
    PetitionerRow,
    TeamMemberRow,
    TeamRow,
    VisitOutcomeRow,
)

#: Shown instead of a petitioner's name, phone or ID number the export does not give out.
WITHHELD = "已隐去"
#: Shown when the letter carries no identity at all.
ANONYMOUS = "匿名"
#: Shown for a petitioner who asked for confidentiality, even to an account that unmasks.
CONFIDENTIAL = "信访人要求保密"

COLUMNS: tuple[tuple[str, float], ...] = (
    # Widths in Excel's units, a Chinese character about two: every header reads whole on one line.
    ("编号", 20), ("县区", 10), ("乡镇", 10), ("村", 12), ("走访日期", 12), ("检查组", 14), ("检查组人员", 20),
    ("走访类型", 10), ("走访结果", 10), ("认定", 10), ("入户（户次）", 13), ("线索（条）", 11), ("解决问题（个）", 15),
    ("问题已解决", 11), ("核查情况", 50), ("改期至", 12), ("反馈信访人", 12), ("反馈党委政府", 14), ("澄清函", 26),
    ("回访到期", 16), ("信访人", 10), ("联系电话", 14), ("身份证号", 20),
)


def _finding(report_true: bool | None, partly: bool) -> str:
    if report_true is None:
        return ""
    return ("部分属实" if partly else "属实") if report_true else "不实"


def _result_label(code: str) -> str:
    try:
        return VisitResult(code).label
    except ValueError:
        return code


def _type_label(code: str) -> str:
    try:
        return VisitType(code).label
    except ValueError:
        return code


def _dates(days: list[dt.date]) -> str:
    return "、".join(d.isoformat() for d in sorted(set(days)))


def outcome_rows(session: Session, *, actor: Any = None, start: dt.date | None = None, end: dt.date | None = None,
                 unmask: bool = False) -> tuple[list[str], list[list[object]]]:
    """Headers and one row per visit (letter, day, team) ``actor`` may see, from ``start`` to ``end`` (inclusive,
    None: open), in visit order. ``unmask``: petitioners' identities written out (the caller checks and audits)."""
    from planner.followup.common import RETURN_VISIT
    from planner.followup.stats import latest_per_visit
    from planner.office.authorisation import team_scope

    query = select(VisitOutcomeRow).order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id)
    scope = team_scope(actor) if actor is not None else None
    if scope is not None:  # a leader or officer: their own teams' visits only
        query = query.where(VisitOutcomeRow.team_id.in_(sorted(scope)))
    if start is not None:
        query = query.where(VisitOutcomeRow.visit_date >= start)
    if end is not None:
        query = query.where(VisitOutcomeRow.visit_date <= end)
    outcomes = latest_per_visit(session.scalars(query))
    ids = sorted({o.case_id for o in outcomes})
    cases = {c.id: c for c in session.scalars(select(CaseRow).where(CaseRow.id.in_(ids)))} if ids else {}
    who = {p.case_id: p for p in session.scalars(select(PetitionerRow).where(PetitionerRow.case_id.in_(ids)))}
    teams = dict(session.execute(select(TeamRow.id, TeamRow.name)).all())
    members: dict[str, list[str]] = {}
    for team_id, name in session.execute(select(TeamMemberRow.team_id, TeamMemberRow.name).order_by(TeamMemberRow.id)):
        members.setdefault(team_id, []).append(name)
    from planner.store.teams import team_accounts

    # A team whose member list is empty goes out with the officer and leader accounts 用户管理 assigns to it: the
    # column says 检查组人员, not 干部 (walk W14b read the leader zuzhang listed as an officer).
    for team_id, names in team_accounts(session, {o.team_id for o in outcomes if o.team_id}).items():
        if not members.get(team_id):
            members[team_id] = list(names)
    feedback: dict[tuple[int, str], list[dt.date]] = {}
    clarified: dict[int, list[str]] = {}
    due: dict[int, list[str]] = {}
    if ids:
        for case_id, side, day in session.execute(select(FeedbackRow.case_id, FeedbackRow.side,
                                                         FeedbackRow.feedback_date).where(FeedbackRow.case_id.in_(ids))):
            feedback.setdefault((case_id, side), []).append(day)
        for case_id, day, cadre, gone in session.execute(
                select(ClarificationRow.case_id, ClarificationRow.issued_date, ClarificationRow.cadre,
                       ClarificationRow.withdrawn_at)
                .where(ClarificationRow.case_id.in_(ids)).order_by(ClarificationRow.issued_date, ClarificationRow.id)):
            said = "，".join(w for w in (cadre, "已撤回" if gone is not None else "") if w)
            clarified.setdefault(case_id, []).append(f"{day.isoformat()}（{said}）" if said else day.isoformat())
        for case_id, day, done, done_day in session.execute(
                select(FollowUpRow.case_id, FollowUpRow.due_date, FollowUpRow.done, FollowUpRow.done_date)
                .where(FollowUpRow.case_id.in_(ids), FollowUpRow.kind == RETURN_VISIT)
                .order_by(FollowUpRow.due_date, FollowUpRow.id)):
            done_text = f"（{done_day.isoformat()} 已回访）" if done and done_day else ("（已回访）" if done else "")
            due.setdefault(case_id, []).append(day.isoformat() + done_text)
    rows: list[list[object]] = []
    for o in outcomes:
        c = cases.get(o.case_id)
        if c is None:
            continue
        p = who.get(o.case_id)
        name, phone, id_no = ((p.name or "").strip(), (p.phone or "").strip(),
                              (p.id_number or "").strip()) if p is not None else ("", "", "")
        names = [name] if name and name not in NO_NAME else []
        secret = bool(confidentiality_request(c.extra_fields or {}, c.content or ""))
        if unmask and not secret:
            person = [name or ANONYMOUS, phone, id_no]
            findings = o.findings or o.reason or ""
        else:
            hidden = CONFIDENTIAL if unmask else WITHHELD
            person = [hidden if name else ANONYMOUS, hidden if phone else "", hidden if id_no else ""]
            # The officer's words may name the petitioner or hold a phone: withheld as on the 登记表.
            findings = field_text(o.findings or o.reason or "", names)
        put_off = o.result == VisitResult.POSTPONED.value
        rows.append([
            c.case_no, c.county, c.town, c.village, o.visit_date.isoformat(), teams.get(o.team_id, o.team_id),
            "、".join(members.get(o.team_id, ())), _type_label(o.visit_type), _result_label(o.result),
            _finding(o.report_true, bool(o.report_partly)),
            0 if put_off else o.households_visited, 0 if put_off else o.leads_collected,
            0 if put_off else o.problems_solved, "是" if o.problem_resolved else "",
            findings, o.put_off_to.isoformat() if o.put_off_to else "",
            _dates(feedback.get((o.case_id, "petitioner"), [])), _dates(feedback.get((o.case_id, "government"), [])),
            "、".join(clarified.get(o.case_id, ())), "、".join(due.get(o.case_id, ())), *person,
        ])
    return [h for h, _w in COLUMNS], rows


def outcomes_xlsx(session: Session, *, actor: Any, start: dt.date | None = None, end: dt.date | None = None,
                  unmask: bool = False, reason: str = "") -> bytes:
    """The 走访结果 workbook ``actor`` may have (sheet 走访结果, header row frozen), with one audit row.

    Raises
    ------
    PermissionDenied
        When ``actor`` may not see statistics, or unmasks without the ``unmask`` permission.
    InputError
        Unmasking without a reason of at least ``MIN_REASON_CHARS`` characters.
    """
    from planner.office import audit
    from planner.office.authorisation import authorise
    from planner.office.security import MIN_REASON_CHARS

    authorise(actor, "view_stats")
    if unmask:
        authorise(actor, "unmask")
        if len((reason or "").strip()) < MIN_REASON_CHARS:
            raise InputError(f"导出信访人身份须填写理由（至少 {MIN_REASON_CHARS} 个字），收到 {reason!r}")
    headers, rows = outcome_rows(session, actor=actor, start=start, end=end, unmask=unmask)
    case_nos = tuple(dict.fromkeys(str(r[0]) for r in rows))
    detail = {"what": "outcomes", "visits": str(len(rows)), "start": str(start or ""), "end": str(end or "")}
    if unmask:
        audit.record(session, actor, "export_unmasked", case_nos=case_nos, reason=reason.strip(), detail=detail)
    else:
        audit.record(session, actor, "export", case_nos=case_nos, detail=detail)
    session.flush()
    return table_xlsx("走访结果", headers, rows, dict(COLUMNS), freeze="B2")
