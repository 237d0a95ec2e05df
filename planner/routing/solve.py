"""The one planning entry point: ``solve(problem, time_limit_s=, seed=) -> Plan``, reasons for every left-out visit."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from planner.domain import Plan, Route, Stop, Unassigned, Visit
from planner.errors import InputError
from planner.routing.advice import explain, reason_text
from planner.routing.drop_order import drop_weights, must_weight
from planner.routing.problem import (
    PlanningProblem,
    Vehicle,
    day_costs,
    must_penalties,
    penalty_base,
)
from planner.routing.schedule import INF, DayShape, StopSpec, quick_check, schedule

log = logging.getLogger(__name__)

#: Short Chinese names of the reason codes (``Unassigned.reason_code``); ``Unassigned.reason`` names the fact.
REASONS = {
    "no_skill": "缺少所需专长",
    "excluded": "需回避",
    "no_date": "日期不合",
    "deadline_before_start": "期限早于开始日期",
    "deadline_passed": "期限已过",
    "date_before_start": "指定日期早于开始日期",
    "date_after_end": "指定日期晚于最后一天",
    "date_not_working": "指定日期不是工作日",
    "earliest_after_end": "最早日期晚于最后一天",
    "no_working_day": "日期范围内无工作日",
    "team_unavailable": "检查组不出行",
    "team_absent": "指定的检查组未参加",
    "window_unreachable": "班次或时间窗内排不下",
    "day_limit": "超过每日车程或走访点上限",
    "group_conflict": "同日组冲突",
    "group_too_long": "同日组一天排不下",
    "locked_conflict": "锁定的组和日期不可用",
    "capacity": "运力不足",
    "search_stopped": "搜索结束前未排入",
    "infeasible_must": "必访点无法排入",
}


#: Local-search operators switched off in plans: those for pickup-and-delivery pairs, sub-trips and visit types
#: (plans have none), the insertion LNS and Lin-Kernighan, as for VRPTW (``planner.routing.vrptw.LEAN_OPERATORS``);
#: the chain (de)activation operators stay on, since plan visits are optional. ``use_cp`` stays on: the allowed
#: vehicles (skills, 回避, pins) and same-day groups are CP constraints that the filters alone do not check.
PLAN_OPERATORS = {
    f"local_search_operators.use_{name}": False
    for name in (
        "global_cheapest_insertion_path_lns", "local_cheapest_insertion_path_lns",
        "relocate_path_global_cheapest_insertion_insert_unperformed", "global_cheapest_insertion_visit_types_lns",
        "local_cheapest_insertion_visit_types_lns", "relocate_pair", "light_relocate_pair", "exchange_pair",
        "relocate_subtrip", "exchange_subtrip", "shortest_path_swap_active", "shortest_path_two_opt",
        "lin_kernighan", "relocate_expensive_chain",
    )
}


class Callbacks:
    """Progress hooks for a UI; override what you need (the library stays UI-free)."""

    def on_progress(self, fraction: float, message: str) -> None:
        """Called with 0..1 as the search goes on."""

    def on_solution(self, elapsed_s: float, objective: int) -> None:
        """Called for every improving solution."""


def plan_time_limit(n_visits: int, cap_s: float) -> float:
    """Seconds to search a plan of ``n_visits``: 1.5 s and a quarter second a visit, at most ``cap_s``.

    The user's 求解时间 is the cap. A small plan (2–13 visits) is found in the first seconds and the rest of a 10 s
    budget changed nothing on the demo register (same visits left out, same team-days), so it stops earlier:
    13 visits get 4.75 s, 34 and more the full cap.
    """
    return max(0.5, min(float(cap_s), 1.5 + 0.25 * max(0, int(n_visits))))


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Which vehicles may take each visit, and the reason code when none may."""

    allowed: list[list[int]]
    reasons: dict[int, str]


def day_shape(vehicle: Vehicle) -> DayShape:
    """Shift, break and limits of a vehicle (a day that starts late, today from now, has no lunch break once the
    break's latest start has passed)."""
    t = vehicle.team
    start = max(t.shift_start_min, vehicle.not_before)
    brk = t.has_break and start <= t.break_latest_min
    return DayShape(
        shift_start=start,
        shift_end=t.shift_end_min,
        break_earliest=t.break_earliest_min if brk else None,
        break_latest=t.break_latest_min if brk else None,
        break_min=t.break_min if brk else 0,
        max_visits=t.max_visits_per_day,
        max_drive_min=t.max_drive_min,
    )


