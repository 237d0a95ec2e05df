"""Letters whose place changed after their plan was made: found on the plan side, told to the leader and the officer.

A register imported again (or a point corrected on 案件地图) can move a letter that a draft or issued plan holds
(walk W11: ZZ-XF-2026-0124 went from 龙海区榜山镇柯坑村 to 长泰区岩溪镇甘寨村 while the officer's 行程 still read
下一站：4. 龙海区榜山镇柯坑村 and 路线规划 said nothing). A plan keeps each letter's county, town and village as it was
planned (``doc.cases``): a letter whose place now differs, or (on a saved plan) whose point an import or a correction
moved over :data:`MOVED_KM` since the plan was saved, is a moved letter until the plan is planned again with it.

Public API
----------
``moved_letters(session, doc, plan_id=None) -> list[MovedLetter]``
    The moved letters of a plan document (stops already visited under ``plan_id`` left out).
``plan_moves(session, plan_id) -> list[MovedLetter]``
    The same for a saved plan, as saved.
``live_plan_moves(session, case_nos=None, plan_ids=None) -> dict[int, list[MovedLetter]]``
    By draft, issued or running plan.
``with_current_places(session, doc, moves) -> PlanDocument``
    The plan to re-plan: moved stops at the letters' places now (a letter moved off a shared stop is its own stop).
``plan_warning(label, moves) -> str`` / ``moved_by_import(session, case_nos) -> str``
    What 路线规划 and 导入结果 (the page and ``python -m planner import``) say.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InputError
from planner.store.models import CaseRow, PlanCase, PlanRow

#: A letter whose point moved further than this since its plan was saved was moved (a point corrected or re-read).
MOVED_KM = 1.0
#: Plan states that still send someone out.
LIVE_STATES = ("draft", "issued", "approved", "in_progress")
#: What a stop split off for a letter moved off it is called (``V004-改址``).
SPLIT_SUFFIX = "-改址"


@dataclass(frozen=True, slots=True)
class MovedLetter:
    """One letter of stop ``visit_id`` planned at ``planned`` and now at ``now`` (place names, no identity)."""

    visit_id: str
    case_no: str
    planned: str
    now: str
    lon: float | None = None
    lat: float | None = None
    whole_stop: bool = True  # every letter of the stop moved
    routed: bool = True  # the stop is on one of the plan's routes (walk W20: not one the plan left 未安排)

    def sentence(self) -> str:
        """``V004 ZZ-XF-2026-0124：计划按 龙海区榜山镇柯坑村 排定，现为 长泰区岩溪镇甘寨村``."""
        if self.planned == self.now:  # a point moved within its place
            return f"{self.visit_id} {self.case_no}：计划排定后位置已改（仍在 {self.now}，点位已移动）"
        return f"{self.visit_id} {self.case_no}：计划按 {self.planned} 排定，现为 {self.now}"

    def officer_note(self) -> str:
        """What the officer's 行程 says under the stop."""
        if self.planned == self.now:
            return (f"{self.case_no} 的位置在计划排定后已改到 {self.now} 的另一点位（导航按新点位）：本计划是按原点位"
                    "排定的，组长已收到提示，将重新规划；出发前请与组长确认")
        return (f"{self.case_no} 的地址已改为 {self.now}：本计划是按原地址 {self.planned} 排定的，"
                "组长已收到提示，将重新规划；出发前请与组长确认")


def _place(county: object, town: object, village: object) -> str:
    return "".join(str(p or "") for p in (county, town, village))


