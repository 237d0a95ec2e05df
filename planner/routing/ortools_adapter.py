"""The only module that imports OR-Tools: turns a routing spec into an OR-Tools model, solves it, reads routes back."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from planner.routing.schedule import DayShape

FIRST_SOLUTION = routing_enums_pb2.FirstSolutionStrategy
METAHEURISTIC = routing_enums_pb2.LocalSearchMetaheuristic


@dataclass(slots=True)
class RoutingSpec:
    """A routing problem in plain integers (the adapter's input; built by ``solve`` or ``vrptw``).

    Visits are numbered 0..n-1 and sit at matrix nodes ``visit_node``; vehicle ``k`` starts and ends at matrix
    node ``depot[k]``. ``time`` is in the model's time unit (minutes for plans, 0.1 units for Solomon) and
    excludes service; ``cost`` is the arc cost. ``penalty[i] is None`` makes visit ``i`` hard.
    """

    time: np.ndarray
    cost: np.ndarray
    depot: list[int]
    shapes: list[DayShape]
    visit_node: list[int]
    service: list[int]
    window: list[tuple[int, int]]
    penalty: list[int | None]
    allowed: list[list[int] | None] = field(default_factory=list)
    demand: list[int] | None = None
    capacity: list[int] | None = None
    groups: list[list[int]] = field(default_factory=list)
    order_pairs: list[tuple[int, int]] = field(default_factory=list)
    balance_end: list[int] | None = None
    balance_coeff: int = 0
    #: Cost of using each vehicle at all (the ``compact`` policy's day cost), in ``cost`` units; None: none.
    fixed_cost: list[int] | None = None
    horizon: int = 24 * 60
    #: Push departures late and returns early in every solution (plans need it; it slows pure VRPTW down).
    finalize_times: bool = True


@dataclass(slots=True)
class SearchSettings:
    """How to search: first-solution strategy, metaheuristic and its knobs, time limit."""

    time_limit_s: float = 10.0
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    gls_lambda: float = 0.1
    solution_limit: int | None = None
    #: Once the best solution holds every visit, stop when it has not improved for this many seconds and for as
    #: long as it took to find it (:func:`stalled`; None: run to the time limit).
    stall_s: float | None = None
    log: bool = False
    #: Iterated local search with ruin-and-recreate instead of a plain metaheuristic: "sisr" (slack induction
    #: by string removals), "walk" (random walk), "close" (spatially close routes), several joined by "+", or None.
    ils: str | None = None
    ils_removed: int = 10
    ils_seq: int = 10
    #: Extra ``RoutingSearchParameters`` fields (dotted names for nested ones), e.g.
    #: ``{"ls_operator_neighbors_ratio": 0.3, "local_search_operators.use_or_opt": False}``.
    extra: dict = field(default_factory=dict)


@dataclass(slots=True)
class SpecResult:
    """Routes (visit numbers per vehicle), objective, whether a solution exists, and search statistics."""

    routes: list[list[int]]
    objective: int
    found: bool
    runtime_s: float
    first_solution_s: float | None = None
    solutions: int = 0
    history: list[tuple[float, int]] = field(default_factory=list)
    warm_start: bool = False  # the initial routes were accepted as the first solution
    #: How the search ended: ``"time"`` (its time limit), ``"solutions"`` (``solution_limit``) or ``"done"``
    #: (a local optimum before either; or no search ran); ``"stall"``: no improvement for ``stall_s`` seconds.
    ended: str = "done"


def stalled(elapsed: float, best_at: float, stall_s: float | None) -> bool:
    """Whether a search ``elapsed`` seconds in, whose best came at ``best_at``, has stalled: no better plan for
    ``stall_s`` seconds and for as long again as the best took (a search still finding better plans late goes on:
    Solomon R101 and RC105 gained 0.5-2 % between 5 and 10 s)."""
    return stall_s is not None and elapsed - best_at >= max(stall_s, best_at)


def _int_matrix(a: np.ndarray) -> list[list[int]]:
    return [[int(x) for x in row] for row in a]


def solve_spec(
    spec: RoutingSpec,
    settings: SearchSettings,
    *,
    initial_routes: Sequence[Sequence[int]] | None = None,
    on_solution: Callable[[float, int], None] | None = None,
) -> SpecResult:
    """Build the OR-Tools model for ``spec`` and search.

    Parameters
    ----------
    spec
        The problem in integers.
    settings
        Search settings (time limit, strategies).
    initial_routes
        Visit numbers per vehicle to start from (skips OR-Tools' first-solution phase when they are feasible).
    on_solution
        Called with (elapsed seconds, objective) for every improving solution.

    Returns
    -------
    SpecResult
    """
    t0 = time.perf_counter()
    n_veh = len(spec.depot)
    depots = sorted(set(spec.depot))
    # Model nodes: the visits, then the depots used by vehicles (unused bases must not become stops). Visits
    # come first because OR-Tools' ruin procedures (iterated local search) draw their seed visit from the model
    # indices 0..Size()-vehicles() and redraw until it is a performed visit: with the depots first, the last
    # (depots - 1) visits were never drawn, and with more depots than visits (two teams at different bases, one
    # visit) no draw could ever succeed and the search never returned, whatever its time limit.
    n_vis = len(spec.visit_node)
    matrix_nodes = list(spec.visit_node) + depots
    dep_pos = {d: n_vis + i for i, d in enumerate(depots)}
    idx = np.array(matrix_nodes)
    travel = spec.time[np.ix_(idx, idx)]
    cost = spec.cost[np.ix_(idx, idx)]
    service = list(spec.service) + [0] * len(depots)
    manager = pywrapcp.RoutingIndexManager(
        len(matrix_nodes), n_veh, [dep_pos[d] for d in spec.depot], [dep_pos[d] for d in spec.depot]
    )
    routing = pywrapcp.RoutingModel(manager)
    solver = routing.solver()

    cost_cb = routing.RegisterTransitMatrix(_int_matrix(cost))
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)
    time_with_service = travel + np.array(service, dtype=np.int64)[:, None]
    time_cb = routing.RegisterTransitMatrix(_int_matrix(time_with_service))
    routing.AddDimension(time_cb, spec.horizon, spec.horizon, False, "time")
    tdim = routing.GetDimensionOrDie("time")

    def index_of_visit(i: int) -> int:
        return manager.NodeToIndex(i)

    for i, (a, b) in enumerate(spec.window):
        tdim.CumulVar(index_of_visit(i)).SetRange(int(a), int(b))
    node_visit_transits = [int(s) for s in service]
    node_visit_transits_idx = [0] * routing.Size()
    for index in range(routing.Size()):
        node_visit_transits_idx[index] = node_visit_transits[manager.IndexToNode(index)]
    for k, shape in enumerate(spec.shapes):
        tdim.CumulVar(routing.Start(k)).SetRange(shape.shift_start, shape.shift_end)
        tdim.CumulVar(routing.End(k)).SetRange(shape.shift_start, shape.shift_end)
        if shape.has_break:
            iv = solver.FixedDurationIntervalVar(
                shape.break_earliest, shape.break_latest, shape.break_min, False, f"break {k}"
            )
            tdim.SetBreakIntervalsOfVehicle([iv], k, node_visit_transits_idx)
        if spec.balance_end is not None and spec.balance_coeff > 0:
            tdim.SetCumulVarSoftUpperBound(routing.End(k), int(spec.balance_end[k]), int(spec.balance_coeff))
        if spec.fixed_cost is not None and spec.fixed_cost[k] > 0:
            routing.SetFixedCostOfVehicle(int(spec.fixed_cost[k]), k)
        if spec.finalize_times:
            routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.End(k)))
            routing.AddVariableMaximizedByFinalizer(tdim.CumulVar(routing.Start(k)))

    if any(s.max_visits is not None for s in spec.shapes):
        one = routing.RegisterUnaryTransitVector([1] * n_vis + [0] * len(depots))
        caps = [s.max_visits if s.max_visits is not None else len(spec.visit_node) for s in spec.shapes]
        routing.AddDimensionWithVehicleCapacity(one, 0, caps, True, "visits")
    if any(s.max_drive_min is not None for s in spec.shapes):
        drive_cb = routing.RegisterTransitMatrix(_int_matrix(travel))
        big = int(travel.max() * (len(spec.visit_node) + 1)) + 1
        caps = [s.max_drive_min if s.max_drive_min is not None else big for s in spec.shapes]
        routing.AddDimensionWithVehicleCapacity(drive_cb, 0, caps, True, "drive")
    if spec.demand is not None and spec.capacity is not None:
        dem = routing.RegisterUnaryTransitVector([int(x) for x in spec.demand] + [0] * len(depots))
        routing.AddDimensionWithVehicleCapacity(dem, 0, [int(c) for c in spec.capacity], True, "load")

    for i in range(len(spec.visit_node)):
        index = index_of_visit(i)
        allowed = spec.allowed[i] if i < len(spec.allowed) else None
        if allowed is not None and len(allowed) < n_veh:
            # (SetAllowedVehiclesForIndex's Python binding rejects lists in this OR-Tools version.)
            values = [int(v) for v in allowed] + ([-1] if spec.penalty[i] is not None else [])
            routing.VehicleVar(index).SetValues(values)
        if spec.penalty[i] is not None:
            routing.AddDisjunction([index], int(spec.penalty[i]))
    for group in spec.groups:
        first = routing.VehicleVar(index_of_visit(group[0]))
        for other in group[1:]:
            solver.Add(first == routing.VehicleVar(index_of_visit(other)))
            solver.Add(routing.ActiveVar(index_of_visit(group[0])) == routing.ActiveVar(index_of_visit(other)))
    for a, b in spec.order_pairs:
        solver.Add(tdim.CumulVar(index_of_visit(a)) <= tdim.CumulVar(index_of_visit(b)))

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(FIRST_SOLUTION, settings.first_solution)
    params.local_search_metaheuristic = getattr(METAHEURISTIC, settings.metaheuristic)
    params.guided_local_search_lambda_coefficient = settings.gls_lambda
    params.time_limit.FromMilliseconds(max(1, int(settings.time_limit_s * 1000)))
    if settings.solution_limit:
        params.solution_limit = settings.solution_limit
    params.log_search = settings.log
    if settings.ils and len(spec.visit_node) < 2:
        # Nothing to ruin and recreate: one visit is placed by the first solution and local search alone.
        settings = dataclasses.replace(settings, ils=None)
    if settings.ils:
        params.use_iterated_local_search = True
        ils = params.iterated_local_search_parameters
        del ils.ruin_recreate_parameters.ruin_strategies[:]
        # Several ruins ("sisr+walk") take turns at random.
        for kind in settings.ils.split("+"):
            ruin = ils.ruin_recreate_parameters.ruin_strategies.add()
            if kind == "sisr":
                ruin.sisr.max_removed_sequence_size = settings.ils_seq
                ruin.sisr.avg_num_removed_visits = settings.ils_removed
                ruin.sisr.bypass_factor = 0.01
            elif kind == "walk":
                ruin.random_walk.num_removed_visits = settings.ils_removed
            else:
                ruin.spatially_close_routes.num_ruined_routes = 2
        if "+" in settings.ils:
            ils.ruin_recreate_parameters.ruin_composition_strategy = 3  # RUN_ONE_RANDOMLY
        ils.reference_solution_acceptance_strategy.simulated_annealing.automatic_temperatures = True
    for name, value in settings.extra.items():
        target = params
        *path, last = name.split(".")
        for part in path:
            target = getattr(target, part)
        if isinstance(value, bool) and name.startswith("local_search_operators."):
            value = 3 if value else 2  # OptionalBoolean BOOL_TRUE / BOOL_FALSE
        setattr(target, last, value)

    history: list[tuple[float, int]] = []
    stall = [False, False]  # stalled; the best solution holds every visit

    def _at_solution() -> None:
        value = int(routing.CostVar().Max())
        elapsed = time.perf_counter() - t0
        if not history or value < history[-1][1]:
            history.append((elapsed, value))
            if settings.stall_s is not None:
                stall[1] = all(routing.ActiveVar(index_of_visit(i)).Value() for i in range(n_vis))
            if on_solution is not None:
                on_solution(elapsed, value)

    def _stalled() -> bool:
        # Counted from the first solution (the warm start when there is one); a solution that leaves visits out
        # goes on to the time limit (swapping them in and out still improves it late).
        if history and stall[1] and stalled(time.perf_counter() - t0, history[-1][0], settings.stall_s):
            stall[0] = True
        return stall[0]

    routing.AddAtSolutionCallback(_at_solution)
    if settings.stall_s is not None:
        routing.AddSearchMonitor(solver.CustomLimit(_stalled))
    assignment = None
    warm = False
    start = None
    if initial_routes is not None and not settings.ils:  # OR-Tools' ILS has no warm start
        # Checking the starting routes must not be cut short by the search's time limit.
        params.time_limit.FromSeconds(600)
        routing.CloseModelWithParameters(params)
        model_routes = [[index_of_visit(i) for i in r] for r in initial_routes]
        start = routing.ReadAssignmentFromRoutes(model_routes, True)
    # The time limit covers building the model too: the caller's budget is wall-clock.
    left = settings.time_limit_s - (time.perf_counter() - t0)
    params.time_limit.FromMilliseconds(max(1, int(left * 1000)))
    if start is not None:
        warm = True
        assignment = routing.SolveFromAssignmentWithParameters(start, params)
        if assignment is None:  # no time left to search: the start is the answer
            assignment = start
    if assignment is None:
        if settings.ils:
            assignment = routing.SolveWithIteratedLocalSearch(params)
        else:
            assignment = routing.SolveWithParameters(params)
    runtime = time.perf_counter() - t0
    # OR-Tools' status says whether a local optimum was reached; a metaheuristic never stops there by itself.
    status = routing.status()
    ended = "done"
    if stall[0]:
        ended = "stall"
    elif runtime >= 0.95 * settings.time_limit_s or status == 4:  # ROUTING_FAIL_TIMEOUT
        ended = "time"
    elif status == 2:  # ROUTING_PARTIAL_SUCCESS_LOCAL_OPTIMUM_NOT_REACHED: a limit stopped it
        ended = "solutions" if settings.solution_limit else "time"
    if assignment is None:
        return SpecResult([[] for _ in range(n_veh)], 0, False, runtime, None, len(history), history, warm, ended)
    routes = []
    for k in range(n_veh):
        index = routing.Start(k)
        seq = []
        index = assignment.Value(routing.NextVar(index))
        while not routing.IsEnd(index):
            seq.append(manager.IndexToNode(index))
            index = assignment.Value(routing.NextVar(index))
        routes.append(seq)
    return SpecResult(
        routes,
        int(assignment.ObjectiveValue()),
        True,
        runtime,
        history[0][0] if history else runtime,
        len(history),
        history,
        warm,
        ended,
    )
