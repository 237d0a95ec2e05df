"""What a recorded visit outcome has become the ground of, and who may change it then (walk W15).

Walk W15: a leader corrected ZZJW-2026-11-038's visit to 反映不实 with 6 户次, issued the 澄清函 on it and recorded
feedback to both sides; the officer then chose 修改走访结果 › 未找到 on the phone and saved without a word. The letter
stayed 已澄清 with its issued letter saying 经带信下访实地调查核实…不属实, while 统计 counted 不属实 0 and 带信下访 0.

The rules, checked by :func:`planner.followup.outcomes.correct_outcome` (and so by every page and the phone):

- an officer may not change what a leader, coordinator or administrator corrected on the record (their value still
  stands), nor change the finding (结果, 反映问题, 问题已解决) of a record a 澄清函 or feedback was given on: refused,
  naming who corrected it and what was issued, and asking them to have the leader correct it;
- a leader, coordinator or administrator changing that finding is told the same and must confirm
  (``confirm_basis``); a confirmed change that takes the ground from an issued 澄清函 withdraws that letter
  (已撤回, :mod:`planner.followup.clarification_withdraw`): it stays on record as issued, 统计 no longer counts it,
  and a new one may be issued when a visit finds the report untrue again.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import VisitResult
from planner.errors import RecordHeldError
from planner.followup.clarification_withdraw import finding_label, standing, withdraw_clarifications
from planner.store.models import CaseRow, ClarificationRow, FeedbackRow, RecordHistory, UserRow, VisitOutcomeRow

#: The fields that say what the visit found: what a 澄清函 or a feedback rests on.
FINDING_FIELDS = ("result", "report_true", "report_partly", "problem_resolved")

#: The fields' names as the forms say them.
FIELD_LABELS = {"result": "结果", "report_true": "认定", "report_partly": "认定",
                "problem_resolved": "问题已解决",
                "households_visited": "入户走访", "leads_collected": "收集线索", "problems_solved": "解决问题",
                "findings": "核查情况", "reason": "原因", "visit_date": "走访日期", "team_id": "检查组",
                "time_spent_min": "用时", "put_off_to": "改到哪天", "visit_type": "记录类别"}

#: What the confirmation is called on 回访跟踪's form.
CONFIRM_LABEL = "确认更正（改掉“反映不实”的认定将撤回据此出具的澄清函；已登记的反馈仍以原认定为据）"


def _label(session: Session, username: str) -> str:
    from planner.store.lifecycle import account_label

    return account_label(session, username)


def role_of(session: Session, who: str) -> str | None:
    """The role of account ``who`` (None: no such account, e.g. a batch job)."""
    return session.scalars(select(UserRow.role).where(UserRow.username == who)).first()


def _untrue(result: str, report_true: bool | None) -> bool:
    return result == VisitResult.VISITED.value and report_true is False


def issued_on(session: Session, case: CaseRow, row: VisitOutcomeRow) -> tuple[list[ClarificationRow], list]:
    """The 澄清函 resting on ``row`` (it is the case's only visit found 反映不实) and the case's feedback records."""
    clar: list[ClarificationRow] = []
    if _untrue(row.result, row.report_true):
        others = session.scalars(select(VisitOutcomeRow.id).where(
            VisitOutcomeRow.case_id == case.id, VisitOutcomeRow.id != row.id,
            VisitOutcomeRow.result == VisitResult.VISITED.value, VisitOutcomeRow.report_true.is_(False))).first()
        if others is None:
            clar = list(session.scalars(standing(select(ClarificationRow).where(ClarificationRow.case_id == case.id))
                                        .order_by(ClarificationRow.id)))
    feedback = list(session.scalars(select(FeedbackRow).where(FeedbackRow.case_id == case.id)
                                    .order_by(FeedbackRow.feedback_date, FeedbackRow.id)))
    return clar, feedback


def _issued_text(session: Session, clar: list[ClarificationRow], feedback: list) -> str:
    from planner.followup.common import FEEDBACK_SIDE_LABELS

    parts = [f"出具了澄清函（{c.cadre}，{c.issued_date.isoformat()}，{_label(session, c.recorded_by)}）"
             for c in clar]
    if feedback:
        sides = "、".join(dict.fromkeys(FEEDBACK_SIDE_LABELS.get(f.side, f.side) for f in feedback))
        parts.append(f"登记了向{sides}的反馈（{feedback[0].feedback_date.isoformat()}）")
    return "、".join(parts)


def outcome_grounds(session: Session, outcome_id: int) -> str:
    """What was issued on stored outcome ``outcome_id``'s finding (``"出具了澄清函（…）、登记了向信访人的反馈（…）"``),
    or ``""``: for 回访跟踪 to warn before a correction."""
    row = session.get(VisitOutcomeRow, outcome_id)
    if row is None:
        return ""
    return _issued_text(session, *issued_on(session, session.get(CaseRow, row.case_id), row))


def _office_fixes(session: Session, row: VisitOutcomeRow, who: str) -> dict[str, RecordHistory]:
    """Field -> the correction of ``row`` by a leader, coordinator or administrator other than ``who`` that set its
    value, for the fields whose stored value is still the one they set."""
    roles = dict(session.execute(select(UserRow.username, UserRow.role)).all())
    out: dict[str, RecordHistory] = {}
    for h in session.scalars(select(RecordHistory).where(
            RecordHistory.kind == "outcome", RecordHistory.record_id == row.id,
            RecordHistory.action == "corrected").order_by(RecordHistory.id)):
        for f in h.changes or {}:
            out.pop(f, None)
            if h.who != who and roles.get(h.who) in ("leader", "coordinator", "admin") and f in FIELD_LABELS:
                out[f] = h
    # Only what still stands: a value changed since by someone else is theirs.
    return out


def _stands(row: VisitOutcomeRow, fields: list[str]) -> str:
    """What a correction set that still stands, in words: ``认定 反映不实、入户走访 6 户次、核查情况``."""
    said: list[str] = []
    for f in fields:
        if f in ("report_true", "report_partly"):
            said.append(f"认定 {finding_label(row.result, row.report_true, bool(row.report_partly))}")
        elif f == "result":
            said.append(f"结果 {VisitResult(row.result).label}")
        elif f == "problem_resolved":
            said.append(f"问题{'已' if row.problem_resolved else '未'}解决")
        elif f in ("households_visited", "leads_collected", "problems_solved"):
            unit = {"households_visited": "户次", "leads_collected": "条", "problems_solved": "个"}[f]
            said.append(f"{FIELD_LABELS[f]} {getattr(row, f)} {unit}")
        else:
            said.append(FIELD_LABELS[f])
    return "、".join(dict.fromkeys(said))


def _officer_refusal(session: Session, what: str, row: VisitOutcomeRow, changed: dict, fixes: dict, issued: str,
                     gone: list[ClarificationRow]) -> str:
    """Why an officer's correction is refused: each correction by the office that the change would undo (who, when,
    which 认定 and fields), the letters issued on the finding, and whom to ask."""
    from planner.office.clock import show_time

    held: dict[int, tuple[RecordHistory, list[str]]] = {}
    for f, h in fixes.items():
        held.setdefault(h.id, (h, []))[1].append(f)
    order = {f: i for i, f in enumerate(FIELD_LABELS)}

    def ordered(fields):
        return sorted(fields, key=lambda f: order.get(f, len(order)))

    blocking = [(h, ordered(fields)) for h, fields in held.values() if set(fields) & set(changed)]
    said = [f"已由 {_label(session, h.who)} 于 {show_time(h.at)} 更正（{_stands(row, fields)}）"
            for h, fields in blocking]
    if issued:
        basis = f"（认定{finding_label(row.result, row.report_true, bool(row.report_partly))}）" if gone else ""
        said.append(f"并已据此{basis}{issued}" if said else f"已据此{basis}{issued}")
    touched = "、".join(dict.fromkeys(FIELD_LABELS[f] for f in ordered(changed)
                                      if f in fixes or (issued and f in FINDING_FIELDS)))
    papers = "、".join(p for p in ("澄清函" if gone else "", "反馈" if "反馈" in issued else "") if p)
    from planner.office.authorisation import ROLE_LABELS

    roles = {h.who: role_of(session, h.who) for h, _ in blocking}
    # Who corrected it, as they are: 协调员 徐协调（xtc）, 组长 黄组长（lead） (walk W17: a coordinator's correction
    # was said to be the 组长's, and the officer was sent to the 组长).
    titles = "或".join(dict.fromkeys(ROLE_LABELS.get(r or "", "") for r in roles.values() if r)) or "组长或协调员"
    rule = "，也不能改动".join(r for r in (f"{titles}更正过的内容" if blocking else "",
                                         f"{papers}所依据的结果和认定" if issued else "") if r)
    named = "、".join(f"{ROLE_LABELS[roles[w]] + ' ' if roles[w] in ROLE_LABELS else ''}{_label(session, w)}"
                      for w in roles)
    ask = (f"请联系{named}，由{'其' if len(roles) == 1 else '他们'}在“回访跟踪 › 走访结果”中更正" if named
           else "请联系本组组长或协调员，由其在“回访跟踪 › 走访结果”中更正")
    return (f"{what}{'，'.join(said)}。干部不能改动{rule}（你改动了{touched}），你的修改没有保存。"
            f"如确需更正，{ask}"
            + ("（确认更正后，已出具的澄清函将标记为已撤回）" if gone else "") + "。")


def check_basis(session: Session, case: CaseRow, row: VisitOutcomeRow, changed: dict, *, who: str,
                role: str | None, confirmed: bool) -> list[ClarificationRow]:
    """Refuse (:class:`RecordHeldError`) a correction of ``row`` by ``who`` that an officer may not make, or that a
    leader must confirm first; return the 澄清函 whose ground a confirmed correction takes away
    (:func:`note_basis_changed`)."""
    role = role or role_of(session, who)
    finding = [f for f in FINDING_FIELDS if f in changed]
    clar, feedback = issued_on(session, case, row) if finding else ([], [])
    gone = clar if _untrue(row.result, row.report_true) and not _untrue(
        changed.get("result", {}).get("to", row.result) if "result" in changed else row.result,
        changed["report_true"]["to"] if "report_true" in changed else row.report_true) else []
    issued = _issued_text(session, gone, feedback)
    what = f"信访件 {case.case_no} {row.visit_date.isoformat()} 的走访记录"
    if role == "officer":
        fixes = _office_fixes(session, row, who)
        if set(changed) & set(fixes) or issued:
            raise RecordHeldError(_officer_refusal(session, what, row, changed, fixes, issued, gone))
        return []
    if issued and not confirmed:
        raise RecordHeldError(f"{what}已据此{issued}：更正结果或认定后，这些文书的依据将与记录不符"
                              + ("（确认后已出具的澄清函将标记为已撤回，不再计入统计；如再次认定反映不实，可重新出具）"
                                 if gone else "")
                              + f"。确需更正，请在“回访跟踪 › 走访结果”勾选“{CONFIRM_LABEL}”后再保存。")
    return gone


def note_basis_changed(session: Session, case: CaseRow, row: VisitOutcomeRow, gone: list[ClarificationRow], *,
                       who: str) -> None:
    """Withdraw each 澄清函 resting on ``row``, whose corrected visit no longer finds the report untrue (已撤回:
    in its history, the case's 办理记录 and 审计日志; :func:`withdraw_clarifications`)."""
    withdraw_clarifications(session, case, row, gone, who=who)
