"""A saved plan's revisits that its last re-plan left out: still 待再访 when the plan is opened again.

A re-plan plans again the letters recorded 未找到 or 改期 (revisits). One it could not place was saved with the left-out
stops with the solver's reason, and :mod:`planner.store.plans` reads outcomes of routed stops only: opened again,
the stop read as a plain failure (可行，但 1 个必访点未排入, 待再访 0) and the next re-plan took it for a stop the plan
had promised, ahead of the other revisits and without its 未找到/改期 (walk W13). :func:`left_out_revisits` finds
them by their letters' records, and :func:`as_waiting` lists them as 待再访 again, with why they were left out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import VisitResult
from planner.routing.planio import PlanDocument
from planner.routing.revisits import REVISIT_CODE
from planner.store.models import CaseRow, VisitOutcomeRow


@dataclass(frozen=True, slots=True)
class LeftRevisit:
    """A left-out stop whose letters were recorded against the plan only as 改期 or 未找到."""

    day: dt.date  # the latest record
    put_off: bool  # a letter recorded 改期
    not_met: bool  # a letter recorded 未找到
    agreed: dt.date | None = None  # the latest day agreed with the petitioner at a letter's latest 改期


def outcome_rows(session: Session, plan_id: int, case_nos) -> list[tuple[str, dt.date, str]]:
    """(case number, visit date, result) of every outcome recorded against saved plan ``plan_id`` for ``case_nos``."""
    return [tuple(r) for r in session.execute(
        select(CaseRow.case_no, VisitOutcomeRow.visit_date, VisitOutcomeRow.result)
        .join(VisitOutcomeRow, VisitOutcomeRow.case_id == CaseRow.id)
        .where(VisitOutcomeRow.plan_id == plan_id, CaseRow.case_no.in_(sorted(case_nos)))
    ).all()]


def recorded_times(session: Session, plan_id: int, doc: PlanDocument, visits) -> dict[str, dt.datetime]:
    """Visit id -> when (Beijing time, naive) the latest result recorded against saved plan ``plan_id`` for a letter
    of each of ``visits`` (routed stops of ``doc``) was recorded, 改期 and 未找到 aside: when the team was there
    (:func:`planner.routing.history.done_parts`; walk W14b)."""
    from planner.office.clock import to_local

    where = {no: vid for vid in visits if vid in doc.visits for no in doc.visits[vid].case_nos}
    if not where:
        return {}
    missed = (VisitResult.POSTPONED.value, VisitResult.NOT_FOUND.value)
    out: dict[str, dt.datetime] = {}
    for no, at in session.execute(
            select(CaseRow.case_no, VisitOutcomeRow.recorded_at).join(VisitOutcomeRow, VisitOutcomeRow.case_id
                                                                      == CaseRow.id)
            .where(VisitOutcomeRow.plan_id == plan_id, CaseRow.case_no.in_(sorted(where)),
                   VisitOutcomeRow.result.not_in(missed))).all():
        if at is not None:
            local = to_local(at).replace(tzinfo=None)
            out[where[no]] = max(out.get(where[no], local), local)
    return out


def left_out_revisits(session: Session, plan_id: int, doc: PlanDocument) -> dict[str, LeftRevisit]:
    """The stops ``doc`` (saved plan ``plan_id``) leaves out whose letters have records against that plan, all of
    them 改期 or 未找到 (none visited): visit id -> what was recorded."""
    routed = {s.visit_id for r in doc.plan.routes for s in r.stops}
    where = {no: u.visit_id for u in doc.plan.unassigned if u.visit_id not in routed and u.visit_id in doc.visits
             for no in doc.visits[u.visit_id].case_nos}
    if not where:
        return {}
    rows = outcome_rows(session, plan_id, where)
    by_stop: dict[str, list[tuple[dt.date, str]]] = {}
    for no, day, result in rows:
        by_stop.setdefault(where[no], []).append((day, result))
    later, missed = VisitResult.POSTPONED.value, VisitResult.NOT_FOUND.value
    from planner.followup.put_off import agreed_days

    agreed = agreed_days(session, where)
    return {vid: LeftRevisit(max(d for d, _ in recs), any(r == later for _, r in recs),
                             any(r == missed for _, r in recs),
                             max((day for no, day in agreed.items() if where[no] == vid), default=None))
            for vid, recs in by_stop.items() if all(r in (later, missed) for _, r in recs)}


def _fact(reason: str) -> str:
    """The solver's fact of a saved reason, without 必访点无法排入：, 再访点（…）： and the 建议."""
    text = reason.removeprefix("必访点无法排入：")
    if text.startswith("再访点（") and "）：" in text:
        text = text.split("）：", 1)[1]
    return text.split("。建议：", 1)[0].rstrip("。")