def stop_spec(problem: PlanningProblem, i: int) -> StopSpec:
    """The scheduler's view of visit ``i``."""
    v = problem.visits[i]
    a = v.window_start_min if v.window_start_min is not None else 0
    b = v.window_end_min if v.window_end_min is not None else 24 * 60
    return StopSpec(problem.visit_node(i), v.service_min, a, b)


def _date_ok(v: Visit, d) -> bool:
    if v.date is not None and d != v.date:
        return False
    if v.earliest_date is not None and d < v.earliest_date:
        return False
    return not (v.latest_date is not None and d > v.latest_date)


def eligibility(problem: PlanningProblem, vehicles: Sequence[Vehicle]) -> Eligibility:
    """Filter vehicles per visit by pins, skills, 回避, dates and a lone round trip; record the first empty filter."""
    travel = problem.travel_min()
    shapes = [day_shape(veh) for veh in vehicles]
    allowed: list[list[int]] = []
    reasons: dict[int, str] = {}
    for i, v in enumerate(problem.visits):
        cand = [k for k, veh in enumerate(vehicles) if not v.team_id or veh.team.team_id == v.team_id]
        code = None
        need = set(v.skills)
        step = [k for k in cand if need <= vehicles[k].team.all_skills()]
        if cand and not step:
            code = "no_skill"
        cand = step
        step = [k for k in cand if not (set(v.excluded_members) & vehicles[k].team.member_ids())]
        if code is None and cand and not step:
            code = "excluded"
        cand = step
        step = [k for k in cand if _date_ok(v, vehicles[k].date)]
        if code is None and (cand or not vehicles) and not step:
            code = "no_date"
        cand = step
        spec = stop_spec(problem, i)
        step = [k for k in cand if quick_check([spec], vehicles[k].depot, travel, shapes[k]) < INF]
        if code is None and cand and not step:
            code = "window_unreachable"
        cand = step
        if not cand:
            reasons[i] = code or "no_date"
        allowed.append(cand)
    # Same-day groups: one team and one day for all, so only vehicles every member may use.
    for members in _groups(problem).values():
        common = set.intersection(*(set(allowed[i]) for i in members))
        for i in members:
            allowed[i] = sorted(common)
            if not common and i not in reasons:
                reasons[i] = "group_conflict"
    return Eligibility(allowed, reasons)


def _groups(problem: PlanningProblem) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, v in enumerate(problem.visits):
        if v.group:
            out.setdefault(v.group, []).append(i)
    return {g: m for g, m in out.items() if len(m) > 1}


def _balance_end(problem: PlanningProblem, vehicles: Sequence[Vehicle]) -> list[int]:
    """Per vehicle, the return time of an evenly loaded day (work spread over every team-day)."""
    travel = problem.travel_min()
    work = sum(v.service_min for v in problem.visits)
    # Rough travel share: a round trip to each visit from its nearest base, halved (stops chain).
    if problem.visits:
        nodes = [problem.visit_node(i) for i in range(len(problem.visits))]
        bases = list(range(problem.n_teams))
        work += int(travel[np.ix_(bases, nodes)].min(axis=0).sum())
    per_day = work / max(1, len(vehicles))
    out = []
    for veh in vehicles:
        t = veh.team
        extra = t.break_min if t.has_break else 0
        out.append(min(t.shift_end_min, int(t.shift_start_min + per_day * 1.1 + extra)))
    return out


