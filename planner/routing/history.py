"""Visited stops are history: a re-plan keeps each day's visited stops where and when they were, and plans the rest.

A stop with a recorded result happened at the time the itinerary gave it. A new version of the plan that moved
it (another team or day, another place among the day's visited stops, other times) would show the officers a
visit they never made and hide the one they did (browser walk: stop 1, visited at 08:47, became stop 4 at 14:53).
So a re-plan keeps, on each route of the previous plan, the visited stops as they were, with the stops locked by
hand before the last of them (visited, the result not yet in). The other stops before it were passed by: they
are planned again like every stop after it, which the team reaches from its last visited stop.

What did not happen is planned again, and only from now on: no unvisited stop goes on a day gone or earlier today
than now (:func:`from_today`), a stop locked by hand to a day gone is freed of that day and planned on a later one
(:func:`gone_locks`), and a stop recorded only as 改期 (the visit was put off) goes back among the stops to plan,
not before the day after its 改期 (:func:`put_off_again`); its 改期 record stays in the visit history, and so does
one recorded 未找到 (nobody met). A letter put off or not met at a stop where another letter was visited becomes a
stop of its own, planned again so (:func:`split_put_off`).

Today's stops not yet visited stay with the team that set out for them (:func:`today_pins`): a re-plan re-orders and
re-times them from now and changes later days freely, and moves one off its team's today only when the team cannot
take it (:func:`today_moves`, named by :func:`replan_notes`). A team with no record today is timed from its base
at now, which the notes say (:func:`from_base_today`). :func:`route_changes` is what a saved version changed of
each team's days, which the team's officers are told on 行程.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from planner.domain import Plan, Route, Stop, Team, Unassigned, Visit, hhmm
from planner.routing.planio import PlanDocument
from planner.routing.problem import PlanOptions, not_before_now, points_for, working_dates
from planner.routing.schedule import DayShape, StopSpec, schedule
from planner.routing.travel import OfflineTravelModel, Point, TravelMatrix, TravelProvider


@dataclass(frozen=True, slots=True)
class DonePart:
    """What happened of one team-day of a previous plan: its visited stops, as they were."""

    route: Route  # the previous plan's route
    stops: tuple[Stop, ...]  # the kept stops, in order, with their times
    team: Team  # the route's team, as the previous plan had it
    visits: tuple[Visit, ...]  # the kept stops' visits, locked on the route's team and day
    #: The minute of the route's day its last kept stop was first recorded, when earlier than the stop's planned end
    #: (the team went there out of order: it is at that stop then, not at the planned end; walk W14b).
    recorded_min: int | None = None

    @property
    def key(self) -> tuple[str, dt.date]:
        """(team id, date)."""
        return self.route.team_id, self.route.date

    @property
    def end_min(self) -> int:
        """When the team is done with the last kept stop: its planned end, or when it was recorded if earlier."""
        end = self.stops[-1].end_min
        return end if self.recorded_min is None else min(end, self.recorded_min)

    def break_taken(self) -> bool:
        """True when the route's lunch break came before the end of the kept stops."""
        return self.route.break_start_min is not None and self.route.break_start_min < self.end_min


def done_parts(previous: PlanDocument, visited: Iterable[str], locked: Iterable[str] = (),
               recorded: Mapping[str, dt.datetime] | None = None) -> tuple[DonePart, ...]:
    """On each route of ``previous``, the stops in ``visited`` and those in ``locked`` before the last of them.

    ``recorded``: visit id -> when its result was first recorded (local time). A last kept stop recorded on its
    route's day before its planned end was visited out of order, earlier: the team goes on from it then
    (:attr:`DonePart.recorded_min`), not from its planned end (walk W14b: recorded 08:05 for 15:06, the re-plan at
    08:06 timed the team's day from 16:36 and dropped three of today's stops)."""
    visited, locked, recorded = set(visited), set(locked), recorded or {}
    out = []
    for r in previous.plan.routes:
        last = max((k for k, s in enumerate(r.stops) if s.visit_id in visited), default=None)
        if last is None or r.team_id not in previous.teams:
            continue
        stops = tuple(s for s in r.stops[: last + 1] if s.visit_id in visited | locked)
        kept = tuple(dataclasses.replace(previous.visits[s.visit_id], locked=True, team_id=r.team_id, date=r.date)
                     for s in stops)
        at = recorded.get(stops[-1].visit_id)
        early = at.hour * 60 + at.minute if at is not None and at.date() == r.date else None
        out.append(DonePart(r, stops, previous.teams[r.team_id], kept,
                            early if early is not None and early < stops[-1].end_min else None))
    return tuple(out)


def from_today(options: PlanOptions, dates: Iterable[dt.date]) -> PlanOptions:
    """``options`` with every date of ``dates`` before ``options.today`` closed (nobody leaves before 24:00): an
    unvisited stop cannot be visited on a day gone. Today from now is ``options.not_before`` (the caller's clock)."""
    today = options.today
    if today is None:
        return options
    gone = tuple((d, 24 * 60) for d in dates if d < today)
    return dataclasses.replace(options, not_before=(*options.not_before, *gone)) if gone else options