def as_waiting(doc: PlanDocument, left: dict[str, LeftRevisit]) -> PlanDocument:
    """``doc`` with each stop of ``left`` listed as waiting to be visited again (:data:`REVISIT_CODE`), saying what
    was recorded and why the last re-plan left it out: ``12-07 在平和县山格镇隆庆村记录为改期、未找到：上次重新规划
    未能排入（1 个组日的运力不够（都已排满）…），重新规划时从 12-08 起安排``; a stop put off to a day agreed later
    is planned from that day (``…，约定 12-10 再访，重新规划时从 12-10 起安排``, as the re-plan reads it; walk S49a read
    从 12-08 起安排 of a visit agreed for 12-10)."""
    if not left:
        return doc
    out = []
    for u in doc.plan.unassigned:
        if (w := left.get(u.visit_id)) is None or u.reason_code == REVISIT_CODE:
            out.append(u)
            continue
        v = doc.visits[u.visit_id]
        kinds = "、".join(k for k, hit in (("改期", w.put_off), ("未找到", w.not_met)) if hit)
        fact = _fact(u.reason)
        start = max(w.day + dt.timedelta(days=1), w.agreed or w.day)
        out.append(dataclasses.replace(
            u, reason_code=REVISIT_CODE, suggestions=(),
            reason=f"{w.day:%m-%d} 在{v.label or u.visit_id}记录为{kinds}：上次重新规划未能排入"
                   + (f"（{fact}）" if fact else "") + (f"，约定 {w.agreed:%m-%d} 再访" if w.agreed else "")
                   + f"，重新规划时从 {start:%m-%d} 起安排"))
    return dataclasses.replace(doc, plan=dataclasses.replace(doc.plan, unassigned=tuple(out)))


def as_saved(session: Session, plan_id: int, doc: PlanDocument) -> PlanDocument:
    """``doc`` just saved as plan ``plan_id``, its revisits the re-plan could not place read 待再访 as
    :func:`planner.store.plans.open_plan` reads them (:func:`as_waiting` of :func:`left_out_revisits`): walk S49a read
    已安排 18，未安排 6 right after 保存为新版本 and 待再访 1，未安排 5 on opening the same plan again."""
    return as_waiting(doc, left_out_revisits(session, plan_id, doc))


def agreed_after_end(session: Session, doc: PlanDocument, stops) -> tuple[dt.date, dict[str, dt.date]]:
    """``doc``'s last working day, and visit id -> the day agreed with the petitioner at its letters' latest 改期 (the
    latest, as a re-plan reads it) for each of ``stops`` (visit ids) whose agreed day lies after it: no re-plan of
    these days can place them (walk S49a: 待再访 said 点“重新规划其余走访点”后排入 of a visit agreed for 12-10 on a
    plan ending 12-08)."""
    from planner.followup.put_off import agreed_days
    from planner.routing.problem import working_dates

    last = working_dates(doc.plan.start_date, max(1, int(doc.plan.days)))[-1]
    stops = [vid for vid in stops if vid in doc.visits]
    agreed = agreed_days(session, {no for vid in stops for no in doc.visits[vid].case_nos})
    out = {}
    for vid in stops:
        day = max((agreed[no] for no in doc.visits[vid].case_nos if no in agreed), default=None)
        if day is not None and day > last:
            out[vid] = day
    return last, out


