"""Planning the stops of a saved plan again, as 开始规划 and 重新规划其余走访点 do on an opened plan: one way for both.

Either button on a plan that runs keeps what happened (visited stops, :mod:`planner.routing.history`), plans again
what was put off (改期), and keeps today's unvisited stops on the team that set out for them; the notes say what
it changed of that and what it assumed (a team with no record today leaves its base at now).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from planner.domain import Team, Visit
from planner.routing import report
from planner.routing.history import DonePart, put_off_again, replan_notes, route_changes
from planner.routing.planio import PlanDocument
from planner.routing.problem import PlanOptions, working_dates
from planner.routing.revisit_merge import revisit_reasons, revisits_joined, unpromised_reasons
from planner.routing.revisits import priority_notes, promised_stops
from planner.routing.same_place import absorbed_said, merged_notes, one_stop_per_village


def replan_document(visits: Sequence[Visit], teams: Sequence[Team], *, start_date: dt.date, days: int,
           options: PlanOptions, previous: PlanDocument | None = None, locked: Iterable[str] = (),
           kept: Sequence[DonePart] = (), put_off: Mapping[str, dt.date] | None = None,
           team_names: Mapping[str, str] | None = None, agreed: Mapping[str, dt.date] | None = None,
           not_met: Iterable[str] = (), places: Mapping[str, str] | None = None, both: Iterable[str] = (),
           **solver) -> tuple[PlanDocument, list[str]]:
    """:func:`planner.routing.report.plan_document` of ``visits`` (``solver``: its other arguments) and
    :func:`planner.routing.history.replan_notes` of the result.

    ``previous``: the saved plan as its teams have it (None for a new plan): today's stops not yet visited stay
    on their teams today (:func:`planner.routing.history.today_pins`) whichever button planned, and its routes are
    the warm start. ``kept``, ``put_off``: what happened of it (:func:`planner.store.plans.kept_history`,
    :func:`~planner.store.plans.put_off_history`). ``agreed``: letter -> the day agreed at its 改期
    (:func:`planner.followup.put_off.agreed_days`): a stop put off is planned again from that day on, not from the
    day after its 改期, and the notes say so. ``not_met``: the stops of ``put_off`` recorded as 未找到, not 改期
    (:func:`planner.store.plans.not_met_visits`): their notes say 未找到, or 改期、未找到 for those in ``both``
    (:attr:`planner.store.plans.OpenedPlan.both`: a stop of 改期 and 未找到 letters reopened). ``places``: visit id
    -> the stop's name on 行程 (:func:`planner.field.stop_names.stop_places`), for the changes of each day
    (:func:`day_notes`).
    """
    put_off = dict(put_off or {})
    locked = tuple(locked)
    visits = _with_split_off(visits, kept, put_off)
    # A revisit (未找到, 改期) is a stop to plan like any other, from its day on: its agreed day and the day after
    # its record bound it before it joins another stop of its village, which then waits for it too.
    days_agreed = _agreed_by_stop(visits, put_off, agreed or {})
    visits = put_off_again([dataclasses.replace(v, earliest_date=max(days_agreed[v.visit_id],
                                                                     v.earliest_date or dt.date.min))
                            if v.visit_id in days_agreed else v for v in visits], put_off)
    before = {v.visit_id: v for v in visits}
    # One stop per village (walk W12: a moved letter's stop and another stop of its village on one day, apart), the
    # revisits too (walk W13: 0168 未找到 and 0164 改期 of 隆庆村 stayed two stops, each dropped first when a day was
    # full); a stop locked or recorded (kept) stays as it is.
    fixed = {*(set(locked) - set(put_off)), *(v.visit_id for p in kept for v in p.visits)}
    visits, merged = one_stop_per_village(visits, solver.get("cases") or (previous.cases if previous else {}), fixed,
                                          keep_first=lambda vid: vid not in put_off)
    joined = revisits_joined(merged, before, put_off, set(not_met), days_agreed, options.revisits_first, both)
    put_off, not_met, days_agreed = joined.put_off, joined.not_met, joined.agreed
    promised = promised_stops(previous, put_off, merged) if previous is not None else frozenset()
    options = dataclasses.replace(options, revisits=options.revisits | joined.revisits,
                                  promised=options.promised | promised)
    new = report.plan_document(visits, teams, start_date=start_date, days=days, previous=previous, locked=locked,
                        kept=kept, put_off=put_off, options=options, team_names=team_names, **solver)
    new = unpromised_reasons(revisit_reasons(new, previous, joined, options.revisits_first), promised,
                             options.revisits | set(put_off))
    notes = replan_notes(new, put_off, team_names, previous=previous, locked=locked, options=options, kept=kept,
                         start_date=start_date)
    notes = [joined.kinds_said(_not_met_note(_agreed_note(n, put_off, days_agreed), not_met)) for n in notes]
    notes += joined.absorbed_notes(new)
    notes += merged_notes(merged, visits)
    if previous is not None:  # the promised 必访 stops and the revisits, when not both fit (walk W12), said first
        notes = priority_notes(previous, new, put_off, first=options.revisits_first, promised=promised) + notes
        notes += absorbed_said(day_notes(previous, new, options.today, team_names, places), merged)
    return new, notes


def day_notes(previous: PlanDocument, new: PlanDocument, since: dt.date | None = None,
              names: Mapping[str, str] | None = None, places: Mapping[str, str] | None = None) -> list[str]:
    """What a re-plan changed of each team's days from ``since`` on, team by team, for whoever re-plans (walk 2: the
    re-plan took team 2 off 12-08 and 12-09 and said only that it had a new stop today): each day the team no
    longer goes out (行程已取消) with where its stops went, each day it goes out that it did not, and the stops
    moved off or onto each other day. Places and stop numbers only (no petitioner names); ``places``: each stop's
    name on 行程, else its label (walk W13: V027 芗城区芝山街道 for …红星村（村表无此村，待核对）)."""
    team = {**(names or {}), **{k: t.name for k, t in (*previous.teams.items(), *new.teams.items())}}
    where = {s.visit_id: (r.team_id, r.date) for r in new.plan.routes for s in r.stops}

    def stop(vid: str) -> str:
        v = new.visits.get(vid) or previous.visits.get(vid)
        name = (places or {}).get(vid) or (v.label if v is not None else "")
        return f"{vid} {name}" if name and name != vid else vid

    def went(vid: str) -> str:
        if vid not in where:
            return f"{stop(vid)}（未排入）"
        t, d = where[vid]
        return f"{stop(vid)}（改到{team.get(t, t)} {d:%m-%d}）"

    by_team: dict[str, list[str]] = {}
    for c in route_changes(previous, new, since):
        t, d = c["team"], dt.date.fromisoformat(c["date"])
        was = previous.plan.route_for(t, d)
        now = new.plan.route_for(t, d)
        said = []
        if was is not None and was.stops and (now is None or not now.stops):
            said.append(f"{d:%m-%d} 行程已取消（原 {len(was.stops)} 站）"
                        + (f"：{'、'.join(went(v) for v, *_ in c['removed'])}" if c["removed"] else ""))
        else:
            if was is None or not was.stops:
                said.append(f"{d:%m-%d} 新增出行（{len(now.stops)} 站）")
            elif c["removed"]:
                said.append(f"{d:%m-%d} 移出 {'、'.join(went(v) for v, *_ in c['removed'])}")
            if c["added"] and was is not None and was.stops:
                said.append(f"{d:%m-%d} 新增 {'、'.join(stop(v) for v, *_ in c['added'])}")
            if c["reordered"]:
                said.append(f"{d:%m-%d} 走访顺序有变")
        by_team.setdefault(t, []).extend(said)
    return [f"{team.get(t, t)}：{'；'.join(said)}" for t, said in by_team.items() if said]


def _agreed_by_stop(visits: Sequence[Visit], put_off: Mapping[str, dt.date],
                    agreed: Mapping[str, dt.date]) -> dict[str, dt.date]:
    """Stop put off -> the latest day agreed for its letters, when one is agreed and after the 改期."""
    out = {}
    for v in visits:
        if v.visit_id in put_off:
            day = max((agreed[no] for no in v.case_nos if no in agreed), default=None)
            if day is not None and day > put_off[v.visit_id]:
                out[v.visit_id] = day
    return out


def _agreed_note(note: str, put_off: Mapping[str, dt.date], days_agreed: Mapping[str, dt.date]) -> str:
    """A put-off stop's note (``… 12-07 记录为改期（未走访），重新安排在 12-08 及以后：…``) with the day agreed:
    ``… 12-07 记录为改期（未走访），约定 12-09 再访，重新安排在 12-09 及以后：…``."""
    for vid, agreed in days_agreed.items():
        day = put_off[vid]
        said = f"{day:%m-%d} 记录为改期（未走访），重新安排在 {day + dt.timedelta(days=1):%m-%d} 及以后"
        if note.startswith((f"{vid} ", f"{vid}（")) and said in note:
            return note.replace(said, f"{day:%m-%d} 记录为改期（未走访），约定 {agreed:%m-%d} 再访，"
                                      f"重新安排在 {agreed:%m-%d} 及以后")
    return note


def _not_met_note(note: str, not_met: set[str]) -> str:
    """A put-off stop's note for a stop recorded as 未找到 (walk W8): ``… 12-07 记录为未找到（上次走访未见到信访人），
    重新安排在 12-08 及以后：…；未找到记录保留在走访记录中``, not 改期."""
    if not any(note.startswith((f"{vid} ", f"{vid}（")) for vid in not_met):
        return note
    return note.replace("记录为改期（未走访）", "记录为未找到（上次走访未见到信访人）").replace(
        "改期记录保留在走访记录中", "未找到记录保留在走访记录中")


def _with_split_off(visits: Sequence[Visit], kept: Sequence[DonePart], put_off: Mapping[str, dt.date]) -> list[Visit]:
    """``visits`` with each stop of ``put_off`` split off a kept stop (:func:`planner.routing.history.split_put_off`:
    ``V003-改期``, ``V003-未找到``) that they lack, made of the letters ``visits`` still has on the kept stop: a page
    that opened the plan before the 改期 was recorded plans those letters again instead of losing them with it."""
    out = list(visits)
    have = {v.visit_id: v for v in visits}
    for kv in (v for p in kept for v in p.visits):
        v = have.get(kv.visit_id)
        extra = tuple(c for c in v.case_nos if c not in kv.case_nos) if v is not None else ()
        apart = [n for n in put_off if n not in have and n.startswith((f"{kv.visit_id}-改期", f"{kv.visit_id}-未找到"))]
        if extra and apart and not any(set(extra) & set(w.case_nos) for w in visits if w is not v):
            out.append(dataclasses.replace(v, visit_id=apart[0], case_nos=extra, locked=False, date=None))
    return out


def reopened_start(start_date: dt.date, days: int, today: dt.date) -> tuple[dt.date, int, str]:
    """The start date and working days 开始规划 offers for a saved plan opened again, and what to say about them.

    A plan whose first day has passed (it runs, or its days went by) starts today: a start in the past is refused
    on planning, and the office had to change it by hand. It keeps the working days it has left from today, or all
    its days when none is left. The sentence is "" when the plan's own dates stand.
    """
    if start_date >= today:
        return start_date, int(days), ""
    dates = working_dates(start_date, max(1, int(days)))
    left = sum(1 for d in dates if d >= today)
    if left:
        gone, kept = f"本计划的第一天 {start_date.isoformat()} 已过", f"“工作日数”为本计划余下的 {left} 天"
    else:
        span = start_date.isoformat() + (f" 至 {dates[-1].isoformat()}" if len(dates) > 1 else "")
        gone, kept = f"本计划的日期（{span}）已过", f"“工作日数”仍为 {len(dates)} 天"
    said = f"{gone}，“开始日期”已改为今天（{today.isoformat()}），{kept}；重新规划前可以修改。"
    return today, left or len(dates), said