def today_rule(start: dt.date, now: dt.datetime, teams_going: Sequence[Team]) -> tuple[tuple, tuple | None]:
    """``PlanOptions.not_before`` for a plan starting ``start`` and what to say about today, if anything.

    A plan whose first day is today does not send a team out before ``now`` (rounded up to 5 minutes); when every
    chosen team's shift is over by then, today gets no visits.
    """
    rule = not_before_now(start, now)
    if not rule:
        return (), None
    minute = rule[0][1]
    at = f"{minute // 60:02d}:{minute % 60:02d}"
    if teams_going and all(minute >= t.shift_end_min for t in teams_going):
        end = max(t.shift_end_min for t in teams_going)
        return rule, ("warning", f"开始日期是今天，现在（{at}）已过所选检查组的收班时间 "
                                 f"{end // 60:02d}:{end % 60:02d}：今天不安排走访，走访从下一个工作日开始。")
    return rule, ("info", f"开始日期是今天：今天的线路从现在起排，{at} 以后出发。")


def day_gone(options: PlanOptions, team: Team | None, date: dt.date) -> bool:
    """True when ``team`` can no longer go out on ``date``: a day before ``options.today``, or today with its shift
    over by ``options.not_before``."""
    if options.today is None:
        return False
    if date < options.today:
        return True
    return date == options.today and team is not None and options.start_on(date) >= team.shift_end_min


def gone_locks(previous: PlanDocument, locked: Iterable[str], teams: Mapping[str, Team],
               options: PlanOptions, kept: Sequence[DonePart] = ()) -> dict[str, tuple[str, dt.date]]:
    """The stops in ``locked`` whose locked team-day in ``previous`` is gone (:func:`day_gone`) and that are not
    kept as history (``kept``: visited, or locked before a visited stop): (team id, date) of each. They were not
    visited there, so a re-plan frees them of that day (the team stays) and plans them from now on."""
    locked = set(locked) - {v.visit_id for p in kept for v in p.visits}
    out = {}
    for r in previous.plan.routes:
        for vid in r.visit_ids:
            if vid in locked and day_gone(options, teams.get(r.team_id) or previous.teams.get(r.team_id), r.date):
                out[vid] = (r.team_id, r.date)
    return out


def put_off_again(visits: Iterable[Visit], put_off: Mapping[str, dt.date]) -> list[Visit]:
    """``visits`` with each stop of ``put_off`` (visit id -> the day of its latest 改期) to plan again: not locked,
    not pinned to a day, and not before the day after its 改期 (nor before its own earliest date)."""
    out = []
    for v in visits:
        if v.visit_id in put_off:
            after = put_off[v.visit_id] + dt.timedelta(days=1)
            v = dataclasses.replace(v, locked=False, date=None,
                                    earliest_date=max(after, v.earliest_date) if v.earliest_date else after)
        out.append(v)
    return out


def _with_repeats(doc: PlanDocument, apart: tuple[str, ...], left: Iterable[str]) -> tuple[str, ...]:
    """``apart`` with the letters among ``left`` (no record of their own) that repeat one of them (重复件, listed in
    its ``repeats``): they are handled with their first letter, so they go to be visited again with it (walk W12b:
    0292 stayed on the visited stop while 0168, its first letter, was planned again apart)."""
    left = tuple(left)
    later = {no for c in apart for no in str((doc.cases.get(c) or {}).get("repeats") or "").split("、") if no}
    return (*apart, *(c for c in left if c in later and c not in apart))


