"""Manual changes to a plan: reorder or move visits of a team-day, recompute its times, list what breaks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from planner.domain import Plan, Route, Stop, Unassigned
from planner.errors import InputError
from planner.routing.problem import PlanningProblem
from planner.routing.schedule import schedule
from planner.routing.solve import day_shape, stop_spec


@dataclass(frozen=True, slots=True)
class ReorderResult:
    """The changed plan and what it now breaks (empty when every constraint still holds)."""

    plan: Plan
    violations: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the change breaks nothing."""
        return not self.violations


def reorder(
    problem: PlanningProblem, plan: Plan, team_id: str, date: dt.date, visit_ids: Sequence[str]
) -> ReorderResult:
    """Give the route of ``team_id`` on ``date`` the visits ``visit_ids`` in that order and recompute its times.

    Visits taken from another route or from the unassigned list are removed there (that route is re-timed
    too). Times follow the same rules as the solver (break added to the travel it interrupts).

    Parameters
    ----------
    problem
        The problem the plan was made for (travel matrix, visits, teams).
    plan
        The current plan.
    team_id, date
        The team-day to change.
    visit_ids
        Its visits in the new order (may be empty: the team stays at base).

    Returns
    -------
    ReorderResult
        The new plan (status ``"manual"``) and the violations in Chinese, each naming the visit or route.

    Raises
    ------
    InputError
        If the team-day is not part of the horizon or a visit id is unknown or repeated.
    """
    vehicles = {(v.team.team_id, v.date): v for v in problem.vehicles()}
    veh = vehicles.get((team_id, date))
    if veh is None:
        raise InputError(f"检查组 {team_id!r} 在本计划中 {date.isoformat()} 不出行")
    index = problem.visit_index()
    for vid in visit_ids:
        if vid not in index:
            raise InputError(f"走访点 {vid!r} 不在计划中")
    if len(set(visit_ids)) != len(visit_ids):
        raise InputError(f"走访点编号有重复：{list(visit_ids)!r}")
    moved = set(visit_ids)
    violations: list[str] = []
    routes: dict[tuple[str, dt.date], list[str]] = {
        (r.team_id, r.date): [v for v in r.visit_ids if v not in moved] for r in plan.routes
    }
    changed = {(team_id, date)} | {
        (r.team_id, r.date) for r in plan.routes if set(r.visit_ids) & moved and (r.team_id, r.date) != (team_id, date)
    }
    routes[(team_id, date)] = list(visit_ids)
    new_routes: list[Route] = []
    for key in sorted(routes, key=lambda k: (k[1], k[0])):
        old = plan.route_for(*key)
        if key not in changed and old is not None:
            new_routes.append(old)
            continue
        if not routes[key]:
            continue
        route, problems = retime(problem, key[0], key[1], routes[key])
        new_routes.append(route)
        violations += problems
    unassigned = tuple(u for u in plan.unassigned if u.visit_id not in moved)
    return ReorderResult(
        dataclasses.replace(plan, status="manual", routes=tuple(new_routes), unassigned=unassigned),
        tuple(violations),
    )


def unassign(problem: PlanningProblem, plan: Plan, visit_id: str) -> ReorderResult:
    """Take a visit off its route by hand (listed as unassigned, reason ``manual``)."""
    for r in plan.routes:
        if visit_id in r.visit_ids:
            res = reorder(problem, plan, r.team_id, r.date, [v for v in r.visit_ids if v != visit_id])
            left = (*res.plan.unassigned, Unassigned(visit_id, "manual", "人工移出"))
            return ReorderResult(dataclasses.replace(res.plan, unassigned=left), res.violations)
    raise InputError(f"走访点 {visit_id!r} 不在任何线路上")


def retime(problem: PlanningProblem, team_id: str, date: dt.date, visit_ids: Sequence[str]) -> tuple[Route, list[str]]:
    """Times of one team-day for a fixed order, and what the order breaks (windows, break, shift, limits,
    skills, 回避, pins, date windows)."""
    veh = next(v for v in problem.vehicles() if v.team.team_id == team_id and v.date == date)
    index = problem.visit_index()
    seq = [index[v] for v in visit_ids]
    timing = schedule([stop_spec(problem, i) for i in seq], veh.depot, problem.travel_min(), day_shape(veh))
    label = f"{veh.team.name} {date.isoformat()}"
    problems = [f"{label}：{_name_stops(msg, visit_ids)}" for msg in timing.violations]
    team = veh.team
    for i in seq:
        v = problem.visits[i]
        if not set(v.skills) <= team.all_skills():
            problems.append(f"{v.visit_id}：{team.name} 不具备专长 {sorted(set(v.skills) - team.all_skills())}")
        if set(v.excluded_members) & team.member_ids():
            problems.append(f"{v.visit_id}：{team.name} 有需回避的成员")
        if v.team_id and v.team_id != team_id:
            problems.append(f"{v.visit_id}：指定由 {v.team_id} 组走访")
        if v.date is not None and v.date != date:
            problems.append(f"{v.visit_id}：指定日期 {v.date.isoformat()}")
        if (v.earliest_date and date < v.earliest_date) or (v.latest_date and date > v.latest_date):
            problems.append(f"{v.visit_id}：不在日期窗口内")
    cost, dist = problem.matrix.travel_s, problem.matrix.distance_m
    nodes = [veh.depot] + [problem.visit_node(i) for i in seq] + [veh.depot]
    legs_s = [int(cost[a, b]) for a, b in itertools.pairwise(nodes)]
    legs_m = [int(dist[a, b]) for a, b in itertools.pairwise(nodes)]
    stops = tuple(
        Stop(visit_ids[p], timing.arrive[p], timing.start[p], timing.end[p], legs_s[p], legs_m[p])
        for p in range(len(seq))
    )
    b0 = timing.break_start
    route = Route(team_id, date, timing.depart, timing.ret, stops, sum(legs_s), sum(legs_m), b0,
                  None if b0 is None else b0 + team.break_min)
    return route, problems


def _name_stops(message: str, visit_ids: Sequence[str]) -> str:
    for k in range(len(visit_ids), 0, -1):
        message = message.replace(f"第{k}站", f"第{k}站（{visit_ids[k - 1]}）")
    return message
