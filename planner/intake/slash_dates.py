"""Dates written with the year last (11/16/2026, 16/11/2026): a register typed in an Excel set to a US or a European
locale. Walk W18: a quarter of a county register (11/16/2026 …) was refused, though the message itself said 如是
2026-11-16.

- Only one reading is a day (11/16/2026: no 16th month): read so, with a note.
- Both are (11/2/2026): read by the column's own convention — when every date of the year-last form that only one way
  reads in the register's date columns reads month first, 11/2/2026 is 2026-11-02 (and the preview says so); with no
  convention (none such, or both kinds) the row stays refused, offering both readings, the more likely first (the
  month the title names, else the months of the nearest dated rows).

Never silently: every row read so carries a warning, and :meth:`SlashDates.summary` says how the column was read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence

from planner.intake.columns import RowIssue
from planner.intake.dates import parse_date
from planner.intake.rows import ParsedRow, title_month

_YEAR_LAST_RE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_ORDERS = {"md": "月/日/年", "dm": "日/月/年"}
_CHECK = "（如不对请在登记表中改正）"


def _readings(value: object) -> dict[str, dt.date] | None:
    """``{"md": day, "dm": day}`` for the readings of a year-last date that are days; None for any other cell."""
    if not isinstance(value, str) or not (m := _YEAR_LAST_RE.match(unicodedata.normalize("NFKC", value))):
        return None
    a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    out = {}
    for order, (month, day) in (("md", (a, b)), ("dm", (b, a))):
        with contextlib.suppress(ValueError):
            out[order] = dt.date(year, month, day)
    return out


def _month(value: object) -> int | None:
    try:
        day = parse_date(value)
    except (ValueError, OverflowError):
        readings = _readings(value)
        return next(iter(readings.values())).month if readings and len(readings) == 1 else None
    return day.month if day is not None else None


@dataclasses.dataclass
class SlashDates:
    """How a register's year-last dates read (see the module); one per read of a register.

    Parameters
    ----------
    mapping
        Field key -> header (the date columns: 收件日期, 办理期限).
    columns
        Header -> the column's cells below the header, in the sheet's order (rows that are no letter included).
    title_month
        The one month the rows above the header name (2026年11月), or None.
    """

    mapping: Mapping[str, str]
    columns: Mapping[str, Sequence[object]]
    title_month: int | None = None
    _read: dict[str, list[str]] = dataclasses.field(default_factory=dict)  # kind -> the cells read so
    _row: dict[str, tuple[str, str, str]] = dataclasses.field(default_factory=dict)  # header -> (written, kind, note)

    def __post_init__(self) -> None:
        one_way = {o for cells in self.columns.values() for v in cells
                   if (r := _readings(v)) is not None and len(r) == 1 for o in r}
        self.order = one_way.pop() if len(one_way) == 1 else None  # the column's convention: "md", "dm" or None

    @classmethod
    def of(cls, mapping: Mapping[str, str], headers: Sequence[str], body: Sequence[Sequence[object]],
           title_rows: Sequence[Sequence[object]]) -> SlashDates:
        """For a register: its mapping, headers, rows below the header and rows above it (the title)."""
        at = {h: headers.index(h) for k in ("received_date", "deadline") if (h := mapping.get(k)) in headers}
        return cls(mapping, {h: [r[i] if i < len(r) else None for r in body] for h, i in at.items()},
                   title_month(title_rows))

    def _likely(self, header: str, offset: int, readings: dict[str, dt.date]) -> list[str]:
        """The orders of an ambiguous date, the more likely first: the title's month, else the nearest rows'."""
        def near(step: int) -> int | None:
            cells, i = self.columns.get(header, ()), offset + step
            while 0 <= i < len(cells):
                if (m := _month(cells[i])) is not None:
                    return m
                i += step
            return None

        favoured = [self.title_month] if self.title_month else [m for m in (near(-1), near(1)) if m]
        return sorted(readings, key=lambda o: (-sum(readings[o].month == m for m in favoured), o != "md"))

    def filled(self, cells: Mapping[str, object], offset: int) -> Mapping[str, object]:
        """The row's cells, a year-last date given as the day it reads when one reading is a day or the column's
        convention decides; ``offset`` is the row's place in :attr:`columns`."""
        self._row = {}
        out = dict(cells)
        for key in ("received_date", "deadline"):
            header = self.mapping.get(key)
            readings = _readings(cells.get(header)) if header else None
            if not readings:
                continue
            written = str(cells[header]).strip()
            if len(set(readings.values())) == 1 and len(readings) == 2:  # 5/5/2026: either way the same day
                day = readings["md"]
                note = f"日期 {written!r} 月、日相同，按 {day.isoformat()} 导入"
                kind = "年份写在最后、月日相同"
            elif len(readings) == 1:
                (order, day), = readings.items()
                note = f"日期 {written!r} 写作{_ORDERS[order]}（只能这样读），按 {day.isoformat()} 导入{_CHECK}"
                kind = f"写作{_ORDERS[order]}（大于 12 的是日，只能这样读）"
            elif self.order is not None and len(readings) == 2:
                order, day = self.order, readings[self.order]
                other = readings["dm" if order == "md" else "md"]
                note = (f"日期 {written!r} 可读作 {readings['md'].isoformat()} 或 {readings['dm'].isoformat()}；"
                        f"本表能分辨的这类日期都写作{_ORDERS[order]}，按 {day.isoformat()} 导入"
                        f"（不是 {other.isoformat()}）{_CHECK}")
                kind = f"月、日都不大于 12，按本表的写法（{_ORDERS[order]}）读"
            else:
                if len(readings) == 2:
                    first, second = (readings[o] for o in self._likely(header, offset, readings))
                    why = f"本表标题是 {self.title_month} 月" if self.title_month else "前后几行的日期"
                    self._row[header] = (written, "", (
                        f"无法识别的日期 {written!r}（年份写在最后，是 {first.isoformat()} 还是 {second.isoformat()} "
                        f"无法确定，按{why}更可能是 {first.isoformat()}；请按 年-月-日 写，如 {first.isoformat()}）"))
                continue
            out[header] = day
            self._row[header] = (written, kind, note)
            self._read.setdefault(kind, []).append(f"{written} → {day.isoformat()}")
        return out

    def noted(self, parsed: ParsedRow) -> ParsedRow:
        """``parsed`` with a warning on each date :meth:`filled` read, and the refusal of an ambiguous one offering
        the more likely reading first."""
        issues = list(parsed.issues)
        for header, (_written, kind, note) in self._row.items():
            if not kind:  # refused: both readings, the more likely first
                issues = [dataclasses.replace(i, message=note) if i.level == "error" and i.column == header
                          and i.message.startswith("无法识别的日期") else i for i in issues]
            else:
                issues.append(RowIssue(parsed.row, header, note, "warning",
                                       kind=f"年份写在最后的日期，{kind}，按 年-月-日 导入{_CHECK}"))
        return dataclasses.replace(parsed, issues=tuple(issues))

    def summary(self) -> str:
        """How the year-last dates were read, for the preview ("" when none was)."""
        if not self._read:
            return ""
        parts = [f"{len(cells):,} 个{kind}（如 {cells[0]}）" for kind, cells in self._read.items()]
        how = f"本表能分辨的这类日期都写作{_ORDERS[self.order]}；" if self.order else ""
        return (f"日期有年份写在最后的（如 US 区域设置的 Excel 所写）：{how}"
                + "；".join(parts) + f"。已按 年-月-日 导入，每行在校验结果中写明{_CHECK}")