def split_put_off(doc: PlanDocument, put_off: Mapping[str, Mapping[str, dt.date]], not_met: Iterable[str] = (),
                  unvisited: Iterable[str] = ()) -> tuple[PlanDocument, dict[str, dt.date]]:
    """``doc`` with each stop of ``put_off`` (visit id -> {case number: the day of its latest 改期 or 未找到}: letters
    not visited at a stop where another letter was) split in two, and {new stop's id: that latest day}.

    The visited letters stay on the stop, on its route, where and when they were visited; the others become a stop
    of their own at the same place, off the routes (left out, what was recorded said), to plan again not before the
    day after (:func:`put_off_again`) as a wholly put-off stop is: ``V003-改期`` for the letters put off and
    ``V003-未找到`` for those in ``not_met`` (the case numbers recorded 未找到: nobody met), each with its own reason.
    At a stop of ``unvisited`` (no letter visited) the letters left on it were put off (改期), and said so.
    """
    visits, left, again, missed = dict(doc.visits), list(doc.plan.unassigned), {}, set(not_met)
    for vid, cases in put_off.items():
        v = visits.get(vid)
        if v is None or not set(cases) & set(v.case_nos) or not set(v.case_nos) - set(cases):
            continue
        visits[vid] = dataclasses.replace(v, case_nos=tuple(c for c in v.case_nos if c not in cases))
        # Each letter keeps its own reason: the 改期 ones (put off) and the 未找到 ones (nobody met) go to a stop each.
        for kind, said in (("改期", "记录为改期"), ("未找到", "记录为未找到（上次走访未见到信访人）")):
            apart = tuple(c for c in v.case_nos if c in cases and (c in missed) == (kind == "未找到"))
            if not apart:
                continue
            apart = _with_repeats(doc, apart, visits[vid].case_nos)
            visits[vid] = dataclasses.replace(v, case_nos=tuple(c for c in visits[vid].case_nos if c not in apart))
            ids = itertools.chain([f"{vid}-{kind}"], (f"{vid}-{kind}{k}" for k in itertools.count(2)))
            new_id = next(i for i in ids if i not in visits)
            day = max(cases[c] for c in apart if c in cases)
            visits[new_id] = dataclasses.replace(v, visit_id=new_id, case_nos=apart, locked=False, date=None)
            rest = "记录为改期" if vid in set(unvisited) else "已走访"
            left.append(Unassigned(new_id, "put_off", f"{day:%m-%d} 在{v.label or vid}{said}（同一走访点的其他信访件"
                                                      f"{rest}）：重新规划时从 {day + dt.timedelta(days=1):%m-%d} 起"
                                                      "安排"))
            again[new_id] = day
    if not again:
        return doc, {}
    return dataclasses.replace(doc, plan=dataclasses.replace(doc.plan, unassigned=tuple(left)), visits=visits), again


def from_base_today(new: PlanDocument, previous: PlanDocument, options: PlanOptions,
                    kept: Sequence[DonePart] = ()) -> dict[str, int]:
    """The teams ``new`` sends out today (``options.today``) from their base at now, though ``previous`` had them
    out already (their route of today left before now) and none of their stops of today is recorded (``kept``):
    team id -> now (the minute ``options.not_before`` gives today).

    Where such a team is, nothing tells: it may not have left, be late, or have visited without recording yet.
    The plan's own position at now would be a guess that the stops before it, not recorded, were made; the base is
    a guess too, so the re-plan says it (:func:`replan_notes`) and asks for the visits to be recorded first.
    """
    today = options.today
    now = options.start_on(today) if today is not None else 0
    if not now:
        return {}
    recorded = {p.route.team_id for p in kept if p.route.date == today}
    out_since = {r.team_id: r.depart_min for r in previous.plan.routes if r.date == today and r.stops}
    return {r.team_id: now for r in new.plan.routes
            if r.date == today and r.stops and r.team_id not in recorded and out_since.get(r.team_id, 24 * 60) < now}


def replan_notes(new: PlanDocument, put_off: Mapping[str, dt.date], names: Mapping[str, str] | None = None, *,
                 previous: PlanDocument | None = None, locked: Iterable[str] = (), options: PlanOptions | None = None,
                 kept: Sequence[DonePart] = (), start_date: dt.date | None = None) -> list[str]:
    """What a plan did with the stops it moved off a day, for the user: each stop put off by 改期 and, for a re-plan
    of ``previous`` with ``locked`` and ``options``, each stop locked to a day gone (:func:`gone_locks`), with
    where it went or that it is left out, each of today's stops taken off its team's today (:func:`today_moves`;
    ``start_date``: the first day asked for, after today when today was left out), and each team timed from its
    base at now though it may be out already (:func:`from_base_today`).

    ``names``: team names by id (the new document's teams are named anyway)."""
    gone = {} if previous is None or options is None else \
        gone_locks(previous, set(locked) - set(put_off), previous.teams, options, kept)
    team = {**(names or {}), **{k: t.name for k, t in new.teams.items()}}
    where = {s.visit_id: (r.team_id, r.date) for r in new.plan.routes for s in r.stops}

    def stop(vid: str) -> str:
        v = new.visits.get(vid)
        label = f"{vid} {v.label}" if v is not None and v.label else vid
        return f"{label}（{'、'.join(v.case_nos)}）" if v is not None and v.case_nos else label

    def went(vid: str) -> str:
        if vid in where:
            t, d = where[vid]
            return f"改排到{team.get(t, t)} {d:%m-%d}"
        return "未能排入，原因见“未安排的走访点”"

    out = [f"{stop(vid)} 锁定在{team.get(t, t)} {d:%m-%d}，这一天已过而未走访：已取消该日的锁定，{went(vid)}"
           for vid, (t, d) in gone.items() if where.get(vid) != (t, d)]  # kept as history there: not moved
    out += [f"{stop(vid)} {d:%m-%d} 记录为改期（未走访），重新安排在 {d + dt.timedelta(days=1):%m-%d} 及以后："
            f"{went(vid)}；改期记录保留在走访记录中" for vid, d in put_off.items() if vid in new.visits]
    if previous is not None and options is not None and options.today is not None:
        moved = today_moves(new, previous, options, kept, {*locked, *put_off, *gone})
        later = start_date is not None and start_date > options.today

        leave = {p.route.team_id: leaves_at(p, options) for p in kept if p.route.date == options.today}

        def why(t: str) -> str:
            if later:
                return f"本次规划从 {start_date:%m-%d} 开始，不含今天"
            if t not in new.teams:
                return "该组未参加本次规划"
            tm = new.teams[t]  # the team's day as it is: from its last visit (or now), to its shift's end
            a = max(leave.get(t, 0), options.start_on(options.today), tm.shift_start_min)
            where = "从最后走访点" if t in leave else "从驻地"
            return f"该组今天排不下（余下的时间：{where} {hhmm(a)} 出发，{hhmm(tm.shift_end_min)} 前返回驻地）"

        out += [f"{stop(vid)} 原在{team.get(t, t)}今天（{options.today:%m-%d}）的线路上，{why(t)}：{went(vid)}"
                for vid, (t, _) in moved.items()]
        out += [f"{team.get(t, t)}今天尚无走访记录，按 {hhmm(now)} 从驻地出发计算；如已在外走访，请先登记再重新规划"
                for t, now in from_base_today(new, previous, options, kept).items()]
    return out


