"""Demo history after the visit: plausible outcomes, 双反馈, 澄清, 整改 and 息诉息访 for the demo register.

Only for demonstrations and screenshots (the 统计 and 回访跟踪 pages are empty on a fresh register). Everything is
written through :mod:`planner.followup.outcomes`, so statuses, case history and return-visit proposals are as real use
would leave them, and the same seed gives the same history.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.domain import VisitOutcome
from planner.errors import InputError
from planner.followup.clarification import ClarificationLetter, issue_clarification
from planner.followup.feedback import record_feedback
from planner.followup.outcomes import record_outcome, record_settlement
from planner.followup.rectification import add_rectification, complete_rectification
from planner.followup.returns import list_followups, propose_return_visits
from planner.store.models import CaseRow, TeamRow, VisitOutcomeRow

_NOT_FOUND = ("信访人外出务工，电话无人接听", "地址不详，村委会无法确认住户", "信访人搬迁，去向不明")
_POSTPONED = ("暴雨道路中断，改期前往", "信访人住院，约定改期", "村两委换届，改期核查")
_FINDINGS_TRUE = ("反映问题基本属实，已责令退还并约谈相关人员", "部分属实，已督促镇政府限期整改",
                  "属实，已移交案件审理并督促清退")
_FINDINGS_FALSE = ("经查资金使用符合政策规定，反映不实", "经查相关程序合规，反映问题失实")
_RECT_ITEMS = ("全额清退违规收取款项", "公开村务财务收支明细", "修订相关管理制度并报备", "补发应享受的补贴")


def demo_history(
    session: Session,
    *,
    today: dt.date,
    seed: int = 7,
    share: float = 0.45,
    who: str = "演示数据",
) -> dict[str, int]:
    """Record a plausible history for a share of the cases received at least two weeks before ``today``.

    Does nothing when any outcome is already recorded (never mixes demo history into real records).

    Parameters
    ----------
    session
        Open session; the caller commits.
    today
        Nothing is dated after this day.
    seed
        Random seed; the same seed and cases give the same history.
    share
        Fraction of eligible cases that were visited (0..1).
    who
        User name written to the records and the history.

    Returns
    -------
    dict[str, int]
        Counts of what was written: outcomes, feedback, clarifications, rectifications, settlements, followups.
    """
    if not 0 <= share <= 1:
        raise InputError(f"演示记录比例 share 应在 0 到 1 之间，收到 {share!r}")
    counts = dict.fromkeys(("outcomes", "feedback", "clarifications", "rectifications", "settlements",
                            "followups"), 0)
    if session.scalar(select(func.count()).select_from(VisitOutcomeRow)):
        return counts
    rng = random.Random(seed)
    team_ids = list(session.scalars(select(TeamRow.id).order_by(TeamRow.id))) or ["T1"]
    cutoff = today - dt.timedelta(days=14)
    cases = list(session.scalars(select(CaseRow).where(CaseRow.received_date <= cutoff).order_by(CaseRow.case_no)))
    key_counts: dict[str, int] = {}
    for c in cases:
        if c.petitioner_key:
            key_counts[c.petitioner_key] = key_counts.get(c.petitioner_key, 0) + 1
    for case in cases:
        if rng.random() >= share:
            continue
        team = team_ids[int(case.county_code or "0") % len(team_ids)] if case.county_code else rng.choice(team_ids)
        day = min(case.received_date + dt.timedelta(days=rng.randint(7, 45)), cutoff)
        roll = rng.random()
        if roll < 0.12:
            # A first attempt (not found, postponed) comes before the visit; a visit is one record per day and
            # team, so an attempt that the cut-off would put on the visit's own day is not written.
            first = ("not_found", _NOT_FOUND, (5, 15)) if roll < 0.08 else ("postponed", _POSTPONED, (3, 10))
            kind, reasons, gap = first
            reason = rng.choice(reasons)
            later = min(day + dt.timedelta(days=rng.randint(*gap)), cutoff)
            if later > day:
                record_outcome(session, VisitOutcome(case.case_no, day, kind, team_id=team, reason=reason), who=who,
                               today=today)
                counts["outcomes"] += 1
            day = later
        untrue = rng.random() < 0.12
        resolved = not untrue and rng.random() < 0.5
        record_outcome(
            session,
            VisitOutcome(
                case.case_no, day, "visited", team_id=team,
                findings=rng.choice(_FINDINGS_FALSE if untrue else _FINDINGS_TRUE),
                problem_resolved=resolved, report_true=False if untrue else True,
                households_visited=rng.randint(3, 60), leads_collected=rng.choice((0, 0, 0, 1, 1, 2, 3)),
                problems_solved=rng.randint(1, 3) if resolved else rng.choice((0, 0, 1)),
                time_spent_min=rng.choice((60, 90, 120, 150)), recorded_by=who,
            ),
            who=who,
            today=today,
        )
        counts["outcomes"] += 1
        if untrue:
            letter = ClarificationLetter(
                cadre=(case.reported_persons or ["某某"])[0] if case.reported_persons else "某某",
                matter=(case.title or case.content or "有关问题")[:40],
                finding=rng.choice(_FINDINGS_FALSE).replace("，反映不实", "").replace("，反映问题失实", ""),
                addressee=f"中共{case.county or '漳州市'}{case.town or ''}委员会",
                issued_date=min(day + dt.timedelta(days=rng.randint(5, 20)), today),
            )
            issue_clarification(session, case.case_no, letter, who=who)
            counts["clarifications"] += 1
        for side, p in (("petitioner", 0.9), ("government", 0.55)):
            if rng.random() < p:
                record_feedback(session, case.case_no, side,
                                   feedback_date=min(day + dt.timedelta(days=rng.randint(1, 10)), today),
                                   channel=rng.choice(("当面", "电话", "书面")), content="反馈调查处理结果",
                                   recipient="" if side == "petitioner" else f"{case.town or case.county}党委政府",
                                   acknowledged=rng.random() < 0.7, who=who)
                counts["feedback"] += 1
        if resolved and rng.random() < 0.35:
            due = day + dt.timedelta(days=rng.randint(20, 60))
            rid = add_rectification(session, case.case_no, item=rng.choice(_RECT_ITEMS),
                                       owner=f"{case.county or ''}相关职能部门", due_date=due, who=who)
            counts["rectifications"] += 1
            if due < today and rng.random() < 0.6:
                complete_rectification(session, rid, done_date=due - dt.timedelta(days=rng.randint(0, 10)),
                                          who=who)
        if resolved and key_counts.get(case.petitioner_key, 0) >= 2 and rng.random() < 0.5:
            record_settlement(session, case.case_no, agreed_date=min(day + dt.timedelta(days=rng.randint(5, 30)),
                                                                         today),
                                 terms="相关诉求已依法依规处理，信访人同意息诉息访", who=who)
            counts["settlements"] += 1
    propose_return_visits(session, today)
    counts["followups"] = len(list_followups(session))  # open return visits and rectification checks
    session.flush()
    return counts
