"""A workbook whose several sheets are registers — a city office merging its counties' registers, one sheet a
county (walk W23: 市信访室汇总_五县.xlsx read only 「漳浦」 and said nothing of the other four).

Each sheet whose header is a register's (反映内容, 收件日期 …, read by :func:`planner.intake.register.read_register`
as a one-sheet register is) is read with its own columns; the sheets that are no register (说明, a 汇总 of totals, a
blank sheet) are named with the reason they are left. The import writes all the register sheets in one transaction
(one batch a sheet, named ``file.xlsx「云霄」``), so that every issue, rejected row and history entry names the
sheet and row: ``市汇总.xlsx「云霄」第12行「收件日期」：……``. A workbook with one register sheet is read and imported
as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from planner.errors import InputError
from planner.intake.columns import HEADER_SEARCH_ROWS
from planner.intake.reader import _as_bytes, _blank, _load_tables
from planner.intake.register import ImportSummary, RegisterPreview, _session_of, import_register, read_register
from planner.intake.same_letter import KnownLetters, with_rows


def sheet_label(filename: str, sheet: str) -> str:
    """The name an issue, a batch and a rejected row carry for one sheet of a workbook: ``file.xlsx「云霄」``."""
    return f"{filename}「{sheet}」"


@dataclass(frozen=True, slots=True)
class WorkbookPreview:
    """The register sheets of a file as they would be imported, and the sheets left with the reason."""

    filename: str
    all_sheets: tuple[str, ...]
    read: tuple[RegisterPreview, ...]  # one a register sheet, in the workbook's order; filename names the sheet
    skipped: tuple[tuple[str, str], ...] = ()  # (sheet, why it is no register)

    @property
    def several(self) -> bool:
        """True when more than one sheet is a register: all of them are imported together."""
        return len(self.read) > 1

    @property
    def rows_read(self) -> int:
        return sum(p.rows_read for p in self.read)

    @property
    def valid_rows(self) -> int:
        return sum(p.valid_rows for p in self.read)

    @property
    def rejected_rows(self) -> int:
        return sum(p.rejected_rows for p in self.read)

    def sheet(self, name: str) -> RegisterPreview:
        """The preview of the register sheet ``name``."""
        return next(p for p in self.read if p.sheet == name)

    def note(self) -> str:
        """Which sheets are read (rows, to import, refused) and which are left and why ("" for a one-sheet file)."""
        if len(self.all_sheets) < 2:
            return ""
        each = "、".join(f"「{p.sheet}」{p.rows_read:,} 行（可导入 {p.valid_rows:,}，拒收 {p.rejected_rows:,}）"
                        for p in self.read)
        if self.several:
            text = (f"工作簿共有 {len(self.all_sheets)} 张工作表，其中 {len(self.read)} 张是登记表，一并导入"
                    f"（全部成功或全部不导入）：{each}；合计 {self.rows_read:,} 行，可导入 {self.valid_rows:,}，"
                    f"拒收 {self.rejected_rows:,}。每张表按自己的表头识别列，出错说明写明工作表和行号")
        elif self.read:
            text = f"工作簿共有 {len(self.all_sheets)} 张工作表，读取的是登记表{each}"
        else:
            text = f"工作簿共有 {len(self.all_sheets)} 张工作表，没有一张能直接读作登记表"
        if self.skipped:
            text += "；跳过（不导入）：" + "、".join(f"「{s}」（{why}）" for s, why in self.skipped)
        return text + "。"

    def sheet_rows(self) -> list[dict[str, object]]:
        """Each sheet as a row of the preview's table: 工作表, 数据行, 可导入, 拒收, 说明."""
        return [*({"工作表": p.sheet, "数据行": p.rows_read, "可导入": p.valid_rows, "拒收": p.rejected_rows,
                   "说明": "导入"} for p in self.read),
                *({"工作表": s, "数据行": 0, "可导入": 0, "拒收": 0, "说明": f"跳过：{why}"}
                  for s, why in self.skipped)]

    def error_lines(self, limit: int = 200, *, refused_first: bool = False) -> list[str]:
        """The issues of every register sheet, each naming the file, the sheet and the row."""
        lines = [line for p in self.read for line in p.error_lines(limit, refused_first=refused_first)]
        return lines[:limit]