def moved_visited(old: Plan, new: Plan, visited: Iterable[str], names: Mapping[str, str] | None = None
                  ) -> dict[str, str]:
    """What ``new`` changed of each stop of ``old`` in ``visited``, in words (``时间 08:47–09:32 改为 14:53–15:38``);
    ``names``: team names by id.

    A visited stop must stay on its team and day, at its arrival, start and end times, and in its place among the
    visited stops of that route; unvisited stops may come and go around it.
    """
    visited = set(visited)

    def where(plan: Plan) -> dict[str, tuple[Route, Stop, int]]:
        out = {}
        for r in plan.routes:
            done = [s for s in r.stops if s.visit_id in visited]
            out.update({s.visit_id: (r, s, k) for k, s in enumerate(done)})
        return out

    was, now = where(old), where(new)
    out: dict[str, str] = {}
    for vid, (r0, s0, k0) in was.items():
        if vid not in now:
            out[vid] = "新版本中不在任何线路上"
            continue
        r1, s1, k1 = now[vid]
        if (r1.team_id, r1.date) != (r0.team_id, r0.date):
            team = (names or {}).get
            out[vid] = (f"从{team(r0.team_id, r0.team_id)} {r0.date:%m-%d} 改到{team(r1.team_id, r1.team_id)} "
                        f"{r1.date:%m-%d}")
        elif (s1.arrive_min, s1.start_min, s1.end_min) != (s0.arrive_min, s0.start_min, s0.end_min):
            out[vid] = (f"时间 {hhmm(s0.start_min)}–{hhmm(s0.end_min)} 改为 {hhmm(s1.start_min)}–{hhmm(s1.end_min)}"
                        if (s1.start_min, s1.end_min) != (s0.start_min, s0.end_min)
                        else f"到达时间 {hhmm(s0.arrive_min)} 改为 {hhmm(s1.arrive_min)}")
        elif k1 != k0:
            out[vid] = "与当天其他已走访点的先后顺序变了"
    return out


def _legs(pairs: Iterable[tuple[Point, Point]],
          travel: TravelProvider | None) -> dict[tuple[str, str], tuple[int, int]]:
    """(seconds, metres) of each leg, from one matrix over every point (an online provider is asked once)."""
    pairs = list(pairs)
    if not pairs:
        return {}
    nodes = list({pt.node_id: pt for pair in pairs for pt in pair}.values())
    m = (travel or OfflineTravelModel()).matrix(nodes)
    ix = m.index()
    return {(a.node_id, b.node_id): (int(m.travel_s[ix[a.node_id], ix[b.node_id]]),
                                     int(m.distance_m[ix[a.node_id], ix[b.node_id]])) for a, b in pairs}


def _last(p: DonePart) -> Point:
    v = p.visits[-1]
    return Point(v.visit_id, v.lon, v.lat)


def _base(p: DonePart) -> Point:
    return Point(f"team:{p.team.team_id}", p.team.base_lon, p.team.base_lat)


def prepare(parts: Sequence[DonePart], visits: Sequence[Visit], options: PlanOptions,
            travel: TravelProvider | None) -> tuple[list[Visit], PlanOptions]:
    """The visits left to plan (``visits`` without the kept ones), and ``options`` as they were: each kept team-day
    is planned on from where its team is (:func:`on_the_road`), not from its base (walk 2: a team held at its base
    until it could have driven home from its last visit dropped the stop beside that visit as "排不下")."""
    kept = {v.visit_id for p in parts for v in p.visits}
    return [v for v in visits if v.visit_id not in kept], options


