"""Routing: multi-team, multi-day visit plans (problem, travel times, OR-Tools adapter, solve, reorder, VRPTW).

Public API: ``build_problem``, ``PlanningProblem``, ``PlanOptions``, ``working_dates`` (``problem``);
``OfflineTravelModel``, ``MatrixFileTravel``, ``OsrmTravel``, ``TravelMatrix`` (``travel``);
``solve``, ``Callbacks`` (``solve``); ``reorder``, ``unassign``, ``retime`` (``reorder``); ``plan_document``,
``kpis``, ``compare``, ``route_rows`` (``report``); ``read_vrptw``, ``solve_vrptw`` (``vrptw``).
Only ``ortools_adapter`` imports OR-Tools.
"""

from planner.routing.problem import PlanningProblem, PlanOptions, build_problem, working_dates
from planner.routing.solve import Callbacks, solve
from planner.routing.travel import MatrixFileTravel, OfflineTravelModel, OsrmTravel, Point, TravelMatrix

__all__ = [
    "Callbacks", "MatrixFileTravel", "OfflineTravelModel", "OsrmTravel", "PlanOptions", "PlanningProblem",
    "Point", "TravelMatrix", "build_problem", "solve", "working_dates",
]
