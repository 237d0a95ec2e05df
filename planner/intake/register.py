"""Register import (the 'import' stage): read xlsx/xls/csv registers, validate every row, upsert cases.

Flow: :func:`read_register` reads the file, finds the header row, maps columns to fields (user-overridable)
and validates every row -> :class:`RegisterPreview` (for the 导入 page). :func:`import_register` then writes the
good rows in one transaction: new cases are inserted, changed rows update their case and leave a
``case_history`` entry, unchanged rows are counted, bad rows go to ``rejected_rows`` with reasons (personal
columns masked). Petitioner identity is stored only in ``petitioners``; the case carries ``Petitioner.key()``.

Personal fields (信访人, 联系电话, 身份证号) are never logged and never shown in messages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from planner.domain import Petitioner
from planner.errors import InputError
from planner.intake.app_corrections import PLACE_KEYS, Correction, history_detail, split, summary_note, with_authors
from planner.intake.blank_numbers import number_blank_cell, numbered_here
from planner.intake.columns import (  # noqa: F401 - FIELDS, detect_mapping: part of this module's interface
    _CLOSED_STATUSES,
    FIELD_BY_KEY,
    FIELDS,
    HEADER_SEARCH_ROWS,
    PERSONAL_FIELDS,
    PLACE_FIELDS,
    FieldSpec,
    RowIssue,
    _unique_headers,
    detect_mapping,
    effective_mapping,
    find_row_ref,
    is_row_ref_header,
    sniff_address_column,
)
from planner.intake.date_marks import DateMarks
from planner.intake.dropped_letters import dropped_detail
from planner.intake.edited_letters import chosen_updates, edited_letters, with_numbers
from planner.intake.layout import choose_sheet, header_rows, not_a_letter, reading_note
from planner.intake.locating import _locate, _office_gazetteer, count_place, register_hint
from planner.intake.numbered_later import numbered_later, renumber_rows
from planner.intake.reader import _as_bytes, _blank, _load_tables
from planner.intake.register_levels import keep_stored_levels, mapping_note, read_levels
from planner.intake.rejected import rejected_rows, rejected_rows_xlsx  # noqa: F401 - part of this module's interface
from planner.intake.rows import (  # noqa: F401 - parse_date: part of this module's interface
    GENERATED_PREFIX,
    ParsedRow,
    _datum_from_text,
    _json_safe,
    _masked_raw,
    _text,
    _validate_row,
    case_number,
    letter_body,
    parse_date,
    register_year,
    same_writer,
    title_year,
    writer_marks,
)
from planner.intake.same_letter import (  # noqa: F401 - known_letters, SAME_LETTER: part of this module's interface
    SAME_LETTER,
    SAME_LETTER_IN_REGISTER,
    KnownLetters,
    _another_identical_letter,
    _is_known_letter,
    _is_repeated_letter,
    _same_letter_again,
    against_stored,
    known_letters,
)
from planner.intake.slash_dates import SlashDates
from planner.intake.twin_rows import TwinRows
from planner.intake.urgency import numbers_note
from planner.intake.withheld import keep_stored
from planner.intake.year_sources import YearSources, other_titles
from planner.office.clock import local_today

log = logging.getLogger(__name__)

#: Issues kept in a preview/summary (the counts stay exact).
MAX_ISSUES = 2000


@dataclass(frozen=True, slots=True)
class RegisterPreview:
    """What a register contains and how it would be imported (nothing written yet)."""

    filename: str
    sha256: str
    sheet: str
    header_row: int  # 1-based row number of the header
    headers: tuple[str, ...]  # column headers as shown (duplicates suffixed "(2)")
    detected: Mapping[str, str]  # field key -> header, as detected
    mapping: Mapping[str, str]  # field key -> header, after the user's overrides
    rows: tuple[ParsedRow, ...]
    issues: tuple[RowIssue, ...]  # file-level issues (row 0) and row issues, capped at MAX_ISSUES
    datum_hint: str | None = None  # datum named by a coordinate header (高德/百度), if any
    generated_case_no: bool = False  # no column holds case numbers: each letter's number is made from the letter
    row_ref: str | None = None  # header of the clerk's running number (序号), shown beside row numbers
    sheets: tuple[str, ...] = ()  # every sheet of the workbook, in order
    header_span: int = 1  # rows the header takes (2: group labels over sub-labels)
    rows_found: int = 0  # data rows under the header when a required column is missing (``rows`` is then empty)
    hidden: tuple[str, ...] = ()  # headers of the columns the sheet hides
    title: str = ""  # the rows above the header, joined: the register's own title (云霄县…登记表), for its county

    def reading_note(self) -> str:
        """How the file was read, where that is not plain: which sheet of several, a header over two rows, no
        办理期限 column (every deadline then the default) — "" for a one-sheet register with all of them."""
        return reading_note(self.sheet, self.sheets, self.header_row, self.header_span,
                            deadline="deadline" in self.mapping, hidden=self.hidden, mapping=self.mapping)

    @property
    def rows_read(self) -> int:
        """Data rows read (blank rows are skipped)."""
        return len(self.rows)

    @property
    def valid_rows(self) -> int:
        """Rows that would be imported."""
        return sum(1 for r in self.rows if r.ok)

    @property
    def rejected_rows(self) -> int:
        """Rows that would be rejected."""
        return self.rows_read - self.valid_rows

    @property
    def duplicate_rows(self) -> int:
        """Rows rejected because the database already holds the same letter under another number."""
        return sum(1 for r in self.rows if _is_known_letter(r))

    @property
    def repeated_rows(self) -> int:
        """Rows rejected because an earlier row of this register is the same letter under another number."""
        return sum(1 for r in self.rows if _is_repeated_letter(r))

    def same_letter_note(self) -> str:
        """The rows refused as letters already counted, in plain words for the preview ("" when none)."""
        parts = []
        if self.duplicate_rows:
            parts.append(f"{self.duplicate_rows:,} 行是已导入的信（与已有信访件相同，只是编号不同）")
        if self.repeated_rows:
            parts.append(f"{self.repeated_rows:,} 行与本表前面的行是同一封信（同一封信登记了两次，编号不同）")
        if not parts:
            return ""
        return (f"将拒收的行中，{'；'.join(parts)}：收信日期、信访人、反映内容都相同，不再算作新的信访件，"
                "以免重复统计、重复走访。校验结果里写明每行对应哪一行或哪件信访件。")

    @property
    def missing_required(self) -> tuple[str, ...]:
        """Labels of required fields that no column maps to (编号 never: without it numbers are generated)."""
        return tuple(f.label for f in FIELDS if f.required and f.key not in self.mapping and f.key != "case_no")

    def case_no_note(self) -> str:
        """How the cases get their numbers, in plain words for the preview ("" when the register has a column)."""
        if not self.generated_case_no:
            return ""
        example = next((str(r.values["case_no"]) for r in self.rows if r.ok), f"{GENERATED_PREFIX}20261008-3f9a2c1b")
        ref = (f"登记表的「{self.row_ref}」每张表都从 1 编起，不能当编号用，只作为行的参考号写在出错说明里，"
               "并原样保存在信访件上。") if self.row_ref else ""
        return (
            "这张登记表没有编号列（编号、信访件编号、登记号、件号……），编号由系统生成：每封信按"
            f"“自编-收件日期-摘要”编号（如 {example}），摘要取自反映内容和信访人。"
            "同一张登记表再次导入不会重复；另一张登记表的信即使序号相同，也是新的信访件，不会覆盖本表的信访件。"
            f"{ref}改动某封信的反映内容后再导入：收件日期、信访人{'、' + self.row_ref if self.row_ref else '、文件名'}"
            "都相同且内容相近的行更新原信访件（保留修改历史）；拿不准的行在预览中列出，由您选择更新原信还是作为新信导入。"
            "改动收件日期或信访人后再导入，会被当作另一封信。"
        )

    def severity_note(self) -> str:
        """How the urgency column (紧急程度) becomes each letter's severity, word by word ("" without one)."""
        header = self.mapping.get("severity")
        return mapping_note(header, (r.raw.get(header) for r in self.rows)) if header else ""

    def unmapped_headers(self) -> tuple[str, ...]:
        """Headers no field uses (the user may map them)."""
        used = set(self.mapping.values())
        return tuple(h for h in self.headers if h not in used)

    def sample(self, n: int = 20) -> list[dict[str, object]]:
        """The first ``n`` rows as header -> value, personal columns masked (for display)."""
        personal = {self.mapping.get(k) for k in PERSONAL_FIELDS} - {None}
        return [
            {"行号": r.row} | {k: "" if v is None else v for k, v in _masked_raw(r.raw, personal).items()}
            for r in self.rows[:n]
        ]

    def error_lines(self, limit: int = 200, *, refused_first: bool = False) -> list[str]:
        """Issues as lines naming file, row and column; ``refused_first``: the rows refused first, then the rows to
        look at, then the hints (:meth:`RowIssue.listing_order`), each in the register's order."""
        issues = sorted(self.issues, key=RowIssue.listing_order) if refused_first else self.issues
        return [i.text(self.filename) for i in issues[:limit]]

    def issue_rows(self) -> list[dict[str, object]]:
        """The issues as the preview's 校验结果 table: 行, 序号 and 编号 (when the register has them), 列, 级别, 说明.

        编号 is the register's own number as written (so the clerk finds the row by the number he wrote, also on
        a rejected row); a register without a number column has none to show, its rows are found by 行 and 序号.
        """
        numbers: dict[int, str] = {}
        if not self.generated_case_no and (header := self.mapping.get("case_no")):
            numbers = {r.row: _text(r.raw.get(header)) for r in self.rows}
        return [
            {"行": i.row, **({"序号": i.ref} if self.row_ref else {}),
             **({"编号": numbers.get(i.row, "")} if numbers else {}), "列": i.column,
             "级别": "错误" if i.level == "error" else "提示", "说明": i.message}
            for i in self.issues
        ]


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did: counts, the batch id (for downloading rejected rows) and the issues."""

    batch_id: int | None
    filename: str
    rows_read: int
    imported: int
    updated: int
    unchanged: int
    rejected: int
    seconds: float
    issues: tuple[RowIssue, ...] = ()
    # precision -> count (new and changed rows), "outside" for 市外 instead of "none"; "check": how many of them the
    # resolver asks a person to check
    geocoded: Mapping[str, int] = field(default_factory=dict)
    duplicates: int = 0  # of the rejected: letters already imported under another number
    repeats: int = 0  # of the rejected: an earlier row's letter entered again in this register under another number
    # numbers of the letters added or changed: only their meaning is new (planner.store.vectors.encode_missing)
    written: tuple[str, ...] = ()
    renumbered: int = 0  # of the updated: cases imported under a 自编 number that took the 编号 filled in later
    # fields corrected in the app that rows would change: kept (or the file's value taken, as chosen)
    corrections: tuple[Correction, ...] = ()
    withheld_note: str = ""  # an exported register read back: what its 已隐去 cells kept (planner.intake.withheld)

    def text(self) -> str:
        """One line for people (and the CLI)."""
        parts = [*([f"{self.duplicates} 行是已导入的信"] if self.duplicates else ()),
                 *([f"{self.repeats} 行与本表前面的行是同一封信"] if self.repeats else ())]
        same = f"（其中 {'，'.join(parts)}，未重复导入）" if parts else ""
        later = f"（其中 {self.renumbered} 件原按空编号自编，改用登记表补填的编号）" if self.renumbered else ""
        return (
            f"{self.filename}：读取 {self.rows_read} 行，新增 {self.imported}，更新 {self.updated}{later}，"
            f"未变 {self.unchanged}，拒收 {self.rejected}{same}（用时 {self.seconds:.1f} 秒）"
        ) + (f"；{note}" if (note := summary_note(self.corrections)) else "")

    def as_dict(self) -> dict[str, object]:
        """Counts as a plain dict (for JSON and session state)."""
        return {
            "batch_id": self.batch_id, "filename": self.filename, "rows_read": self.rows_read,
            "imported": self.imported, "updated": self.updated, "unchanged": self.unchanged,
            "rejected": self.rejected, "seconds": round(self.seconds, 2), "geocoded": dict(self.geocoded),
            "duplicates": self.duplicates, "repeats": self.repeats, "renumbered": self.renumbered,
            "corrections": [c.as_row() for c in self.corrections],
            "corrections_note": summary_note(self.corrections), "withheld_note": self.withheld_note,
        }


def read_register(
    path_or_bytes: str | Path | bytes,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    today: dt.date | None = None,
    known_letters: KnownLetters | Callable[[], KnownLetters] | None = None,
    sheet: str | None = None,
    dated: bool = True,
    names: Mapping[str, Sequence[str]] | None = None,
) -> RegisterPreview:
    """Read a register, detect its header and columns, and validate every row (nothing is written).

    Parameters
    ----------
    path_or_bytes
        A file path, or the file's bytes (from an upload).
    filename
        Name used in messages and to choose the reader when bytes are given (``.xlsx``, ``.xls``, ``.csv``).
    mapping
        Overrides of the detected mapping: field key (see :data:`FIELDS`) -> header, or None to unmap a field.
    today
        Reference day for date checks (default today).
    known_letters
        The letters already in the database (:func:`known_letters`): a row that is one of them under another
        case number is rejected, naming the case (the same letter from a second register is not a new case).
        A callable is called once the file is read and its columns are known (so a file that cannot be
        imported never touches the database).
    sheet
        The sheet to read, by name (default: the sheet whose top rows look most like a register's header).
    dated
        False for a table without dates (a message board): no 收件日期, every date None. The import never reads so.
    names
        More headers per field for tables no register is (see :func:`planner.intake.columns.effective_mapping`).

    Returns
    -------
    RegisterPreview
        Headers, detected and effective mapping, parsed rows with their issues.

    Raises
    ------
    InputError
        Empty, broken, unreadable or oversized files; no sheet named ``sheet``; no header row; a mapping naming an
        unknown field or header.
    """
    data, name = _as_bytes(path_or_bytes, filename)
    sha = hashlib.sha256(data).hexdigest()
    tables = _load_tables(data, name)
    table, header_idx = choose_sheet(tables, name, sheet, names)
    header_idx, span, labels = header_rows(table.rows, header_idx, table.merged)
    headers, file_issues = _unique_headers(labels, header_idx + 1)
    hidden = tuple(h for c, h in enumerate(headers) if c in table.hidden)
    layout = {"sheets": tuple(t.sheet for t in tables), "header_span": span, "hidden": hidden,
              "title": " ".join(_text(c) for raw in table.rows[:header_idx] for c in raw if _text(c))[:200]}
    detected = detect_mapping(headers, table.rows[header_idx + 1] if span == 2 else (), hidden)
    effective = effective_mapping(detected, headers, {**(mapping or {}), **({} if dated else {"received_date": None})},
                                  names)
    # Without a number column each letter's number is made from the letter itself (never from 序号, which
    # restarts at 1 in every register and would let next quarter's register overwrite this one's cases).
    generated = "case_no" not in effective
    if not generated and is_row_ref_header(effective["case_no"]):
        file_issues.append(RowIssue(
            header_idx + 1, effective["case_no"],
            f"「{effective['case_no']}」每张登记表都从 1 编起，作编号时另一张登记表的同号信会覆盖本表的信访件；"
            "没有真正的编号列时，请在列映射中把“编号”设为（不导入），由系统按来信生成编号", "warning"))
    row_ref = find_row_ref(headers, effective)
    if row_ref is not None and row_ref == effective.get("case_no"):
        row_ref = None
    missing = [FIELD_BY_KEY[k].label for k in FIELD_BY_KEY if FIELD_BY_KEY[k].required and k not in effective
               and k != "case_no" and (dated or k != "received_date")]
    if missing:
        # The page still needs the headers to let the user map the missing columns; import refuses.
        file_issues.append(
            RowIssue(header_idx + 1, "", f"找不到必需的列 {'、'.join(missing)}；请在列映射中指定对应的列")
        )
        found = sum(1 for raw in table.rows[header_idx + span:]  # walk 1: the preview said 数据行 0
                    if not _blank(raw) and not not_a_letter(raw, headers, effective))
        return RegisterPreview(
            filename=name, sha256=sha, sheet=table.sheet, header_row=header_idx + 1, headers=tuple(headers),
            detected=detected, mapping=effective, rows=(), issues=tuple(file_issues), datum_hint=None,
            generated_case_no=generated, row_ref=row_ref, rows_found=found, **layout,
        )
    if not any(k in effective or k in (mapping or {}) for k in PLACE_FIELDS):
        body = table.rows[header_idx + span:]
        column, share = sniff_address_column(headers, body, effective)
        if column is not None:
            effective["address"] = detected["address"] = column
            file_issues.append(RowIssue(
                header_idx + 1, column, f"表头中没有“地址/问题发生地”等列；按内容（{share:.0%} 的值含县区或乡镇名）"
                                        f"把「{column}」作为地址列，如不对请在列映射中改", "warning"))
        else:
            file_issues.append(RowIssue(
                header_idx + 1, "", "没有找到地址列（地址、问题发生地、问题属地、县区、乡镇……）：信访件将无法定位、"
                                    "无法排入行程；请在列映射中指定地址所在的列", "warning"))
    datum_hint = None
    for key in ("lon", "lat"):
        if key in effective:
            datum_hint = datum_hint or _datum_from_text(effective[key])
    if generated:
        file_issues.append(RowIssue(
            header_idx + 1, "", "没有编号列：每封信的编号按收件日期、反映内容和信访人生成（自编-收件日期-摘要），"
                                "再次导入同一张表不会重复，另一张表的同序号信不会覆盖本表", "warning"))
    today = today or local_today()
    letters = known_letters() if callable(known_letters) else known_letters
    rows: list[ParsedRow] = []
    seen_case: dict[str, int] = {}
    # A row equal to an earlier one in every cell but the clerk's running number was entered twice: one letter.
    running = {h for h in (row_ref, effective.get("case_no")) if h is not None and is_row_ref_header(h)}
    twins = TwinRows(headers, running, effective.get("case_no"))  # and one equal but for its number: said
    # Each letter of this register by letter_body -> (row, 序号, number, writer marks) of the rows that carry it.
    seen_letter: dict[str, list[tuple[int, str, str, Mapping[str, str]]]] = {}
    width = len(headers)
    date_col = headers.index(effective["received_date"]) if dated else len(headers)
    year_hint = register_year(table.rows[:header_idx], (r[date_col] for r in table.rows[header_idx + span:]
                                                        if date_col < len(r))) if dated else None
    example_year = year_hint.year if year_hint is not None else title_year(table.rows[:header_idx])
    # 11月8日 in a sheet whose title names no year: the other sheets' titles, the file name, the rows beside it (W33)
    year_sources = YearSources.of(example_year, other_titles(tables, table.sheet, names), name,
                                  ((header_idx + span + 1 + i, r[date_col]) for i, r in
                                   enumerate(table.rows[header_idx + span:]) if date_col < len(r)),
                                  today) if dated else None
    skipped: list[RowIssue] = []  # totals, remarks, signatures and repeated headers: no letters
    marks = DateMarks(effective)
    slash = SlashDates.of(effective, headers, table.rows[header_idx + span:], table.rows[:header_idx])  # 11/16/2026
    for offset, raw in enumerate(table.rows[header_idx + span:]):
        if _blank(raw):
            continue
        row_no = header_idx + span + 1 + offset
        if why := not_a_letter(raw, headers, effective):
            skipped.append(RowIssue(row_no, "", why, "warning"))
            continue
        cells = {headers[i]: (raw[i] if i < len(raw) else None) for i in range(width)}
        # 46313 for a date, 同上 / 〃 or a blank date under 同上日期: read in the register's order (walk W14)
        parsed = number_blank_cell(_validate_row(row_no, marks.filled(slash.filled(cells, offset)), effective, today,
                                                 datum_hint, year_hint=year_hint, generate_case_no=generated,
                                                 example_year=example_year, year_sources=year_sources), effective)
        parsed = marks.noted(slash.noted(parsed), cells)
        case_no = parsed.values["case_no"]
        parsed = twins.entered_twice(parsed, raw)
        if case_no and parsed.ok:
            if case_no in seen_case and (generated or numbered_here(parsed)):  # an empty 编号 cell too
                parsed = _another_identical_letter(parsed, seen_case)
            elif case_no in seen_case:
                parsed = dataclasses.replace(parsed, issues=(
                    *parsed.issues,
                    RowIssue(row_no, effective["case_no"], f"编号 {case_no!r} 与第 {seen_case[case_no]} 行重复"),
                ))
            else:
                seen_case[case_no] = row_no
                ref = _text(cells.get(row_ref))[:50] if row_ref is not None else ""
                parsed = twins.numbered_twice(_same_letter_again(parsed, ref, seen_letter), raw)
        # Another county's 2026-010: its own letter (W33); a stored letter under another number; another letter (P)
        parsed = against_stored(parsed, letters, (name, table.sheet, layout["title"]))
        if row_ref is not None and (ref := _text(cells.get(row_ref))[:50]):
            parsed = dataclasses.replace(parsed, ref=ref,
                                         issues=tuple(dataclasses.replace(i, ref=ref) for i in parsed.issues))
        rows.append(parsed)
    rows = numbered_later(rows, letters, name, row_ref)  # a 自编 case whose 编号 was filled in later takes it (H1)
    rows = read_levels(rows, effective.get("severity"))  # 紧急/较急/一般 → 5/4/3: the register's own order (W19)
    if note := slash.summary():
        file_issues.append(RowIssue(header_idx + 1, effective.get("received_date", ""), note, "warning"))
    if "severity" in effective and (note := numbers_note(effective["severity"],
                                                         (r.raw.get(effective["severity"]) for r in rows))):
        file_issues.append(RowIssue(header_idx + 1, effective["severity"], note, "warning"))
    issues = list(file_issues)
    for r in rows:
        issues.extend(r.issues)
        if len(issues) >= MAX_ISSUES:
            break
    issues.extend(skipped)
    return RegisterPreview(
        filename=name, sha256=sha, sheet=table.sheet, header_row=header_idx + 1, headers=tuple(headers),
        detected=detected, mapping=effective, rows=tuple(rows), issues=tuple(issues[:MAX_ISSUES]),
        datum_hint=datum_hint, generated_case_no=generated, row_ref=row_ref, **layout,
    )


# ---------------------------------------------------------------------------------------------------------
# Import

_CASE_FIELDS = (
    "received_date", "deadline", "source", "category", "title", "content", "reported_persons", "reported_units",
    "address_text", "people_affected", "county", "county_code", "town", "town_code", "village", "village_code",
    "lon", "lat", "precision", "geocode_message", "petitioner_key", "point_source", "precision_km",
)


def _row_hash(parsed: ParsedRow) -> str:
    v = dict(parsed.values)
    payload = {k: (x.isoformat() if isinstance(x, dt.date) else x) for k, x in sorted(v.items())}
    payload["_who"] = [parsed.petitioner.name, parsed.petitioner.phone, parsed.petitioner.id_number]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _session_of(target: Session | Engine) -> tuple[Session, bool]:
    if isinstance(target, Session):
        return target, False
    from planner.store.database import session_factory

    return session_factory(target)(), True


def _chunks(items: Sequence[str], n: int = 500) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def rows_to_write(
    session: Session, good: list[ParsedRow], updates: Mapping[int, str] | None = None,
) -> tuple[list[ParsedRow], dict[str, str], dict[int, str], list[ParsedRow]]:
    """What an import of the valid rows ``good`` writes: the rows (a number stored full-width before it was read
    half-width given as stored; a row in ``updates``, row -> number, :func:`edited_letters.chosen_updates`, with the
    number of the letter it updates), the stored cases' content hashes, each row's hash, and the new or changed rows.
    The import and its preview (:mod:`planner.intake.address_checks`) count the same rows."""
    from planner.store.models import CaseRow

    good = with_numbers(good, updates or {})

    # Two narrow columns of every case are cheaper than thousands of IN lookups; full rows are loaded
    # only for the cases that changed.
    known = {no: h for no, h in session.execute(select(CaseRow.case_no, CaseRow.content_hash))}
    if stored := {case_number(no): no for no in known if case_number(no) != no}:
        # Numbers stored full-width before they were read half-width are these rows' cases, not new ones.
        good = [dataclasses.replace(r, values={**r.values, "case_no": stored[str(r.values["case_no"])]})
                if str(r.values["case_no"]) in stored else r for r in good]
    good, kept = keep_stored(session, good)  # 已隐去 of an exported register keeps what is stored (walk W18)
    good = keep_stored_levels(session, good)[0]  # an unchanged 紧急 keeps its stored severity (W19)
    hashes = {r.row: _row_hash(r) for r in good}
    # A row of the app's own export that says what it wrote for its case is unchanged (planner.intake.own_export).
    return good, known, hashes, [r for r in good if known.get(str(r.values["case_no"])) != hashes[r.row]
                                 and r.row not in kept.same]


def import_register(
    session_or_engine: Session | Engine,
    path: str | Path | bytes,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    who: str = "",
    actor: object | None = None,
    today: dt.date | None = None,
    choices: Mapping[int, str] | None = None,
    take_file: Collection[tuple[str, str]] | bool = (),
    trial: bool = False,
    sheet: str | None = None,
) -> ImportSummary:
    """Import a register into the database: insert new cases, update changed ones, keep rejected rows.

    All good rows, the batch record and the rejected rows are written in one transaction. Given an engine,
    the function commits; given a session, it flushes and leaves the commit to the caller.

    Parameters
    ----------
    session_or_engine
        Where to write.
    path
        Register file path or its bytes.
    filename
        Display name (required to pick the reader when bytes are given).
    mapping
        Column mapping overrides, as for :func:`read_register`.
    who
        User name recorded in the batch and the case history.
    actor
        The acting ``planner.office.security.Actor`` (when given, ``import`` permission required; audited).
    today
        Reference day for date checks.
    choices
        Row -> letter number: the uncertain rows of a register without numbers (:func:`edited_letters`) that the
        coordinator chose to update that letter with; the certain ones update theirs unasked, others come in new.
    take_file
        (case number, field) pairs, or ``True`` for all: fields a person corrected in the app for which the row's
        value is taken; every other corrected field a row would change keeps the app's value
        (:mod:`planner.intake.app_corrections`).
    trial
        The preview's trial run in a session the caller rolls back (:mod:`planner.intake.plan_moves_preview`):
        not logged as an import.
    sheet
        The sheet to import, as for :func:`read_register` (a workbook of registers: :mod:`register_sheets`).

    Returns
    -------
    ImportSummary
        Rows read, imported, updated, unchanged and rejected, with the batch id and issues.

    Raises
    ------
    InputError
        For unreadable files or mappings (see :func:`read_register`); nothing is written.
    """
    from planner.store.models import CaseRow, ImportBatch, RejectedRow

    started = time.perf_counter()
    who = who or str(getattr(actor, "username", "") or "")
    _require(actor, "import")
    session, own = _session_of(session_or_engine)
    try:
        preview = read_register(path, filename=filename, mapping=mapping, today=today,
                                known_letters=lambda: known_letters(session), sheet=sheet)
        if preview.missing_required:
            raise InputError(f"{preview.filename}：找不到必需的列 {'、'.join(preview.missing_required)}；"
                             "请用列映射指定对应的列（命令行：--map 字段=列名）")
        good = [r for r in preview.rows if r.ok]
        bad = [r for r in preview.rows if not r.ok]
        dropped = dropped_detail(session, preview) if actor is not None else {}  # before the import moves letters
        renumbered = renumber_rows(session, preview, who, actor)  # before the rows are matched to cases by number
        updates = chosen_updates(edited_letters(session, preview), choices)
        kept = keep_stored(session, with_numbers(good, updates))[1]
        good, known, hashes, changed = rows_to_write(session, good, updates)
        existing: dict[str, CaseRow] = {}
        to_load = [str(r.values["case_no"]) for r in changed if str(r.values["case_no"]) in known]
        for chunk in _chunks(to_load):
            query = select(CaseRow).where(CaseRow.case_no.in_(chunk)).options(selectinload(CaseRow.petitioner))
            for row in session.scalars(query):
                existing[row.case_no] = row
        hint = register_hint(preview)  # 云霄县…登记表: its 下河 is 云霄's (planner.places.county_hint)
        located = dict(zip((r.row for r in changed), _locate(changed, _office_gazetteer(session), hint), strict=True))

        batch = ImportBatch(
            filename=preview.filename[:500], file_sha256=preview.sha256, imported_by=who[:100],
            rows_read=preview.rows_read, column_mapping=dict(preview.mapping),
        )
        session.add(batch)
        session.flush()
        imported = updated = unchanged = 0
        precision_counts: dict[str, int] = {}
        new_cases: list[tuple[dict[str, object], Petitioner]] = []
        corrections: list[Correction] = []
        # One UPDATE per changed case (and one version bump): no autoflush between setting its fields.
        with session.no_autoflush:
            for r in good:
                if r.row not in located:
                    unchanged += 1
                    continue
                if _upsert(session, r, existing, located[r.row], hashes[r.row], batch.id, who, preview.filename,
                           precision_counts, new_cases, edited=r.row in updates, take_file=take_file,
                           corrections=corrections):
                    imported += 1
                else:
                    updated += 1
        _insert_new(session, new_cases, batch.id)
        personal_headers = {preview.mapping.get(k) for k in PERSONAL_FIELDS} - {None}
        for r in bad:
            errors = [i for i in r.issues if i.level == "error"]
            session.add(RejectedRow(
                batch_id=batch.id, row_number=r.row, column="；".join(dict.fromkeys(i.column for i in errors))[:200],
                reason="；".join(i.message for i in errors),
                raw=_json_safe(_masked_raw(r.raw, personal_headers)),
            ))
        batch.rows_imported, batch.rows_updated = imported, updated
        batch.rows_unchanged, batch.rows_rejected = unchanged, len(bad)
        session.flush()
        corrections = with_authors(session, corrections, {no: c.id for no, c in existing.items()})
        _audit(session, actor, preview, imported, updated, len(bad), sum(1 for row in updates if row in located),
               corrections, dropped)
        if own:
            session.commit()
    except BaseException:
        if own:
            session.rollback()
        raise
    finally:
        if own:
            session.close()
    summary = ImportSummary(
        batch_id=batch.id, filename=preview.filename, rows_read=preview.rows_read, imported=imported,
        updated=updated, unchanged=unchanged, rejected=len(bad), seconds=time.perf_counter() - started,
        issues=preview.issues, geocoded=precision_counts, duplicates=preview.duplicate_rows,
        repeats=preview.repeated_rows, renumbered=len(renumbered),
        written=tuple(str(r.values["case_no"]) for r in good if r.row in located), corrections=tuple(corrections),
        withheld_note=kept.note(),
    )
    if not trial:
        log.info("import %s: read %d, new %d, updated %d, unchanged %d, rejected %d", preview.sha256[:12],
                 summary.rows_read, imported, updated, unchanged, len(bad))
    return summary


def _upsert(session: Session, r: ParsedRow, existing: dict, loc: Mapping[str, object], row_hash: str,
            batch_id: int, who: str, filename: str, precision_counts: dict[str, int],
            new_cases: list[tuple[dict[str, object], Petitioner]], *, edited: bool = False,
            take_file: Collection[tuple[str, str]] | bool = (), corrections: list | None = None) -> bool:
    """Update one known case (with history) or queue a new one for the bulk insert; True when new. ``edited``: the
    row has other words than the case and no number of its own, and was found to be it (:mod:`edited_letters`).
    Fields a person corrected in the app keep their values unless ``take_file`` names them; each one the row would
    change is added to ``corrections`` (:func:`planner.intake.app_corrections.split`)."""
    from planner.store.models import CaseHistory

    case_no = str(r.values["case_no"])
    current = existing.get(case_no)
    fields = _case_fields(r, loc)
    if current is None:
        count_place(precision_counts, fields)
        new_cases.append(({"case_no": case_no, "content_hash": row_hash, "batch_id": batch_id,
                           "status": str(r.values.get("status") or "registered"), **fields}, r.petitioner))
        return True
    changes: dict[str, object] = {}
    # Walk W10: an older copy of the register imported again put back what people had corrected in the app.
    found = split(current, fields, take_file, row=r.row)
    if corrections is not None:
        corrections += found
    # Counted where the letter stays: a place a person set or chose and the import keeps is no 未定位 (walk W35).
    count_place(precision_counts, {k: fields.get(k, getattr(current, k)) for k in PLACE_KEYS})
    for k, v in fields.items():
        old = getattr(current, k)
        if _differs(old, v):
            # The petitioner key is derived from personal fields: record that it changed, not its value.
            changes[k] = {"old": "…", "new": "…"} if k == "petitioner_key" else {
                "old": _jsonable(old), "new": _jsonable(v)}
            setattr(current, k, v)
    register_status = str(r.values.get("status") or "")
    if register_status in _CLOSED_STATUSES and current.status not in _CLOSED_STATUSES:
        # The office closed the case in its register; work done in the app is never undone by a re-import.
        changes["status"] = {"old": current.status, "new": register_status}
        current.status = register_status
    if _update_petitioner(current, r.petitioner):
        changes["petitioner"] = "changed"
    current.content_hash = row_hash
    current.batch_id = batch_id
    session.add(CaseHistory(
        case_id=current.id, who=who[:100], action="import_update",
        detail={"batch_id": batch_id, "file": filename, "row": r.row, "changed": changes, **history_detail(found),
                **({"matched": "内容改过的同一封信（序号、收件日期、信访人）"} if edited else {})},
    ))
    return False


def _insert_new(session: Session, new_cases: Sequence[tuple[dict[str, object], Petitioner]], batch_id: int) -> None:
    """Insert new cases and their petitioners with ``executemany`` (10,000 ORM objects would be slow).

    Plain executemany without RETURNING is the fast path on both drivers (psycopg pipelines it); the new ids
    are then read back by batch, since every new case carries this batch's id.
    """
    from planner.store.models import CaseRow, PetitionerRow

    if not new_cases:
        return
    session.flush()
    conn = session.connection()
    rows = [values for values, _p in new_cases]
    for start in range(0, len(rows), 2000):
        conn.execute(CaseRow.__table__.insert(), rows[start:start + 2000])
    ids = {no: case_id for case_id, no in conn.execute(
        select(CaseRow.id, CaseRow.case_no).where(CaseRow.batch_id == batch_id))}
    people = [
        {"case_id": ids[values["case_no"]], "name": p.name, "phone": p.phone, "id_number": p.id_number}
        for values, p in new_cases if p.key()
    ]
    for start in range(0, len(people), 2000):
        conn.execute(PetitionerRow.__table__.insert(), people[start:start + 2000])


def _case_fields(r: ParsedRow, loc: Mapping[str, object]) -> dict[str, object]:
    v = r.values
    return {
        "received_date": v["received_date"], "deadline": v["deadline"], "source": v["source"],
        "category": v["category"], "title": v["title"], "content": v["content"],
        "reported_persons": list(v["reported_persons"]), "reported_units": list(v["reported_units"]),
        "address_text": v["address_text"], "people_affected": v["people_affected"],
        "petitioner_key": r.petitioner.key(), "category_source": v["category_source"],
        "category_reason": v["category_reason"], "category_confidence": v["category_confidence"],
        "extra_fields": dict(v["extra_fields"]), **loc,
        # Only a register with an urgency column sets severity; without one a case keeps what it has.
        **({"severity": v["severity"]} if "severity" in v else {}),
    }


def _differs(old: object, new: object) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        if old is None or new is None:
            return old is not new
        return abs(float(old) - float(new)) > 1e-9
    return old != new


def _jsonable(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _petitioner_row(p: Petitioner):
    from planner.store.models import PetitionerRow

    return PetitionerRow(name=p.name, phone=p.phone, id_number=p.id_number)


def _update_petitioner(case, p: Petitioner) -> bool:
    current = case.petitioner
    if not p.key():
        if current is not None:
            case.petitioner = None
            return True
        return False
    if current is None:
        case.petitioner = _petitioner_row(p)
        return True
    if (current.name, current.phone, current.id_number) == (p.name, p.phone, p.id_number):
        return False
    current.name, current.phone, current.id_number = p.name, p.phone, p.id_number
    return True


def _require(actor: object | None, permission: str) -> None:
    if actor is None:
        return
    try:
        from planner.office.security import require
    except ImportError:
        return
    require(actor, permission)


def _audit(session: Session, actor: object | None, preview: RegisterPreview, imported: int, updated: int, rejected: int,
           edited: int = 0, corrections: Sequence[Correction] = (), dropped: Mapping | None = None) -> None:
    if actor is None:
        return
    try:
        from planner.office.audit import record
    except ImportError:
        return
    record(session, actor, "import", reason=preview.filename,
           detail={"sha256": preview.sha256, "imported": imported, "updated": updated, "rejected": rejected,
                   **(dropped or {}),  # walk W20: the stored letters this register lacks, read before the import
                   **({"edited_letters": edited} if edited else {}),
                   **({"corrections_kept": [c.line() for c in corrections if not c.taken]} if corrections else {}),
                   **({"corrections_replaced": [c.line() for c in corrections if c.taken]} if corrections else {})})