DAY_TEAM = "@"  # a kept team-day planned from where its team is: ``T1@2026-12-07`` (:func:`on_the_road`)


def leaves_at(p: DonePart, options: PlanOptions) -> int:
    """When the team of kept part ``p`` goes on from its last kept stop: when that stop ends, or now when later."""
    return max(p.end_min, options.start_on(p.route.date))


def on_the_road(parts: Sequence[DonePart], teams: Sequence[Team], visits: Sequence[Visit], options: PlanOptions,
                travel: TravelProvider | None) -> tuple[list[Team], list[Visit], PlanOptions, dict[str, str]]:
    """``teams``, ``visits`` and ``options`` with each kept team-day planned on from where its team is.

    The solver sends a team out from its base; a team that has visited today is at its last kept stop. So that day
    gets a team of its own (``T1@2026-12-07``: same name, members, skills and shift end) whose base is that stop and
    which leaves it when the stop ends, or now when later (:func:`leaves_at`), with the lunch break it has left
    and the day's limits less what the kept stops used; the team itself does not go out again that day. Visits
    pinned or locked to the team that day go to the day's team. Its drive back to that "base" is the drive home
    (:func:`road_matrix`); :func:`splice` times the day again after the kept stops and takes off what does not fit.

    Returns teams, visits, options and {day team id: team id} (:func:`back_to_teams`).
    """
    by_id = {t.team_id: t for t in teams}
    extra, back, hold = [], {}, []
    for p in parts:
        team = by_id.get(p.route.team_id)
        if team is None:
            continue
        hold.append((team.team_id, p.route.date, 24 * 60))  # the team is out: it does not set out again
        leave = leaves_at(p, options)
        if leave >= team.shift_end_min:
            continue
        last = p.visits[-1]
        earliest = max(team.break_earliest_min or 0, leave)
        brk = team.has_break and not p.break_taken() and earliest <= team.break_latest_min
        drive = sum(math.ceil(s.travel_s / 60) for s in _kept_legs(p, travel))
        day_id = f"{team.team_id}{DAY_TEAM}{p.route.date.isoformat()}"
        extra.append(dataclasses.replace(
            team, team_id=day_id, base_lon=last.lon, base_lat=last.lat, base_name=last.label,
            break_earliest_min=earliest if brk else None, break_latest_min=team.break_latest_min if brk else None,
            available_dates=(p.route.date,),
            max_visits_per_day=None if team.max_visits_per_day is None else
            max(0, team.max_visits_per_day - len(p.stops)),
            max_drive_min=None if team.max_drive_min is None else max(0, team.max_drive_min - drive)))
        hold.append((day_id, p.route.date, leave))
        back[day_id] = team.team_id
    if not back:
        return list(teams), list(visits), dataclasses.replace(
            options, team_not_before=(*options.team_not_before, *hold)), {}
    day_of = {(t, dt.date.fromisoformat(d)): k for k, (t, _, d) in
              ((k, k.partition(DAY_TEAM)) for k in back)}
    moved = [dataclasses.replace(v, team_id=day_of[(v.team_id, v.date)]) if (v.team_id, v.date) in day_of else v
             for v in visits]
    return ([*teams, *extra], moved, dataclasses.replace(options, team_not_before=(*options.team_not_before, *hold)),
            back)


def road_matrix(teams: Sequence[Team], visits: Sequence[Visit], back: Mapping[str, str],
                travel: TravelProvider | None) -> TravelProvider | TravelMatrix | None:
    """The travel of a problem over ``teams`` and ``visits`` (nodes as :func:`planner.routing.problem.points_for`)
    in which each day's team of :func:`on_the_road` returns to its team's real base: the drive to its own "base"
    (the last kept stop, which no other route visits) is the drive home. ``travel`` itself when there is none."""
    if not back:
        return travel
    m = (travel or OfflineTravelModel()).matrix(points_for(teams, visits))
    ix = m.index()
    t, d = m.travel_s.copy(), m.distance_m.copy()
    for day_id, team_id in back.items():
        t[:, ix[f"team:{day_id}"]] = m.travel_s[:, ix[f"team:{team_id}"]]
        d[:, ix[f"team:{day_id}"]] = m.distance_m[:, ix[f"team:{team_id}"]]
    return TravelMatrix(m.node_ids, t, d)


def back_to_teams(plan: Plan, back: Mapping[str, str], names: Iterable[str] = ()) -> Plan:
    """``plan`` with the routes and suggestions of each day's team of :func:`on_the_road` on the team itself, and a
    team named once in the reasons (``names``: those teams' names)."""
    if not back:
        return plan
    routes = tuple(dataclasses.replace(r, team_id=back.get(r.team_id, r.team_id)) for r in plan.routes)
    names = {n for n in names if n}

    def once(text: str) -> str:  # a team and its day's team are one team in words (只有第一检查组能走访)
        return re.sub("(" + "|".join(re.escape(n) for n in names) + ")(、\\1)+", r"\1", text) if names else text

    left = tuple(dataclasses.replace(u, reason=once(u.reason), suggestions=tuple(
        dataclasses.replace(s, team_id=back.get(s.team_id, s.team_id)) for s in u.suggestions))
        for u in plan.unassigned)
    return dataclasses.replace(plan, routes=routes, unassigned=left)


