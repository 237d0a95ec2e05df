"""A re-plan's revisits (未找到, 改期) at one village are one stop, and a revisit left out says why.

Walk W13: 0168 (未找到) and 0164 (改期) of 隆庆村 stayed two stops after 重新规划其余走访点 (the revisits were kept
out of :func:`planner.routing.same_place.one_stop_per_village`), and each was the first dropped when a day was full.
Now they join each other, and another stop of their village that is not locked or recorded, as one stop:

* stops that are all revisits stay a revisit (the first keeps its id, planned again from the latest record's day
  and agreed day on, said as 记录为改期、未找到 when both were recorded);
* a revisit that joins a stop the plan has (a letter not recorded yet) gives it its letters and waits with it: the
  stop keeps its id and is planned not before the revisit's day; it goes ahead of the revisits when a part of it
  would (a promised 必访 letter, or, with 排不下时再访点优先, a 必访 revisit: ``PlanOptions.revisits``).

A revisit left out for want of room said the solver's generic 按优先级 N 和路程被舍弃 in the 必访 warning, though a
必访 stop is never dropped by its priority: :func:`revisit_reasons` says what it is (the promised 必访 stops kept
first, or the revisits first and still no room), with what was recorded and when.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from planner.domain import Visit
from planner.routing.drop_order import DROPPED_TAIL
from planner.routing.planio import PlanDocument
from planner.routing.revisits import REVISITS_FIRST, promised_must

_NOT_MET = "记录为未找到（上次走访未见到信访人）"
_PUT_OFF = "记录为改期（未走访）"
_BOTH = "记录为改期、未找到（未走访、未见到信访人）"


@dataclass
class Joined:
    """The revisits after :func:`planner.routing.same_place.one_stop_per_village`, by the stops they are now."""

    put_off: dict[str, dt.date]  # stop -> latest record's day, for the stops that are all revisits
    not_met: set[str]  # of those, the ones whose letters were all recorded 未找到
    agreed: dict[str, dt.date]  # stop -> the day agreed at its 改期 (after its record)
    revisits: frozenset[str]  # stops holding a revisit that go where a revisit goes (PlanOptions.revisits)
    waiting: dict[str, tuple[str, ...]]  # stop -> the revisits it holds (their ids before the merge)
    days: dict[str, dt.date]  # revisit (id before the merge) -> its record's day
    missed: set[str]  # revisits (ids before the merge) recorded 未找到
    both: set[str] = field(default_factory=set)  # put_off stops holding 改期 and 未找到 letters
    mixed: set[str] = field(default_factory=set)  # revisits (ids before the merge) recorded 改期 and 未找到 already
    absorbed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # stop not a revisit -> revisits it took
    before: Mapping[str, Visit] = field(default_factory=dict)

    def kinds_said(self, note: str) -> str:
        """A revisit's note (:func:`planner.routing.history.replan_notes`) for a stop that holds 改期 and 未找到
        letters: both said, not 改期 alone."""
        for vid in self.both:
            if note.startswith((f"{vid} ", f"{vid}（")):
                return note.replace(_PUT_OFF, _BOTH).replace("改期记录保留在走访记录中",
                                                             "改期、未找到记录保留在走访记录中")
        return note

    def absorbed_notes(self, new: PlanDocument) -> list[str]:
        """``V1-改期 平和县山格镇隆庆村（ZZ1B） 12-07 记录为改期（未走访）：与 V010 同村，并入 V010，改排到平和下访组
        12-09`` per revisit that joined a stop the plan has."""
        where = {s.visit_id: (r.team_id, r.date) for r in new.plan.routes for s in r.stops}
        out = []
        for kept, revs in self.absorbed.items():
            if kept in where:
                t, d = where[kept]
                went = f"改排到{new.teams[t].name if t in new.teams else t} {d:%m-%d}"
            else:
                went = "未能排入，原因见“未安排的走访点”"
            for g in revs:
                v = self.before[g]
                said = _BOTH if g in self.mixed else _NOT_MET if g in self.missed else _PUT_OFF
                out.append(f"{g} {v.label}（{'、'.join(v.case_nos)}） {self.days[g]:%m-%d} {said}：与 {kept} 同村，"
                           f"并入 {kept}，{went}".replace(" （", "（"))
        return out


def revisits_joined(merged: Mapping[str, tuple[str, ...]], before: Mapping[str, Visit],
                    put_off: Mapping[str, dt.date], not_met: set[str], agreed: Mapping[str, dt.date],
                    first: bool, both: Iterable[str] = ()) -> Joined:
    """What ``merged`` (kept stop -> the stops it took in) made of the revisits ``put_off`` (stop -> its record's
    day; ``not_met``: those recorded 未找到; ``both``: of those, the ones whose other letters were put off, a stop
    of an earlier merge reopened, :func:`planner.store.plans.mixed_visits`; ``agreed``: the day agreed at a 改期,
    after it). ``before``: the stops before the merge; ``first``: 排不下时再访点优先."""
    mixed = set(both) & set(not_met) & set(put_off)
    out = Joined(dict(put_off), set(not_met) - mixed, dict(agreed), frozenset(),
                 {vid: (vid,) for vid in put_off}, dict(put_off), set(not_met) & set(put_off), both=set(mixed),
                 mixed=mixed, before=before)
    ahead = set()
    for kept, others in merged.items():
        group = (kept, *others)
        revs = tuple(g for g in group if g in put_off)
        if not revs:
            continue
        for g in revs:
            out.waiting.pop(g, None)
            out.put_off.pop(g, None)
            out.agreed.pop(g, None)
        out.not_met -= set(revs)
        out.both -= set(revs)
        out.waiting[kept] = revs
        day = max(put_off[g] for g in revs)
        if kept in put_off:  # all revisits (one_stop_per_village keeps a stop the plan has first)
            out.put_off[kept] = day
            if (days := [agreed[g] for g in revs if g in agreed and agreed[g] > day]):
                out.agreed[kept] = max(days)
            if all(g in not_met and g not in mixed for g in revs):
                out.not_met.add(kept)
            elif any(g in not_met for g in revs):
                out.both.add(kept)
            continue
        out.absorbed[kept] = revs
        revisit_must = any(before[g].must for g in revs if g in before)
        # PlanOptions.revisits: where a revisit goes — after the promised stops and before the 必访 stops the plan
        # did not hold by default (a stop holding a promised letter is promised: PlanOptions.promised), before the
        # promised ones with the revisits first when its revisit is 必访.
        if revisit_must or not first:
            ahead.add(kept)
    out.revisits = frozenset(ahead)
    return out


#: The solver's tail of a capacity reason (how it chose what to leave out: by priority and travel, or for a 必访 stop
#: by travel alone), which a 必访 revisit's reason does not keep: the promised 必访 stops went ahead of it.
_BY_PRIORITY = DROPPED_TAIL


def revisit_reasons(new: PlanDocument, previous: PlanDocument | None, joined: Joined, first: bool) -> PlanDocument:
    """``new`` with each 必访 stop holding a revisit that it leaves out for want of room said so as it is: what was
    recorded and when, and that the days were full with the promised 必访 stops kept first (or with the revisits
    first): ``必访点无法排入：再访点（12-07 记录为改期、未找到）：1 个组日的运力不够（都已排满），排不下时先保留原计划已
    安排的必访点（V3、V4）。建议：…``. Other reasons (no day left after its record, its time window) are the
    solver's, with what was recorded before them."""
    placed = {s.visit_id for r in new.plan.routes for s in r.stops}
    promised = sorted(v for v in promised_must(previous, joined.put_off) if v in placed) if previous else []
    left = []
    for u in new.plan.unassigned:
        revs = joined.waiting.get(u.visit_id)
        v = new.visits.get(u.visit_id)
        if not revs or v is None or not v.must or not u.reason.startswith("必访点无法排入："):
            left.append(u)
            continue
        kinds = "、".join(k for k, hit in (("改期", any(g not in joined.missed or g in joined.mixed for g in revs)),
                                          ("未找到", any(g in joined.missed for g in revs))) if hit)
        day = max(joined.days[g] for g in revs)
        head, _, rest = u.reason.partition("：")
        if _BY_PRIORITY.search(rest):
            if first:
                why = f"，已按“{REVISITS_FIRST}”先排再访点，仍排不下"
            elif promised:
                why = (f"，排不下时先保留原计划已安排的必访点（{'、'.join(promised[:5])}"
                       f"{' 等' if len(promised) > 5 else ''}）；如要先安排再访点，勾选“{REVISITS_FIRST}”后重新规划")
            else:
                why = ""
            rest = _BY_PRIORITY.sub(why, rest, count=1)
        left.append(dataclasses.replace(u, reason=f"{head}：再访点（{day:%m-%d} 记录为{kinds}）：{rest}"))
    return dataclasses.replace(new, plan=dataclasses.replace(new.plan, unassigned=tuple(left)))


def unpromised_reasons(new: PlanDocument, promised: Iterable[str], ahead: Iterable[str]) -> PlanDocument:
    """``new`` with each 必访 stop the issued plan did not hold (not ``promised``, not a revisit in ``ahead``) that it
    leaves out of full days said as the solver chose: after the promised stops and the revisits, not
    「必访点之间不分优先级」 (:func:`planner.routing.problem.must_penalties`)."""
    promised, ahead = set(promised), set(ahead)
    if not promised:
        return new
    said = "，原计划未安排它：排不下时先保留原计划已安排的必访点和再访点，其余必访点按路程取舍"
    left = []
    for u in new.plan.unassigned:
        v = new.visits.get(u.visit_id)
        if v is not None and v.must and not v.locked and u.visit_id not in promised | ahead:
            head, _, rest = u.reason.partition("：")
            if head == "必访点无法排入" and _BY_PRIORITY.search(rest):
                u = dataclasses.replace(u, reason=f"{head}：{_BY_PRIORITY.sub(said, rest, count=1)}")
        left.append(u)
    return dataclasses.replace(new, plan=dataclasses.replace(new.plan, unassigned=tuple(left)))
