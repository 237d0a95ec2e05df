"""Planning for pages and scripts in one call, plan KPIs, and the comparison of a plan with the previous one."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from planner.domain import Suggestion, Team, Unassigned, Visit
from planner.routing import history
from planner.routing.advice import reason_text, unpin_suggestion, with_team_suggestions
from planner.routing.history import DonePart
from planner.routing.planio import PlanDocument
from planner.routing.problem import PlanOptions, build_problem, working_dates
from planner.routing.revisits import awaiting_revisit, not_placed
from planner.routing.solve import Callbacks, solve
from planner.routing.travel import OfflineTravelModel, TravelProvider

#: Seconds without a better plan after which 开始规划 and 重新规划其余走访点 stop searching, once the plan holds every
#: stop (and not before as long again as the best took: :func:`planner.routing.ortools_adapter.stalled`). Measured
#: (benchmarks/plan_budget.py, median of 3 on 2 shared cores): the demo register's 17 stops x 2 teams and 35 x 3,
#: and a 20 x 2 Zhangzhou week, 3 days, got the same plans as with the whole budget (5.75-10 s) in 2.1-2.4 s; a plan
#: that leaves stops out (59 x 3, 40 x 3, 60 x 3) searches its whole budget as before.
PLAN_STALL_S = 1.0
#: 路线规划's help for 求解时间: the cap, the shorter search of a small plan (:func:`planner.routing.solve.
#: plan_time_limit`) and the early stop once every stop is placed (:data:`PLAN_STALL_S`, walk S49a: not said).
LIMIT_HELP = ("最长求解时间。走访点少时提前结束（约 1.5 秒加每个走访点 0.25 秒，不超过此值）；所有走访点都排入后，"
              f"如连续 {PLAN_STALL_S:g} 秒（且不短于找到目前最好方案所用的时间）没有找到更好的方案，也提前结束。")


def plan_document(
    visits: Sequence[Visit],
    teams: Sequence[Team],
    *,
    start_date: dt.date,
    days: int,
    time_limit_s: float = 10.0,
    seed: int = 0,
    callbacks: Callbacks | None = None,
    previous: PlanDocument | None = None,
    locked: Iterable[str] = (),
    travel: TravelProvider | None = None,
    options: PlanOptions | None = None,
    cases: Mapping[str, Mapping] | None = None,
    all_teams: Sequence[Team] = (),
    team_names: Mapping[str, str] | None = None,
    kept: Sequence[DonePart] = (),
    put_off: Mapping[str, dt.date] | None = None,
    stall_s: float | None = PLAN_STALL_S,
) -> PlanDocument:
    """Build the problem, solve it and wrap the result with its visits, teams and cases.

    ``locked`` names visits of ``previous`` that keep their team, day and order, and start within :data:`HOLD_MIN`
    minutes of their time there when they can (:func:`held_time`; already done or fixed);
    the rest is re-optimised starting from ``previous``. ``all_teams``: every team the user could add; a
    visit pinned to a team outside ``teams`` is left out with reason ``team_absent``, and left-out visits
    another of these teams could take get an ``add_team`` suggestion. ``team_names``: the names of the office's
    other teams, so a visit pinned to a team the user may not add names that team (and is only offered unpinning).
    ``kept``: the visited part of days of the plan being re-planned (:func:`planner.routing.history.done_parts`):
    those stops stay as they were, with their times, and only what comes after them is planned.
    ``put_off``: stops recorded only as 改期 (visit id -> the day of the 改期), planned again from the next day on
    (:func:`planner.routing.history.put_off_again`). With ``options.today`` no stop goes on a day before it
    (:func:`planner.routing.history.from_today`; today from ``options.not_before``), and a stop of ``locked`` whose
    locked day is gone is planned again on its team from now on (:func:`planner.routing.history.gone_locks`).
    ``stall_s``: the search stops early once its plan holds every stop and has not improved for that long
    (:data:`PLAN_STALL_S`; None: it searches for the whole ``time_limit_s``).

    Raises
    ------
    InputError
        From :func:`build_problem` / :func:`solve` (bad ids, pins, time limit).
    """
    put_off = dict(put_off or {})
    locked = set(locked) - set(put_off)
    options = options or PlanOptions()
    if options.today is not None and options.today > start_date:
        options = history.from_today(options, working_dates(start_date, days, skip_weekends=options.skip_weekends,
                                                            holidays=options.holidays))
    if kept:
        visits, options = history.prepare(kept, visits, options, travel)
    visits = history.put_off_again(visits, put_off)
    if put_off:  # revisits yield to the promised 必访 stops (PlanOptions.revisits)
        options = dataclasses.replace(options, revisits=frozenset(put_off) | options.revisits)
    where = {}
    if previous is not None:
        where = {s.visit_id: (r.team_id, r.date) for r in previous.plan.routes for s in r.stops}
        gone = history.gone_locks(previous, locked, {t.team_id: t for t in teams}, options, kept)
        locked -= set(gone)
        visits = [dataclasses.replace(v, locked=False, date=None, team_id=gone[v.visit_id][0])
                  if v.visit_id in gone else v for v in visits]
    pins: dict[str, str] = {}
    if previous is not None and options.today is not None:  # teams on the road keep today's stops when they can
        pins = history.today_pins(previous, options, {t.team_id: t for t in teams}, kept,
                                  {*locked, *put_off, *gone})
    prepared, held_at = [], {}
    at = {s.visit_id: s for r in previous.plan.routes for s in r.stops} if previous is not None else {}
    for v in visits:
        if v.visit_id in locked and v.visit_id in where:
            team_id, date = where[v.visit_id]
            v = dataclasses.replace(v, locked=True, team_id=team_id, date=date)
            if (held := held_time(v, at[v.visit_id].start_min, options.start_on(date))) is not v:
                held_at[v.visit_id] = held
        elif v.locked and v.visit_id not in locked:
            v = dataclasses.replace(v, locked=False)
        prepared.append(v)
    inside = {t.team_id for t in teams}
    addable = {t.team_id for t in (*all_teams, *teams)}
    names = {**(team_names or {}), **{t.team_id: t.name for t in (*all_teams, *teams)}}
    absent = [v for v in prepared if v.team_id and v.team_id not in inside]
    plannable = [v for v in prepared if not (v.team_id and v.team_id not in inside)]
    # Today's stops of a team on the road first stay on it today (pinned there for the solver only: the document
    # keeps the visits as they were); one its team cannot take today is then freed and planned like the rest.
    pinned = history.pin_today(plannable, pins, options.today) if pins else plannable
    # A locked stop keeps its time (within HOLD_MIN minutes), so its place among the day's stops: the solver alone
    # kept only the order of the locked stops among themselves (walk 2: V030, locked as stop 4, became stop 2).
    pinned = [held_at.get(v.visit_id, v) for v in pinned]
    warm, spent = (previous.plan if previous is not None else None), 0.0
    while True:  # each round frees at least one pinned stop or locked time: it ends
        # A team that has visited today goes on from its last visit, not from its base (history.on_the_road).
        road_teams, road_visits, road_options, back = history.on_the_road(kept, teams, pinned, options, travel)
        problem = build_problem(road_visits, road_teams, start_date=start_date, days=days, options=road_options,
                                travel=history.road_matrix(road_teams, road_visits, back, travel)
                                or OfflineTravelModel())
        today_pinned = {v.visit_id for v, w in zip(pinned, plannable, strict=True)
                        if v is not w and v is not held_at.get(v.visit_id)}
        if unfit := _unfit_pins(problem, today_pinned, at):  # freed before the search, not after it (one search)
            pinned = [w if v.visit_id in unfit else v for v, w in zip(pinned, plannable, strict=True)]
            continue
        plan = solve(problem, time_limit_s=time_limit_s, seed=seed, callbacks=callbacks,
                     previous=history.day_teams_warm(warm, back), stall_s=stall_s)
        plan = history.back_to_teams(plan, back, [t.name for t in teams if t.team_id in back.values()])
        spent += plan.runtime_s
        out = {u.visit_id for u in plan.unassigned}
        free = out & {v.visit_id for v, w in zip(pinned, plannable, strict=True)
                      if v is not w and v is not held_at.get(v.visit_id)}
        free |= {vid for vid, v in held_at.items() if vid in out and v in pinned}  # its time: kept if it can be
        if not free:
            break
        pinned = [w if v.visit_id in free else v for v, w in zip(pinned, plannable, strict=True)]
        warm, time_limit_s = plan, max(1.0, time_limit_s / 2)
    left = list(plan.unassigned)
    for v in absent:
        sugg = ((Suggestion("add_team", f"加入{names.get(v.team_id, v.team_id)}", v.visit_id, team_id=v.team_id),)
                if not all_teams or v.team_id in addable else ()) + (unpin_suggestion(teams, v),)
        fact = f"指定的{names.get(v.team_id, v.team_id)}未参加本次规划"
        left.append(Unassigned(v.visit_id, "team_absent", reason_text(fact, sugg, must=v.must), sugg))
    if all_teams:
        left = list(with_team_suggestions(left, prepared, teams, all_teams, problem.dates))
    plan = dataclasses.replace(plan, unassigned=tuple(left), runtime_s=round(spent, 3))
    if kept:
        plan = history.splice(plan, kept, {**{v.visit_id: v for v in prepared}, **{v.visit_id: v for v in pinned}},
                              travel, options)
    return PlanDocument(plan, {**{v.visit_id: v for p in kept for v in p.visits}, **{v.visit_id: v for v in prepared}},
                        {**{p.team.team_id: p.team for p in kept}, **{t.team_id: t for t in teams}},
                        {k: dict(c) for k, c in (cases or {}).items()}, policy=options.policy)


def _unfit_pins(problem, pinned: set[str], at: Mapping) -> set[str]:
    """Of the stops ``pinned`` to a team today, those that do not fit that day with the others: one at a time, the stop
    without which the day (in the order of ``at``, the previous plan's stops) ends earliest, the last on a tie. The
    search left them out and was run again (walk: 重新规划其余走访点 on a plan whose team was on the road at 10:00
    searched twice, the second time on half the budget); freed before it, one search places them like other stops."""
    from planner.routing.solve import INF, day_shape, quick_check, stop_spec

    vehicles = problem.vehicles()
    index = {(veh.team.team_id, veh.date): veh.index for veh in vehicles}
    days: dict[int, list[int]] = {}
    for i, v in enumerate(problem.visits):
        if v.visit_id in pinned and (k := index.get((v.team_id, v.date))) is not None:
            days.setdefault(k, []).append(i)
    travel, out = problem.travel_min(), set()

    def back(k: int, seq: list[int]) -> int:  # the team's return to base, INF when the day does not hold them
        return quick_check([stop_spec(problem, i) for i in seq], vehicles[k].depot, travel, day_shape(vehicles[k]))

    for k, seq in days.items():
        seq.sort(key=lambda i: (at[vid].start_min if (vid := problem.visits[i].visit_id) in at else INF))
        while seq and back(k, seq) >= INF:
            drop = min(reversed(range(len(seq))), key=lambda p, k=k, seq=seq: back(k, seq[:p] + seq[p + 1:]))
            out.add(problem.visits[seq.pop(drop)].visit_id)
    return out


HOLD_MIN = 30  # a locked stop starts within this many minutes of its time in the plan it was locked on


def held_time(v: Visit, start_min: int, now: int = 0) -> Visit:
    """Locked ``v``, that started at ``start_min``, with its window narrowed to start within :data:`HOLD_MIN`
    minutes of it (and not before ``now``, the earliest a team leaves that day); ``v`` itself when its own window
    or now leaves no such time (the solver then keeps only the order of the locked stops)."""
    a = max(start_min - HOLD_MIN, v.window_start_min or 0, now)
    b = min(start_min + HOLD_MIN, 24 * 60 if v.window_end_min is None else v.window_end_min)
    return dataclasses.replace(v, window_start_min=a, window_end_min=b) if a <= b else v


def kpis(doc: PlanDocument, *, not_before: Sequence[tuple[dt.date, int]] = ()) -> dict[str, object]:
    """Visits planned, km, driving and working hours, routes, unassigned, and dropped visits by priority.

    ``team_days``: (team, day) pairs that leave their base; ``visits_per_day``: visits per such team-day;
    ``idle_h``: hours of those team-days' shifts (lunch break excepted) spent neither driving nor at a visit.
    ``not_before``: ``PlanOptions.not_before`` of the plan (today, from now): the part of today's shift that had
    passed when the plan was made is not idle time (walk F: 空闲 4.7 h on a day planned at 14:50), and a day that
    starts after the lunch window has no lunch break to leave out.
    """
    plan = doc.plan
    dropped = Counter()
    for u in not_placed(plan.unassigned):  # a revisit waiting (未找到, 改期) is counted apart (walk W12)
        v = doc.visits.get(u.visit_id)
        dropped["必访" if v is not None and v.must else f"P{v.priority if v else '?'}"] += 1
    idle_min = 0
    for r in plan.routes:
        t = doc.teams.get(r.team_id)
        if t is None:
            continue
        late = max((m for d, m in not_before if d == r.date), default=0)
        start = max(t.shift_start_min, late)
        lunch = t.has_break and (r.break_start_min is not None or late <= t.shift_start_min)
        shift = max(0, t.shift_end_min - start) - (t.break_min if lunch else 0)
        busy = r.travel_s / 60 + sum(s.end_min - s.start_min for s in r.stops)
        idle_min += max(0.0, shift - busy)
    n_visits = sum(len(r.stops) for r in plan.routes)
    return {
        "team_days": len(plan.routes),
        "visits_per_day": round(n_visits / len(plan.routes), 1) if plan.routes else 0.0,
        "idle_h": round(idle_min / 60, 1),
        "visits": n_visits,
        "total": len(doc.visits) or sum(len(r.stops) for r in plan.routes) + len(plan.unassigned),
        "km": round(sum(r.distance_m for r in plan.routes) / 1000, 1),
        "drive_h": round(sum(r.travel_s for r in plan.routes) / 3600, 1),
        "work_h": round(sum(r.duration_min() for r in plan.routes) / 60, 1),
        "routes": len(plan.routes),
        "unassigned": len(not_placed(plan.unassigned)),
        "revisits": len(awaiting_revisit(plan.unassigned)),
        "dropped_by_priority": dict(sorted(dropped.items())),
    }


def compare(old: PlanDocument, new: PlanDocument) -> dict[str, object]:
    """What changed from ``old`` to ``new``: KPI deltas, visits that moved team-day, newly planned or dropped, and
    (``waiting_out``) revisits ``old`` held as 待再访 that ``new`` could not place: not in ``removed`` (no route held
    them), yet 未安排 grows by them (walk W14: 移出：0 个 beside 未安排 +2 after a re-plan left two revisits out)."""
    where_old = {s.visit_id: (r.team_id, r.date) for r in old.plan.routes for s in r.stops}
    where_new = {s.visit_id: (r.team_id, r.date) for r in new.plan.routes for s in r.stops}
    k_old, k_new = kpis(old), kpis(new)
    out_now = {u.visit_id for u in not_placed(new.plan.unassigned)}
    return {
        "waiting_out": sorted(u.visit_id for u in awaiting_revisit(old.plan.unassigned) if u.visit_id in out_now),
        "delta": {k: round(k_new[k] - k_old[k], 1)
                  for k in ("visits", "team_days", "km", "drive_h", "work_h", "idle_h", "unassigned")},
        "moved": sorted(v for v in where_new if v in where_old and where_new[v] != where_old[v]),
        "added": sorted(set(where_new) - set(where_old)),
        "removed": sorted(set(where_old) - set(where_new)),
    }


def changes_text(diff: Mapping[str, object]) -> str:
    """:func:`compare`'s stops in words: moved, newly planned, removed and revisits left out."""
    waiting = f"；待再访未能排入：{len(diff['waiting_out'])} 个" if diff.get("waiting_out") else ""
    return (f"调整组/日期：{len(diff['moved'])} 个；新排入：{len(diff['added'])} 个；"
            f"移出：{len(diff['removed'])} 个{waiting}")


def route_rows(doc: PlanDocument, places: Mapping[str, str] | None = None) -> list[dict[str, object]]:
    """One row per stop (for tables): team, date, order, place, arrive/start/end, travel minutes, break note.
    序号 is text, empty on the drive home (a number column showed "None" there). ``places``: visit id -> the stop's
    name as 行程 gives it (:func:`planner.field.stop_names.stop_places`), else the visit's label is shown."""
    from planner.domain import hhmm

    rows = []
    for r in sorted(doc.plan.routes, key=lambda r: (r.date, r.team_id)):
        team = doc.teams.get(r.team_id)
        for k, s in enumerate(r.stops, start=1):
            v = doc.visits.get(s.visit_id)
            brk = ""
            if r.break_start_min is not None:
                prev_end = r.stops[k - 2].end_min if k > 1 else r.depart_min
                if prev_end <= r.break_start_min and r.break_end_min <= s.arrive_min:
                    brk = f"午休 {hhmm(r.break_start_min)}-{hhmm(r.break_end_min)}"
            rows.append({
                "检查组": team.name if team else r.team_id, "日期": r.date.isoformat(), "序号": str(k),
                "走访点": (places or {}).get(s.visit_id) or ((v.label or s.visit_id) if v else s.visit_id),
                "编号": s.visit_id,
                "到达": hhmm(s.arrive_min), "开始": hhmm(s.start_min), "结束": hhmm(s.end_min),
                "车程(分)": round(s.travel_s / 60), "途中": brk,
            })
        if r.stops:  # the drive home, and the lunch when it falls there (it had no row: the break was not shown)
            last = r.stops[-1].end_min
            brk = ""
            if r.break_start_min is not None and last <= r.break_start_min and r.break_end_min <= r.return_min:
                brk = f"午休 {hhmm(r.break_start_min)}-{hhmm(r.break_end_min)}"
            home = max(0, r.travel_s - sum(x.travel_s for x in r.stops))
            rows.append({
                "检查组": team.name if team else r.team_id, "日期": r.date.isoformat(), "序号": "",
                "走访点": "返回驻地", "编号": "", "到达": hhmm(r.return_min), "开始": "", "结束": "",
                "车程(分)": round(home / 60), "途中": brk,
            })
    return rows
