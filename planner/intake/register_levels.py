"""A register's urgency levels read as a whole: its own order kept on the severity scale (1 minor .. 5 grave).

Walk W19: a register writing 紧急 / 较急 / 一般 was read word by word, 紧急 and 较急 both 4, and 选件 could not rank
紧急 above 较急. Each word has a fine intrinsic rank (特急/特提 > 加急 ≈ 非常紧急 > 紧急 > 较急 > 一般 > 较缓 > 缓 …;
importance and gravity words just under the urgency word of their step, so 紧急 > 严重 > 较重); the levels THIS
register uses are then placed on the scale in their order with 一般 (and an empty cell) at 3: 紧急/较急/一般 and
特急/紧急/一般 are both 5/4/3. Only two severities lie above 3 (and two below): a register with three levels above
一般 has two of them share one, the two nearest in rank (特急/加急/紧急 → 5/4/4), and the preview says which. A
register with one level above 一般 reads it as the word says (紧急 4, 特急 5). Numbers 1–5 and ★ stay as written.

Cases already stored (:func:`keep_stored_levels`): a later register with other levels reads 紧急 4 (特急 above it)
where the first read it 5. A stored case whose urgency cell is unchanged keeps the severity it has, and the register's
rows of that level take it too, so one word keeps one severity across registers — unless the stored severities are
the word-by-word ones of an import before levels were read as a whole and merge levels this register keeps apart
(紧急 and 较急 both 4); then this register's reading applies to them. Either way the preview says so, level by level.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.intake.rows import ParsedRow
from planner.intake.urgency import (
    DEFAULT_SEVERITY,
    SEVERITY_WORDS,
    URGENCY_WORDS,
    _norm,
    _written,
    is_number,
    read_urgency,
)

_RANKS_BY_WORDS: dict[int, tuple[str, ...]] = {
    # urgency (GB/T 9704: 特急 > 加急; telegrams 特提/特急/加急/平急; registers 紧急, 较急)
    50: ("特急", "特提", "特别紧急", "万急", "火急", "十万火急", "极急", "特快"),
    40: ("加急", "非常紧急", "十分紧急"),
    30: ("紧急", "急", "急件", "急办", "紧", "紧要", "优先"),
    20: ("较急", "比较紧急", "平急"),
    # importance and priority: just under urgency of the same step
    49: ("极高", "最高", "特别重要"), 39: ("很高", "非常高", "非常重要"), 29: ("高", "重要"), 19: ("较高", "较重要"),
    # gravity (特别严重/严重/较重; 《突发事件应对法》 特别重大/重大/较大)
    48: ("特别严重", "极严重", "特别重大", "特大"), 38: ("非常严重", "重大"), 28: ("严重",),
    18: ("较严重", "较重", "较大"),
    0: tuple(w for w, s in URGENCY_WORDS.items() if s == DEFAULT_SEVERITY),
    -20: ("较缓", "可缓"), -30: ("缓", "缓办", "缓件", "暂缓"),
    -19: ("较低", "次要"), -29: ("低", "不重要"), -39: ("很低", "极低", "最低", "非常低"),
    -18: ("较轻",), -28: ("轻", "轻微"), -38: ("极轻微",),
}
#: Each urgency word's fine rank (higher = more urgent; 一般 0). Words of one rank are one level said two ways.
RANKS: dict[str, int] = {w: r for r, words in _RANKS_BY_WORDS.items() for w in words}


def _word(value: object) -> str:
    """The urgency word of a cell (特急件 → 特急); "" for an empty cell, a number, ★ or a word not understood."""
    text_ = _norm(value)
    if not text_ or is_number(value):
        return ""
    if text_ in RANKS:
        return text_
    return text_[:-1] if text_.endswith(("件", "办")) and text_[:-1] in RANKS else ""


def rank_of(value: object) -> int | None:
    """The fine rank of an urgency cell; None for an empty cell, a number 1–5, ★ or a word not understood."""
    word = _word(value)
    return RANKS[word] if word else None


@dataclasses.dataclass(frozen=True)
class Reading:
    """How one register's urgency levels fall on the severity scale."""

    severity: dict[int, int]  # rank -> severity
    names: dict[int, str]  # rank -> the level as the register writes it (its words, most used first)
    shared: tuple[tuple[int, ...], ...] = ()  # ranks of levels that share one severity (more levels than slots)

    def of(self, value: object) -> int | None:
        rank = rank_of(value)
        return None if rank is None else self.severity.get(rank)


def _split(levels: Sequence[int], high: int, low: int, *, top_alone: bool) -> dict[int, int]:
    """Levels (ranks, most urgent first) on two severities: at the widest gap in rank (ties: the outermost level
    alone — the most urgent above 一般, the least below)."""
    gaps = [levels[i] - levels[i + 1] for i in range(len(levels) - 1)]
    widest = max(gaps)
    cut = gaps.index(widest) if top_alone else len(gaps) - 1 - gaps[::-1].index(widest)
    return {r: (high if i <= cut else low) for i, r in enumerate(levels)}


