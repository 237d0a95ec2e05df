"""Times of one team-day for a fixed order of visits: earliest schedule with the lunch break, or its violations.

The break follows OR-Tools' semantics (PRODUCT.md): it never overlaps a visit; taken between two stops it adds
to the travel time, so arrival = max(end of previous + travel + break, break end); it may also be taken at the
base before departure or after the return. Minutes after midnight throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from planner.domain import hhmm

INF = 10**9


@dataclass(frozen=True, slots=True)
class DayShape:
    """What bounds a team-day: shift, break (earliest start, latest start, minutes) and daily limits."""

    shift_start: int
    shift_end: int
    break_earliest: int | None = None
    break_latest: int | None = None
    break_min: int = 0
    max_visits: int | None = None
    max_drive_min: int | None = None

    @property
    def has_break(self) -> bool:
        """True when a break must be placed."""
        return self.break_earliest is not None and self.break_min > 0


@dataclass(frozen=True, slots=True)
class StopSpec:
    """A visit as the scheduler sees it: matrix node, service minutes, time window."""

    node: int
    service: int
    window_start: int
    window_end: int


@dataclass(slots=True)
class Timing:
    """A computed schedule. ``break_gap``: -1 before departure, k = on the leg into stop k, n = on the way home,
    n+1 = after the return, None = no break."""

    feasible: bool
    depart: int
    ret: int
    legs: list[int]  # travel minutes into each stop, then the way home
    arrive: list[int]
    start: list[int]
    end: list[int]
    break_gap: int | None = None
    break_start: int | None = None
    violations: list[str] = field(default_factory=list)


def _take(t_prev: int, leg: int, shape: DayShape) -> int:
    """Arrival when the break is taken on a leg that starts at ``t_prev`` (INF when too late)."""
    b = max(t_prev, shape.break_earliest)
    if t_prev >= INF or b > shape.break_latest:
        return INF
    return max(t_prev + leg + shape.break_min, b + shape.break_min)


def quick_check(stops: Sequence[StopSpec], depot: int, travel, shape: DayShape) -> int:
    """Return time at base of the earliest feasible schedule, or ``INF`` when none exists (hot path)."""
    if shape.max_visits is not None and len(stops) > shape.max_visits:
        return INF
    brk = shape.has_break
    t_a = shape.shift_start
    t_b = max(shape.shift_start, shape.break_earliest + shape.break_min) if brk else INF
    prev = depot
    drive = 0
    for s in stops:
        leg = int(travel[prev, s.node])
        drive += leg
        arr_a = t_a + leg
        if brk:
            arr_b = min(t_b + leg, _take(t_a, leg, shape))
            st_b = max(arr_b, s.window_start)
            t_b = st_b + s.service if st_b <= s.window_end else INF
        st_a = max(arr_a, s.window_start)
        t_a = st_a + s.service if st_a <= s.window_end else INF
        if t_a >= INF and t_b >= INF:
            return INF
        prev = s.node
    leg = int(travel[prev, depot])
    drive += leg
    if shape.max_drive_min is not None and drive > shape.max_drive_min:
        return INF
    if brk:
        ret_a = t_a + leg
        after = ret_a if ret_a < INF and max(ret_a, shape.break_earliest) <= shape.break_latest else INF
        ret = min(t_b + leg, _take(t_a, leg, shape), after)
    else:
        ret = t_a + leg
    return ret if ret <= shape.shift_end else INF


def schedule(stops: Sequence[StopSpec], depot: int, travel, shape: DayShape) -> Timing:
    """Earliest feasible schedule with the break placed, departure delayed to avoid waiting at the first stop.

    When no feasible schedule exists, returns a lenient one (``feasible=False``) with the violations listed:
    stops are served as early as possible, the break is taken on the first leg that reaches its window.
    """
    n = len(stops)
    nodes = [depot, *[s.node for s in stops], depot]
    legs = [int(travel[nodes[k], nodes[k + 1]]) for k in range(n + 1)]
    brk = shape.has_break
    # Forward DP over two states: A = break not yet taken, B = break taken (with where it was taken).
    t_a = shape.shift_start
    t_b = max(shape.shift_start, shape.break_earliest + shape.break_min) if brk else INF
    start_a: list[int] = []
    start_b: list[int] = []
    from_a: list[bool] = []  # B at stop k came from A (break on leg k)
    for k, s in enumerate(stops):
        leg = legs[k]
        st_a = max(t_a + leg, s.window_start)
        keep = t_b + leg
        take = _take(t_a, leg, shape) if brk else INF
        arr_b = min(keep, take)
        from_a.append(take < keep)
        st_b = max(arr_b, s.window_start)
        start_a.append(st_a if t_a < INF and st_a <= s.window_end else INF)
        start_b.append(st_b if arr_b < INF and st_b <= s.window_end else INF)
        t_a = start_a[-1] + s.service if start_a[-1] < INF else INF
        t_b = start_b[-1] + s.service if start_b[-1] < INF else INF
    leg = legs[n]
    if brk:
        ret_a = t_a + leg if t_a < INF else INF
        options = [
            (t_b + leg if t_b < INF else INF, "keep"),
            (_take(t_a, leg, shape), "take"),
            (ret_a if ret_a < INF and max(ret_a, shape.break_earliest) <= shape.break_latest else INF, "after"),
        ]
        ret, how = min(options)
    else:
        ret, how = (t_a + leg if t_a < INF else INF), "none"
    drive = sum(legs)
    ok = ret <= shape.shift_end and ret < INF
    ok = ok and (shape.max_visits is None or n <= shape.max_visits)
    ok = ok and (shape.max_drive_min is None or drive <= shape.max_drive_min)
    if not ok:
        return _lenient(stops, legs, shape)
    # Walk back to find where the break went.
    if how == "none":
        gap = None
    elif how == "after":
        gap = n + 1
    elif how == "take":
        gap = n
    else:
        gap = -1
        for k in range(n - 1, -1, -1):
            if from_a[k]:
                gap = k
                break
    return _times(stops, legs, shape, gap, shape.shift_start)


def _times(stops: Sequence[StopSpec], legs: list[int], shape: DayShape, gap: int | None, depart: int) -> Timing:
    n = len(stops)
    t = depart
    b_start = None
    if gap == -1:
        b_start = shape.break_earliest
        t = max(depart, shape.break_earliest + shape.break_min)
    actual_depart = t
    arrive, start, end = [], [], []
    for k, s in enumerate(stops):
        if gap == k:
            b_start = max(t, shape.break_earliest)
            a = max(t + legs[k] + shape.break_min, b_start + shape.break_min)
        else:
            a = t + legs[k]
        st = max(a, s.window_start)
        arrive.append(a)
        start.append(st)
        end.append(st + s.service)
        t = st + s.service
    if gap == n:
        b_start = max(t, shape.break_earliest)
        ret = max(t + legs[n] + shape.break_min, b_start + shape.break_min)
    else:
        ret = t + legs[n]
    if gap == n + 1:
        b_start = max(ret, shape.break_earliest)
    timing = Timing(True, actual_depart, ret, legs, arrive, start, end, gap, b_start)
    # Leave later instead of waiting at the first stop (same times from there on).
    if n and gap not in (-1, 0) and start[0] > arrive[0]:
        timing.depart += start[0] - arrive[0]
        timing.arrive[0] = start[0]
    return timing


def _lenient(stops: Sequence[StopSpec], legs: list[int], shape: DayShape) -> Timing:
    n = len(stops)
    gap = None
    if shape.has_break:
        # First leg whose departure reaches the break window, else after the return.
        t = shape.shift_start
        gap = n + 1
        for k, s in enumerate(stops):
            if t + legs[k] >= shape.break_earliest or t >= shape.break_earliest:
                gap = k
                break
            t = max(t + legs[k], s.window_start) + s.service
        else:
            if t >= shape.break_earliest:
                gap = n
    timing = _times(stops, legs, shape, gap, shape.shift_start)
    timing.feasible = False
    v = timing.violations
    for k, s in enumerate(stops):
        if timing.start[k] > s.window_end:
            v.append(f"第{k + 1}站 {hhmm(timing.start[k])} 才开始，晚于时间窗结束 {hhmm(s.window_end)}")
    if timing.break_start is not None and timing.break_start > shape.break_latest:
        v.append(f"午休 {hhmm(timing.break_start)} 才开始，晚于最迟 {hhmm(shape.break_latest)}")
    if timing.ret > shape.shift_end:
        v.append(f"{hhmm(timing.ret)} 返回驻地，超过下班时间 {hhmm(shape.shift_end)}")
    if shape.max_visits is not None and n > shape.max_visits:
        v.append(f"当天 {n} 个走访点，超过上限 {shape.max_visits}")
    if shape.max_drive_min is not None and sum(legs) > shape.max_drive_min:
        v.append(f"车程 {sum(legs)} 分钟，超过每日上限 {shape.max_drive_min} 分钟")
    if not v:
        v.append("午休无法安排在任何两站之间")
    return timing
