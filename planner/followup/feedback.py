"""双反馈: feedback to the petitioner and to the local party committee/government, and what is missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.domain import NO_NAME_WORDS, CaseStatus
from planner.errors import InputError, NotFoundError
from planner.followup.common import (
    FEEDBACK_SIDE_LABELS,
    FEEDBACK_SIDES,
    HANDLED_STATUSES,
    _case_row,
    _check_version,
    _flush,
    _history,
    _need_who,
    _stale_as_conflict,
    _summary,
    _visible,
)
from planner.followup.feedback_basis import to_give_again
from planner.store.cases import chain_mates
from planner.store.history import diff, log_change
from planner.store.models import CaseRow, FeedbackRow

FEEDBACK_CHANNELS = ("当面", "电话", "书面", "短信", "其他")


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """One side of 双反馈 for a case."""

    feedback_id: int
    case_no: str
    side: str  # "petitioner" | "government"
    feedback_date: dt.date
    channel: str
    content: str
    recipient: str = ""
    acknowledged: bool = False
    recorded_by: str = ""
    version: int = 1

    @property
    def side_label(self) -> str:
        """信访人 or 党委政府."""
        return FEEDBACK_SIDE_LABELS.get(self.side, self.side)


@dataclass(frozen=True, slots=True)
class MissingFeedback:
    """A handled case that lacks feedback to one or both sides."""

    case_no: str
    summary: str
    county: str
    status: CaseStatus
    missing: tuple[str, ...]  # sides still missing
    #: sides given on a finding corrected since (待重新反馈, planner.followup.feedback_basis)
    again: tuple[str, ...] = ()

    def missing_labels(self) -> str:
        """E.g. ``"党委政府"``, ``"信访人、党委政府"`` or ``"信访人（需按新认定重新反馈）"``."""
        return "、".join([*(FEEDBACK_SIDE_LABELS[s] for s in self.missing),
                          *(f"{FEEDBACK_SIDE_LABELS[s]}（需按新认定重新反馈）" for s in self.again)])


@_stale_as_conflict
def record_feedback(
    session: Session,
    case_no: str,
    side: str,
    *,
    feedback_date: dt.date,
    channel: str,
    content: str,
    who: str,
    recipient: str = "",
    acknowledged: bool = False,
) -> int:
    """Record feedback to the petitioner (``"petitioner"``) or the local party committee/government (``"government"``).

    Returns
    -------
    int
        Id of the feedback record.

    Raises
    ------
    InputError
        For an unknown side, an empty content or an empty ``who``.
    NotFoundError
        If the case does not exist.
    """
    who = _need_who(who)
    if side not in FEEDBACK_SIDES:
        raise InputError(f"反馈对象应为 petitioner（信访人）或 government（党委政府），收到 {side!r}")
    if not str(content or "").strip():
        raise InputError(f"信访件 {case_no} 的反馈须填写内容：“反馈内容”不能为空。")
    if not isinstance(feedback_date, dt.date):
        raise InputError(f"反馈日期应为日期（如 2026-12-07），收到 {feedback_date!r}")
    case = _case_row(session, case_no)
    channel, recipient, content = str(channel or "").strip(), str(recipient or "").strip(), str(content).strip()
    if same := _same_feedback(session, case, side, feedback_date, channel, recipient, content):
        raise InputError(same)
    row = FeedbackRow(
        case_id=case.id,
        side=side,
        feedback_date=feedback_date,
        channel=channel,
        recipient=recipient,
        content=content,
        acknowledged=bool(acknowledged),
        recorded_by=who,
    )
    session.add(row)
    _flush(session, f"case {case_no!r}")
    _history(session, case, who, "feedback", {"feedback_id": row.id, "side": side, "date": feedback_date,
                                              "channel": row.channel, "acknowledged": row.acknowledged})
    log_change(session, "feedback", row.id, who=who, action="created", case_id=case.id,
               changes={"side": FEEDBACK_SIDE_LABELS[side], "feedback_date": feedback_date, "channel": row.channel,
                        "recipient": row.recipient, "content": row.content, "acknowledged": row.acknowledged})
    _audit(session, who, "feedback_record", case, row)
    return row.id


def _same_feedback(session: Session, case: CaseRow, side: str, day: dt.date, channel: str, recipient: str,
                   content: str) -> str:
    """Why this feedback is not stored again: the letter already has a record of it (same side, day, channel,
    recipient and text — walk W31: 保存 three times stored three rows, a double tap two), or "" when it has none.
    Other text on the same day is another feedback."""
    rows = session.scalars(select(FeedbackRow).where(
        FeedbackRow.case_id == case.id, FeedbackRow.side == side, FeedbackRow.feedback_date == day,
        FeedbackRow.channel == channel, FeedbackRow.recipient == recipient).order_by(FeedbackRow.id)).all()
    if not any((r.content or "").strip() == content for r in rows):
        return ""
    said = " ".join(p for p in (FEEDBACK_SIDE_LABELS[side], day.isoformat(), channel, recipient) if p)
    return (f"信访件 {case.case_no} 已有相同的反馈记录（{said}），未重复保存。"
            "如要补充或标记对方已确认收到，请在“反馈记录”中选择“更正”那一条。")


def _audit(session: Session, who: str, action: str, case: CaseRow, row: FeedbackRow,
           fields: list[str] | None = None) -> None:
    """审计日志 of a feedback record (walk W15: only in its own 修改记录): who, which record of which case, its side,
    date, channel and whether acknowledged, the fields a correction changed; never its content or recipient, which
    may name the petitioner."""
    from planner.office import audit

    detail = {"feedback": row.id, "side": row.side, "feedback_date": row.feedback_date, "channel": row.channel,
              "acknowledged": bool(row.acknowledged)}
    if action == "feedback_record":
        audit.record(session, who, "feedback_record", case_nos=[case.case_no], detail=detail)
    else:
        audit.record(session, who, "feedback_correct", case_nos=[case.case_no],
                     detail={**detail, "fields": list(fields or ())})


@_stale_as_conflict
def acknowledge_feedback(
    session: Session, feedback_id: int, *, who: str, acknowledged: bool = True, expected_version: int | None = None
) -> None:
    """Mark a feedback record as acknowledged (or not) by its recipient.

    Raises
    ------
    NotFoundError
        If there is no such record.
    ConflictError
        If the record changed since ``expected_version`` was read.
    """
    who = _need_who(who)
    row = session.get(FeedbackRow, feedback_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {feedback_id!r} 的反馈记录")
    _check_version("feedback", feedback_id, row.version, expected_version)
    before = row.acknowledged
    row.acknowledged = bool(acknowledged)
    case = session.get(CaseRow, row.case_id)
    _history(session, case, who, "feedback_ack", {"feedback_id": feedback_id, "acknowledged": row.acknowledged})
    log_change(session, "feedback", feedback_id, who=who, action="acknowledged", case_id=case.id,
               changes={"acknowledged": {"from": before, "to": row.acknowledged}})
    _audit(session, who, "feedback_correct", case, row, ["acknowledged"])
    _flush(session, f"feedback {feedback_id!r}")


@_stale_as_conflict
def correct_feedback(
    session: Session,
    feedback_id: int,
    *,
    who: str,
    expected_version: int | None = None,
    feedback_date: dt.date | None = None,
    channel: str | None = None,
    content: str | None = None,
    recipient: str | None = None,
    acknowledged: bool | None = None,
) -> bool:
    """Correct a feedback record (date, channel, content, recipient, acknowledged); what changed goes to its history.

    Arguments left as None keep their stored value.

    Returns
    -------
    bool
        True when something changed.

    Raises
    ------
    NotFoundError
        If there is no such record.
    InputError
        For an empty content or a date that is not a date.
    ConflictError
        If the record changed since ``expected_version`` was read.
    """
    who = _need_who(who)
    row = session.get(FeedbackRow, feedback_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {feedback_id!r} 的反馈记录")
    _check_version("反馈记录", feedback_id, row.version, expected_version)
    if content is not None and not str(content).strip():
        raise InputError(f"反馈记录 #{feedback_id} 的反馈须填写内容：“反馈内容”不能为空。")
    if feedback_date is not None and not isinstance(feedback_date, dt.date):
        raise InputError(f"反馈日期应为日期（如 2026-12-07），收到 {feedback_date!r}")
    wanted = {"feedback_date": feedback_date, "channel": None if channel is None else str(channel).strip(),
              "content": None if content is None else str(content).strip(),
              "recipient": None if recipient is None else str(recipient).strip(),
              "acknowledged": None if acknowledged is None else bool(acknowledged)}
    after = {k: v for k, v in wanted.items() if v is not None}
    changes = diff({k: getattr(row, k) for k in after}, after)
    if not changes:
        return False
    for k, v in after.items():
        setattr(row, k, v)
    case = session.get(CaseRow, row.case_id)
    _history(session, case, who, "feedback_corrected", {"feedback_id": feedback_id, "changes": changes})
    log_change(session, "feedback", feedback_id, who=who, action="corrected", case_id=case.id, changes=changes)
    _audit(session, who, "feedback_correct", case, row, list(changes))
    _flush(session, f"feedback {feedback_id!r}")
    return True


def feedback_for_case(session: Session, case_no: str) -> list[FeedbackRecord]:
    """Feedback records of a case, oldest first."""
    case = _case_row(session, case_no)
    rows = session.scalars(
        select(FeedbackRow).where(FeedbackRow.case_id == case.id).order_by(FeedbackRow.feedback_date, FeedbackRow.id)
    ).all()
    return [_feedback(case.case_no, r) for r in rows]


def _feedback(case_no: str, r: FeedbackRow) -> FeedbackRecord:
    return FeedbackRecord(r.id, case_no, r.side, r.feedback_date, r.channel, r.content, r.recipient,
                          r.acknowledged, r.recorded_by, r.version)


def _unreachable(case: CaseRow) -> bool:
    """An anonymous letter with no phone: there is no petitioner to give feedback to."""
    p = case.petitioner
    if p is None:  # nothing known of the writer: not known to be anonymous either
        return False
    name = (p.name or "").strip()
    return not (p.phone or "").strip() and (not name or name in NO_NAME_WORDS)


def missing_feedback(
    session: Session, *, only_partial: bool = False, county_codes: tuple[str, ...] = (), actor: object | None = None
) -> list[MissingFeedback]:
    """Handled cases (已下访, 已化解, 已澄清, 已办结) that lack feedback to one or both sides. A side given for another
    letter of the same repeat chain counts (the letters are handled together); an anonymous letter without a phone
    needs none to the petitioner.

    Parameters
    ----------
    only_partial
        List only cases where exactly one side has been given feedback.
    county_codes
        Restrict to these counties (empty: all).
    actor
        Only cases this ``planner.office.security.Actor`` may see (None: all).
    """
    query = _visible(select(CaseRow).where(CaseRow.status.in_([s.value for s in HANDLED_STATUSES])), actor)
    if county_codes:
        query = query.where(CaseRow.county_code.in_(list(county_codes)))
    # The writers with the letters (_unreachable reads each one's): not one query per letter.
    cases = session.scalars(query.options(selectinload(CaseRow.petitioner)).order_by(CaseRow.case_no)).all()
    sides: dict[str, set[str]] = {}
    for case_no, side in session.execute(select(CaseRow.case_no, FeedbackRow.side).join(
            FeedbackRow, FeedbackRow.case_id == CaseRow.id).distinct()):
        sides.setdefault(case_no, set()).add(side)
    # Walk M: a repeat letter closed together with its first letter (随…一并办理) was listed as lacking both sides
    # though the first letter had both; an anonymous letter as lacking feedback to a petitioner nobody can reach.
    mates = chain_mates(session, [c.case_no for c in cases])
    # Walk W17: feedback given on a finding corrected since is to give again (待重新反馈).
    again = {} if only_partial else to_give_again(session, [c.id for c in cases])
    out = []
    for c in cases:
        have = set(sides.get(c.case_no, set())).union(*(sides.get(m, set()) for m in mates.get(c.case_no, ())))
        if _unreachable(c):
            have.add("petitioner")
        missing = tuple(s for s in FEEDBACK_SIDES if s not in have)
        redo = tuple(s for s in FEEDBACK_SIDES if s not in missing and (c.id, s) in again)
        if not (missing or redo) or (only_partial and len(missing) != 1):
            continue
        out.append(MissingFeedback(c.case_no, _summary(c), c.county, CaseStatus(c.status), missing, redo))
    return out
