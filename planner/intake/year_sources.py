"""Where the year of a received date written without one (11月8日) comes from, when the sheet's title does not give
it (walk W33: a workbook's 平和县 sheet, titled 平和县信访件台账, refused 11月8日 while its other rows were of 2026).

Tried in this order once the sheet's own title and dated letters do not settle it
(:class:`planner.intake.rows.YearHint`: the day between its first and last letter); the first that names one year
gives it, and the row's note says which:

0. the sheet's own title naming one year (2025年第四季度来信登记表: 11月18日 after its last letter is 2025-11-18);
1. the titles of the workbook's other sheets (above their headers) naming one year between them;
2. the file's name (G_平和县2026年12月.csv, 台账2026.xlsx) naming one year;
3. the dates of the nearest rows above and below in the same sheet: the day nearest them (2026-11-13 next to
   11月8日: 2026-11-08; 12月30日 after 2026-12-28 and before 2027-01-04: 2026-12-30), when within three months;
4. else the import date's year, only for a day not after the import date (11月8日 imported on 2026-12-07).

A day of a year another source names that is after the import date is no guess: the row stays refused.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from planner.intake.columns import _find_header
from planner.intake.dates import parse_date

_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NEAR = 92  # days: a neighbouring row's date further than this from the day says nothing of its year


def _one(years: Iterable[int]) -> int | None:
    found = set(years)
    return found.pop() if len(found) == 1 else None


def _dated(value: object) -> dt.date | None:
    try:
        return parse_date(value)
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True, slots=True)
class YearSources:
    """What a sheet and its file say of the year (see the module), for the rows written without one."""

    title_year: int | None
    other_sheets_year: int | None
    file_year: int | None
    days: tuple[tuple[int, dt.date], ...]  # (row number, received day) of the sheet's rows dated in full
    today: dt.date

    @classmethod
    def of(
        cls,
        title_year: int | None,
        other_titles: Sequence[Sequence[Sequence[object]]],
        filename: str,
        dated_rows: Iterable[tuple[int, object]],
        today: dt.date,
    ) -> YearSources:
        """The sources of one sheet.

        Parameters
        ----------
        title_year
            The one year the sheet's own title names (:func:`planner.intake.rows.title_year`), or None.
        other_titles
            The rows above the header of each other sheet of the workbook (none for a CSV).
        filename
            The file's name as uploaded.
        dated_rows
            (row number, received-date cell) of the sheet's rows.
        today
            The import date.
        """
        titles = [
            unicodedata.normalize("NFKC", str(v)) for rows in other_titles for row in rows for v in row if v is not None
        ]
        name = unicodedata.normalize("NFKC", filename.rsplit("/", 1)[-1])
        days = tuple((row, day) for row, value in dated_rows if (day := _dated(value)) is not None)
        return cls(
            title_year,
            _one(int(y) for t in titles for y in _YEAR_IN_TITLE.findall(t)),
            _one(int(y) for y in _YEAR_IN_NAME.findall(name)),
            days,
            today,
        )

    def date_for(self, month: int, day: int, row: int) -> tuple[dt.date, str, str] | None:
        """The day ``month``/``day`` of row ``row`` means, why (for the row, and for the line summing up such
        rows), or None when no source gives a year (or the one it gives makes a day after the import date)."""
        for year, why in (
            (self.title_year, f"表头上方写明 {self.title_year} 年"),
            (self.other_sheets_year, f"工作簿其他工作表的标题写明 {self.other_sheets_year} 年"),
            (self.file_year, f"文件名写明 {self.file_year} 年"),
        ):
            if year is not None:
                return self._checked(year, month, day, why, why)
        if near := self._near(month, day, row):
            return near
        return self._checked(
            self.today.year,
            month,
            day,
            f"表中没有写明年份，取导入日期 {self.today.isoformat()} 所在的年份",
            "表中没有写明年份，取导入日期所在的年份",
        )

    def _checked(self, year: int, month: int, day: int, why: str, kind: str) -> tuple[dt.date, str, str] | None:
        try:
            found = dt.date(year, month, day)
        except ValueError:
            return None
        return (found, why, kind) if found <= self.today else None

    def _near(self, month: int, day: int, row: int) -> tuple[dt.date, str, str] | None:
        above = [(r, d) for r, d in self.days if r < row]
        below = [(r, d) for r, d in self.days if r > row]
        neighbours = ([max(above)] if above else []) + ([min(below)] if below else [])
        best = None
        for year in sorted({d.year + step for _r, d in neighbours for step in (-1, 0, 1)}):
            try:
                candidate = dt.date(year, month, day)
            except ValueError:
                continue
            distance = min(abs((candidate - d).days) for _r, d in neighbours)
            if distance <= _NEAR and (best is None or distance < best[0]):
                best = (distance, candidate)
        if best is None or best[1] > self.today:
            return None
        said = "、".join(f"第 {r} 行 {d.isoformat()}" for r, d in neighbours)
        return (
            best[1],
            f"本表相邻行的日期是 {said}，取离它们最近的 {best[1].year} 年",
            "年份取与本表相邻行的日期最近的一年",
        )


def other_titles(
    tables: Sequence[object], sheet: str, names: Mapping[str, Sequence[str]] | None = None
) -> list[Sequence[Sequence[object]]]:
    """The rows above the header of each register sheet of the workbook but ``sheet`` (a sheet without a register's
    header — 说明, 汇总 — gives none)."""
    out = []
    for t in tables:
        if t.sheet != sheet:
            at, score = _find_header(t.rows, names)
            if score >= 3:
                out.append(t.rows[:at])
    return out


__all__ = ["YearSources", "other_titles"]