def moved_letters(session: Session, doc: Any, plan_id: int | None = None) -> list[MovedLetter]:
    """The letters of ``doc`` whose place (county, town, village) differs from the one it was planned with, or whose
    point moved over :data:`MOVED_KM` since plan ``plan_id`` was saved, in stop order.

    Parameters
    ----------
    session
        Open session.
    doc
        A plan document (``planner.routing.planio.PlanDocument``) as saved or opened.
    plan_id
        The saved plan: stops with a visit recorded against it are left out (the visit was made).

    Returns
    -------
    list[MovedLetter]
        One per moved letter; letters not in the database are not judged.
    """
    from geodata import haversine_km

    wanted = {no for v in doc.visits.values() for no in v.case_nos}
    if not wanted:
        return []
    rows = {r.case_no: r for r in session.execute(
        select(CaseRow.case_no, CaseRow.county, CaseRow.town, CaseRow.village, CaseRow.lon, CaseRow.lat)
        .where(CaseRow.case_no.in_(wanted))).all()}
    done: Mapping[str, str] = {}
    points: dict[str, tuple[float, float]] = {}
    if plan_id is not None:
        from planner.store.plans import recorded_visits

        done = recorded_visits(session, plan_id, doc)
        points = _points_then(session, plan_id, wanted)
    out: list[MovedLetter] = []
    routed = doc.plan.planned_visit_ids()
    for vid in sorted(doc.visits):
        v = doc.visits[vid]
        if vid in done:
            continue
        found = []
        for no in v.case_nos:
            row = rows.get(no)
            if row is None:
                continue
            saved = doc.cases.get(no) or {}
            planned = _place(saved.get("county"), saved.get("town"), saved.get("village")) or v.label
            now = _place(row.county, row.town, row.village)
            was = points.get(no)
            far = (was is not None and row.lon is not None and row.lat is not None
                   and haversine_km(was[0], was[1], row.lon, row.lat) > MOVED_KM)
            if (saved and now and now != planned) or far:
                found.append(MovedLetter(vid, no, planned, now or planned, row.lon, row.lat, routed=vid in routed))
        whole = len(found) == len(v.case_nos)
        out += [dataclasses.replace(m, whole_stop=whole) for m in found]
    return out


def _points_then(session: Session, plan_id: int, case_nos: set[str]) -> dict[str, tuple[float, float]]:
    """The point each letter had when plan ``plan_id`` was last saved, for the letters whose point an import or a
    correction changed since (the first such change's old point): a point moved within its village says no other
    place, and a stop's point need not be its letter's (a visits.csv places stops itself)."""
    from planner.store.history import record_history
    from planner.store.models import CaseHistory

    row = session.get(PlanRow, plan_id)
    saved = max([c.at for c in record_history(session, "plan", plan_id) if c.action in ("created", "replanned")]
                + ([row.created_at] if row is not None and row.created_at else []), default=None)
    if saved is None:
        return {}
    out: dict[str, tuple[float, float]] = {}
    for no, action, detail in session.execute(
            select(CaseRow.case_no, CaseHistory.action, CaseHistory.detail)
            .join(CaseRow, CaseRow.id == CaseHistory.case_id)
            .where(CaseRow.case_no.in_(case_nos), CaseHistory.at > saved,
                   CaseHistory.action.in_(("import_update", "relocate")))
            .order_by(CaseHistory.at, CaseHistory.id)):
        changed = (detail or {}).get("changed") or {}
        lon, lat = (changed.get("lon") or {}).get("old"), (changed.get("lat") or {}).get("old")
        if action == "relocate" and (detail or {}).get("from"):
            lon, lat = (detail["from"] + [None, None])[:2]
        if no not in out and isinstance(lon, int | float) and isinstance(lat, int | float):
            out[no] = (float(lon), float(lat))
    return out


def plan_moves(session: Session, plan_id: int) -> list[MovedLetter]:
    """:func:`moved_letters` of saved plan ``plan_id`` as saved ([] when there is no such plan)."""
    from planner.routing.planio import plan_from_json

    row = session.get(PlanRow, plan_id)
    if row is None or not row.result:
        return []
    return moved_letters(session, plan_from_json(row.result), plan_id)


def live_plan_moves(session: Session, case_nos: Iterable[str] | None = None,
                    plan_ids: Iterable[int] | None = None, *, routed_only: bool = True) -> dict[int, list[MovedLetter]]:
    """:func:`plan_moves` of each draft, issued or running plan (those holding one of ``case_nos``, of ``plan_ids``
    when given), plan by plan; plans with no moved letter (of ``case_nos``) are left out. Only the stops on the
    plan's routes count (walk W20: two stops the issued plan left 未安排 were named as needing a re-plan), unless
    ``routed_only`` is False (each then says whether it is ``routed``)."""
    q = select(PlanRow.id).where(PlanRow.status.in_(LIVE_STATES)).order_by(PlanRow.id)
    wanted = None if case_nos is None else set(case_nos)
    if wanted is not None:
        if not wanted:
            return {}
        q = q.where(PlanRow.id.in_(select(PlanCase.plan_id).join(CaseRow, CaseRow.id == PlanCase.case_id)
                                   .where(CaseRow.case_no.in_(wanted))))
    if plan_ids is not None:
        q = q.where(PlanRow.id.in_(list(plan_ids)))
    out = {}
    for pid in session.scalars(q):
        try:
            found = plan_moves(session, pid)
        except InputError:
            continue  # a stored plan that no longer reads is the plan page's to say, not a moved letter
        moves = [m for m in found if (wanted is None or m.case_no in wanted) and (m.routed or not routed_only)]
        if moves:
            out[pid] = moves
    return out


