"""Shared ground of the follow-up records: settings, case history, version checks, who may see what."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from planner.domain import CaseStatus, VisitResult
from planner.errors import ConflictError, InputError, NotFoundError
from planner.store.models import CaseHistory, CaseRow, PlanCase, SettingRow, VisitOutcomeRow

#: The two sides of 双反馈 (planner.followup.feedback) and their names.
FEEDBACK_SIDES = ("petitioner", "government")
FEEDBACK_SIDE_LABELS = {"petitioner": "信访人", "government": "党委政府"}

#: Cases due within this many days are "at risk" on 首页.
DEFAULT_AT_RISK_DAYS = 10
#: Settings row that may hold ``{"at_risk_days": int}`` set by hand (group ``general`` is read first); the 回访
#: interval is read by ``planner.office.settings.return_delay_days``.
SETTINGS_KEY = "followup"
#: Statuses of a case that has been handled on site, so both feedback sides are expected.
HANDLED_STATUSES = (CaseStatus.VISITED, CaseStatus.RESOLVED, CaseStatus.CLARIFIED, CaseStatus.CLOSED)
RETURN_VISIT = "return_visit"
RECTIFICATION_CHECK = "rectification"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of a case's history: who did what, when."""

    at: dt.datetime
    who: str
    action: str
    detail: dict


def case_key(case_no: object) -> str:
    """A case number as typed, read as the import stores it (:func:`planner.intake.rows.case_number`): NFKC, so
    that ＺＺ２０２６－００１ and １２３ typed with a Chinese input method are ZZ2026-001 and 123, without the spaces
    around it (full-width ones included)."""
    from planner.intake.rows import case_number

    return case_number(case_no)


def stored_case_no(session: Session, case_no: object) -> str:
    """The number ``case_no`` (typed in any width) is stored under: its :func:`case_key`, or the full-width spelling
    a letter kept from before the import read numbers half-width; the key itself when no letter has it."""
    key = case_key(case_no)
    if session.scalars(select(CaseRow.id).where(CaseRow.case_no == key)).first() is not None:
        return key
    # Only on a miss: the numbers that are not their own key are the few stored before numbers were normalised.
    return next((no for no in session.scalars(select(CaseRow.case_no)) if no != key and case_key(no) == key), key)


def _case_row(session: Session, case_no: str) -> CaseRow:
    row = session.scalars(select(CaseRow).where(CaseRow.case_no == stored_case_no(session, case_no))).one_or_none()
    if row is None:
        raise NotFoundError(f"数据库中没有信访件 {case_no!r}")
    return row


def _history(session: Session, case: CaseRow, who: str, action: str, detail: dict) -> None:
    session.add(CaseHistory(case_id=case.id, who=who, action=action, detail=_jsonable(detail)))


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


#: The words a user reads for the records whose versions are checked.
_KIND_LABELS = {"visit outcome": "走访结果", "feedback": "反馈记录", "follow-up": "回访任务",
                "rectification": "整改事项", "case": "信访件"}


def conflict_message(kind: str, ident: object, row_version: int | None = None, expected: int | None = None) -> str:
    """The Chinese message of a refused stale save: what was changed, and that the user's input is kept."""
    shown = f"#{ident}" if isinstance(ident, int) or str(ident).isdigit() else str(ident).strip("'")
    label = _KIND_LABELS.get(kind, kind) + (f" {shown}" if shown else "")
    seen = f"（现为第 {row_version} 版，你看到的是第 {expected} 版）" if row_version is not None else ""
    return (f"{label} 已被他人修改{seen}。你填写的内容没有保存，仍在表单中：请刷新查看对方的修改后再保存。")


def _check_version(kind: str, ident: object, row_version: int, expected: int | None) -> None:
    if expected is not None and row_version != expected:
        raise ConflictError(conflict_message(kind, ident, row_version, expected))