def day_teams_warm(plan: Plan | None, back: Mapping[str, str]) -> Plan | None:
    """Warm start ``plan`` with each team-day of :func:`on_the_road` on its day's team."""
    if plan is None or not back:
        return plan
    day_id = {(t, dt.date.fromisoformat(d)): k for k, (t, _, d) in ((k, k.partition(DAY_TEAM)) for k in back)}
    return dataclasses.replace(plan, routes=tuple(dataclasses.replace(r, team_id=day_id.get((r.team_id, r.date),
                                                                                          r.team_id))
                                                  for r in plan.routes))


class _FromLast:
    """Travel minutes of a day that goes on from its last kept stop: the scheduler's "depot" is that stop when left
    and the team's base when returned to (node -1 of the small matrix of :func:`_after`)."""

    def __init__(self, minutes, last: int, base: int) -> None:
        self.minutes, self.last, self.base = minutes, last, base

    def __getitem__(self, ab: tuple[int, int]) -> int:
        a, b = ab
        return int(self.minutes[self.last if a == -1 else a, self.base if b == -1 else b])


def _kept_legs(p: DonePart, travel: TravelProvider | None) -> tuple[Stop, ...]:
    """The kept stops at their times, each leg from the stop kept before it (or the base) where a stop passed by
    between them went (the team then waited or did something else: the times are what happened)."""
    before = {s.visit_id: (p.route.stops[k - 1].visit_id if k else "") for k, s in enumerate(p.route.stops)}
    points = [_base(p), *(Point(v.visit_id, v.lon, v.lat) for v in p.visits)]
    pairs = [(a, b) for a, b, s in zip(points, points[1:], p.stops, strict=False)
             if before[s.visit_id] != ("" if a is points[0] else a.node_id)]
    legs = _legs(pairs, travel)
    return tuple(dataclasses.replace(s, travel_s=legs[(a.node_id, b.node_id)][0],
                                     distance_m=legs[(a.node_id, b.node_id)][1]) if (a.node_id, b.node_id) in legs
                 else s for a, b, s in zip(points, points[1:], p.stops, strict=False))


def _after(p: DonePart, tail: Route, visits: Mapping[str, Visit], travel: TravelProvider | None,
           now: int) -> Route | None:
    """The stops planned after kept part ``p`` timed from the end of its last stop (or ``now``, when later), where
    the team is then; None when that is not feasible (the solver's times stand)."""
    team = p.team
    stops = [visits[s.visit_id] for s in tail.stops]
    points = [_last(p), *(Point(v.visit_id, v.lon, v.lat) for v in stops), _base(p)]
    m = (travel or OfflineTravelModel()).matrix(points)
    minutes = np.ceil(m.travel_s / 60).astype(np.int64)
    specs = [StopSpec(k + 1, v.service_min, v.window_start_min if v.window_start_min is not None else 0,
                      v.window_end_min if v.window_end_min is not None else 24 * 60) for k, v in enumerate(stops)]
    # The break cannot begin before the kept stops end, and is not taken twice.
    leave = max(p.end_min, now)
    earliest = max(team.break_earliest_min or 0, leave)
    brk = team.has_break and not p.break_taken() and earliest <= team.break_latest_min
    drive = sum(math.ceil(s.travel_s / 60) for s in _kept_legs(p, travel))
    shape = DayShape(leave, team.shift_end_min, earliest if brk else None,
                     team.break_latest_min if brk else None, team.break_min if brk else 0,
                     None if team.max_visits_per_day is None else team.max_visits_per_day - len(p.stops),
                     None if team.max_drive_min is None else team.max_drive_min - drive)
    timing = schedule(specs, -1, _FromLast(minutes, 0, len(points) - 1), shape)
    if not timing.feasible:
        return None
    legs = [(int(m.travel_s[a, b]), int(m.distance_m[a, b])) for a, b in itertools.pairwise(range(len(points)))]
    out = tuple(Stop(v.visit_id, timing.arrive[k], timing.start[k], timing.end[k], *legs[k])
                for k, v in enumerate(stops))
    b0 = timing.break_start
    return Route(tail.team_id, tail.date, leave, timing.ret, out, sum(s for s, _ in legs), sum(d for _, d in legs),
                 b0, None if b0 is None else b0 + team.break_min)