def read_levels_of(cells: Iterable[object]) -> Reading:
    """The register's levels (the words of its urgency column) read as a whole; see the module."""
    words: dict[int, Counter] = {}
    for cell in cells:
        if word := _word(cell):
            words.setdefault(RANKS[word], Counter())[_written(cell)[:20]] += 1
    names = {r: "/".join(w for w, _n in c.most_common()) for r, c in words.items()}
    severity = {r: DEFAULT_SEVERITY for r in words if r == 0}
    shared: list[tuple[int, ...]] = []
    for side, (high, low) in ((sorted((r for r in words if r > 0), reverse=True), (5, 4)),
                              (sorted((r for r in words if r < 0), reverse=True), (2, 1))):
        if len(side) == 1:  # one level: as the word says (紧急 4, 特急 5, 缓 2)
            severity[side[0]] = URGENCY_WORDS[_word(words[side[0]].most_common(1)[0][0])]
        elif side:
            placed = _split(side, high, low, top_alone=high == 5)
            severity.update(placed)
            shared += [g for s in (high, low) if len(g := tuple(r for r in side if placed[r] == s)) > 1]
    return Reading(severity=severity, names=names, shared=tuple(shared))


def read_levels(rows: Sequence[ParsedRow], header: str | None) -> list[ParsedRow]:
    """The rows with the severity of their urgency word as this register's levels place it (numbers, ★, empty and
    words not understood as read row by row), each row knowing its urgency column."""
    if not header:
        return list(rows)
    reading = read_levels_of(r.raw.get(header) for r in rows)
    out = []
    for r in rows:
        severity = reading.of(r.raw.get(header))
        values = r.values if severity is None or "severity" not in r.values else {**r.values, "severity": severity}
        out.append(dataclasses.replace(r, values=values, urgency=header))
    return out


def _sev(s: int) -> str:
    return f"{s}（{SEVERITY_WORDS[s]}）"


def mapping_note(header: str, cells: Iterable[object]) -> str:
    """How the preview's urgency column becomes severity, level by level with counts, and why, for people.

    ``「紧急程度」决定选件的“问题严重程度”…：紧急 22 件 → 5（最急）；较急 23 件 → 4（急）；一般 … 本表的等级
    紧急 > 较急 > 一般 按先后对应 5、4、3…``.
    """
    cells = list(cells)
    reading = read_levels_of(cells)
    counts: Counter = Counter()
    numbers: Counter = Counter()
    unknown = empty = 0
    for cell in cells:
        written = _written(cell)
        if not written:
            empty += 1
        elif (rank := rank_of(cell)) is not None:
            counts[(reading.severity[rank], rank, written[:20])] += 1
        elif (s := read_urgency(cell)) is not None:
            numbers[(s, written[:20])] += 1
        else:
            unknown += 1
    parts = [f"{w} {n} 件 → {_sev(s)}" for (s, _r, w), n in sorted(counts.items(), key=lambda kv: (
        -kv[0][0], -kv[0][1], -kv[1], kv[0][2]))]
    parts += [f"{w} {n} 件 → {_sev(s)}（数字按原样）"
              for (s, w), n in sorted(numbers.items(), key=lambda kv: -kv[0][0])]
    if why := _why(reading):
        parts.append(why)
    if unknown:
        parts.append(f"无法识别 {unknown} 件 → {DEFAULT_SEVERITY}（见校验结果）")
    if empty:
        parts.append(f"空白 {empty} 件 → {DEFAULT_SEVERITY}")
    return f"「{header}」决定选件的“问题严重程度”（1 最缓 … 5 最急）：" + "；".join(parts or ["（本表此列为空）"])


def _why(reading: Reading) -> str:
    ranks = sorted(reading.severity, reverse=True)
    if len(ranks) < 2:
        return ""
    order = " > ".join(reading.names[r] for r in ranks)
    sev = "、".join(str(reading.severity[r]) for r in ranks)
    text_ = f"本表的等级 {order} 按整张表的先后对应 {sev}（一般 为 3"
    for side, label in (([r for r in ranks if r > 0], "之上"), ([r for r in ranks if r < 0], "之下")):
        if len(side) == 1:
            text_ += f"；{reading.names[side[0]]} 是 一般 {label}唯一的等级，按字面计 {reading.severity[side[0]]}"
    text_ += "）"
    for group in reading.shared:
        s = reading.severity[group[0]]
        above = s > DEFAULT_SEVERITY
        count = sum(1 for r in ranks if r and (r > 0) == above)
        names = "、".join(reading.names[r] for r in group)
        where, slots = ("之上", "5、4") if above else ("之下", "2、1")
        text_ += (f"；注意：本表在 一般 {where}有 {count} 个等级，系统只有 {slots} 两级：{names} 最接近，"
                  f"同按 {_sev(s)}计，选件排序时不再区分；如须分开，请在登记表中改写其中一级后再导入")
    return text_


def _stored(session: Session, numbers: Sequence[str]) -> dict[str, tuple[int, dict]]:
    from planner.store.models import CaseRow

    found: dict[str, tuple[int, dict]] = {}
    for start in range(0, len(numbers), 500):
        query = select(CaseRow.case_no, CaseRow.severity, CaseRow.extra_fields) \
            .where(CaseRow.case_no.in_(numbers[start:start + 500]))
        found.update({no: (sev, dict(extra or {})) for no, sev, extra in session.execute(query)})
    return found


