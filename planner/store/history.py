"""Correction history of typed records: who changed which field of an outcome, feedback, letter, item or plan, when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.store.models import RecordHistory

#: Kinds of record whose corrections are kept, with the word a user reads.
RECORD_KINDS: dict[str, str] = {
    "outcome": "走访结果",
    "feedback": "反馈",
    "clarification": "澄清函",
    "rectification": "整改事项",
    "plan": "下访计划",
}
#: Field names a user reads in a history line.
FIELD_LABELS: dict[str, str] = {
    "visit_date": "走访日期", "result": "结果", "team_id": "检查组", "plan_id": "计划", "visit_type": "走访类型",
    "reason": "原因", "findings": "核查情况", "problem_resolved": "问题已解决", "report_true": "反映属实",
    "report_partly": "部分属实",
    "households_visited": "入户走访", "leads_collected": "收集线索", "problems_solved": "解决问题",
    "time_spent_min": "用时（分钟）", "put_off_to": "改到哪天", "side": "反馈对象", "feedback_date": "反馈日期",
    "channel": "方式",
    "recipient": "接收单位", "content": "内容", "acknowledged": "已确认", "cadre": "被澄清干部",
    "issued_date": "出具日期", "scope": "澄清范围", "document_name": "文书", "item": "整改事项", "owner": "责任单位",
    "due_date": "整改期限", "done": "已完成", "done_date": "完成日期", "note": "备注", "name": "名称",
    "status": "状态", "routes": "线路", "cases_moved": "随之变更状态的信访件（件）",
}


@dataclass(frozen=True, slots=True)
class Change:
    """One recorded change of a record: who, when, what (``{field: {"from": old, "to": new}}``)."""

    at: dt.datetime
    who: str
    action: str
    changes: dict

    def describe(self, team_names: Mapping[str, str] | None = None) -> str:
        """``走访日期：2026-12-07 → 2026-12-08；入户走访：15 → 12`` (field names and coded values in Chinese, teams
        by name when ``team_names`` has them); a record's first entry leaves out the fields it left empty."""
        names = team_names or {}
        parts = []
        for name, change in self.changes.items():
            if isinstance(change, dict) and set(change) == {"from", "to"}:
                parts.append(f"{FIELD_LABELS.get(name, name)}：{_text(change['from'], name, names)} → "
                             f"{_text(change['to'], name, names)}")
            elif change is not None and change != "" and change != []:
                parts.append(f"{FIELD_LABELS.get(name, name)}：{_text(change, name, names)}")
        return "；".join(parts)


def _text(value: object, field: str = "", team_names: Mapping[str, str] | None = None) -> str:
    from planner.store.history_text import value_label

    if value is None or value == "":
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if field in ("team_id", "team") and team_names and str(value) in team_names:
        return team_names[str(value)]
    return value_label(str(value))


def jsonable(value: object) -> object:
    """``value`` with dates as ISO strings, tuples as lists (JSON columns on SQLite and PostgreSQL)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def diff(before: dict, after: dict) -> dict:
    """``{field: {"from": old, "to": new}}`` for the fields whose values differ."""
    return {k: {"from": jsonable(before.get(k)), "to": jsonable(v)} for k, v in after.items() if before.get(k) != v}


def log_change(
    session: Session,
    kind: str,
    record_id: int,
    *,
    who: str,
    action: str,
    changes: dict,
    case_id: int | None = None,
) -> None:
    """Add one line to a record's history (the caller commits with the change itself)."""
    if kind not in RECORD_KINDS:
        raise ValueError(f"kind: expected one of {', '.join(RECORD_KINDS)}, got {kind!r}")
    session.add(RecordHistory(kind=kind, record_id=int(record_id), case_id=case_id, who=who, action=action,
                              changes=jsonable(changes)))


def record_history(session: Session, kind: str, record_id: int) -> list[Change]:
    """Every recorded change of one record, oldest first (creation included)."""
    rows = session.scalars(
        select(RecordHistory)
        .where(RecordHistory.kind == kind, RecordHistory.record_id == int(record_id))
        .order_by(RecordHistory.at, RecordHistory.id)
    )
    return [Change(r.at, r.who, r.action, dict(r.changes or {})) for r in rows]