def _insertion(
    problem: PlanningProblem,
    vehicles: Sequence[Vehicle],
    allowed: list[list[int]],
    penalties: list[int | None],
    routes: list[list[int]],
    balance_end: list[int],
    balance_coeff: int,
    fixed: Sequence[int] | None = None,
) -> list[list[int]]:
    """Cheapest feasible insertion (hard and high-penalty visits first, same-day groups as blocks).

    Gives OR-Tools a first solution: with lunch breaks its own first-solution heuristics are very slow.
    ``fixed`` is the cost of opening each vehicle's route (the ``compact`` policy's day cost).
    """
    fixed = list(fixed) if fixed is not None else [0] * len(vehicles)
    travel = problem.travel_min()
    cost = problem.arc_cost()
    shapes = [day_shape(v) for v in vehicles]
    specs = [stop_spec(problem, i) for i in range(len(problem.visits))]
    groups = _groups(problem)
    # A same-day group goes in as one block: take out groups that are only partly on routes.
    for members in groups.values():
        on = [i for r in routes for i in r if i in members]
        if on and len(on) < len(members):
            for r in routes:
                r[:] = [i for i in r if i not in members]
    placed = {i for r in routes for i in r}
    units: list[list[int]] = []
    seen: set[str] = set()
    for i, v in enumerate(problem.visits):
        if i in placed or not allowed[i]:
            continue
        if v.group in groups:
            if v.group in seen:
                continue
            seen.add(v.group)
            units.append([j for j in groups[v.group] if j not in placed])
        else:
            units.append([i])

    def key(unit: list[int]) -> tuple:
        pen = [penalties[i] for i in unit]
        hard = any(p is None for p in pen)
        total = sum(p for p in pen if p is not None)
        width = min(specs[i].window_end - specs[i].window_start for i in unit)
        return (not hard, -total, len(allowed[unit[0]]), width)

    units.sort(key=key)
    rets = [quick_check([specs[i] for i in r], vehicles[k].depot, travel, shapes[k]) for k, r in enumerate(routes)]
    for unit in units:
        best = None
        for k in allowed[unit[0]]:
            route = routes[k]
            depot = vehicles[k].depot
            nodes = [depot] + [problem.visit_node(i) for i in route] + [depot]
            block = _order_block(problem, unit)
            first, last = problem.visit_node(block[0]), problem.visit_node(block[-1])
            inner = sum(int(cost[problem.visit_node(a), problem.visit_node(b)]) for a, b in itertools.pairwise(block))
            # Detour of putting the block between positions p and p+1, cheapest first.
            a = np.array(nodes[:-1])
            b = np.array(nodes[1:])
            detour = cost[a, first] + inner + cost[last, b] - cost[a, b]
            opening = 0 if route else fixed[k]
            for p in np.argsort(detour, kind="stable"):
                extra = int(detour[p]) + opening
                if best is not None and extra >= best[0]:
                    break
                trial = route[:p] + block + route[p:]
                ret = quick_check([specs[i] for i in trial], depot, travel, shapes[k])
                if ret >= INF:
                    continue
                over = max(0, ret - balance_end[k]) - max(0, rets[k] - balance_end[k]) if route else max(
                    0, ret - balance_end[k]
                )
                score = extra + balance_coeff * over
                if best is None or score < best[0]:
                    best = (score, k, trial, ret)
                break
        if best is not None:
            _, k, trial, ret = best
            routes[k] = trial
            rets[k] = ret
    return routes


def _order_block(problem: PlanningProblem, unit: list[int]) -> list[int]:
    """Order a group's visits by window start, then nearest neighbour."""
    if len(unit) == 1:
        return list(unit)
    cost = problem.arc_cost()
    rest = sorted(unit, key=lambda i: (problem.visits[i].window_start_min or 0, i))
    out = [rest.pop(0)]
    while rest:
        last = problem.visit_node(out[-1])
        rest.sort(key=lambda i: (problem.visits[i].window_start_min or 0, int(cost[last, problem.visit_node(i)])))
        out.append(rest.pop(0))
    return out