@dataclasses.dataclass(frozen=True)
class StoredLevels:
    """What :func:`keep_stored_levels` did with the stored cases whose urgency cell is unchanged."""

    kept: bool = True  # True: their severities kept; False: this register's reading applied to them
    differing: tuple[tuple[str, int, int, int], ...] = ()  # (level, cases, stored severity, this register's)
    merged: tuple[tuple[str, int], ...] = ()  # kept: levels this register keeps apart now on one severity

    def note(self) -> str:
        """For the preview ("" when stored cases and this register agree)."""
        if not self.differing:
            return ""
        n = sum(c for _w, c, _s, _r in self.differing)
        if self.kept:
            each = "；".join(f"{w} {c} 件保留 {s}（本表单独读作 {r}）" for w, c, s, r in self.differing)
            merged = "".join(f"；因此 {w} 同按 {_sev(s)}计，选件排序时不再区分" for w, s in self.merged)
            return (f"系统中已有的 {n} 件紧急程度未改，保留原来的严重程度，本表同一等级的新信也按此计：{each}{merged}。"
                    "这样同一个词在各次导入中严重程度相同；改了紧急程度的信按本表读")
        each = "；".join(f"{w} {c} 件 {s} → {r}" for w, c, s, r in self.differing)
        return (f"系统中已有的 {n} 件紧急程度未改，但原来的严重程度没有保持本表各等级的先后（不同等级同为一级或"
                f"次序颠倒，多为按单个词读取时导入的），导入后按本表的等级重新计：{each}")


def keep_stored_levels(session: Session, rows: Sequence[ParsedRow]) -> tuple[list[ParsedRow], StoredLevels]:
    """The rows with the severities stored cases keep (see the module), and what was done."""
    worded = [r for r in rows if r.urgency and rank_of(r.raw.get(r.urgency)) is not None and "severity" in r.values]
    if not worded:
        return list(rows), StoredLevels()
    stored = _stored(session, sorted({str(r.values["case_no"]) for r in worded}))
    same: dict[int, int] = {}  # row -> the stored case's severity, for rows whose cell is unchanged
    by_rank: dict[int, Counter] = {}
    for r in worded:
        if (case := stored.get(str(r.values["case_no"]))) is None:
            continue
        severity, extra = case
        rank = rank_of(r.raw.get(r.urgency))
        if rank_of(extra.get(r.urgency)) == rank:
            same[r.row] = severity
            by_rank.setdefault(rank, Counter())[severity] += 1
    if not by_rank:
        return list(rows), StoredLevels()
    mode = {rank: c.most_common(1)[0][0] for rank, c in by_rank.items()}
    this = {rank: next(r.values["severity"] for r in worded if rank_of(r.raw.get(r.urgency)) == rank) for rank in mode}
    names_of = {rank_of(r.raw.get(r.urgency)): r.raw.get(r.urgency) for r in worded}  # a cell of each level
    ranks = sorted(mode, reverse=True)
    # Stored as each word reads alone (an import before levels were read as a whole) and merging or inverting levels
    # this register orders: this register's order applies. Anything else (an earlier register's own order, a level
    # kept by an earlier import) is kept: only a changed cell changes a stored severity.
    word_by_word = all(mode[k] == URGENCY_WORDS[_word(names_of[k])] for k in ranks)
    kept = not word_by_word or all(mode[a] >= mode[b] and (this[a] == this[b] or mode[a] != mode[b])
                                   for i, a in enumerate(ranks) for b in ranks[i + 1:])
    names = read_levels_of(r.raw.get(r.urgency) for r in worded).names
    differing = tuple((names[k], sum(by_rank[k].values()), mode[k], this[k]) for k in ranks if mode[k] != this[k])
    if not kept:
        return list(rows), StoredLevels(kept=False, differing=differing)
    every = {rank_of(r.raw.get(r.urgency)): r.values["severity"] for r in worded}
    placed = {rank: mode.get(rank, s) for rank, s in every.items()}
    groups = {s: sorted((k for k in placed if placed[k] == s), reverse=True) for s in set(placed.values())}
    merged = tuple(("、".join(names[k] for k in group), s) for s, group in sorted(groups.items(), reverse=True)
                   if len({every[k] for k in group}) > 1)
    out, numbered = [], {r.row for r in worded}
    for r in rows:
        rank = rank_of(r.raw.get(r.urgency)) if r.row in numbered else None
        severity = same.get(r.row, mode.get(rank)) if rank is not None else None
        out.append(r if severity is None else dataclasses.replace(r, values={**r.values, "severity": severity}))
    return out, StoredLevels(kept=True, differing=differing, merged=merged)


def stored_levels_note(session: Session, rows: Sequence[ParsedRow]) -> str:
    """What the import does with the severities of stored cases (for the preview; "" when nothing to say)."""
    return keep_stored_levels(session, [r for r in rows if r.ok])[1].note()