def splice(plan: Plan, parts: Sequence[DonePart], visits: Mapping[str, Visit], travel: TravelProvider | None,
           options: PlanOptions) -> Plan:
    """``plan`` (solved without the kept stops) with each kept part put back in front of its team-day's route.

    ``visits``: the planned visits by id. The stops planned after a kept part are timed again from its last stop
    (not before ``options.not_before`` of that day: now, on a plan re-planned on its own day) when that fits; the
    solver timed them from the team's base, later. The plan's dates widen to take in kept days
    outside them (a re-plan from today of a plan that began on Monday).
    """
    routes = {(r.team_id, r.date): r for r in plan.routes}
    home = _legs([(_last(p), _base(p)) for p in parts], travel)
    cut: list[Unassigned] = []
    for p in parts:
        old, tail = p.route, routes.get(p.key)
        timed = None
        while tail is not None and tail.stops:  # timed to the real base: what does not fit then comes off the end
            timed = _after(p, tail, visits, travel, options.start_on(p.route.date))
            if timed is not None:
                break
            gone = tail.stops[-1].visit_id
            cut.append(Unassigned(gone, "window_unreachable", f"{p.team.name} {p.route.date:%m-%d} 从"
                                  f"{p.visits[-1].label or p.visits[-1].visit_id}（{hhmm(leaves_at(p, options))}）"
                                  f"接着走访，到 {hhmm(p.team.shift_end_min)} 收班并返回驻地前排不下"))
            tail = dataclasses.replace(tail, stops=tail.stops[:-1])
        if timed is not None:
            tail = timed
            after, ret = tail.stops, tail.return_min
            back = (tail.travel_s - sum(x.travel_s for x in tail.stops),
                    tail.distance_m - sum(x.distance_m for x in tail.stops))
            brk = (old.break_start_min, old.break_end_min) if p.break_taken() else \
                (tail.break_start_min, tail.break_end_min)
        else:
            after, back = (), home[(_last(p).node_id, _base(p).node_id)]
            ret = p.end_min + math.ceil(back[0] / 60)
            brk = (old.break_start_min, old.break_end_min) if p.break_taken() else (None, None)
        stops = (*_kept_legs(p, travel), *after)
        routes[p.key] = Route(old.team_id, old.date, old.depart_min, ret, stops,
                              sum(x.travel_s for x in stops) + back[0], sum(x.distance_m for x in stops) + back[1],
                              *brk)
    rank = {t: k for k, t in enumerate(dict.fromkeys([r.team_id for r in plan.routes] + [p.route.team_id
                                                                                          for p in parts]))}
    out = dataclasses.replace(plan, routes=tuple(sorted(routes.values(), key=lambda r: (rank[r.team_id], r.date))),
                              unassigned=(*plan.unassigned, *cut))
    if parts and plan.start_date is not None:
        dates = working_dates(plan.start_date, max(1, plan.days), skip_weekends=options.skip_weekends,
                              holidays=options.holidays)
        first = min(plan.start_date, *(p.route.date for p in parts))
        last = max(dates[-1], *(p.route.date for p in parts))
        if (first, last) != (plan.start_date, dates[-1]):
            span = working_dates(first, 60, skip_weekends=options.skip_weekends, holidays=options.holidays)
            out = dataclasses.replace(out, start_date=first, days=max(1, sum(1 for d in span if d <= last)))
    return out


def today_pins(previous: PlanDocument, options: PlanOptions, teams: Mapping[str, Team],
               kept: Sequence[DonePart] = (), skip: Iterable[str] = ()) -> dict[str, str]:
    """The stops ``previous`` sends out today (``options.today``) that a re-plan keeps on their team today: visit id
    -> team id, for every stop not yet visited (not in ``kept``) nor in ``skip`` (locked by hand, put off, …) on a
    route of today whose team is in ``teams`` and can still go out today (:func:`day_gone`).

    A team on the road has set out for these stops (walk S: a re-plan at 08:20 gave team 2 a whole new day and
    moved team 1's next stop to team 2): a re-plan may re-order and re-time them from where the team is, and
    changes later days freely, but moves one to another team or day only when its team cannot take it today
    (:func:`planner.routing.report.plan_document` then frees it, and :func:`replan_notes` says so).
    """
    today = options.today
    if today is None:
        return {}
    skip = set(skip) | {v.visit_id for p in kept for v in p.visits}
    return {s.visit_id: r.team_id for r in previous.plan.routes if r.date == today and r.team_id in teams
            and not day_gone(options, teams[r.team_id], today) for s in r.stops if s.visit_id not in skip}


def pin_today(visits: Iterable[Visit], pins: Mapping[str, str], today: dt.date) -> list[Visit]:
    """``visits`` with each of ``pins`` (:func:`today_pins`) pinned to its team today, unless locked or pinned by
    hand to another team or day (the hand's pin stands)."""
    out = []
    for v in visits:
        team = pins.get(v.visit_id)
        if team and not v.locked and v.team_id in ("", team) and v.date in (None, today):
            v = dataclasses.replace(v, team_id=team, date=today)
        out.append(v)
    return out


