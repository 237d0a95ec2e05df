"""A validated planning problem: visits, teams, working dates of the horizon, travel matrix and options."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from planner.domain import Team, Visit
from planner.errors import InputError
from planner.routing.travel import OfflineTravelModel, Point, TravelMatrix, TravelProvider


def working_dates(
    start: dt.date, days: int, *, skip_weekends: bool = True, holidays: Iterable[dt.date] = ()
) -> tuple[dt.date, ...]:
    """The first ``days`` working dates from ``start`` (weekends and holidays skipped).

    Raises
    ------
    InputError
        If ``days`` is not between 1 and 60.
    """
    if not 1 <= int(days) <= 60:
        raise InputError(f"工作日数应为 1 到 60 天，收到 {days!r}")
    off = set(holidays)
    out: list[dt.date] = []
    d = start
    while len(out) < days:
        if not (skip_weekends and d.weekday() >= 5) and d not in off:
            out.append(d)
        d += dt.timedelta(days=1)
    return tuple(out)


#: Plan policies (what the office wants from a plan besides keeping every constraint), with their Chinese names.
POLICIES = {
    "compact": "集中出行",  # fewest team-days: fill a day, then the next
    "balanced": "均衡",  # spread the work evenly over every team and day
    "distance": "最少里程",  # the shortest total travel, however many team-days it takes
}


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """Knobs of the objective and the horizon.

    ``policy``: one of :data:`POLICIES`. ``compact`` puts a fixed cost on every (team, day) that leaves its base
    (``day_cost_min`` minutes of travel, a little more for later days, so earlier days fill first); ``balanced``
    charges ``balance_weight`` seconds of travel for every second a day runs past the evenly loaded end;
    ``distance`` charges travel only.
    ``urgent_days``: of the visits due after the planned days, one due within this many days of the last weighs
    more the sooner it is due (:mod:`planner.routing.drop_order`; a visit due within the days outweighs several).
    """

    skip_weekends: bool = True
    holidays: tuple[dt.date, ...] = ()
    balance_weight: float = 0.5
    urgent_days: int = 7
    policy: str = "compact"
    day_cost_min: int = 360
    #: ``((date, minute), ...)``: no team leaves its base before ``minute`` on ``date`` (a plan made today starts
    #: from now, :func:`not_before_now`); a day whose shift ends by then gets no visits.
    not_before: tuple[tuple[dt.date, int], ...] = ()
    #: ``((team id, date, minute), ...)``: that team leaves no earlier than ``minute`` that day (the rest of a
    #: day whose first stops were already visited, :mod:`planner.routing.history`).
    team_not_before: tuple[tuple[str, dt.date, int], ...] = ()
    #: The office's today, when known: suggestions never move a plan's start before it, and a deadline before it
    #: is reported as passed.
    today: dt.date | None = None
    #: Stops of a re-planned plan to visit again (未找到, 改期; walk W12). A 必访 one yields to the plan's other 必访
    #: stops when both cannot fit: what the issued plan promised goes first (:func:`planner.routing.solve.solve`).
    revisits: frozenset[str] = frozenset()
    #: The leader's choice the other way: the revisits first, the plan's other 必访 stops may go out.
    revisits_first: bool = False
    #: Stops of a re-planned plan that its issued version had placed (its promised 必访 stops, a stop that took one
    #: in included). A 必访 stop the issued plan did not hold (left out of it, or new) yields to them and to the
    #: revisits (walk W13b: V024, left out of plan #1, was added on 12-09 while the promised V029, V008, V003 went).
    promised: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.balance_weight < 0:
            raise InputError(f"均衡权重不能为负数，收到 {self.balance_weight!r}")
        if self.policy not in POLICIES:
            raise InputError(
                f"规划方式应为 {'、'.join(f'{k}（{v}）' for k, v in POLICIES.items())} 之一，收到 {self.policy!r}"
            )
        if not 0 <= self.day_cost_min <= 24 * 60:
            raise InputError(f"每个出行日的折算成本应为 0 到 1440 分钟，收到 {self.day_cost_min!r}")
        object.__setattr__(self, "holidays", tuple(self.holidays))
        object.__setattr__(self, "revisits", frozenset(self.revisits))
        object.__setattr__(self, "promised", frozenset(self.promised))
        pairs = tuple((d, int(m)) for d, m in self.not_before)
        if any(not 0 <= m <= 24 * 60 for _, m in pairs):
            raise InputError(f"最早出发时间应在 00:00 到 24:00 之间，收到 {self.not_before!r}")
        object.__setattr__(self, "not_before", pairs)
        triples = tuple((str(t), d, int(m)) for t, d, m in self.team_not_before)
        if any(not 0 <= m <= 24 * 60 for *_, m in triples):
            raise InputError(f"最早出发时间应在 00:00 到 24:00 之间，收到 {self.team_not_before!r}")
        object.__setattr__(self, "team_not_before", triples)

    def start_on(self, date: dt.date) -> int:
        """The earliest minute a team may leave on ``date`` (0: its shift start)."""
        return max((m for d, m in self.not_before if d == date), default=0)

    def team_start_on(self, team_id: str, date: dt.date) -> int:
        """The earliest minute ``team_id`` may leave on ``date`` (0: its shift start, or :meth:`start_on`)."""
        mine = (m for t, d, m in self.team_not_before if t == team_id and d == date)
        return max(self.start_on(date), max(mine, default=0))

    @property
    def balance_coeff(self) -> int:
        """Objective weight of a minute past the balanced end (only under the ``balanced`` policy)."""
        return round(self.balance_weight * 60) if self.policy == "balanced" else 0


@dataclass(frozen=True, slots=True)
class Vehicle:
    """One team on one date: the unit OR-Tools routes."""

    index: int
    team: Team
    date: dt.date
    depot: int  # node index of the team's base
    not_before: int = 0  # earliest departure (minute of the day) when later than the shift start: today, from now


@dataclass(frozen=True, slots=True, eq=False)
class PlanningProblem:
    """Everything the solver needs, checked: build with :func:`build_problem`.

    Nodes of :attr:`matrix` are the teams' bases (``team:<id>``, in team order) then the visits (in order).
    """

    visits: tuple[Visit, ...]
    teams: tuple[Team, ...]
    start_date: dt.date
    days: int
    dates: tuple[dt.date, ...]
    matrix: TravelMatrix
    options: PlanOptions = field(default_factory=PlanOptions)

    @property
    def n_teams(self) -> int:
        """Number of teams (= number of base nodes)."""
        return len(self.teams)

    def visit_node(self, i: int) -> int:
        """Matrix node of visit ``i``."""
        return self.n_teams + i

    def vehicles(self) -> tuple[Vehicle, ...]:
        """Every (team, date) where the team is available and its shift is not over by ``options.not_before``."""
        out = []
        for t_i, team in enumerate(self.teams):
            avail = set(team.available_dates)
            for d in self.dates:
                start = self.options.team_start_on(team.team_id, d)
                if (not avail or d in avail) and start < team.shift_end_min:
                    out.append(Vehicle(len(out), team, d, t_i, start if start > team.shift_start_min else 0))
        return tuple(out)

    def days_over(self) -> tuple[dt.date, ...]:
        """Dates of the horizon on which every team's shift is over before it could leave (today, late)."""
        return tuple(d for d in self.dates if self.options.start_on(d)
                     and all(self.options.start_on(d) >= t.shift_end_min for t in self.teams))

    def travel_min(self) -> np.ndarray:
        """Travel minutes between nodes, rounded up (the model's time unit is the minute)."""
        return np.ceil(self.matrix.travel_s / 60).astype(np.int64)

    def arc_cost(self) -> np.ndarray:
        """What the objective charges per leg: metres under the ``distance`` policy, travel seconds otherwise."""
        if self.options.policy == "distance":
            return self.matrix.distance_m
        return self.matrix.travel_s

    def visit_index(self) -> dict[str, int]:
        """Position of each visit id."""
        return {v.visit_id: i for i, v in enumerate(self.visits)}

    def team_by_id(self) -> dict[str, Team]:
        """Teams by id."""
        return {t.team_id: t for t in self.teams}


