"""Feedback (双反馈) given on a finding that was corrected since: shown as given on the old finding, to give again.

Walk W17: gb4 recorded 049 as 不实 and gave 向信访人反馈 (反映问题不实); the coordinator then corrected the finding to
部分属实. 回访跟踪 still said "信访人：已反馈" with no warning, the 双反馈缺项 list did not ask for a new feedback, and
统计 counted it as any other.

A feedback record is *superseded* when a correction of one of its letter's visit records changed the finding
(结果, 认定, 问题已解决) after the feedback was recorded (by the order of the 修改记录 lines). A side (信访人, 党委政府)
is *to give again* (待重新反馈) when its latest feedback is superseded. The feedback given stays recorded and counted as
given (it was given, on its day); :func:`planner.followup.stats.compute_stats` adds how many of the letters counted
are to be given again, 回访跟踪 says it beside the side and in 双反馈缺项.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.followup.clarification_withdraw import finding_label
from planner.followup.common import FEEDBACK_SIDES
from planner.store.models import CaseRow, FeedbackRow, RecordHistory, VisitOutcomeRow

#: The fields of a visit record that say its finding.
_FINDING = ("result", "report_true", "report_partly", "problem_resolved")


@dataclass(frozen=True, slots=True)
class Superseded:
    """A feedback record given on a finding corrected since: the finding then and now."""

    feedback_id: int
    case_id: int
    side: str
    was: str  # e.g. 反映不实
    now: str  # e.g. 反映部分属实


def _label(values: dict) -> str:
    said = finding_label(values["result"], values["report_true"], bool(values["report_partly"]))
    return said + ("，问题已解决" if values["result"] == "visited" and values["problem_resolved"] else "")


def superseded_feedback(session: Session, case_ids: Iterable[int] | None = None) -> dict[int, Superseded]:
    """Feedback id -> :class:`Superseded`, for the feedback of ``case_ids`` (None: every letter) given before a
    correction that changed its letter's finding."""
    query = select(FeedbackRow.id, FeedbackRow.case_id, FeedbackRow.side)
    if case_ids is not None:
        ids = sorted(set(case_ids))
        if not ids:
            return {}
        query = query.where(FeedbackRow.case_id.in_(ids))
    feedback = list(session.execute(query))
    if not feedback:
        return {}
    cases = sorted({c for _f, c, _s in feedback})
    created = dict(session.execute(select(RecordHistory.record_id, RecordHistory.id).where(
        RecordHistory.kind == "feedback", RecordHistory.action == "created",
        RecordHistory.record_id.in_([f for f, _c, _s in feedback]))).all())
    rows = {r.id: r for r in session.scalars(select(VisitOutcomeRow).where(VisitOutcomeRow.case_id.in_(cases)))}
    # Each finding change: (修改记录 line id, case, finding before, finding after), newest first to rebuild "before".
    changes: list[tuple[int, int, str, str]] = []
    lines: dict[int, list] = {}
    for oid, line_id, changed in session.execute(select(
            RecordHistory.record_id, RecordHistory.id, RecordHistory.changes).where(
            RecordHistory.kind == "outcome", RecordHistory.record_id.in_(sorted(rows)),
            RecordHistory.action == "corrected").order_by(RecordHistory.id.desc())):
        lines.setdefault(oid, []).append((line_id, changed))  # one query for every record, not one each
    for oid, row in rows.items():
        now = {f: getattr(row, f) for f in _FINDING}
        for line_id, changed in lines.get(oid, ()):
            before = dict(now)
            for f in _FINDING:
                if isinstance((changed or {}).get(f), dict) and "from" in changed[f]:
                    before[f] = changed[f]["from"]
            if _label(before) != _label(now):
                changes.append((line_id, row.case_id, _label(before), _label({f: getattr(row, f) for f in _FINDING})))
            now = before
    out: dict[int, Superseded] = {}
    for fid, case_id, side in feedback:
        given = created.get(fid)
        if given is None:
            continue  # no line says when it was recorded: nothing to set it against
        later = sorted(c for c in changes if c[1] == case_id and c[0] > given)
        if later and later[0][2] != later[-1][3]:  # changed back since: given on the finding that stands
            out[fid] = Superseded(fid, case_id, side, later[0][2], later[-1][3])
    return out


def to_give_again(session: Session, case_ids: Iterable[int] | None = None) -> dict[tuple[int, str], Superseded]:
    """(case id, side) -> the superseded latest feedback of that side: the sides to give feedback again."""
    gone = superseded_feedback(session, case_ids)
    if not gone:
        return {}
    latest: dict[tuple[int, str], int] = {}
    for fid, case_id, side in session.execute(select(FeedbackRow.id, FeedbackRow.case_id, FeedbackRow.side)
                                              .where(FeedbackRow.case_id.in_(sorted({s.case_id
                                                                                     for s in gone.values()})))
                                              .order_by(FeedbackRow.feedback_date, FeedbackRow.id)):
        latest[(case_id, side)] = fid
    return {key: gone[fid] for key, fid in latest.items() if fid in gone}


def side_states(session: Session, case_no: str) -> dict[str, str]:
    """Side -> what 回访跟踪 says of it: ``已反馈``, ``未反馈`` or ``已反馈（依据更正前的认定：反映不实），需按新认定
    （反映部分属实）重新反馈``."""
    case_id = session.scalars(select(CaseRow.id).where(CaseRow.case_no == case_no)).first()
    given = set(session.scalars(select(FeedbackRow.side).where(FeedbackRow.case_id == case_id)))
    again = to_give_again(session, [case_id]) if case_id is not None else {}
    out = {}
    for side in FEEDBACK_SIDES:
        if (s := again.get((case_id, side))) is not None:
            out[side] = f"已反馈（依据更正前的认定：{s.was}），需按新认定（{s.now}）重新反馈"
        else:
            out[side] = "已反馈" if side in given else "未反馈"
    return out


def correction_warning(session: Session, outcome_id: int) -> str:
    """What 回访跟踪 warns before a leader or coordinator corrects the finding of stored outcome ``outcome_id`` that a
    澄清函 or feedback rests on, or ``""``: the 澄清函 is said to be withdrawn only when one stands on it (walk W17:
    "已出具的澄清函将标记为已撤回" on a letter with none), the feedback to be given again when there is some."""
    from planner.followup.outcome_basis import issued_on, outcome_grounds

    row = session.get(VisitOutcomeRow, outcome_id)
    if row is None or not (grounds := outcome_grounds(session, outcome_id)):
        return ""
    clar, feedback = issued_on(session, session.get(CaseRow, row.case_id), row)
    after = "；".join(p for p in ("已出具的澄清函将标记为已撤回，不再计入统计" if clar else "",
                                 "已登记的反馈仍记为已反馈，并列为待重新反馈，请按新认定重新反馈" if feedback else "")
                      if p)
    return (f"这条记录已据此{grounds}：更正结果或认定后，这些文书的依据将与记录不符"
            + (f"（确认更正后，{after}）" if after else "") + "。")