def solve(
    problem: PlanningProblem,
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
    callbacks: Callbacks | None = None,
    previous: Plan | None = None,
    max_solutions: int | None = None,
    relax_share: float | None = None,
    relaxed_search: str = "ils",
    search: str = "pyvrp",
    stall_s: float | None = None,
) -> Plan:
    """Plan routes for every team and working day.

    Parameters
    ----------
    problem
        A validated problem (:func:`planner.routing.problem.build_problem`).
    time_limit_s
        Wall-clock budget of the search.
    seed
        Selects the search variant (one worker, no randomness); see ``max_solutions`` for reproducibility.
    callbacks
        Progress hooks.
    previous
        A plan to start from: its routes are the warm start; locked visits keep its team, date and order.
    max_solutions
        Stop after this many search steps (solutions). The search has no randomness, so with this set the
        plan is the same on every machine as long as ``time_limit_s`` does not end the search first; without
        it, a longer or faster run may find a better plan.
    relax_share
        Share of the time spent on the relaxed model without breaks (0 searches the exact model only). None
        (the default): 0.9 when PyVRP searches it, 0.7 when OR-Tools does. After the repair reorders PyVRP's
        days, OR-Tools' polish on the exact model gained little (80 x 5 week at 10 s: 548,743 to 548,563), and
        more time for PyVRP gave lower plans on three weeks of 80 visits (0.9 against 0.7: 0.05-0.8 % less).
    relaxed_search
        ``"ils"`` (iterated local search with SISR ruin-and-recreate, the default) or ``"gls"`` (guided local
        search) there. On the demo register's top 40 (30 visits, 5 teams, 5 days, 5 s) the iterated search took
        8 team-days under 集中出行 where guided local search took 9, and less travel under 均衡 and 最少里程; on
        six generated Zhangzhou weeks at 10 s it was as good on average (40 visits x 3 teams: objective 2.2 %
        lower; 80 x 5: 0.2 % higher, from 5.2 % better to 4.7 % worse), nothing dropped either way; on weeks
        with more visits than fit, mixed (120 x 5: 10 dropped against 8; 160 x 6: 38 against 35 and 19 against
        32) — all at load 11-18 on 2 cores, so single runs vary a lot. With fewer than two visits the search may
        move (one visit, or all locked) there is nothing to ruin and guided local search is used.
    search
        ``"pyvrp"`` (the default): the relaxed phase is PyVRP's iterated local search
        (:mod:`planner.routing.pyvrp_adapter`) unless the policy is 均衡 or locked visits keep an order, in which
        case it is OR-Tools' search; ``"ortools"``: OR-Tools only (the relaxed phase then runs only when there
        are lunch breaks).
    stall_s
        Each search phase whose best plan holds every visit stops once it has not improved for this many seconds
        and for as long as it took to find it (:func:`~planner.routing.ortools_adapter.stalled`; None: each runs
        out its share of ``time_limit_s``). Leave it None with ``max_solutions``: a stall depends on the machine.

    Returns
    -------
    Plan
        Routes with times, unassigned visits with reasons, objective, status and runtime.

    Raises
    ------
    InputError
        If ``time_limit_s`` is not positive.
    """
    from planner.routing.ortools_adapter import RoutingSpec, SearchSettings, solve_spec

    if not time_limit_s > 0:
        raise InputError(f"求解时限（time_limit_s）须为正数，收到 {time_limit_s!r}")
    t0 = time.perf_counter()
    cb = callbacks or Callbacks()
    cb.on_progress(0.0, "检查约束")
    vehicles = problem.vehicles()
    elig = eligibility(problem, vehicles)
    base = penalty_base(problem)
    n = len(problem.visits)
    # Optional visits due within the trip before later ones, by priority, then deadline (walk W21: drop_order).
    weights = drop_weights(problem.visits, problem.dates, problem.options.urgent_days)
    must_pen = base * must_weight(weights)
    # Must-visits get a penalty far above any optional set, so they are dropped only when no plan holds them; of a
    # re-plan's, the stops it promised, then its revisits (未找到, 改期) unless the leader chose them first, then the
    # 必访 stops it did not hold (walk W12: V001 went out silently for two revisits; W13b: V024, never promised, came
    # in for the promised V029, V008 and V003).
    penalties: list[int | None] = [
        p if p is not None else base * w
        for w, p in zip(weights, must_penalties(problem.visits, problem.options, must_pen), strict=True)]
    in_model = [i for i in range(n) if i not in elig.reasons]
    vis_index = {v.visit_id: i for i, v in enumerate(problem.visits)}
    veh_index = {(veh.team.team_id, veh.date): veh.index for veh in vehicles}

    # Locked visits: keep the previous plan's team-day and order.
    locked_order: list[tuple[int, int]] = []
    start_routes: list[list[int]] = [[] for _ in vehicles]
    if previous is not None:
        for r in previous.routes:
            k = veh_index.get((r.team_id, r.date))
            if k is None:
                continue
            seq = [vis_index[s.visit_id] for s in r.stops if s.visit_id in vis_index]
            seq = [i for i in seq if i not in elig.reasons and k in elig.allowed[i]]
            start_routes[k] = seq
            locked = [i for i in seq if problem.visits[i].locked]
            locked_order += list(itertools.pairwise(locked))
    for i in in_model:
        v = problem.visits[i]
        if v.locked:
            k = veh_index.get((v.team_id, v.date))
            elig.allowed[i] = [k] if k is not None and k in elig.allowed[i] else []
            if not elig.allowed[i]:
                elig.reasons[i] = "locked_conflict"
    in_model = [i for i in range(n) if i not in elig.reasons]
    shapes = [day_shape(veh) for veh in vehicles]
    travel = problem.travel_min()
    # A warm start must itself be feasible: drop stops from the end of a previous route until it is.
    for k, r in enumerate(start_routes):
        r[:] = [i for i in r if i in set(in_model)]
        while r and quick_check([stop_spec(problem, i) for i in r], vehicles[k].depot, travel, shapes[k]) >= INF:
            r.pop()
    balance_end = _balance_end(problem, vehicles)
    balance_coeff = problem.options.balance_coeff
    fixed = day_costs(problem, vehicles)
    pos = {i: p for p, i in enumerate(in_model)}
    allowed_sub = [[k for k in elig.allowed[i]] for i in in_model]
    routes_full = _insertion(
        problem, vehicles, [elig.allowed[i] if i in pos else [] for i in range(n)],
        penalties, start_routes, balance_end, balance_coeff, fixed,
    )
    cb.on_progress(0.05, "初始方案")
    cost = problem.arc_cost()
    spec = RoutingSpec(
        time=travel,
        cost=cost,
        depot=[veh.depot for veh in vehicles],
        shapes=shapes,
        visit_node=[problem.visit_node(i) for i in in_model],
        service=[problem.visits[i].service_min for i in in_model],
        window=[(stop_spec(problem, i).window_start, stop_spec(problem, i).window_end) for i in in_model],
        penalty=[penalties[i] for i in in_model],
        allowed=allowed_sub,
        groups=[[pos[i] for i in m if i in pos] for m in _groups(problem).values()],
        order_pairs=[(pos[a], pos[b]) for a, b in locked_order if a in pos and b in pos],
        balance_end=balance_end,
        balance_coeff=balance_coeff,
        fixed_cost=fixed,
    )
    spec.groups = [g for g in spec.groups if len(g) > 1]
    lambdas = (0.1, 0.2, 0.05, 0.3)
    settings = SearchSettings(time_limit_s=max(0.05, time_limit_s - (time.perf_counter() - t0) - 0.05),
                              gls_lambda=lambdas[seed % len(lambdas)], solution_limit=max_solutions,
                              stall_s=stall_s, extra=dict(PLAN_OPERATORS))
    budget = settings.time_limit_s

    t_search = time.perf_counter()
    done = [0.05]

    def _progress(message: str) -> None:
        # Monotone over both phases: the share of the wall-clock budget used so far.
        done[0] = max(done[0], min(0.99, 0.05 + 0.94 * (time.perf_counter() - t_search) / budget))
        cb.on_progress(done[0], message)

    def _on_solution(elapsed: float, objective: int) -> None:
        cb.on_solution(time.perf_counter() - t0, objective)
        _progress(f"目标值 {objective}")

    if vehicles and in_model:
        init = [[pos[i] for i in r if i in pos] for r in routes_full]
        has_break = any(sh.has_break for sh in shapes)
        movable = sum(1 for i in in_model if not problem.visits[i].locked)
        pyvrp_spec = _pyvrp_part(_relaxed(spec) if has_break else spec) if search == "pyvrp" and movable >= 2 else None
        if relax_share is None:
            relax_share = 0.9 if pyvrp_spec is not None else 0.7
        if (has_break or pyvrp_spec is not None) and relax_share > 0 and not max_solutions:
            # Lunch breaks make OR-Tools' local search slow, and its local search finds worse routes than
            # PyVRP's iterated local search. Search first on a relaxed model (the break taken out of the shift
            # and of afternoon windows; same-day groups set aside for PyVRP), then repair its
            # routes with the exact scheduler, insert what was set aside and polish in the exact model for
            # the rest of the time.
            t1 = time.perf_counter()
            found = None
            if pyvrp_spec is not None:
                found = _search_pyvrp(pyvrp_spec, budget * relax_share, seed, init, _progress, stall_s)
            if found is None and has_break:
                relaxed = _relaxed(spec)
                if relaxed_search == "ils" and movable >= 2:
                    part = SearchSettings(time_limit_s=budget * relax_share - (time.perf_counter() - t1),
                                          metaheuristic="GREEDY_DESCENT", ils="sisr",
                                          ils_removed=max(10, min(45, len(in_model) // 3)),
                                          stall_s=stall_s, extra=dict(PLAN_OPERATORS))
                else:
                    part = SearchSettings(time_limit_s=budget * relax_share - (time.perf_counter() - t1),
                                          gls_lambda=settings.gls_lambda, stall_s=stall_s,
                                          extra=dict(PLAN_OPERATORS))
                r1 = solve_spec(relaxed, part, initial_routes=init,
                                on_solution=lambda e, o: _progress("搜索中"))
                found = r1.routes if r1.found else None
            if found is not None:
                proposed = [[in_model[j] for j in r] for r in found]
                # Reordering and refitting stop by 95 % of the budget (many over-full days on a large plan).
                stop_at = t0 + 0.95 * time_limit_s
                repaired = _repair(problem, vehicles, proposed, penalties, stop_at=stop_at)
                dropped = {i for r in proposed for i in r} - {i for r in repaired for i in r}
                repaired = _refit(problem, vehicles, repaired, dropped, elig.allowed, penalties, stop_at=stop_at)
                repaired = _insertion(
                    problem, vehicles, [elig.allowed[i] if i in pos else [] for i in range(n)],
                    penalties, repaired, balance_end, balance_coeff, fixed,
                )
                if _total(problem, vehicles, repaired, penalties, in_model) <= _total(
                    problem, vehicles, routes_full, penalties, in_model):
                    routes_full = repaired
                    init = [[pos[i] for i in r if i in pos] for r in routes_full]
            settings.time_limit_s = max(0.05, settings.time_limit_s - (time.perf_counter() - t1))
        result = solve_spec(spec, settings, initial_routes=init, on_solution=_on_solution)
        if not result.warm_start:
            log.warning("OR-Tools rejected the starting routes; searched from scratch")
        routes, objective, ended = routes_full, 0, result.ended
        if result.found:
            found = [[in_model[j] for j in r] for r in result.routes]
            # Keep the search's plan unless it is worse than the start (e.g. a from-scratch search cut short).
            if result.warm_start or _total(problem, vehicles, found, penalties, in_model) <= _total(
                    problem, vehicles, routes_full, penalties, in_model):
                routes, objective = found, result.objective
    else:
        routes, objective, ended = [[] for _ in vehicles], 0, None
    if vehicles and in_model:
        from planner.routing.dayorder import urgent_first

        # The search is indifferent to which of a team's days gets which route: the urgent ones go first.
        routes = urgent_first(vehicles, routes, problem.visits, lambda k, r: quick_check(
            [stop_spec(problem, i) for i in r], vehicles[k].depot, travel, shapes[k]) < INF)
    plan = _to_plan(problem, vehicles, routes, elig, penalties, objective, time.perf_counter() - t0, ended,
                    time_limit_s)
    cb.on_progress(1.0, plan.summary())
    return plan


def _pyvrp_part(spec):
    """What of ``spec`` PyVRP can search, with the positions it keeps; None when it cannot help.

    Visits in same-day groups are set aside (the insertion puts them back as blocks); daily driving limits are
    relaxed away (the repair with the exact scheduler enforces them); a plan with locked visits in a kept order
    is left to OR-Tools.
    """
    import copy

    from planner.routing.pyvrp_adapter import supported

    if spec.order_pairs:
        # Locked visits in a kept order: inserted one by one after PyVRP, they could lose that order.
        return None
    aside = {i for g in spec.groups for i in g}
    keep = [i for i in range(len(spec.visit_node)) if i not in aside]
    out = copy.copy(spec)
    out.visit_node = [spec.visit_node[i] for i in keep]
    out.service = [spec.service[i] for i in keep]
    out.window = [spec.window[i] for i in keep]
    out.penalty = [spec.penalty[i] for i in keep]
    out.allowed = [spec.allowed[i] if i < len(spec.allowed) else None for i in keep]
    out.groups, out.order_pairs = [], []
    out.shapes = [DayShape(sh.shift_start, sh.shift_end, sh.break_earliest, sh.break_latest, sh.break_min,
                           sh.max_visits, None) for sh in spec.shapes]
    if len(keep) < 2 or supported(out) is not None:
        return None
    return out, keep


def _search_pyvrp(part, time_limit_s: float, seed: int, init, progress, stall_s=None) -> list[list[int]] | None:
    """Routes of the spec's visits found by PyVRP on ``part`` (from :func:`_pyvrp_part`), or None."""
    from planner.routing.pyvrp_adapter import solve_pyvrp

    sub, keep = part
    back = {i: j for j, i in enumerate(keep)}
    start = [[back[i] for i in r if i in back] for r in init]
    progress("搜索中")
    try:
        res = solve_pyvrp(sub, time_limit_s, seed=seed + 1, initial_routes=start,
                          on_progress=lambda: progress("搜索中"), stall_s=stall_s)
    except (RuntimeError, ValueError) as exc:  # a model PyVRP refuses: OR-Tools searches alone
        log.warning("PyVRP not used: %s", exc)
        return None
    if res is None:
        return None
    return [[keep[j] for j in r] for r in res.routes]


def _relaxed(spec):
    """The spec with each break taken out of the day: shift and afternoon windows end ``break_min`` earlier."""
    import copy

    from planner.routing.schedule import DayShape

    out = copy.copy(spec)
    out.shapes = [DayShape(sh.shift_start, max(sh.shift_start, sh.shift_end - sh.break_min), None, None, 0,
                           sh.max_visits, sh.max_drive_min) for sh in spec.shapes]
    d = max((sh.break_min for sh in spec.shapes if sh.has_break), default=0)
    be = min((sh.break_earliest for sh in spec.shapes if sh.has_break), default=0)
    windows = []
    for a, b in spec.window:
        if b >= 24 * 60:
            windows.append((a, b))  # no window
        elif a >= be:
            windows.append((max(0, a - d), max(0, b - d)))
        elif b > be:
            windows.append((a, max(a, b - d)))
        else:
            windows.append((a, b))
    out.window = windows
    if spec.balance_end is not None:
        out.balance_end = [
            max(sh.shift_start, e - sh.break_min) for e, sh in zip(spec.balance_end, spec.shapes, strict=True)
        ]
    return out


#: Routes of at most this many stops are reordered by trying every order (7! = 5,040 checks); longer ones by
#: moving one stop or swapping two.
_REORDER_ALL = 7


def _moves(route: list[int]):
    """``route`` with one stop moved elsewhere, and with two stops swapped."""
    n = len(route)
    rest = [route[:a] + route[a + 1:] for a in range(n)]
    yield from ([*m[:b], route[a], *m[b:]] for a, m in enumerate(rest) for b in range(n) if b != a)
    yield from ([*route[:a], route[b], *route[a + 1:b], route[a], *route[b + 1:]]
                for a in range(n) for b in range(a + 1, n))


def _cheapest_feasible(problem: PlanningProblem, orders, depot: int, shape: DayShape) -> list[int] | None:
    """The cheapest of ``orders`` (stop sequences) that the exact scheduler accepts, or None."""
    travel = problem.travel_min()
    cost = problem.arc_cost()
    best: tuple[int, list[int]] | None = None
    for seq in orders:
        seq = list(seq)
        nodes = [depot] + [problem.visit_node(i) for i in seq] + [depot]
        c = int(sum(cost[a, b] for a, b in itertools.pairwise(nodes)))
        if (best is None or c < best[0]) and quick_check(
                [stop_spec(problem, i) for i in seq], depot, travel, shape) < INF:
            best = (c, seq)
    return None if best is None else best[1]


def _reorder(problem: PlanningProblem, route: list[int], depot: int, shape: DayShape) -> list[int] | None:
    """The cheapest order of ``route``'s stops that the exact scheduler accepts, or None when none is found.

    PyVRP plans without the lunch break; a day whose long visit then straddles the break's window is
    infeasible as ordered, but mostly feasible in another order (80 visits x 5 teams: both such days were).
    Routes of at most :data:`_REORDER_ALL` stops try every order, longer ones one move or swap.
    """
    orders = itertools.permutations(route) if len(route) <= _REORDER_ALL else _moves(route)
    return _cheapest_feasible(problem, orders, depot, shape)


def _refit(problem: PlanningProblem, vehicles, routes: list[list[int]], dropped, allowed: list[list[int]],
           penalties: Sequence[int | None], tries: int = 8, stop_at: float = INF) -> list[list[int]]:
    """Put the stops the repair dropped into the days already used, where one more stop fits once a stop of the
    day moves or two swap (the cheapest insertion keeps each day's order and opens a new day instead: on a week
    of 80 visits x 5 teams that cost a 20th team-day). Each stop tries the ``tries`` days it is cheapest to
    reach; what fits nowhere is left to the insertion."""
    cost = problem.arc_cost()
    routes = [list(r) for r in routes]
    for i in sorted(dropped, key=lambda j: -(penalties[j] if penalties[j] is not None else INF)):
        if time.perf_counter() > stop_at:
            break  # the rest is left to the insertion
        node = problem.visit_node(i)

        def reach(k: int, node=node) -> int:
            nodes = [vehicles[k].depot] + [problem.visit_node(j) for j in routes[k]]
            return int(min(cost[a, node] for a in nodes))

        best: tuple[int, int, list[int]] | None = None
        for k in sorted((k for k in allowed[i] if routes[k]), key=reach)[:tries]:
            depot, r = vehicles[k].depot, routes[k]
            variants = [r, *_moves(r)] if len(r) <= 2 * _REORDER_ALL else [r]
            orders = ([*v[:p], i, *v[p:]] for v in variants for p in range(len(v) + 1))
            seq = _cheapest_feasible(problem, orders, depot, day_shape(vehicles[k]))
            if seq is None:
                continue
            nodes = [depot] + [problem.visit_node(j) for j in seq] + [depot]
            old = [depot] + [problem.visit_node(j) for j in r] + [depot]
            extra = int(sum(cost[a, b] for a, b in itertools.pairwise(nodes))
                        - sum(cost[a, b] for a, b in itertools.pairwise(old)))
            if best is None or extra < best[0]:
                best = (extra, k, seq)
        if best is not None:
            routes[best[1]] = best[2]
    return routes


def _repair(problem: PlanningProblem, vehicles, routes: list[list[int]],
            penalties: Sequence[int | None] | None = None, stop_at: float = INF) -> list[list[int]]:
    """Make each route feasible with the exact scheduler, reordering its stops first and removing as few as it
    takes when no order fits.

    Of the stops whose removal would do, the one that loses least goes: its penalty (what leaving it out costs;
    a 必访 visit's is far above any other) less the travel its removal saves.
    """
    travel = problem.travel_min()
    cost = problem.arc_cost()
    out = []
    for k, r in enumerate(routes):
        r = list(r)
        shape = day_shape(vehicles[k])
        depot = vehicles[k].depot

        def ok(seq, depot=depot, shape=shape):
            return quick_check([stop_spec(problem, i) for i in seq], depot, travel, shape) < INF

        if r and not ok(r) and time.perf_counter() <= stop_at:
            r = _reorder(problem, r, depot, shape) or r
        while r and not ok(r):
            nodes = [depot] + [problem.visit_node(i) for i in r] + [depot]
            saving = [
                int(cost[nodes[p], nodes[p + 1]] + cost[nodes[p + 1], nodes[p + 2]] - cost[nodes[p], nodes[p + 2]])
                for p in range(len(r))
            ]
            loss = [(0 if penalties is None else penalties[i] or INF) - saving[q] for q, i in enumerate(r)]
            fixes = [p for p in range(len(r)) if ok(r[:p] + r[p + 1:])]
            p = min(fixes or range(len(r)), key=lambda q: loss[q])
            r.pop(p)
            if r and not ok(r) and len(r) <= _REORDER_ALL and time.perf_counter() <= stop_at:
                r = _reorder(problem, r, depot, shape) or r
        out.append(r)
    return out


def _total(problem: PlanningProblem, vehicles, routes, penalties, in_model) -> int:
    """Travel seconds, day costs and penalties of left-out visits (to choose between two starting points)."""
    cost = problem.arc_cost()
    fixed = day_costs(problem, vehicles)
    planned = {i for r in routes for i in r}
    total = sum(penalties[i] for i in in_model if i not in planned)
    for k, r in enumerate(routes):
        if r:
            total += fixed[k]
            nodes = [vehicles[k].depot] + [problem.visit_node(i) for i in r] + [vehicles[k].depot]
            total += int(sum(cost[a, b] for a, b in itertools.pairwise(nodes)))
    return int(total)


def _to_plan(problem, vehicles, routes, elig, penalties, objective, runtime, ended=None, search_s=None) -> Plan:
    travel = problem.travel_min()
    cost = problem.matrix.travel_s
    dist = problem.matrix.distance_m
    out_routes: list[Route] = []
    feasible = True
    for k, r in enumerate(routes):
        if not r:
            continue
        veh = vehicles[k]
        timing = schedule([stop_spec(problem, i) for i in r], veh.depot, travel, day_shape(veh))
        feasible &= timing.feasible
        nodes = [veh.depot] + [problem.visit_node(i) for i in r] + [veh.depot]
        legs_s = [int(cost[a, b]) for a, b in itertools.pairwise(nodes)]
        legs_m = [int(dist[a, b]) for a, b in itertools.pairwise(nodes)]
        stops = tuple(
            Stop(problem.visits[i].visit_id, timing.arrive[p], timing.start[p], timing.end[p], legs_s[p], legs_m[p])
            for p, i in enumerate(r)
        )
        b0 = timing.break_start
        out_routes.append(
            Route(
                team_id=veh.team.team_id, date=veh.date, depart_min=timing.depart, return_min=timing.ret,
                stops=stops, travel_s=sum(legs_s), distance_m=sum(legs_m),
                break_start_min=b0, break_end_min=None if b0 is None else b0 + veh.team.break_min,
            )
        )
    planned = {i for r in routes for i in r}
    shapes = [day_shape(veh) for veh in vehicles]

    def fits(k: int, seq) -> bool:
        return quick_check([stop_spec(problem, i) for i in seq], vehicles[k].depot, travel, shapes[k]) < INF

    unassigned = []
    for i, v in enumerate(problem.visits):
        if i in planned:
            continue
        # The fact that blocks the visit, named from the check that failed, and what would unblock it.
        code, fact, sugg = explain(problem, vehicles, i, elig.reasons.get(i, "capacity"), used=len(out_routes),
                                   allowed=elig.allowed[i], busy={k for k, r in enumerate(routes) if r}, fits=fits,
                                   ended=ended, search_s=search_s, planned=planned)
        must = v.must or v.locked
        text = reason_text(fact, sugg, must=must)
        if must:
            # A must-visit is never silently dropped: it is reported as infeasible, naming the check that failed.
            code = "infeasible_must"
        unassigned.append(Unassigned(v.visit_id, code, text, sugg))
    if not problem.visits:
        status = "optimal"
    elif not planned:
        status = "infeasible"
    else:
        status = "feasible" if feasible else "violations"
    return Plan(status, tuple(out_routes), tuple(unassigned), int(objective), round(runtime, 3),
                problem.start_date, problem.days)