def waiting_note(count: int, last: dt.date, late: dict[str, dt.date], names: dict[str, str]) -> str:
    """What 路线规划 says under 待再访的走访点 (``count`` stops): a re-plan places them, but not those of ``late``
    (:func:`agreed_after_end`, each named by ``names``), agreed for a day after the plan's last day ``last``."""
    if not late:
        return "上次走访记录为未找到或改期的信访件，尚未走访，点“重新规划其余走访点”后排入；不是规划失败。"
    rest = "其余的待再访点，点“重新规划其余走访点”后排入。" if len(late) < count else ""
    return "上次走访记录为未找到或改期的信访件，尚未走访；不是规划失败。" + rest + "".join(
        f"{names.get(vid) or vid}（约定 {day:%m-%d} 再访）晚于本计划最后一天 {last:%m-%d}，重新规划本计划排不进："
        f"需要包含 {day:%m-%d} 的计划（增加工作日数后点“开始规划”，或另做计划），"
        f"或与信访人改约 {last:%m-%d} 及以前的日期。" for vid, day in sorted(late.items()))


def waiting_letters(session: Session, plan_id: int, doc: PlanDocument | None) -> set[str]:
    """The letters of the stops ``doc`` (saved plan ``plan_id``) leaves out that are still to visit again
    (:func:`left_out_revisits`): an issued plan keeps them (已排程), not 退回待选 (walk W14: 1224号, 改期 for 12-10
    after the plan's last day, went back to 已登记 when the re-plan was saved)."""
    if doc is None:
        return set()
    return {no for vid in left_out_revisits(session, plan_id, doc) for no in doc.visits[vid].case_nos}


def dropped_on_save(session: Session, plan_id: int, saved: PlanDocument, new: PlanDocument,
                    places: dict[str, str] | None = None) -> list[str]:
    """What saving ``new`` over saved plan ``plan_id`` (read as ``saved``) takes off it, one line a stop of ``new``
    the planner could not place whose letters ``saved`` routed or held to visit again (walk W14: a re-plan left out
    1224号, 改期 with 12-10 agreed, and 保存 saved it without a word): the stop, its letters, the solver's reason, and
    what happens to the letters — a revisit stays with the plan as 待再访; another letter of an issued plan goes back
    to be chosen again (已登记). Empty when nothing the plan held is left out. ``places``: visit id -> the stop's name
    as 行程 writes it (:func:`planner.field.stop_names.stop_places`), the visit's label by default."""
    from planner.routing.revisits import awaiting_revisit, not_placed
    from planner.store.models import PlanRow

    held = {no for r in saved.plan.routes for s in r.stops for no in saved.visits[s.visit_id].case_nos
            if s.visit_id in saved.visits}
    held |= {no for u in awaiting_revisit(saved.plan.unassigned) if u.visit_id in saved.visits
             for no in saved.visits[u.visit_id].case_nos}
    routed = {no for r in new.plan.routes for s in r.stops if s.visit_id in new.visits
              for no in new.visits[s.visit_id].case_nos}
    out_stops = [u for u in not_placed(new.plan.unassigned) if u.visit_id in new.visits
                 and set(new.visits[u.visit_id].case_nos) & held and not set(new.visits[u.visit_id].case_nos) & routed]
    if not out_stops:
        return []
    again = left_out_revisits(session, plan_id, new)
    row = session.get(PlanRow, plan_id)
    draft = row is None or row.status == "draft"
    lines = []
    for u in out_stops:
        v = new.visits[u.visit_id]
        if (w := again.get(u.visit_id)) is not None:
            kinds = "、".join(k for k, hit in (("改期", w.put_off), ("未找到", w.not_met)) if hit)
            after = ("" if "记录为" in u.reason else f"{w.day:%m-%d} 记录为{kinds}，") \
                + "保存后信访件仍留在本计划（已排程），打开计划时列为待再访"
        else:
            after = "保存后信访件仍在本计划的走访清单（已选件）" if draft else "保存后信访件退回待选（已登记）"
        reason = u.reason.split("。建议：", 1)[0].rstrip("。")
        name = (places or {}).get(u.visit_id) or v.label or ""
        lines.append(f"{u.visit_id} {name}（信访件 {'、'.join(v.case_nos)}）：{reason}；{after}".replace(" （", "（"))
    return lines