def with_current_places(session: Session, doc: Any, moves: Sequence[MovedLetter], *, split: bool = True) -> Any:
    """``doc`` ready to plan again with ``moves``: a stop all of whose letters moved stands at their place now
    (point and label), a letter moved off a shared stop becomes its own stop ``V004-改址`` (not routed until
    planned; ``split=False``, as the officer's day shows it: it stays on its stop, after the letters still there,
    so the stop keeps its planned place's name), and the moved letters' details
    (county, town, village, address, identities masked) are today's."""
    from planner.store.cases import field_case_details

    if not moves:
        return doc
    visits = dict(doc.visits)
    by_stop: dict[str, list[MovedLetter]] = {}
    for m in moves:
        by_stop.setdefault(m.visit_id, []).append(m)
    for vid, ms in by_stop.items():
        v = visits.get(vid)
        first = next((m for m in ms if m.lon is not None and m.lat is not None), None)
        if v is None or first is None:
            continue
        if ms[0].whole_stop:
            visits[vid] = dataclasses.replace(v, lon=first.lon, lat=first.lat, label=first.now)
            continue
        if not split:
            # The stop stays where it was planned and is named so (walk W12b: 下一站 read the moved letter's village
            # while the stop, its point and its other letter were still 淮溪村): the letters still there come first.
            gone = {m.case_no for m in ms}
            visits[vid] = dataclasses.replace(v, case_nos=tuple(c for c in v.case_nos if c not in gone)
                                              + tuple(c for c in v.case_nos if c in gone))
            continue
        gone = {m.case_no for m in ms}
        visits[vid] = dataclasses.replace(v, case_nos=tuple(c for c in v.case_nos if c not in gone))
        visits[vid + SPLIT_SUFFIX] = dataclasses.replace(
            v, visit_id=vid + SPLIT_SUFFIX, lon=first.lon, lat=first.lat, label=first.now,
            case_nos=tuple(c for c in v.case_nos if c in gone), locked=False)
    cases = {**doc.cases, **field_case_details(session, {m.case_no for m in moves})}
    return dataclasses.replace(doc, visits=visits, cases=cases)


def moves_text(moves: Sequence[MovedLetter]) -> str:
    """One line for 路线规划: which letters moved, from where to where."""
    return "；".join(m.sentence() for m in moves)


def plan_warning(label: str, moves: Sequence[MovedLetter]) -> str:
    """路线规划's warning for plan ``label``: which letters moved, and what to do (the existing re-plan)."""
    return (f"计划 {label} 需重新规划：信访件的地点在计划之后改了——{moves_text(moves)}。"
            "打开此计划后点“重新规划其余走访点”，改了地点的走访点按现在的地点排。")


def import_moves_text(by_plan: Mapping[int, Sequence[MovedLetter]], names: Mapping[int, str]) -> str:
    """What 导入结果 says of letters on live plans whose place the import changed ("" when none)."""
    parts = [f"计划 #{pid}「{names.get(pid, '')}」：{moves_text(on)}" for pid, ms in by_plan.items()
             if (on := [m for m in ms if m.routed])]
    aside = [f"计划 #{pid}「{names.get(pid, '')}」中未安排的 {len(off)} 件位置已变（"
             + "、".join(m.case_no for m in off) + "）"
             for pid, ms in by_plan.items() if (off := [m for m in ms if not m.routed])]
    text = ("以下信访件已排入计划，但登记表改了地点，需组长重新规划（已在“路线规划”提示组长）：" + "；".join(parts)
            if parts else "")
    # Walk W20: stops the plan left 未安排 are on no route: said as information, not as a plan to re-plan.
    return text + ("。" if text and aside else "") + (
        "；".join(aside) + "：这些走访点未排入线路，已排的线路不受影响，无需为此重新规划" if aside else "")


def moved_by_import(session: Session, case_nos: Iterable[str]) -> str:
    """:func:`import_moves_text` of the live plans holding one of ``case_nos`` (an import's letters) that moved."""
    from planner.store.plans import plan_name

    moved = live_plan_moves(session, case_nos, routed_only=False)
    names = {pid: plan_name(r.name, r.start_date, r.days) for pid in moved if (r := session.get(PlanRow, pid))}
    return import_moves_text(moved, names)
