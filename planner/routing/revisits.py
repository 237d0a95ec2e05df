"""Who goes first when a re-plan cannot fit both: the 必访 stops the issued plan promised, or its revisits.

A re-plan of a plan that runs plans again the stops recorded 未找到 or 改期 (revisits, :mod:`planner.routing.history`).
When the days cannot hold them and the 必访 stops the plan already promised to local officials and petitioners, the
promised ones stay and the revisits wait (``PlanOptions.revisits``), unless the leader chooses the revisits first
(``PlanOptions.revisits_first``). Walk W12: 重新规划其余走访点 pushed the promised V001 out for two revisits and said
so only deep in a line of day changes. These notes say it first, stop by stop, before the plan is saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from planner.routing.planio import PlanDocument

#: The option that turns the order round, as the page names it.
REVISITS_FIRST = "排不下时再访点优先"


def promised_must(previous: PlanDocument, put_off: Iterable[str]) -> list[str]:
    """The 必访 stops on ``previous``'s routes still to visit, not revisits: what the issued plan promised (a stop
    visited already is locked there, and stays)."""
    again = set(put_off)
    return [s.visit_id for r in previous.plan.routes for s in r.stops
            if s.visit_id not in again and (v := previous.visits.get(s.visit_id)) is not None and v.must
            and not v.locked]


def promised_stops(previous: PlanDocument, put_off: Iterable[str],
                   merged: Mapping[str, Iterable[str]] | None = None) -> frozenset[str]:
    """:func:`promised_must` of ``previous``, and each stop that took a promised one in (``merged``: kept stop -> the
    stops it took, :func:`planner.routing.same_place.one_stop_per_village`): what ``PlanOptions.promised`` keeps."""
    was = set(promised_must(previous, put_off))
    return frozenset({*was, *(k for k, others in (merged or {}).items() if was & {k, *others})})


def priority_notes(previous: PlanDocument, new: PlanDocument, put_off: Mapping, *, first: bool = False,
                   promised: Iterable[str] | None = None) -> list[str]:
    """One line per promised 必访 stop the re-plan leaves out and per 必访 revisit left out for a promised one
    (``promised``: :func:`promised_stops`, by default :func:`promised_must`)."""
    out = {u.visit_id: u.reason for u in new.plan.unassigned}
    placed = {s.visit_id for r in new.plan.routes for s in r.stops}
    promised = sorted(v for v in (promised_must(previous, put_off) if promised is None else promised)
                      if v in new.visits and new.visits[v].must)

    def name(vid: str) -> str:
        v = new.visits[vid]
        letters = f"信访件 {'、'.join(v.case_nos)}" if v.case_nos else "无信访件编号"
        return f"{vid} {v.label}（{letters}）".replace(" （", "（")

    notes = []
    for vid in promised:
        if vid in out:
            why = (f"按“{REVISITS_FIRST}”为再访点让出（不选“{REVISITS_FIRST}”重新规划可保留它）" if first
                   else f"保留原计划必访点后仍排不下：{out[vid].rstrip('。')}")
            notes.append(f"原计划的必访点 {name(vid)}本次未排入，请在保存前确认：{why}")
    kept = sorted(v for v in promised if v in placed)
    held = {s.visit_id for r in previous.plan.routes for s in r.stops}
    gone = [v for v in promised if v in out]
    came = sorted(v for v in placed if v not in held and v not in put_off and v not in promised
                  and (x := new.visits.get(v)) is not None and x.must)
    if gone and came and not first:  # walk W13b: V024, never promised, came in while V029, V008, V003 went out
        waits = sorted(v for v in put_off if v in out and v in new.visits)
        also = f"和再访点 {'、'.join(waits)} " if waits else ""
        notes += [f"必访点 {name(vid)}本次排入（原计划未安排）：原计划的必访点 {'、'.join(gone[:5])}"
                  f"{' 等' if len(gone) > 5 else ''} {also}先排，仍排不下，它排在余下的时间里" for vid in came]
    for vid in put_off:
        if vid in out and vid in new.visits and new.visits[vid].must and kept and not first:
            notes.append(f"再访点 {name(vid)}本次未排入：排不下时先保留原计划已安排的必访点"
                         f"（{'、'.join(kept[:5])}{' 等' if len(kept) > 5 else ''}）；如要先安排再访点，"
                         f"勾选“{REVISITS_FIRST}”后重新规划（原计划的必访点会被移出并逐个说明），或增加工作日")
    return notes


#: The reason code of a stop an opened plan holds to visit again (:func:`planner.routing.history.split_put_off`).
REVISIT_CODE = "put_off"


def awaiting_revisit(unassigned: Iterable) -> list:
    """The left-out entries that are revisits waiting for the re-plan (未找到, 改期), not stops the planner failed to
    place: an opened plan says them apart, never as 未排入 (walk W12: 2 个必访点未排入 for two letters to revisit)."""
    return [u for u in unassigned if u.reason_code == REVISIT_CODE]


def not_placed(unassigned: Iterable) -> list:
    """The left-out entries the planner could not place (all but :func:`awaiting_revisit`)."""
    return [u for u in unassigned if u.reason_code != REVISIT_CODE]