def _stale_as_conflict(fn):
    """Turn SQLAlchemy's stale-version error (raised at any flush, autoflush included) into a ConflictError."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except StaleDataError as exc:
            raise ConflictError(conflict_message("该记录", "")) from exc

    return wrapper


def _flush(session: Session, what: str) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        kind, _, ident = what.rpartition(" ")
        raise ConflictError(conflict_message(kind or what, ident if kind else "")) from exc


def _need_who(who: str) -> str:
    if not str(who or "").strip():
        raise InputError("请写明登记人（用户名），现为空")
    return str(who).strip()


def _visible(query, actor):
    """Restrict a query joined to ``cases`` to what ``actor`` may see (no actor: batch use, everything)."""
    if actor is None or type(actor).__name__ != "Actor":
        return query
    from planner.office.security import visible_case_filter

    # A self-contained IN (...) subquery: the filter's EXISTS on plan_cases must not correlate with an outer query
    # that itself selects from plan_cases.
    allowed = select(CaseRow.id).where(visible_case_filter(actor)).correlate(None)
    return query.where(CaseRow.id.in_(allowed))


def _writer_names(session: Session | None) -> dict[int, tuple[str, ...]]:
    """PERSONAL, to withhold only: each case's petitioner name by case id, read once per session."""
    if session is None:
        return {}
    cached = session.info.get("followup_writer_names")
    if cached is None:
        from planner.domain import NO_NAME_WORDS
        from planner.store.models import PetitionerRow

        rows = session.execute(select(PetitionerRow.case_id, PetitionerRow.name))
        cached = {cid: (name.strip(),) for cid, name in rows if name and name.strip() not in NO_NAME_WORDS}
        session.info["followup_writer_names"] = cached
    return cached


def _summary(row: CaseRow, max_chars: int = 40) -> str:
    from sqlalchemy.orm import object_session

    from planner.office.privacy import field_text

    # Follow-up lists show no identity (re-walk E: 回访跟踪's picker read “我是寨里村村民赖水生”): ID numbers, phones
    # and the letter's own writer named in its words are withheld whole before shortening.
    names = _writer_names(object_session(row)).get(row.id, ())
    text = field_text(" ".join((row.title or row.content or "").split()), names)
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


@_stale_as_conflict
def set_case_status(session: Session, case_no: str, status: CaseStatus | str, *, who: str, note: str = "",
                    visited_with: str = "") -> None:
    """Change a case's status and write the change to ``case_history`` (through :func:`planner.store.cases.set_status`,
    the one place where statuses change); ``visited_with`` names the first letter a repeat letter was visited along
    with, so that settling that letter later settles this one too."""
    from planner.store.cases import set_status

    set_status(session, case_no, CaseStatus(status), who=who, note=note, visited_with=visited_with)


def _setting(session: Session, name: str, default: int, lo: int, hi: int) -> int:
    """An integer from the settings table: group ``general`` (the 设置 page) first, then group ``followup``."""
    for key in ("general", SETTINGS_KEY):
        row = session.get(SettingRow, key)
        value = (row.value or {}).get(name) if row is not None else None
        if isinstance(value, int | float) and not isinstance(value, bool) and lo <= value <= hi:
            return int(value)
    return default


def return_delay_days(session: Session) -> int:
    """Days after resolution (or a passed 整改 deadline) before a return visit: the 设置 page's value, default 30.

    Read where 设置 reads it (:func:`planner.office.settings.return_delay_days`), so that the page, 回访跟踪 and the
    CLI never disagree on it.
    """
    from planner.office.settings import return_delay_days as stored

    return stored(session)


def at_risk_horizon_days(session: Session) -> int:
    """Days before the deadline when a case counts as at risk (setting ``at_risk_days``, default 10)."""
    return _setting(session, "at_risk_days", DEFAULT_AT_RISK_DAYS, 0, 60)


def case_history(session: Session, case_no: str) -> list[HistoryEntry]:
    """Every recorded change of a case, oldest first (status changes, outcomes, feedback, ...)."""
    row = _case_row(session, case_no)
    rows = session.scalars(
        select(CaseHistory).where(CaseHistory.case_id == row.id).order_by(CaseHistory.at, CaseHistory.id)
    ).all()
    return [HistoryEntry(h.at, h.who, h.action, dict(h.detail or {})) for h in rows]