def _overrides(mappings: Mapping[str, Mapping[str, str | None]] | None, sheet: str) -> dict[str, str | None]:
    """The column overrides given for every sheet (``""``) and for ``sheet``."""
    return {**(mappings or {}).get("", {}), **(mappings or {}).get(sheet, {})}


def _fitted(mapping: Mapping[str, str | None] | None, headers: Sequence[str]) -> dict[str, str | None]:
    """The overrides that apply to a sheet: unmapping a field, or a header the sheet has."""
    return {k: v for k, v in (mapping or {}).items() if v is None or v in headers}


def read_workbook(
    path_or_bytes: str | Path | bytes,
    *,
    filename: str | None = None,
    mappings: Mapping[str, Mapping[str, str | None]] | None = None,
    today: dt.date | None = None,
    known_letters: KnownLetters | Callable[[], KnownLetters] | None = None,
) -> WorkbookPreview:
    """Read every sheet of a file that is a register; name the others and why they are left.

    Parameters
    ----------
    path_or_bytes, filename, today, known_letters
        As for :func:`planner.intake.register.read_register`.
    mappings
        Sheet -> column overrides (the 导入 page's 列映射 of that sheet); ``""`` for every sheet (the CLI's --map).

    Returns
    -------
    WorkbookPreview
        With one register sheet, its preview keeps the file's own name (read and imported as before).

    Raises
    ------
    InputError
        An empty, broken or oversized file.
    """
    data, name = _as_bytes(path_or_bytes, filename)
    tables = _load_tables(data, name)
    letters = known_letters() if callable(known_letters) else known_letters
    read: list[RegisterPreview] = []
    skipped: list[tuple[str, str]] = []
    for table in tables:
        if all(_blank(r) for r in table.rows):
            skipped.append((table.sheet, "空白工作表"))
            continue
        try:
            first = read_register(data, filename=name, sheet=table.sheet, today=today, known_letters=letters)
            wanted = _fitted(_overrides(mappings, table.sheet), first.headers)
            preview = read_register(data, filename=name, sheet=table.sheet, today=today, known_letters=letters,
                                    mapping=wanted) if wanted else first
        except InputError:
            skipped.append((table.sheet, f"前 {HEADER_SEARCH_ROWS} 行没有登记表的表头（编号、收件日期、反映内容……）"))
            continue
        if preview.missing_required:
            skipped.append((table.sheet, f"没有{'、'.join(preview.missing_required)}列，不是登记表"))
        elif not preview.rows:
            skipped.append((table.sheet, "表头下没有信"))
        else:
            read.append(preview)
    if len(read) > 1:  # read again under the sheet's name: the import reads it so (letters numbered later …)
        sheets, read = read, []
        for p in sheets:  # each against the sheets before it, as imported (东山县's 2026-050, then 云霄县's: W33)
            label = sheet_label(name, p.sheet)
            read.append(read_register(data, filename=label, sheet=p.sheet, today=today, known_letters=letters,
                                      mapping=_fitted(_overrides(mappings, p.sheet), p.headers) or None))
            if letters is not None:
                letters = with_rows(letters, read[-1].rows, (label, p.sheet, read[-1].title))
    return WorkbookPreview(name, tuple(t.sheet for t in tables), tuple(read), tuple(skipped))


