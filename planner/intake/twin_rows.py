"""Rows of one register equal cell by cell: entered twice, or numbered twice.

A row equal to an earlier one in every cell but the clerk's running number (序号) was entered twice: it is one letter
and the later row is rejected. A row equal to an earlier one in every cell but its number (编号) too is the same
letter registered twice under two numbers when its writer signed it (:mod:`planner.intake.same_letter` rejects it);
an unsigned letter (匿名, or a register without a 信访人 column) may have come twice, from two villagers, so both rows
are imported, but the later row warns naming the earlier one, so the coordinator sees it before confirming (walk G1:
such a row imported without a word).

Split from :mod:`planner.intake.register`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence

from planner.intake.columns import RowIssue
from planner.intake.rows import ParsedRow, _text

#: The start of the warning on a row numbered twice (the preview's note finds the rows by it).
NUMBERED_TWICE = "与第 {row} 行（编号 {number}）除{columns}外各格都相同"


class TwinRows:
    """The rows of one register seen so far, by their cells (see the module).

    Parameters
    ----------
    headers
        The register's headers.
    running
        Headers of the clerk's running number (序号): never compared.
    number
        Header of the case number column, or None when numbers are generated from the letter.
    """

    def __init__(self, headers: Sequence[str], running: Iterable[str], number: str | None) -> None:
        skip = set(running)
        self._compared = [i for i, h in enumerate(headers) if h not in skip]
        self._but_number = [i for i in self._compared if headers[i] != number] if number and number not in skip \
            else None
        self._columns = "、".join(h for h in headers if h in skip or h == number)
        self._rows: dict[tuple[str, ...], int] = {}
        self._numbered: dict[tuple[str, ...], tuple[int, str]] = {}

    @staticmethod
    def _cells(raw: Sequence[object], columns: Sequence[int]) -> tuple[str, ...]:
        return tuple(_text(raw[i]) if i < len(raw) else "" for i in columns)

    def entered_twice(self, parsed: ParsedRow, raw: Sequence[object]) -> ParsedRow:
        """``parsed`` rejected as entered twice when an earlier row has the same cells but for 序号."""
        same = self._cells(raw, self._compared)
        if same not in self._rows:
            self._rows[same] = parsed.row
            return parsed
        return dataclasses.replace(parsed, issues=(
            *(i for i in parsed.issues if i.level == "error"),
            RowIssue(parsed.row, "", f"与第 {self._rows[same]} 行完全相同（重复录入）"),
        ))

    def numbered_twice(self, parsed: ParsedRow, raw: Sequence[object]) -> ParsedRow:
        """``parsed`` (a row to import) with a warning when an earlier row to import has the same cells but for its
        number (and 序号): both are imported (see the module)."""
        if self._but_number is None or not parsed.ok or parsed.withheld:  # 已隐去: signed, not said by whom
            return parsed
        same = self._cells(raw, self._but_number)
        number = str(parsed.values["case_no"])
        if same not in self._numbered:
            self._numbered[same] = (parsed.row, number)
            return parsed
        row, theirs = self._numbered[same]
        issue = RowIssue(parsed.row, "", NUMBERED_TWICE.format(row=row, number=theirs, columns=self._columns)
                         + f"；信没有署名，无法判断是否为同一封信，两行都导入（本行编号 {number}）；"
                         "如是同一封信登记了两次，请在登记表中删去一行后再导入", "warning")
        return dataclasses.replace(parsed, issues=(*parsed.issues, issue))


_EARLIER_RE = re.compile(r"^与第 (\d+) 行")
_ENTERED_TWICE_RE = re.compile(r"^与第 \d+ 行完全相同（重复录入）$")
_NUMBERED_TWICE_RE = re.compile("^" + re.escape(NUMBERED_TWICE.split("{columns}")[0])
                                .replace(re.escape("{row}"), r"\d+").replace(re.escape("{number}"), ".+"))
#: The error :func:`planner.intake.register.read_register` gives a row whose 编号 an earlier row has.
_SAME_NUMBER_RE = re.compile(r"^编号 (.+) 与第 (\d+) 行重复$")
#: Pairs of rows a note names one by one; more are counted and found in the 校验结果.
_NAMED = 5


def _row_label(row: int, rows: dict[int, ParsedRow], *, number: bool = True) -> str:
    """``第 5 行（序号 3，编号 HA-2026-043）``: the row as the clerk finds it in his file."""
    r = rows.get(row)
    said = [f"序号 {r.ref}"] if r is not None and r.ref else []
    if number and r is not None and (no := _text(r.values.get("case_no"))):
        said.append(f"编号 {no}")
    return f"第 {row} 行" + (f"（{'，'.join(said)}）" if said else "")


def _pairs(rows: dict[int, ParsedRow], pattern: re.Pattern[str], level: str) -> list[str]:
    return [f"{_row_label(r.row, rows)}与{_row_label(int(m.group(1)), rows)}" for r in rows.values()
            for i in r.issues if i.level == level and pattern.match(i.message) and (m := _EARLIER_RE.match(i.message))]


def _same_numbers(rows: dict[int, ParsedRow]) -> list[str]:
    return [f"{_row_label(r.row, rows, number=False)}与{_row_label(int(m.group(2)), rows, number=False)}"
            f"编号都是 {m.group(1).strip(chr(39) + chr(34))}" for r in rows.values() for i in r.issues
            if i.level == "error" and (m := _SAME_NUMBER_RE.match(i.message))]


def twin_rows_note(rows: Iterable[ParsedRow], filename: str = "") -> str:
    """The preview's warning about rows that repeat an earlier row (entered twice, or one 编号 on two rows: rejected;
    equal but for the number: imported), naming the file, each pair of rows (with 序号) and their 编号 ("" when none),
    so the coordinator finds them in the register above the 校验结果 before confirming."""
    by_row = {r.row: r for r in rows}
    parts = []
    for pairs, what in ((_pairs(by_row, _ENTERED_TWICE_RE, "error"),
                         "完全相同（重复录入），后一行不导入，导入后列在拒收的行中"),
                        (_same_numbers(by_row), "（编号重复），后一行不导入，导入后列在拒收的行中；"
                         "如是两封信，请给后一行改用新编号再导入"),
                        (_pairs(by_row, _NUMBERED_TWICE_RE, "warning"),
                         "除编号外各格都相同：信没有署名，无法判断是否为同一封信，后一行照常导入为另一件信访件；"
                         "如是同一封信登记了两次，请先在登记表中删去一行再导入")):
        if pairs:
            named = "、".join(pairs[:_NAMED]) + (f" 等 {len(pairs):,} 处" if len(pairs) > _NAMED else "")
            parts.append(f"{named}{what}")
    where = f"{filename}：" if filename and parts else ""
    return where + "；".join(parts) + ("。校验结果中写明每行对应的是哪一行。" if parts else "")
