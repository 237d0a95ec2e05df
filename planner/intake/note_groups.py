"""The preview's row notes grouped by kind, so that a rare note is not buried under hundreds of one kind.

Walk W12: some 280 "身份证号位数或校验位不对" lines buried the seven notes that mattered (a 合计 row left out, a
swapped 来信人, 办理期限 before 收件日期 …) in 逐行说明. A kind is one column's note, its dates and quoted values
aside (``办理期限 2026-10-19 早于收件日期 2026-11-19`` and ``… 2026-11-15 早于 … 2026-11-26`` are one kind). Kinds
are listed as :meth:`RowIssue.listing_order` lists rows — refused rows first, then rows to look at, then hints —
and within each the rarer kind first; a kind of one row reads as its own line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planner.intake.columns import RowIssue

#: Rows named in a kind's line before it points to the full list.
ROWS_NAMED = 10
_VARYING = re.compile(r"'[^']*'|\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}日?")


@dataclass(frozen=True, slots=True)
class NoteKind:
    """One kind of note and the rows (in the register's order) that carry it."""

    issues: tuple[RowIssue, ...]

    @property
    def rows(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(i.row for i in self.issues))

    @property
    def refused(self) -> bool:
        return self.issues[0].level == "error"

    def line(self, full_list: str = "下方“逐行说明（全文）”") -> str:
        """``「身份证号」身份证号位数或校验位不对…：279 行（第4、5、6…行，全部见下方“逐行说明（全文）”）``."""
        first = self.issues[0]
        if len(self.issues) == 1:
            return first.text()
        same = all(i.message == first.message for i in self.issues)
        what = first.message if same else first.kind or _VARYING.sub("…", first.message)
        rows = self.rows
        named = "、".join(str(r) for r in rows[:ROWS_NAMED])
        where = f"第{named}行" if len(rows) <= ROWS_NAMED else f"第{named}…行，全部见{full_list}"
        col = f"「{first.column}」" if first.column else ""
        return f"{col}{what}：{len(rows):,} 行（{where}）"


def _kind_key(issue: RowIssue) -> tuple[str, str, str]:
    return issue.level, issue.column, issue.kind or _VARYING.sub("…", issue.message)


def note_kinds(issues: Iterable[RowIssue]) -> list[NoteKind]:
    """The kinds of ``issues``: refused first, then rows to look at, then hints; the rarer kind first within each,
    then by the first row that carries it."""
    groups: dict[tuple[str, str, str], list[RowIssue]] = {}
    for i in issues:
        groups.setdefault(_kind_key(i), []).append(i)
    kinds = [NoteKind(tuple(sorted(g, key=lambda i: i.row))) for g in groups.values()]
    return sorted(kinds, key=lambda k: (k.issues[0].listing_order(), len(k.rows), k.rows[0]))


def kind_lines(issues: Sequence[RowIssue], full_list: str = "下方“逐行说明（全文）”") -> list[str]:
    """One line per kind of note (:func:`note_kinds`); [] when no kind repeats (the full list says it as well)."""
    kinds = note_kinds(issues)
    if all(len(k.issues) == 1 for k in kinds):
        return []
    return [k.line(full_list) for k in kinds]