def first_visit_team(session: Session, case_no: str) -> str:
    """The team that first visited the case (from outcomes, else from a saved plan), or ``""``."""
    case = _case_row(session, case_no)
    return _first_team(session, case.id)


def _first_team(session: Session, case_id: int) -> str:
    team = session.scalars(
        select(VisitOutcomeRow.team_id)
        .where(VisitOutcomeRow.case_id == case_id, VisitOutcomeRow.result == VisitResult.VISITED.value,
               VisitOutcomeRow.team_id != "")
        .order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id)
        .limit(1)
    ).first()
    if team:
        return team
    team = session.scalars(
        select(PlanCase.team_id)
        .where(PlanCase.case_id == case_id, PlanCase.team_id != "")
        .order_by(PlanCase.visit_date, PlanCase.plan_id)
        .limit(1)
    ).first()
    return team or ""


#: What a case-history line says, in the words a user reads.
ACTION_LABELS = {
    "status": "状态变更", "outcome": "登记走访结果", "outcome_corrected": "更正走访结果", "feedback": "登记反馈",
    "feedback_ack": "反馈已确认", "feedback_corrected": "更正反馈", "clarification": "出具澄清函",
    "clarification_corrected": "更正澄清函登记", "settlement": "签订息诉息访协议", "rectification": "添加整改事项",
    "rectification_done": "整改完成", "rectification_corrected": "更正整改事项", "followup_proposed": "提出回访",
    "followup_done": "回访完成", "followup_withdrawn": "撤销回访", "followup_rescheduled": "回访改期",
    "followup_reopened": "回访重新待办",
    "deadline_extended": "延长办理期限", "import_update": "导入更新",
    "category": "调整类别", "relocate": "更正位置", "assign_village": "指定村居",
    "register_update_seen": "已阅登记表更新", "clarification_basis_changed": "澄清函所依据的走访结果已更正",
    "clarification_withdrawn": "澄清函已撤回",
}


def describe_history(entry: HistoryEntry, team_names: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(事项, 说明) of a case-history line, without internal codes:
    ``("状态变更", "已登记 → 已排程：计划「第49周」已下发")``; teams by their names when ``team_names`` has them."""
    from planner.store.history import Change

    d = entry.detail
    from planner.store.history_text import action_label, describe

    what = ACTION_LABELS.get(entry.action) or action_label(entry.action)
    if entry.action == "status":
        labels = {s.value: s.label for s in CaseStatus}
        text = f"{labels.get(d.get('from'), '')} → {labels.get(d.get('to'), '')}"
        return what, text + (f"：{d['note']}" if d.get("note") else "")
    if isinstance(d.get("changes"), dict):
        return what, Change(entry.at, entry.who, entry.action, d["changes"]).describe(team_names)
    if entry.action == "outcome":
        result = {r.value: r.label for r in VisitResult}.get(d.get("result"), "")
        kind = "（回访）" if d.get("visit_type") == "return" else ""
        team = (team_names or {}).get(d.get("team_id") or "", d.get("team_id") or "")
        agreed = f"，约定 {d['put_off_to']} 再访" if d.get("put_off_to") else ""
        return what, " ".join(p for p in (str(d.get("visit_date") or ""), result + kind + agreed, team) if p)
    if entry.action == "followup_proposed":
        return what, f"到期 {d.get('due_date', '')}"
    if entry.action == "deadline_extended":
        return what, f"延长 {d.get('days', '')} 天，至 {d.get('due_date', '')}：{d.get('reason', '')}"
    if entry.action == "clarification":
        return what, f"{d.get('cadre', '')} {d.get('issued_date', '')}"
    if entry.action in ("category", "import_update", "relocate", "assign_village"):
        return what, describe(entry.action, d)  # 由 林业 改为 征地拆迁（note）, the file and row of an update …
    return what, str(d.get("note") or "") or describe(entry.action, d)