def not_before_now(start_date: dt.date, now: dt.datetime, *, step_min: int = 5) -> tuple[tuple[dt.date, int], ...]:
    """``PlanOptions.not_before`` for a plan whose first day is today: nobody leaves before ``now``.

    ``now`` is the office's clock (``planner.office.clock.local_now``); the minute is rounded up to ``step_min``
    (14:31 → 14:35). A plan starting on another day gets ``()``.
    """
    if start_date != now.date():
        return ()
    minute = now.hour * 60 + now.minute + (1 if now.second or now.microsecond else 0)
    return ((start_date, min(24 * 60, -(-minute // step_min) * step_min)),)


def points_for(teams: Sequence[Team], visits: Sequence[Visit]) -> list[Point]:
    """Matrix nodes: ``team:<id>`` at each base, then each visit."""
    return [Point(f"team:{t.team_id}", t.base_lon, t.base_lat) for t in teams] + [
        Point(v.visit_id, v.lon, v.lat) for v in visits
    ]


def build_problem(
    visits: Iterable[Visit],
    teams: Iterable[Team],
    *,
    start_date: dt.date,
    days: int,
    travel: TravelProvider | TravelMatrix | None = None,
    options: PlanOptions | None = None,
) -> PlanningProblem:
    """Check the inputs and compute the travel matrix.

    Parameters
    ----------
    visits, teams
        Domain objects; ids must be unique.
    start_date, days
        The horizon: ``days`` working days from ``start_date``.
    travel
        A provider (default: :class:`OfflineTravelModel`) or a ready matrix over :func:`points_for`.
    options
        Objective and horizon options.

    Returns
    -------
    PlanningProblem

    Raises
    ------
    InputError
        On duplicate ids, a pin to an unknown team, a locked visit without team and date, no teams.
    """
    visits = tuple(visits)
    teams = tuple(teams)
    options = options or PlanOptions()
    if not teams:
        raise InputError("至少需要一个检查组才能排程")
    for kind, ids in (("visit", [v.visit_id for v in visits]), ("team", [t.team_id for t in teams])):
        seen: set[str] = set()
        for x in ids:
            if x in seen:
                raise InputError(f"{ {'visit': '走访点', 'team': '检查组'}[kind] }编号 {x!r} 出现了两次")
            seen.add(x)
    team_ids = {t.team_id for t in teams}
    for v in visits:
        if v.team_id and v.team_id not in team_ids:
            raise InputError(f"走访点 {v.visit_id}：指定的检查组 {v.team_id!r} 不在参与的检查组中")
        if v.locked and not (v.team_id and v.date):
            raise InputError(
                f"走访点 {v.visit_id}：锁定的走访须有检查组和日期，收到 {v.team_id!r}、{v.date!r}"
            )
    dates = working_dates(start_date, days, skip_weekends=options.skip_weekends, holidays=options.holidays)
    points = points_for(teams, visits)
    if isinstance(travel, TravelMatrix):
        matrix = travel
        if list(matrix.node_ids) != [p.node_id for p in points]:
            raise InputError("路程矩阵的节点须依次为各检查组驻地，然后是各走访点")
    else:
        matrix = (travel or OfflineTravelModel()).matrix(points)
    return PlanningProblem(visits, teams, start_date, int(days), dates, matrix, options)


def day_costs(problem: PlanningProblem, vehicles: Sequence[Vehicle]) -> list[int]:
    """Fixed cost of using each vehicle (team-day), in travel seconds: non-zero under the ``compact`` policy.

    Later days cost a minute more per day, so that with equal travel the plan fills the first days.
    """
    opt = problem.options
    if opt.policy != "compact" or not opt.day_cost_min:
        return [0] * len(vehicles)
    day_no = {d: i for i, d in enumerate(problem.dates)}
    return [60 * (opt.day_cost_min + day_no[veh.date]) for veh in vehicles]


def penalty_base(problem: PlanningProblem) -> int:
    """The smallest drop penalty: more than the travel, balance and day cost any single visit can add."""
    t = problem.arc_cost()
    max_leg = int(t.max()) if t.size else 0
    max_service = max((v.service_min for v in problem.visits), default=0)
    balance = problem.options.balance_coeff * (max_service + 2 * math.ceil(max_leg / 60))
    day = max(day_costs(problem, problem.vehicles()), default=0)
    return int(2 * max_leg + balance + day + 3600)


def must_penalties(visits: Sequence[Visit], options: PlanOptions, must_pen: int) -> list[int | None]:
    """The drop penalty of each 必访 or locked stop of ``visits`` (None for the others): ``must_pen`` or more.

    A re-plan (``options.revisits`` or ``options.promised`` set) ranks them: locked stops and the stops the issued
    plan promised first, then the revisits (未找到, 改期), then the 必访 stops the issued plan did not hold; with
    ``options.revisits_first`` the revisits go before the promised stops. Each rank's penalty is above the sum of
    all lower ranks' penalties and ``must_pen`` more, so no stop of a rank goes out for any number of lower ones.
    """
    again, promised, first = options.revisits, options.promised, options.revisits_first
    if not (again or promised):
        return [must_pen if (v.must or v.locked) else None for v in visits]

    def rank(v: Visit) -> int:
        if v.locked:
            return 3
        if v.visit_id in again and (first or v.visit_id not in promised):
            return 3 if first else 2
        return (2 if first else 3) if v.visit_id in promised else 1

    ranks = [rank(v) if (v.must or v.locked) else 0 for v in visits]
    pen = {1: must_pen}
    pen[2] = must_pen * (1 + ranks.count(1))
    pen[3] = pen[2] * (1 + ranks.count(2))
    return [pen[r] if r else None for r in ranks]