@dataclass(frozen=True, slots=True)
class WorkbookSummary:
    """What importing the register sheets of a workbook did: one :class:`ImportSummary` a sheet."""

    filename: str
    sheets: tuple[tuple[str, ImportSummary], ...]
    skipped: tuple[tuple[str, str], ...] = ()

    def _sum(self, key: str) -> int:
        return sum(int(getattr(s, key)) for _n, s in self.sheets)

    def text(self) -> str:
        """The whole import in one line, then one line a sheet (each names the sheet)."""
        took = sum(s.seconds for _n, s in self.sheets)
        head = (f"{self.filename}：{len(self.sheets)} 张工作表（{'、'.join(n for n, _s in self.sheets)}），"
                f"读取 {self._sum('rows_read')} 行，新增 {self._sum('imported')}，更新 {self._sum('updated')}，"
                f"未变 {self._sum('unchanged')}，拒收 {self._sum('rejected')}（用时 {took:.1f} 秒）")
        if self.skipped:
            head += "；跳过 " + "、".join(f"「{s}」（{why}）" for s, why in self.skipped)
        return "\n".join([head, *(s.text() for _n, s in self.sheets)])

    @property
    def written(self) -> tuple[str, ...]:
        return tuple(no for _n, s in self.sheets for no in s.written)

    @property
    def issues(self) -> list[str]:
        """Every sheet's issues, each naming the file, the sheet and the row."""
        return [i.text(s.filename) for _n, s in self.sheets for i in s.issues]

    def as_dict(self) -> dict[str, object]:
        """Counts of all sheets together (as :meth:`ImportSummary.as_dict`), with ``batch_ids`` and ``sheets``."""
        out: dict[str, object] = {
            "batch_id": self.sheets[0][1].batch_id if self.sheets else None,
            "batch_ids": [s.batch_id for _n, s in self.sheets], "filename": self.filename,
            **{k: self._sum(k) for k in ("rows_read", "imported", "updated", "unchanged", "rejected", "duplicates",
                                         "repeats", "renumbered")},
            "seconds": round(sum(s.seconds for _n, s in self.sheets), 2),
            "sheets": [{"sheet": n, **s.as_dict()} for n, s in self.sheets],
            "skipped": [list(x) for x in self.skipped],
        }
        placed: dict[str, int] = {}
        corrections: list[dict] = []
        for _n, s in self.sheets:
            for k, v in s.geocoded.items():
                placed[k] = placed.get(k, 0) + v
            corrections += [c.as_row() for c in s.corrections]
        notes = [d for _n, s in self.sheets if (d := s.as_dict()["corrections_note"])]
        kept = [s.withheld_note for _n, s in self.sheets if s.withheld_note]
        return out | {"geocoded": placed, "corrections": corrections, "corrections_note": "；".join(notes),
                      "withheld_note": "；".join(kept)}


def import_workbook(
    session_or_engine: Session | Engine,
    path: str | Path | bytes,
    *,
    filename: str | None = None,
    mappings: Mapping[str, Mapping[str, str | None]] | None = None,
    who: str = "",
    actor: object | None = None,
    today: dt.date | None = None,
    choices: Mapping[str, Mapping[int, str]] | None = None,
    take_file: Collection[tuple[str, str]] | bool = (),
) -> WorkbookSummary:
    """Import every register sheet of a workbook in one transaction: all of them, or none.

    Parameters
    ----------
    session_or_engine, path, filename, who, actor, today, take_file
        As for :func:`planner.intake.register.import_register`.
    mappings
        Sheet -> column overrides, ``""`` for every sheet (as :func:`read_workbook`).
    choices
        Sheet -> (row -> letter number): rows chosen to update a letter imported before with other words.

    Raises
    ------
    InputError
        A file with no register sheet, or a sheet that cannot be imported (the message names it); nothing is written.
    """
    data, name = _as_bytes(path, filename)
    book = read_workbook(data, filename=name, mappings=mappings, today=today)
    if not book.read:
        raise InputError(f"{name}：没有可导入的登记表工作表（{book.note() or '找不到表头'}）")
    session, own = _session_of(session_or_engine)
    done: list[tuple[str, ImportSummary]] = []
    try:
        for p in book.read:
            wanted = _fitted(_overrides(mappings, p.sheet), p.headers)
            label = p.filename if book.several else name
            try:
                done.append((p.sheet, import_register(
                    session, data, filename=label, mapping=wanted or None, who=who, actor=actor, today=today,
                    choices=(choices or {}).get(p.sheet), take_file=take_file, sheet=p.sheet)))
            except InputError as exc:
                raise InputError(f"工作表「{p.sheet}」：{exc}（整个工作簿未导入）") from exc
            session.flush()  # the next sheet sees this one's letters: the same letter twice is refused, not doubled
        if own:
            session.commit()
    except BaseException:
        if own:
            session.rollback()
        raise
    finally:
        if own:
            session.close()
    return WorkbookSummary(name, tuple(done), book.skipped)
