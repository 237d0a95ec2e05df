"""Why a visit was left out, named by the constraint that blocks it, and the changes that would let it in.

``explain`` is used by :func:`planner.routing.solve.solve` for every left-out visit; ``with_team_suggestions``
adds the teams outside the plan that could take a visit (the page and :func:`plan_document` know them) and
``without_held`` withdraws every suggestion for a case another plan already holds;
``PlanRequest`` and ``apply_suggestion`` turn a suggestion into the next planning request in one step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from planner.domain import Suggestion, Team, Unassigned, Visit, hhmm
from planner.errors import InputError
from planner.routing.drop_order import dropped_by
from planner.routing.problem import POLICIES, PlanningProblem, Vehicle, working_dates
from planner.routing.schedule import INF, DayShape, StopSpec, quick_check

#: Codes whose visit another team could take (``with_team_suggestions`` looks for one).
TEAM_CODES = frozenset({"no_skill", "excluded", "capacity", "team_unavailable", "infeasible_must"})
#: Longest horizon a suggestion may ask for (``working_dates`` allows 60 working days).
MAX_DAYS = 60


def _skills(skills: Iterable[str]) -> str:
    from planner.selection.ranking import SKILL_LABELS

    return "、".join(SKILL_LABELS.get(s, s) for s in skills)


def _working_between(problem: PlanningProblem, a: dt.date, b: dt.date) -> int:
    """Number of working dates from ``a`` to ``b`` inclusive (0 when ``b`` < ``a``)."""
    opt = problem.options
    off = set(opt.holidays)
    n, d = 0, a
    while d <= b:
        if not (opt.skip_weekends and d.weekday() >= 5) and d not in off:
            n += 1
        d += dt.timedelta(days=1)
    return n


def _last_working_on_or_before(problem: PlanningProblem, d: dt.date) -> dt.date:
    opt = problem.options
    off = set(opt.holidays)
    while (opt.skip_weekends and d.weekday() >= 5) or d in off:
        d -= dt.timedelta(days=1)
    return d


def start_earlier(problem: PlanningProblem, visit_id: str, target: dt.date) -> Suggestion | None:
    """Start on the last working day on or before ``target``, keeping the old last day (None when too long).

    Never before the office's today (``PlanOptions.today``): a target already past starts the plan today.
    """
    today = problem.options.today
    if today is not None and target < today:
        start = today
    else:
        start = _last_working_on_or_before(problem, target)
    if start >= problem.dates[0]:
        return None
    days = _working_between(problem, start, problem.dates[-1])
    if not 1 <= days <= MAX_DAYS:
        return None
    when = f"今天 {start.isoformat()}" if start == today else start.isoformat()
    return Suggestion("start_earlier", f"开始日期提前到 {when}（共 {days} 个工作日）", visit_id,
                      start_date=start, days=days)


def add_days(problem: PlanningProblem, visit_id: str, target: dt.date) -> Suggestion | None:
    """Lengthen the horizon until it reaches ``target`` (None when that is too long)."""
    days = _working_between(problem, problem.start_date, target)
    if not problem.days < days <= MAX_DAYS:
        return None
    return Suggestion("add_days", f"工作日数增加到 {days} 天（到 {target.isoformat()}）", visit_id, days=days)


def _one_more_day(problem: PlanningProblem, visit_id: str) -> Suggestion | None:
    if problem.days >= MAX_DAYS:
        return None
    nxt = working_dates(problem.start_date, problem.days + 1, skip_weekends=problem.options.skip_weekends,
                        holidays=problem.options.holidays)[-1]
    return Suggestion("add_days", f"增加一个工作日（到 {nxt.isoformat()}，共 {problem.days + 1} 天）", visit_id,
                      days=problem.days + 1)


def _team_name(problem: PlanningProblem, team_id: str) -> str:
    team = problem.team_by_id().get(team_id)
    return team.name if team is not None else team_id


def _outings(problem: PlanningProblem, team_id: str | None) -> str:
    """On which of the plan's days each team concerned goes out, e.g.
    ``第一检查组只在 12-07、12-11 出行；第二检查组本次不出行`` (the walk's reason named neither teams nor days)."""
    parts = []
    for t in problem.teams:
        if team_id and t.team_id != team_id:
            continue
        days = [d for d in problem.dates if not t.available_dates or d in t.available_dates]
        if not days:
            parts.append(f"{t.name}本次不出行")
        elif len(days) < len(problem.dates):
            parts.append(f"{t.name}只在 {'、'.join(d.strftime('%m-%d') for d in days)} 出行")
    return "；".join(parts)


def _date_block(problem: PlanningProblem, v: Visit, vehicles: Sequence[Vehicle]) -> tuple[str, str, list]:
    """The date constraint that leaves no vehicle: (code, fact, suggestions)."""
    first, last = problem.dates[0], problem.dates[-1]
    vid = v.visit_id
    unpin_date = Suggestion("unpin_date", "取消指定日期", vid)
    unpin_team = Suggestion("unpin_team", "取消指定检查组", vid)
    if v.date is not None:
        today = problem.options.today
        if today is not None and v.date < today:
            return ("date_before_start", f"指定日期 {v.date.isoformat()} 已过（今天 {today.isoformat()}）",
                    [unpin_date])
        if v.date < first:
            return ("date_before_start", f"指定日期 {v.date.isoformat()} 早于规划开始日期 {first.isoformat()}",
                    [start_earlier(problem, vid, v.date), unpin_date])
        if v.date > last:
            return ("date_after_end", f"指定日期 {v.date.isoformat()} 晚于规划最后一天 {last.isoformat()}",
                    [add_days(problem, vid, v.date), unpin_date])
        if v.date not in problem.dates:
            return "date_not_working", f"指定日期 {v.date.isoformat()} 不是工作日", [unpin_date]
        who = f"指定的{_team_name(problem, v.team_id)}" if v.team_id else "参加规划的检查组"
        out = _outings(problem, v.team_id)
        return ("team_unavailable", f"{who}在指定日期 {v.date.isoformat()} 不出行" + (f"（{out}）" if out else ""),
                [unpin_date] + ([unpin_team] if v.team_id else []))
    if v.latest_date is not None and v.latest_date < first:
        today = problem.options.today
        if today is not None and v.latest_date < today:
            # No start can reach a day gone (re-walk H: 开始日期提前到今天 promised it and it stayed out).
            return ("deadline_before_start",
                    f"期限 {v.latest_date.isoformat()} 已过（今天 {today.isoformat()}），早于规划开始日期 "
                    f"{first.isoformat()}；应尽快走访",
                    [Suggestion("drop_deadline",
                                f"按超期件尽快走访（取消已过的期限 {v.latest_date.isoformat()}，设为必访）", vid)])
        return ("deadline_before_start",
                f"期限 {v.latest_date.isoformat()} 早于规划开始日期 {first.isoformat()}",
                [start_earlier(problem, vid, v.latest_date)])
    if v.earliest_date is not None and v.earliest_date > last:
        return ("earliest_after_end",
                f"最早可走访日期 {v.earliest_date.isoformat()} 晚于规划最后一天 {last.isoformat()}",
                [add_days(problem, vid, v.earliest_date)])
    a = max(first, v.earliest_date) if v.earliest_date else first
    b = min(last, v.latest_date) if v.latest_date else last
    span = f"{a.isoformat()} 至 {b.isoformat()}"
    if not any(a <= d <= b for d in problem.dates):
        return "no_working_day", f"可走访日期 {span} 内没有工作日", []
    today = problem.options.today
    if v.latest_date is not None and today is not None and all(_gone(problem, d) for d in problem.dates
                                                               if a <= d <= b):
        # Its days are gone (a re-plan on Wednesday of a plan begun on Monday): not teams staying home.
        passed = v.latest_date < today
        return ("deadline_passed",
                f"期限 {v.latest_date.isoformat()} 已过（今天 {today.isoformat()}）；应尽快走访" if passed else
                f"期限 {v.latest_date.isoformat()} 前的走访日都已过去或已收班（今天 {today.isoformat()}）；应尽快走访",
                [Suggestion("drop_deadline", f"按超期件尽快走访（取消{'已过的' if passed else ''}期限 "
                                             f"{v.latest_date.isoformat()}，设为必访）", vid)])
    who = f"指定的{_team_name(problem, v.team_id)}" if v.team_id else "参加规划的检查组"
    out = _outings(problem, v.team_id)
    return ("team_unavailable", f"{who}在可走访日期 {span} 内都不出行" + (f"（{out}）" if out else ""),
            [unpin_team] if v.team_id else [])


def _open_days(v: Visit, vehicles: Sequence[Vehicle]) -> list[Vehicle]:
    """The team-days the visit may use by its pin, 专长, 回避 and dates (before any check of the day's times)."""
    return [veh for veh in vehicles if (not v.team_id or veh.team.team_id == v.team_id) and _fits(veh.team, v)
            and (v.date is None or veh.date == v.date) and (v.earliest_date is None or veh.date >= v.earliest_date)
            and (v.latest_date is None or veh.date <= v.latest_date)]


def _day_limits(problem: PlanningProblem, v: Visit, node: int, days: Sequence[Vehicle]) -> dict[str, str]:
    """Per team of ``days``, its daily limit that a day with this visit alone already breaks, in words: the visit
    cap (每日最多走访点) or the driving limit (每日最长车程) against the round trip from its base."""
    travel = problem.travel_min()
    out: dict[str, str] = {}
    for veh in days:
        t = veh.team
        if t.team_id in out:
            continue
        trip = int(travel[veh.depot, node]) + int(travel[node, veh.depot])
        if t.max_visits_per_day is not None and t.max_visits_per_day < 1:
            out[t.team_id] = f"{t.name}每日最多走访 {t.max_visits_per_day} 个走访点"
        elif t.max_drive_min is not None and trip > t.max_drive_min:
            out[t.team_id] = f"{t.name}每日车程上限 {t.max_drive_min} 分钟，往返这一点约 {trip} 分钟"
    return out


def _gone(problem: PlanningProblem, d: dt.date) -> bool:
    """True when nobody may leave on plan day ``d`` any more: a day before today, or today after every shift."""
    today = problem.options.today
    if today is not None and d < today:
        return True
    start = problem.options.start_on(d)
    return bool(start) and all(start >= t.shift_end_min for t in problem.teams)


def _fits(team, v: Visit) -> bool:
    """True when ``team`` has the visit's 专长 and nobody the visit must 回避."""
    return set(v.skills) <= team.all_skills() and not set(v.excluded_members) & team.member_ids()


def _why_not(team, v: Visit) -> str:
    """Why ``team`` may not take the visit, in words (专长 it lacks, members to 回避)."""
    parts = []
    if missing := [s for s in v.skills if s not in team.all_skills()]:
        parts.append(f"不具备{_skills(missing)}专长")
    names = [m.name for m in team.members if m.member_id in set(v.excluded_members)]
    if names:
        parts.append(f"{'、'.join(names)}须回避")
    return "、".join(parts)


def _names(teams: Sequence, shown: int = 2) -> str:
    """``第一检查组、第二检查组等 3 个组``: the first ``shown`` team names."""
    head = "、".join(t.name for t in teams[:shown])
    return head + (f"等 {len(teams)} 个组" if len(teams) > shown else "")


#: Ends the 回避 fact of a visit a team without its 专长 could take (:func:`drop_skills_suggestion` reads it).
FREE_WITHOUT_SKILL = "无须回避的人员，但不具备"


def _recusal_fact(problem: PlanningProblem, v: Visit) -> tuple[str, list]:
    """Why no planned team may take a visit left out for 回避 (code ``excluded``), and the planned teams nobody of
    which must 回避 (unpinned, they lack its 专长, else they could take it), e.g.
    ``具备林业专长的只有第一检查组，其中乙须回避；第二检查组无须回避的人员，但不具备林业专长``.

    Only members of the planned teams are named (by name, never by id); a clash with no name known reads 见回避名单.
    """
    out = set(v.excluded_members)
    teams = [t for t in problem.teams if not v.team_id or t.team_id == v.team_id]
    able = [t for t in teams if set(v.skills) <= t.all_skills()]
    names = {t.team_id: [m.name for m in t.members if m.member_id in out] for t in able}
    free = [t for t in problem.teams if not out & t.member_ids()]
    if len(able) == 1:
        who = f"其中{'、'.join(names[able[0].team_id]) or '有人（见回避名单）'}须回避"
    else:
        who = "（" + ("；".join(f"{t.name}：{'、'.join(names[t.team_id])}须回避" for t in able
                                 if names[t.team_id]) or "见回避名单") + "）"
    if v.team_id:
        said = "、".join(n for t in able for n in names[t.team_id]) or "有人（见回避名单）"
        return f"指定的{_team_name(problem, v.team_id)}中{said}须回避", free
    if not v.skills:
        return f"参加规划的检查组都有须回避的人员{who}", free
    need = _skills(v.skills)
    fact = (f"具备{need}专长的只有{able[0].name}，{who}" if len(able) == 1
            else f"具备{need}专长的{_names(able, 3)}都有须回避的人员{who}")
    if free:
        fact += f"；{_names(free, 3)}{FREE_WITHOUT_SKILL}{need}专长"
    return fact, free


def unpin_suggestion(teams: Sequence, v: Visit) -> Suggestion:
    """取消指定检查组 when some of ``teams`` could then take the visit; else also drop the 专长 it needs (a leader
    cannot give a team a skill), so that the one click really lets the visit in."""
    if any(_fits(t, v) for t in teams) or not v.skills or not any(
            not set(v.excluded_members) & t.member_ids() for t in teams):
        return Suggestion("unpin_team", "取消指定检查组", v.visit_id)
    return Suggestion("release", f"取消指定检查组并不要求{_skills(v.skills)}专长", v.visit_id)


def _also_dates(problem: PlanningProblem, v: Visit, vehicles: Sequence[Vehicle]) -> tuple[str, list]:
    """``；另外…`` and its suggestions when the visit's dates also leave no team-day (a skill fixed alone would not
    let it in: walk H gave only the missing skill of a visit whose deadline was before the start)."""
    def fits(d: dt.date) -> bool:
        return ((v.date is None or d == v.date) and (v.earliest_date is None or d >= v.earliest_date)
                and (v.latest_date is None or d <= v.latest_date))

    if not vehicles or any(fits(veh.date) for veh in vehicles):
        return "", []
    _code, fact, sugg = _date_block(problem, v, vehicles)
    return f"；另外{fact}", list(sugg)


def _shut_out(problem: PlanningProblem, v: Visit, veh: Vehicle) -> str:
    """Why the visit may not use team-day ``veh`` (the eligibility filters of :func:`planner.routing.solve.eligibility`,
    in their order), e.g. ``第一检查组 2026-12-03：期限 2026-12-02 之后``."""
    day = f"{veh.team.name} {veh.date.isoformat()}"
    if v.team_id and veh.team.team_id != v.team_id:
        return f"{day}：已指定{_team_name(problem, v.team_id)}"
    if why := _why_not(veh.team, v):
        return f"{day}：{why}"
    if v.date is not None and veh.date != v.date:
        return f"{day}：指定日期为 {v.date.isoformat()}"
    if v.earliest_date is not None and veh.date < v.earliest_date:
        return f"{day}：{v.earliest_date.isoformat()} 起才能走访"
    if v.latest_date is not None and veh.date > v.latest_date:
        return f"{day}：晚于期限 {v.latest_date.isoformat()}"
    if v.group:
        return f"{day}：同日组「{v.group}」的其他走访点不能排在这天"
    if veh.not_before:
        return f"{day}：当天从 {hhmm(veh.not_before)} 出发，班次内赶不上"
    return f"{day}：时间窗或班次赶不上"


#: How the search ended (``SpecResult.ended``), in words.
_ENDED = {"time": "求解时间用完时", "solutions": "搜索到设定的方案数上限停下时"}


def _free_fact(vehicles: Sequence[Vehicle], free: Sequence[int], ended: str | None, search_s: float | None) -> str:
    """A team-day the visit may use stayed empty: the search stopped before it put the visit there. The visit fits
    that day alone (eligibility) and leaving it out costs more than any lone trip (``penalty_base``), so neither
    capacity nor cost is the reason (walk: 「单为这一点出一趟车的成本高于优先级的分量」 with 增加一个工作日)."""
    days = "、".join(f"{vehicles[k].team.name} {vehicles[k].date.isoformat()}" for k in free[:3])
    more = f"等 {len(free)} 个" if len(free) > 3 else ""
    when = _ENDED.get(ended or "", "搜索结束时")
    if ended == "time" and search_s:
        when = f"求解时间（{search_s:g} 秒）用完时"
    return f"可走访它的组日中 {days}{more}还空着；{when}还没来得及排入它，不是运力不够；再规划一次可能排入"


def _capacity_fact(problem: PlanningProblem, vehicles: Sequence[Vehicle], v: Visit, used: int,
                   allowed: Sequence[int] | None, busy: Collection[int] | None,
                   planned: Collection[int] | None = None) -> str:
    """The capacity fact that holds: the team-days the visit may use are full (and why it may not use the others),
    or one it may use stays empty because a day for it alone costs more than leaving it out (walk R: 「4 个组日的运力
    不够（已用 3 个）」 contradicted itself)."""
    tail = dropped_by(problem, vehicles, v, allowed, planned)
    if busy is None or allowed is None:
        return f"{len(vehicles)} 个组日的运力不够（已用 {used} 个），{tail}"
    shut = [k for k in range(len(vehicles)) if k not in set(allowed)]
    if not shut:
        return f"{len(vehicles)} 个组日的运力不够（都已排满），{tail}"
    why = "；".join(_shut_out(problem, v, vehicles[k]) for k in shut[:3]) + ("等" if len(shut) > 3 else "")
    return (f"{len(vehicles)} 个组日中只有 {len(allowed)} 个能走访它，都已排满（其余不能：{why}），{tail}")


def _group_fits(problem: PlanningProblem, v: Visit, k: int, fits: Callable[[int, Sequence[int]], bool]) -> bool:
    """True when visit ``v``'s same-day group fits team-day ``k`` alone in some order (up to 7 stops tried)."""
    members = [j for j, w in enumerate(problem.visits) if w.group == v.group]
    return len(members) > 7 or any(fits(k, seq) for seq in itertools.permutations(members))


def _group_fact(problem: PlanningProblem, vehicles: Sequence[Vehicle], v: Visit, allowed: Sequence[int],
                fits: Callable[[int, Sequence[int]], bool]) -> str | None:
    """Why visit ``v``'s same-day group fits on none of the team-days ``allowed`` even with nothing else that day
    (its stops each fit alone): a team's visit cap or driving limit, or its total against the longest shift.
    None when it fits on one of them, or it is too large to try every order (the capacity fact then holds)."""
    members = [j for j, w in enumerate(problem.visits) if w.group == v.group]
    if len(members) < 2 or len(members) > 7 or not allowed:
        return None
    travel = problem.travel_min()
    orders = list(itertools.permutations(members))
    if any(fits(k, seq) for k in allowed for seq in orders):
        return None
    n, service = len(members), sum(problem.visits[j].service_min for j in members)

    def drive(k: int) -> int:
        depot = vehicles[k].depot
        return min(sum(int(travel[a, b]) for a, b in itertools.pairwise(
            [depot, *(problem.visit_node(j) for j in seq), depot])) for seq in orders)

    limits: dict[str, str] = {}
    for k in allowed:
        t = vehicles[k].team
        if t.team_id in limits:
            continue
        if t.max_visits_per_day is not None and t.max_visits_per_day < n:
            limits[t.team_id] = f"{t.name}每日最多走访 {t.max_visits_per_day} 个走访点"
        elif t.max_drive_min is not None and (d := drive(k)) > t.max_drive_min:
            limits[t.team_id] = f"{t.name}每日车程上限 {t.max_drive_min} 分钟，走完这组至少约 {d} 分钟"
    head = f"同日组「{v.group}」的 {n} 个走访点须由同一组在同一天走访"
    rest = [k for k in allowed if vehicles[k].team.team_id not in limits]
    parts = list(limits.values())
    if rest:
        def room(k: int) -> tuple[int, int, int]:
            veh = vehicles[k]
            t = veh.team
            start = max(t.shift_start_min, veh.not_before)
            brk = t.break_min if t.has_break and start <= t.break_latest_min else 0
            return t.shift_end_min - start - brk, start, brk

        k = max(rest, key=lambda k: room(k)[0])
        free, start, brk = room(k)
        veh = vehicles[k]
        total = service + min(drive(j) for j in rest)
        shift = (f"班次最长的组日（{veh.team.name} {veh.date.isoformat()}）{hhmm(start)}-"
                 f"{hhmm(veh.team.shift_end_min)} 共 {free + brk} 分钟"
                 + (f"，除去午休 {brk} 分钟只剩 {free} 分钟" if brk else ""))
        parts.append(f"合计核查 {service} 分钟加车程至少约 {total - service} 分钟，共约 {total} 分钟；{shift}"
                     + ("，按时间窗和午休的位置" if total <= free else ""))
    return f"{head}：{'；'.join(parts)}，一天排不下"


def explain(problem: PlanningProblem, vehicles: Sequence[Vehicle], i: int, code: str, *,
            used: int = 0, allowed: Sequence[int] | None = None,
            busy: Collection[int] | None = None,
            fits: Callable[[int, Sequence[int]], bool] | None = None,
            ended: str | None = None, search_s: float | None = None,
            planned: Collection[int] | None = None) -> tuple[str, str, tuple[Suggestion, ...]]:
    """The blocking fact of visit ``i`` left out with ``code`` (an eligibility check or ``capacity``).

    Returns (refined code, fact in Chinese, suggestions that need no team outside the problem).
    ``used`` is the number of team-days the plan uses, ``allowed`` the vehicles the visit may use (for the
    capacity fact: when only some teams may take it, it names them and why the others may not), ``busy`` the
    vehicles with a route (the capacity fact then says which team-days were full or left empty and why), ``fits``
    tells whether a team-day (vehicle number) with only the given visits (in that order) is feasible: with it, a
    same-day group that fits on none of its team-days is told with its total, not as capacity. ``ended`` (how the
    search ended, ``SpecResult.ended``) and ``search_s`` (its time limit) word a visit left out while a team-day it
    may use stays empty (code ``search_stopped``). ``planned``: the visits the plan holds (the capacity fact then
    names the later ones kept when the visit's days could not hold it, :func:`planner.routing.drop_order.dropped_by`).
    """
    v = problem.visits[i]
    vid = v.visit_id
    unpin_team = unpin_suggestion(problem.teams, v)
    drop_skill = Suggestion("drop_skill", f"不要求{_skills(v.skills)}专长", vid) if v.skills else None
    sugg: list[Suggestion | None] = []
    if code == "no_date":
        code, fact, sugg = _date_block(problem, v, vehicles)
    elif code == "no_skill":
        need = _skills(v.skills)
        if v.team_id:
            fact = f"指定的{_team_name(problem, v.team_id)}不具备所需专长（{need}）"
            sugg = [unpin_team, drop_skill]
        else:
            fact = f"参加规划的检查组都不具备所需专长（{need}）"
            sugg = [drop_skill]  # the skill is the category's guess: the leader may send a team without it
        more, extra = _also_dates(problem, v, vehicles)
        fact, sugg = fact + more, [*sugg, *extra]
    elif code == "excluded":
        fact, free = _recusal_fact(problem, v)
        sugg = [unpin_team] if v.team_id else []
        if free and v.skills and not v.team_id:
            # Walk: every team with the 专长 had someone to 回避 and no button was offered, though a team without
            # the 专长 (and nobody to 回避) could go: the 专长 is the category's guess, the leader may waive it.
            sugg.append(Suggestion("drop_skill", f"不要求{_skills(v.skills)}专长，可由{_names(free)}走访", vid))
        more, extra = _also_dates(problem, v, vehicles)
        fact, sugg = fact + more, [*sugg, *extra]
    elif code == "window_unreachable":
        a = v.window_start_min if v.window_start_min is not None else 0
        b = v.window_end_min if v.window_end_min is not None else 24 * 60
        travel = problem.travel_min()
        node = problem.visit_node(i)
        # Only the team-days it may use (its pin, 专长, 回避, dates) tell when it can be reached (walk W32: V009's
        # 财务 stop read 「最早 08:51 到达」, inside its window: the arrival of a team without 财务)
        mine = (_open_days(v, vehicles) or [veh for veh in vehicles if not v.team_id or veh.team.team_id == v.team_id]
                or list(vehicles))
        limits = _day_limits(problem, v, node, _open_days(v, vehicles))
        if limits:
            # A team's daily driving limit or visit cap rules it out there, not its shift (walk: 「班次内排不下」).
            mine = [veh for veh in mine if veh.team.team_id not in limits] or mine
        earliest = min((max(veh.team.shift_start_min, veh.not_before) + int(travel[veh.depot, node])
                        for veh in mine), default=None)
        late = max((veh.team.shift_end_min - int(travel[node, veh.depot]) for veh in mine), default=None)
        if v.window_start_min is None and v.window_end_min is None:
            # No window of its own: the shift is too short for the round trip and the visit — on a plan of
            # today only, the part of today's shift left (walk D: 取消时间窗 offered for a visit without one).
            trip = min((int(travel[veh.depot, node]) + int(travel[node, veh.depot]) for veh in mine), default=0)
            late_only = bool(mine) and all(veh.not_before for veh in mine)
            fact = f"往返车程约 {trip} 分钟加核查 {v.service_min} 分钟，" + (
                f"今天从 {hhmm(max(veh.not_before for veh in mine))} 出发已来不及在收班前结束" if late_only
                else "班次内排不下")
            sugg = [_one_more_day(problem, vid)] if late_only else []
            lone = [StopSpec(node, v.service_min, 0, 24 * 60)]
            if mine and all(veh.team.has_break and quick_check(lone, veh.depot, travel, DayShape(
                    max(veh.team.shift_start_min, veh.not_before), veh.team.shift_end_min)) < INF for veh in mine):
                # The shift holds it, the lunch break does not fit around it: a 300-minute visit starting 08:38
                # runs past 12:30, and after lunch it ends after 17:30 (it read 「班次内排不下」 for 314 minutes).
                t = mine[0].team
                fact = (f"往返车程约 {trip} 分钟加核查 {v.service_min} 分钟，班次放得下，但{t.name}的午休须在 "
                        f"{hhmm(t.break_earliest_min)}-{hhmm(t.break_latest_min)} 间开始、歇 {t.break_min} 分钟，"
                        "不能与核查重叠：核查前午休则收班前做不完，核查后午休则来不及开始")
        else:
            fact = f"时间窗 {hhmm(a)}-{hhmm(b)}（核查 {v.service_min} 分钟）在班次内赶不上"
            if earliest is not None and late is not None:
                fact += f"：最早 {hhmm(earliest)} 到达，最晚 {hhmm(late)} 须结束返程"
            sugg = [Suggestion("drop_window", "取消时间窗", vid)]
        if limits:
            code = "day_limit"
            said = "；".join(limits.values())
            others = {veh.team.team_id for veh in _open_days(v, vehicles)} - set(limits)
            fact = f"{said}，排不进" + (f"；其余检查组：{fact}" if others else "")
            if not others:
                sugg = [unpin_team] if v.team_id and len(problem.teams) > 1 else []
    elif code == "group_conflict":
        fact = f"同日组「{v.group}」的走访点没有共同可用的检查组和日期"
        sugg = [Suggestion("drop_group", f"拆开同日组「{v.group}」", vid)]
    elif code == "locked_conflict":
        fact = f"锁定的{_team_name(problem, v.team_id)}、{v.date.isoformat() if v.date else ''}已不可用"
        sugg = [Suggestion("unlock", "取消锁定", vid)]
    elif v.group and fits is not None and (said := _group_fact(problem, vehicles, v, allowed or (), fits)):
        code, fact = "group_too_long", said
        sugg = [Suggestion("drop_group", f"拆开同日组「{v.group}」", vid)]
    elif busy is not None and (free := [k for k in allowed or () if k not in busy and (
            not v.group or fits is None or _group_fits(problem, v, k, fits))]):
        code, fact = "search_stopped", _free_fact(vehicles, free, ended, search_s)
    else:  # capacity
        code = "capacity"
        fact = _capacity_fact(problem, vehicles, v, used, allowed, busy, planned)
        if allowed is not None and (busy is None or set(allowed) <= set(busy)):
            mine = {vehicles[k].team.team_id for k in allowed}
            others = [t for t in problem.teams if t.team_id not in mine]
            if mine and others:
                # Only some teams may take it: the limit is theirs, not the plan's.
                names = "、".join(t.name for t in problem.teams if t.team_id in mine)
                why = "；".join(f"{t.name}{w}" for t in others if (w := _why_not(t, v)))
                fact = (f"只有{names}能走访（{why or '其他组已指定不可用'}），其 {len(allowed)} 个组日排不下，"
                        + dropped_by(problem, vehicles, v, allowed, planned))
        if v.latest_date is not None and v.latest_date <= problem.dates[-1]:
            # More days at the end do not help a visit due before the end: start earlier instead.
            before = working_dates(problem.start_date - dt.timedelta(days=10), 10,
                                   skip_weekends=problem.options.skip_weekends, holidays=problem.options.holidays)
            earlier = [d for d in before if d < problem.start_date]
            sugg = [start_earlier(problem, vid, earlier[-1])] if earlier else []
        else:
            sugg = [_one_more_day(problem, vid)]
        if v.team_id:
            sugg.append(unpin_team)
        if allowed is not None and v.skills and any(
                not _fits(t, v) and not set(v.excluded_members) & t.member_ids() for t in problem.teams):
            sugg.append(drop_skill)  # a team without the 专长 has room
        if not any(s is not None for s in sugg) and not (v.must or v.locked):
            # Due before the end and the start already today (walk I: a row with no 建议): it goes in first.
            sugg.append(Suggestion("make_must", "设为必访（优先排入，可能挤出优先级较低的走访点）", vid))
    return code, fact, tuple(s for s in sugg if s is not None)


def reason_text(fact: str, suggestions: Sequence[Suggestion], *, must: bool = False) -> str:
    """The fact, then what would unblock it: ``期限 … 早于 …。建议：开始日期提前到 …``."""
    text = f"必访点无法排入：{fact}" if must else fact
    if suggestions:
        text += "。建议：" + "；或".join(s.label for s in suggestions)
    return text


def with_team_suggestions(unassigned: Sequence[Unassigned], visits: Sequence[Visit], teams: Sequence[Team],
                          all_teams: Sequence[Team], dates: Sequence[dt.date]) -> tuple[Unassigned, ...]:
    """Add ``add_team`` suggestions: teams outside the plan with the skills, no one to 回避, a day free.

    ``visits``: the plan's visits; ``teams``: the teams in the plan; ``all_teams``: every team the user may add.
    """
    by_id = {v.visit_id: v for v in visits}
    inside = {t.team_id for t in teams}
    out = []
    for u in unassigned:
        v = by_id.get(u.visit_id)
        code = u.reason_code
        if v is None or code not in TEAM_CODES or v.team_id:  # a pinned visit: unpinning is the suggestion
            out.append(u)
            continue
        extra = []
        for t in all_teams:
            if t.team_id in inside:
                continue
            if not set(v.skills) <= t.all_skills() or set(v.excluded_members) & t.member_ids():
                continue
            if t.available_dates and not any(d in t.available_dates for d in dates):
                continue
            extra.append(Suggestion("add_team", f"加入{t.name}", v.visit_id, team_id=t.team_id))
        if not extra:
            out.append(u)
            continue
        sugg = tuple(extra[:2]) + u.suggestions
        fact = u.reason.split("。建议：")[0]
        out.append(dataclasses.replace(u, reason=fact + "。建议：" + "；或".join(s.label for s in sugg),
                                       suggestions=sugg))
    return tuple(out)


def without_held(unassigned: Sequence[Unassigned], visits: Sequence[Visit],
                 held: Mapping[str, str]) -> tuple[Unassigned, ...]:
    """Left-out visits with no suggestion for a case another plan already holds.

    Any change that lets such a visit in (another team, more days, ...) would put the case on two plans, so its
    suggestions go and the reason says where the case is. ``held`` maps a case number to where it is, in words
    (``已在计划 #2「…」（第三检查组，已下发）中``, from :func:`planner.store.plans.case_holders`).
    """
    by_id = {v.visit_id: v for v in visits}
    out = []
    for u in unassigned:
        v = by_id.get(u.visit_id)
        cases = [c for c in (v.case_nos if v is not None else ()) if c in held]
        if not cases:
            out.append(u)
            continue
        where: dict[str, list[str]] = {}
        for c in cases:
            where.setdefault(held[c], []).append(c)
        fact = u.reason.split("。建议：")[0]
        said = "；".join(f"信访件 {'、'.join(cs)} {w}" for w, cs in where.items())
        out.append(dataclasses.replace(u, reason=f"{fact}。{said}，不再排入本计划", suggestions=()))
    return tuple(out)


#: Suggestions that change the whole request (shown once for every visit they would let in).
REQUEST_KINDS = ("start_earlier", "add_days", "add_team")


def grouped_suggestions(unassigned: Sequence[Unassigned]) -> list[tuple[Suggestion, tuple[str, ...]]]:
    """Each distinct change with the left-out visits it is suggested for, most visits first.

    A change of the request (start earlier, more days, another team) is listed once for all its visits; a change
    of one visit (unpin, drop a window, split a group, unlock) once per visit.
    """
    order: dict[tuple, tuple[Suggestion, list[str]]] = {}
    for u in unassigned:
        for s in u.suggestions:
            if s.kind in REQUEST_KINDS:
                key = (s.kind, s.start_date, s.days, s.team_id)
            else:
                key = (s.kind, s.visit_id)
            if key not in order:
                order[key] = (s, [])
            if u.visit_id not in order[key][1]:
                order[key][1].append(u.visit_id)
    # Starting earlier lets in every visit that a later start would (walk G: 提前到 12-08 said 1 visit, it covered 5).
    starts = [(s, ids) for s, ids in order.values() if s.kind == "start_earlier"]
    for s, ids in starts:
        for s2, ids2 in starts:
            if s2.start_date > s.start_date:
                ids.extend(i for i in ids2 if i not in ids)
    ranked = sorted(order.values(), key=lambda e: (
        -len(e[1]), e[0].kind not in REQUEST_KINDS, e[0].start_date or dt.date.max))
    out = [(s, tuple(ids)) for s, ids in ranked]
    if (every := drop_skills_suggestion(unassigned)) is not None:
        out.insert(0, every)  # one click instead of one 不要求…专长 per visit (29 buttons for a new office)
    return out


#: Separates the visit ids of a ``drop_skills`` suggestion (its ``visit_id``).
_IDS_SEP = "\n"


def drop_skills_suggestion(unassigned: Sequence[Unassigned]) -> tuple[Suggestion, tuple[str, ...]] | None:
    """One ``drop_skills`` suggestion for every visit left out only for a 专长 no planned team has (code
    ``no_skill``), or has only in teams with someone to 回避 while a team without the 专长 has nobody to 回避 (code
    ``excluded``), or a 必访 ``infeasible_must`` whose blocking fact is one of these, with a 不要求…专长 suggestion,
    when there are two or more: ``不要求这些专长（28 个走访点）``."""
    def skill_only(u: Unassigned) -> bool:
        fact = u.reason.split("。建议：")[0]
        blocked = u.reason_code in ("no_skill", "excluded") or (
            u.reason_code == "infeasible_must" and ("不具备所需专长" in fact or FREE_WITHOUT_SKILL in fact))
        return blocked and any(s.kind == "drop_skill" for s in u.suggestions)

    ids = tuple(dict.fromkeys(u.visit_id for u in unassigned if skill_only(u)))
    if len(ids) < 2:
        return None
    return Suggestion("drop_skills", f"不要求这些专长（{len(ids)} 个走访点）", _IDS_SEP.join(ids)), ids


def must_left_out(unassigned: Iterable[Unassigned], visits: Mapping[str, Visit]) -> int:
    """How many of the left-out visits are 必访 the planner could not place (a revisit waiting is not one)."""
    from planner.routing.revisits import not_placed

    return sum(1 for u in not_placed(unassigned) if (v := visits.get(u.visit_id)) is not None and v.must)


#: What a leader can do when 必访 stops are left out, after the plan's status.
MUST_UNMET_ADVICE = ("要排入全部必访点，可增加工作日或检查组、在“检查组”页延长班次、取消锁定或指定组/日期后重新规划；"
                     "各点的原因与建议见“未安排的走访点”")


def status_text(plan: object, visits: Mapping[str, Visit]) -> str:
    """The plan's status in words, saying when must-visit visits were not placed: ``不满足必访要求（28 个必访点未
    排入）`` — a plan that leaves out 必访 letters is not 可行 (walk W13: 「可行，但 2 个必访点未排入」)."""
    n = must_left_out(plan.unassigned, visits)
    if plan.unassigned and not any(r.stops for r in plan.routes):
        # Walk J: every visit held by another plan read 最优，但 1 个必访点未排入 for a plan with nothing in it.
        return "没有排入任何走访点" + (f"（{n} 个必访点未排入）" if n else "")
    if not n:
        return plan.status_label
    if plan.status_label in ("可行", "最优"):
        return f"不满足必访要求（{n} 个必访点未排入）"
    return f"{plan.status_label}（{n} 个必访点未排入）"  # 无法排出，但… read as a contradiction (re-walk N3)


def plan_summary(plan: object, visits: Mapping[str, Visit]) -> str:
    """:meth:`planner.domain.Plan.summary` with :func:`status_text` as its status, and
    :data:`MUST_UNMET_ADVICE` after it when 必访 stops are left out of a plan that has routes."""
    text = plan.summary()
    head = f"{plan.status_label}："
    if not text.startswith(head):
        return text
    said = status_text(plan, visits)
    more = f"。{MUST_UNMET_ADVICE}" if said.startswith("不满足必访要求") else ""
    return said + "：" + text[len(head):] + more


def promise_text(places: Sequence[str], *, shown: int = 6) -> str:
    """What a suggestion's button may let in, without promising it: ``可能排入：A、B … 等 7 个走访点``.

    The reason names only the constraint that blocks each visit; once it is lifted, the re-plan must still find
    room (capacity, travel, the other visits), so the count is what may go in, not what will.
    """
    places = list(places)
    head = "、".join(places[:shown])
    if len(places) == 1:
        return f"重新规划后可能排入：{head}"
    more = f" 等 {len(places)} 个走访点" if len(places) > shown else f"（{len(places)} 个走访点）"
    return f"重新规划后可能排入：{head}{more}；能否全部排入取决于运力，以规划结果为准"


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """What 路线规划 plans with: start date, working days, teams and policy (the visits travel alongside)."""

    start_date: dt.date
    days: int
    team_ids: tuple[str, ...]
    policy: str = "compact"

    def __post_init__(self) -> None:
        object.__setattr__(self, "team_ids", tuple(self.team_ids))
        if not 1 <= int(self.days) <= MAX_DAYS:
            raise InputError(f"工作日数应为 1 到 {MAX_DAYS} 天，收到 {self.days!r}")
        if self.policy not in POLICIES:
            names = "、".join(f"{k}（{v}）" for k, v in POLICIES.items())
            raise InputError(f"规划方式应为 {names} 之一，收到 {self.policy!r}")


def apply_suggestion(request: PlanRequest, visits: Sequence[Visit],
                     suggestion: Suggestion) -> tuple[PlanRequest, tuple[Visit, ...]]:
    """The request and visits with ``suggestion`` applied (re-plan with them).

    Raises
    ------
    InputError
        On an unknown kind, or a visit-level suggestion naming a visit that is not among ``visits``.
    """
    s = suggestion
    visits = tuple(visits)
    if s.kind == "drop_skills":  # every visit it names requires no 专长
        ids = set(s.visit_id.split(_IDS_SEP))
        if not ids & {v.visit_id for v in visits}:
            raise InputError("调整建议中的走访点都不在走访点中")
        return request, tuple(dataclasses.replace(v, skills=()) if v.visit_id in ids else v for v in visits)
    if s.kind == "start_earlier":
        return dataclasses.replace(request, start_date=s.start_date, days=s.days or request.days), visits
    if s.kind == "add_days":
        return dataclasses.replace(request, days=s.days), visits
    if s.kind == "add_team":
        ids = request.team_ids if s.team_id in request.team_ids else (*request.team_ids, s.team_id)
        return dataclasses.replace(request, team_ids=ids), visits
    changes = {
        "unpin_team": {"team_id": ""},
        "unpin_date": {"date": None},
        "drop_window": {"window_start_min": None, "window_end_min": None},
        "drop_group": {"group": ""},
        "unlock": {"locked": False, "team_id": "", "date": None},
        "drop_skill": {"skills": ()},
        "drop_deadline": {"latest_date": None, "must": True},
        "make_must": {"must": True},
        "release": {"team_id": "", "skills": ()},
    }.get(s.kind)
    if changes is None:
        raise InputError(f"不认识的调整建议类型 {s.kind!r}")
    if s.visit_id not in {v.visit_id for v in visits}:
        raise InputError(f"调整建议中的走访点 {s.visit_id!r} 不在走访点中")
    group = next((v.group for v in visits if v.visit_id == s.visit_id), "")
    out = []
    for v in visits:
        hit = v.visit_id == s.visit_id or (s.kind == "drop_group" and group and v.group == group)
        out.append(dataclasses.replace(v, **changes) if hit else v)
    return request, tuple(out)
