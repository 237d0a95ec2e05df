"""走访结果 on 统计 (walk W12): the visits recorded and what came of them — 已走访, 未找到, 改期 — beside the figures.

统计 counted only 已走访: a leader could not see how many visits were made that found nobody (未找到) or were put
off (改期). :func:`planner.followup.stats.compute_stats` counts them here, grouped and filtered as its figures are
(county, town, team, category, period) from the same records: a visit is a letter, a day and a team, its latest
record counting once (:func:`planner.followup.stats.latest_per_visit`). A letter visited twice is two visits (two
已走访, or 未找到 then 已走访) and one letter in 涉及信访件; 带信下访件数 still counts it once, on its first 已走访.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

#: (key, Chinese header) of the visit counts, in report order: 走访（次） is the sum of the three results.
VISIT_FIGURES: tuple[tuple[str, str], ...] = (
    ("visits", "走访记录（次）"),
    ("visited", "已走访（次）"),
    ("not_found", "未找到（次）"),
    ("postponed", "改期（次）"),
    ("letters", "涉及信访件（件）"),
)
VISIT_KEYS = tuple(k for k, _ in VISIT_FIGURES)
VISIT_LABELS = dict(VISIT_FIGURES)
_RESULT_KEY = {"visited": "visited", "not_found": "not_found", "postponed": "postponed"}

DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("走访记录（次）", "统计期内登记的走访次数（已走访、未找到、改期之和，含回访）；"
                "同一件同一天同一检查组只计最新一条记录。"),
    ("已走访 / 未找到 / 改期（次）", "统计期内结果为已走访、未找到（未见到信访人）、改期（未走访）的走访次数；"
                            "同一件走访两次计两次（带信下访件数只计一次）。"),
    ("涉及信访件（件）", "统计期内有走访记录（任一结果）的信访件数，同一件只计一次。"),
)


@dataclass(frozen=True, slots=True)
class VisitCounts:
    """Visit counts grouped as the figures are: ``rows`` (keys, counts), ``totals`` and ``trend`` by period."""

    by: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], dict[str, int]], ...]
    totals: dict[str, int]
    trend: tuple[tuple[str, dict[str, int]], ...]

    def table(self) -> list[list[object]]:
        """Rows as lists (dimension values then counts), plus a 合计 row."""
        out: list[list[object]] = [[*k, *(c[f] for f in VISIT_KEYS)] for k, c in self.rows]
        out.append(["合计", *([""] * (len(self.by) - 1)), *(self.totals[f] for f in VISIT_KEYS)])
        return out

    def trend_table(self) -> list[list[object]]:
        """Trend rows: period then counts."""
        return [[p, *(c[f] for f in VISIT_KEYS)] for p, c in self.trend]

    def summary(self) -> str:
        """``走访记录 5 次：已走访 3 次，未找到 1 次，改期 1 次；涉及信访件 4 件。``"""
        t = self.totals
        return (f"走访记录 {t['visits']} 次：已走访 {t['visited']} 次，未找到 {t['not_found']} 次，"
                f"改期 {t['postponed']} 次；涉及信访件 {t['letters']} 件。")


def count_visits(outcomes: Iterable, by: tuple[str, ...], periods: Iterable[str],
                 place: Callable[[object], dict[str, str] | None], row_order: Callable[[tuple], object]
                 ) -> VisitCounts:
    """Count ``outcomes`` (one per visit) that ``place`` puts in the table: ``place(outcome)`` gives its dimension
    values (``period`` included), or None when the period or a filter leaves it out."""
    def empty() -> dict[str, object]:
        return {**dict.fromkeys(VISIT_KEYS[:-1], 0), "letters": set()}

    groups: dict[tuple[str, ...], dict[str, object]] = defaultdict(empty)
    trend: dict[str, dict[str, object]] = {p: empty() for p in periods}
    total = empty()
    for o in outcomes:
        key = _RESULT_KEY.get(str(o.result))
        values = place(o) if key else None
        if values is None:
            continue
        for counts in (groups[tuple(values[d] for d in by)], trend.setdefault(values["period"], empty()), total):
            counts["visits"] += 1
            counts[key] += 1
            counts["letters"].add(o.case_id)

    def done(c: dict[str, object]) -> dict[str, int]:
        return {k: (len(v) if isinstance(v, set) else int(v)) for k, v in c.items()}

    rows = tuple((k, done(v)) for k, v in sorted(groups.items(), key=lambda kv: row_order(kv[0])))
    return VisitCounts(by, rows, done(total), tuple((p, done(c)) for p, c in trend.items()))