def today_moves(new: PlanDocument, previous: PlanDocument, options: PlanOptions, kept: Sequence[DonePart] = (),
                skip: Iterable[str] = ()) -> dict[str, tuple[str, tuple[str, dt.date] | None]]:
    """The stops of :func:`today_pins` that ``new`` planned (or left out) but did not keep on their team today: visit
    id -> (the team it had, where it went or None when left out)."""
    pins = today_pins(previous, options, previous.teams, kept, skip)
    where = {s.visit_id: (r.team_id, r.date) for r in new.plan.routes for s in r.stops}
    return {vid: (t, where.get(vid)) for vid, t in pins.items()
            if vid in new.visits and where.get(vid) != (t, options.today)}


def _split_off(old: PlanDocument, new: PlanDocument, stops: Iterable[str], on_day: Iterable[str]) -> list[str]:
    """The stops of ``new`` holding letters that ``old`` had on one of ``stops`` (on a team-day in both) and ``new``
    took off it, not on that team-day (``on_day``), in order."""
    at = {no: vid for vid, v in new.visits.items() for no in v.case_nos}
    out: list[str] = []
    for v in stops:
        was, now = old.visits.get(v), new.visits.get(v)
        for no in (was.case_nos if was is not None and now is not None else ()):
            w = at.get(no)
            if no not in now.case_nos and w is not None and w != v and w not in on_day and w not in out:
                out.append(w)
    return out


def route_changes(old: PlanDocument, new: PlanDocument, since: dt.date | None = None) -> list[dict]:
    """What ``new`` changed of each team's route on each day from ``since`` on, for the officers (no petitioner
    names: places and stop numbers only): ``{"team", "date", "added": [[visit id, place]], "removed": [[visit id,
    place, team it went to or "", date or ""]], "reordered": bool}`` for each team-day whose stops or order changed
    (``reordered``: the stops on the day both times come in another order), with ``"cancelled": True`` when the team
    no longer goes out that day. Times alone are not a change: a re-plan
    times today's stops from now, and the team on the road goes at its own pace.

    A stop whose place changed between the two (a letter the register moved, planned again at its place now:
    :mod:`planner.store.moved_letters`; ``V004-改址`` for a letter moved off a shared stop) is named by its place in
    ``new`` with the place ``old`` had for it after (``[visit id, place, 原地点]`` added, ``[…, date, 原地点]``
    removed), and one that stays on its team-day is listed in ``"relocated": [[visit id, place, 原地点]]`` (walk
    W11b: 行程's notice named the letter's old village only)."""
    def days(doc: PlanDocument) -> dict[tuple[str, dt.date], Route]:
        return {(r.team_id, r.date): r for r in doc.plan.routes if r.stops and (since is None or r.date >= since)}

    was, now = days(old), days(new)
    where = {s.visit_id: (r.team_id, r.date) for r in new.plan.routes for s in r.stops}

    def place(doc: PlanDocument, vid: str) -> str:
        v = doc.visits.get(vid)
        return v.label if v is not None and v.label else ""

    stop_of = {no: vid for vid, v in old.visits.items() for no in v.case_nos}

    def was_at(vid: str) -> list[str]:
        """``[原地点]`` when ``old`` had the stop (or its letters' stop: ``V004-改址``) elsewhere, else []."""
        v = new.visits.get(vid)
        first = next((stop_of[no] for no in (v.case_nos if v is not None else ()) if no in stop_of), vid)
        a, b = place(old, vid if vid in old.visits else first), place(new, vid)
        return [a] if a and b and a != b else []

    out = []
    for key in sorted(set(was) | set(now), key=lambda k: (k[1], k[0])):
        ids_a = list(was[key].visit_ids) if key in was else []
        ids_b = list(now[key].visit_ids) if key in now else []
        added = [[v, place(new, v), *was_at(v)] for v in ids_b if v not in ids_a]
        removed = []
        for v in ids_a:
            if v not in ids_b:
                t, d = where.get(v, ("", None))
                removed.append([v, place(new, v) or place(old, v), t, d.isoformat() if d else "", *was_at(v)])
        both = [v for v in ids_a if v in ids_b]
        # Letters split off a stop that stays (V1-未找到, V1-改期: to visit again) leave the day too (walk W12b).
        for w in _split_off(old, new, both, ids_b):
            t, d = where.get(w, ("", None))
            removed.append([w, place(new, w), t, d.isoformat() if d else ""])
        reordered = [v for v in ids_b if v in both] != both
        relocated = [[v, place(new, v), *w] for v in both if (w := was_at(v))]
        if added or removed or reordered or relocated:
            out.append({"team": key[0], "date": key[1].isoformat(), "added": added, "removed": removed,
                        "reordered": reordered, **({"relocated": relocated} if relocated else {}),
                        **({"cancelled": True} if key not in now else {})})
    return out
