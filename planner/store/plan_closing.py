"""What 标记完成 means for a plan, in numbers, said before the office confirms it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.routing.problem import working_dates
from planner.store.lifecycle import plan_tally
from planner.store.models import PlanCase, PlanRow


def done_facts(session: Session, plan_id: int, today: dt.date) -> str:
    """``计划 #3：14 件中 0 件已走访，计划日期 12-07 至 12-08 尚未到来。`` on ``today``.

    Only real visits count: 改期 and 未找到 are said apart (team leader's walk: 16 件中 11 件已走访), and letters the
    plan left out are no visit of it (re-walk F: “12 件中 1 件已走访” for 5 routed and 7 left out).
    """
    row = session.get(PlanRow, plan_id)
    tally = plan_tally(session, plan_id)
    dates = sorted(d for d in session.scalars(select(PlanCase.visit_date).where(
        PlanCase.plan_id == plan_id, PlanCase.visit_date.is_not(None))))
    if not dates and row is not None and row.start_date is not None:
        dates = list(working_dates(row.start_date, max(1, int(row.days or 1))))
    text = f"计划 #{plan_id}：{tally.sentence()}"
    if tally.waiting:  # a revisit the last re-plan left out is still to visit, not a letter never planned (W13)
        text += f"（{tally.waiting_sentence()}" + (f"；另有 {tally.left_out} 件未排入" if tally.left_out else "") \
            + "；完成后退回待选）"
    elif tally.left_out > 0:
        text += f"（另有 {tally.left_out} 件未排入，完成后退回待选）"
    if dates:
        first, last = dates[0], dates[-1]
        span = first.strftime("%m-%d") + ("" if first == last else f" 至 {last.strftime('%m-%d')}")
        if first > today:
            text += f"，计划日期 {span} 尚未到来"
        elif last >= today:
            text += f"，计划日期 {span} 尚未结束"
        else:
            text += f"，计划日期 {span}"
    return text + "。"
