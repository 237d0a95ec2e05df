"""Received dates a register writes other than as a date, read row by row in the register's order (walk W14).

* An Excel date serial number (46313): a workbook's date cell formatted 常规 or 数值 holds a plain number, written to
  CSV as text. Either is read as its day (:func:`planner.intake.dates.serial_number`) in 收件日期 and 办理期限, and
  every such row says so, the line summing them up with an example (46313 → 2026-10-18) for the coordinator to check;
  a cell formatted as a date is read as a date by the readers and needs no note.
* A ditto mark: a date cell that says 同上 / 〃 / 同上日期, or a blank date cell in a row whose other cell says 同上日期
  (a merged block of dates in a workbook becomes blanks in its CSV; the clerk wrote 同上日期 in 备注). The row takes
  the received date of the row above, said with both row numbers.
* A 办理期限 cell that says 同上 / 〃 / 同上日期 takes the 办理期限 the row above wrote (read as a day), said with both
  row numbers; with none above to take, the row's own default (收件日期后 60 天) and says why. A blank 办理期限 is no
  mark (the column is optional): it stays blank, the default, whatever the row says elsewhere.
* A blank date cell with no such mark is not certain to be the day above: it stays refused (收件日期为空), a note
  beside it naming the day of the row above and how to say it is that day.

A merged date cell of a workbook reaches every row of its block already (:func:`planner.intake.reader._fill_merged`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping

from planner.domain import HANDLING_DAYS
from planner.intake.columns import RowIssue
from planner.intake.dates import serial_day, serial_number
from planner.intake.rows import ParsedRow, _text

#: A cell that says "as the row above": 同上, 同上日期, 〃 (and 仝上, ″, 同前).
_DITTO_RE = re.compile(r"^(?:[同仝]上|同前)(?:日期|时间)?[。.]?$|^[〃″]+$")
#: Words in another cell of the row saying its date is the one above: 同上日期, 日期同上, 来信时间同上.
_ROW_DITTO_RE = re.compile(r"[同仝]上(?:日期|时间)|(?:日期|时间)\s*[同仝]上")
_CHECK = "请核对"
_DITTO_KIND = f"日期沿用上一行（本格写“同上”“〃”，或本行写明“同上日期”），{_CHECK}"
_BLANK = "收件日期为空"  # the message planner.intake.rows._validate_row gives a blank received date
_DEFAULTED = f"已按收件日期后 {HANDLING_DAYS} 天计"  # planner.intake.rows._validate_row: a 办理期限 it could not take
_DEADLINE_DITTO_KIND = f"办理期限沿用上一行（本格写“同上”“〃”），{_CHECK}"


def _written(value: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", _text(value)))


@dataclasses.dataclass
class DateMarks:
    """Reads the received dates a register writes as serial numbers or ditto marks (see the module's notes).

    For each letter row, in order: :meth:`filled` before the row is validated, :meth:`noted` on the row read.
    """

    mapping: Mapping[str, str]
    _above: tuple[int, dt.date] | None = None  # the row above and its received date
    _ditto: str = ""  # how the row being read says its date is the one above ("" when it does not)
    _deadline_above: tuple[int, dt.date] | None = None  # the row above and the 办理期限 it wrote
    _deadline_ditto: str = ""  # the row's 办理期限 cell when it says 同上 / 〃 ("" when it does not)
    _examples: dict[str, str] = dataclasses.field(default_factory=dict)  # column -> its first serial read

    def filled(self, cells: Mapping[str, object]) -> Mapping[str, object]:
        """The row's cells, its date cell given the day of the row above when the row says it is that day."""
        self._ditto = self._deadline_ditto = ""
        if (limit := self.mapping.get("deadline")) is not None and _DITTO_RE.match(_written(cells.get(limit))):
            self._deadline_ditto = f"本格写的是「{_text(cells.get(limit))}」"
            cells = {**cells, limit: self._deadline_above[1] if self._deadline_above is not None else None}
        column = self.mapping.get("received_date")
        if column is None:
            return cells
        written = _written(cells.get(column))
        if _DITTO_RE.match(written):
            self._ditto = f"本格写的是「{_text(cells.get(column))}」"
        elif not written:
            marked = ((h, m) for h, v in cells.items()
                      if h not in (column, limit) and (m := _ROW_DITTO_RE.search(_text(v))))
            if (found := next(marked, None)) is None:
                return cells
            self._ditto = f"本格为空，本行「{found[0]}」写明“{found[1].group(0)}”"
        else:
            return cells
        return {**cells, column: self._above[1]} if self._above is not None else cells

    def noted(self, parsed: ParsedRow, cells: Mapping[str, object]) -> ParsedRow:
        """``parsed`` (read from :meth:`filled`'s cells) with the notes on its dates and its cells as written."""
        issues = list(parsed.issues)
        column = self.mapping.get("received_date")
        received = parsed.values.get("received_date")
        if self._ditto and self._above is not None and received == self._above[1]:
            row, day = self._above
            issues.append(RowIssue(parsed.row, column, f"{self._ditto}，按上一行（第{row}行）的日期 {day.isoformat()} "
                                                       f"导入，{_CHECK}", "warning", kind=_DITTO_KIND))
        elif self._ditto:  # no readable day above: refused, saying why
            issues = [dataclasses.replace(i, message=f"{self._ditto}，但上一行没有可沿用的收件日期")
                      if i.level == "error" and i.column == column else i for i in issues]
        elif self._above is not None and any(i.level == "error" and i.message == _BLANK for i in issues):
            row, day = self._above  # refused as 收件日期为空: the hint beside it, in the preview
            issues.append(RowIssue(
                parsed.row, column, f"上一行（第{row}行）的收件日期是 {day.isoformat()}；如本行是同一天（合并的"
                                    "日期格另存为 CSV 后成了空格），请在本格填写日期或写“同上”",
                "warning", kind="上一行有收件日期；如本行是同一天，请在本格填写日期或写“同上”"))
        for key in ("received_date", "deadline"):
            header = self.mapping.get(key)
            number = serial_number(cells.get(header)) if header else None
            if number is None or parsed.values.get(key) != (day := serial_day(number)):
                continue
            example = self._examples.setdefault(header, f"{number} → {day.isoformat()}")
            issues.append(RowIssue(
                parsed.row, header, f"Excel 日期序号 {number} 按 {day.isoformat()} 导入，{_CHECK}", "warning",
                kind=f"日期写的是 Excel 日期序号（工作簿中设为“常规”或“数值”格式的日期格是天数，另存为 CSV 后也是），"
                     f"已按 Excel 的日期换算导入（如 {example}），{_CHECK}"))
        issues.extend(self._deadline_noted(parsed, cells))
        self._above = (parsed.row, received) if isinstance(received, dt.date) else None
        raw = {**parsed.raw, **{c: cells.get(c) for c in (column, self.mapping.get("deadline")) if c in parsed.raw}}
        return dataclasses.replace(parsed, issues=tuple(issues), raw=raw)  # its date cells as written

    def _deadline_noted(self, parsed: ParsedRow, cells: Mapping[str, object]) -> list[RowIssue]:
        """The note on a 办理期限 taken from the row above; the row's 办理期限 kept for the row below to take."""
        limit = self.mapping.get("deadline")
        if limit is None:
            return []
        above, self._deadline_above = self._deadline_above, None
        deadline = parsed.values.get("deadline")
        defaulted = any(i.column == limit and _DEFAULTED in i.message for i in parsed.issues)
        if isinstance(deadline, dt.date) and not defaulted and (self._deadline_ditto or _written(cells.get(limit))):
            self._deadline_above = (parsed.row, deadline)  # a 办理期限 the row wrote, not its default
        if not self._deadline_ditto:
            return []
        if above is None:
            return [RowIssue(parsed.row, limit, f"{self._deadline_ditto}，但上一行没有可沿用的办理期限，{_DEFAULTED}",
                             "warning")]
        row, day = above
        if deadline != day:  # taken, but refused for this row (before its received date): the note beside says so
            return [RowIssue(parsed.row, limit, f"{self._deadline_ditto}，即上一行（第{row}行）的办理期限 "
                                                f"{day.isoformat()}", "warning")]
        return [RowIssue(parsed.row, limit, f"{self._deadline_ditto}，按上一行（第{row}行）的办理期限 "
                                            f"{day.isoformat()} 导入，{_CHECK}", "warning", kind=_DEADLINE_DITTO_KIND)]
