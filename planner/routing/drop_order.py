"""The order in which the solver leaves visits out when the days are full, and how a left-out visit says so.

Walk W21: 选件 gave every chosen visit priority 5, and a deadline within :attr:`PlanOptions.urgent_days` of the
start only doubled a drop penalty every visit of the trip had doubled; the plan left out 深桥村 (due on its first
day) and two letters due the second day while planning letters due next week, each 「按优先级 5 和路程被舍弃」.

Each optional visit's drop penalty is ``base`` (more than the travel any one visit adds) times its weight:

* a visit due within the trip (its latest date on or before the last planned day) outweighs :data:`IN_TRIP`
  visits due later or with no deadline together: a letter due tomorrow is not left out for one due next week, unless
  the team-days it may use cannot hold it (its reason then says so and names the later ones kept);
* within each of the two tiers a higher priority outweighs any deadline difference (``2^(priority-1)`` steps), and
  at equal priority each day earlier outweighs the travel one visit adds (within the trip: each trip day after
  the deadline; after it: each day closer within ``urgent_days`` of the trip's end).

必访 and locked stops weigh :data:`MUST_OVER` times the heaviest optional visit (:func:`must_weight`); PyVRP's
late-arrival penalty may grow as large as these prizes (:mod:`planner.routing.pyvrp_adapter`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence

from planner.domain import Visit

#: A visit due within the trip weighs more than this many visits due after it together (walk W21). Not their sum:
#: PyVRP's search, whose penalties for late arrival are bounded, found poor plans once prizes grew a hundredfold.
IN_TRIP = 4
#: A 必访 stop weighs this many times the heaviest optional visit.
MUST_OVER = 8


def _in_trip(v: Visit, dates: Sequence[dt.date]) -> bool:
    return bool(dates) and v.latest_date is not None and v.latest_date <= dates[-1]


def drop_weights(visits: Sequence[Visit], dates: Sequence[dt.date], urgent_days: int) -> list[int]:
    """The weight (drop penalty in units of ``penalty_base``) of leaving out each visit of ``visits``, planned on
    ``dates``: see the module's doc. Every weight is at least 1."""
    span, later = max(1, len(dates)), max(0, min(7, int(urgent_days)))
    last = dates[-1] if dates else None
    out_top = 2**4 * (later + 1) + later  # the most a visit due after the trip weighs
    weights = []
    for v in visits:
        if _in_trip(v, dates):
            after = sum(d > v.latest_date for d in dates)  # trip days after its deadline: 0 .. span - 1
            w = IN_TRIP * (out_top + 1) + 2 ** (v.priority - 1) * span + after
        else:
            near = 0
            if v.latest_date is not None and last is not None:
                near = max(0, min(later, later + 1 - (v.latest_date - last).days))
            w = 2 ** (v.priority - 1) * (later + 1) + near
        weights.append(int(w))
    return weights


def must_weight(weights: Sequence[int]) -> int:
    """The weight of a 必访 stop: :data:`MUST_OVER` times the heaviest optional visit, and at least 2^10."""
    return max(2**10, MUST_OVER * max(weights, default=1))


def _md(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


#: The tail of a capacity reason saying how the search chose the visit to leave out (:func:`dropped_by`), for
#: whoever words it again (a 必访 revisit: :mod:`planner.routing.revisit_merge`).
DROPPED_TAIL = re.compile(r"，(?:按优先级 \d+(?:、期限 \d+月\d+日)? 和路程被舍弃(?:：[^。；]*)?"
                          r"|必访点之间不分优先级，排不下时按路程取舍(?:：它离驻地单程车程约 \d+ 分钟)?)")


def _may_use(w: Visit, veh) -> bool:
    """True when visit ``w`` may go on team-day ``veh`` by its pins, 专长, 回避 and dates (the solver's eligibility
    before the day's times)."""
    team = veh.team
    return ((not w.team_id or team.team_id == w.team_id) and set(w.skills) <= team.all_skills()
            and not set(w.excluded_members) & team.member_ids() and (w.date is None or veh.date == w.date)
            and (w.earliest_date is None or veh.date >= w.earliest_date)
            and (w.latest_date is None or veh.date <= w.latest_date))


def dropped_by(problem, vehicles: Sequence, v: Visit, allowed: Sequence[int] | None,
               planned: Collection[int] | None = None) -> str:
    """How the search chose ``v`` to leave out of full team-days.

    An optional visit: by its priority, its deadline and the travel; when the plan kept an optional visit the
    order puts after it (due later, or lower priority), the team-days it may use could not hold it: its one-way
    drive from the nearest base it may leave from and those kept are named (walk W21). A 必访 (or locked) stop, whose
    priority weighs nothing against the other 必访 stops (walk W13): by the travel alone, with its one-way drive.
    Only kept visits that could have gone on one of its team-days are named (:func:`_may_use`).
    """
    node, travel = problem.visit_node(problem.visits.index(v)), problem.travel_min()
    ks = list(allowed) if allowed else range(len(vehicles))
    far = min((int(travel[vehicles[k].depot, node]) for k in ks), default=None)
    drive = f"它离驻地单程车程约 {far} 分钟" if far is not None else ""
    if v.must or v.locked:
        return "必访点之间不分优先级，排不下时按路程取舍" + (f"：{drive}" if drive else "")
    due = f"、期限 {_md(v.latest_date)}" if v.latest_date is not None else ""
    said = f"按优先级 {v.priority}{due} 和路程被舍弃"
    if planned is None:
        return said
    visits = problem.visits
    weights = drop_weights(visits, problem.dates, problem.options.urgent_days)
    mine = weights[visits.index(v)]
    # Only a kept visit that could have gone on a team-day ``v`` may use stood in its way (walk W32: a 财务 stop
    # named V040, a 林业 stop of the team without 财务, which no day of the 财务 team could take).
    days = [vehicles[k] for k in ks]
    after = sorted((visits[i] for i in planned if not (visits[i].must or visits[i].locked) and weights[i] < mine
                    and any(_may_use(visits[i], veh) for veh in days)), key=lambda w: w.visit_id)
    if after:
        names = "、".join(w.visit_id for w in after[:3]) + (f" 等 {len(after)} 个走访点" if len(after) > 3 else " ")
        return (f"{said}：能走访它的组日放不下它（{drive or '路程太远'}），排入的 {names}期限更晚或优先级更低，"
                "但换成它排不下")
    if _in_trip(v, problem.dates):
        return f"{said}：期限在行程内，但排入的都是必访点，或按优先级和期限不在它之后的走访点"
    return said
