"""A letter imported under a ``自编-…`` number (its 编号 cell was empty) whose real 编号 the clerk filled in later.

Walk H1: re-imported with the number filled in, the row was refused as "the same letter" as its own 自编 case. It is
that case: the import gives the case the register's number (:func:`planner.store.case_numbers.renumber_cases`), so
its history, outcomes and plan stops stay with it, then updates it from the row like any other case. Each such row
says so before the import (a warning naming both numbers), the case's history and the audit log record it, and
importing the register again finds the case under its new number and adds nothing.

A row is that letter when it comes from the register the case came from (the same 序号, else the same file: a copy
of the letter in another register under that register's number is refused as before), its number is new to the
database, its received day and words are the case's, and its
writer is the case's (signed letters, compared as :mod:`planner.intake.same_letter` compares them: no case of that
letter under a real number) or, unsigned, its 自编 number is the one the row would get with its cell empty
(:func:`planner.intake.rows.generated_case_no`). A case a row of this register still carries under its 自编 number
(its cell still empty) is that row's letter, and each case is taken by one row only (the first).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Protocol

from sqlalchemy.orm import Session

from planner.intake.columns import RowIssue
from planner.intake.rows import (
    GENERATED_PREFIX,
    ParsedRow,
    case_number,
    generated_case_no,
    letter_body,
    same_writer,
    writer_marks,
)
from planner.intake.same_letter import _SAME_LETTER_START

#: The warning on a row whose case takes its number (its start and end find the rows again).
NUMBERED_LATER = ("编号 {new} 为新填写：这封信此前因编号为空已按 {old} 导入（收件日期、反映内容、信访人相同），"
                  "导入时该信访件改用编号 {new}，办理记录、走访结果和行程都保留，不重复导入")
_NUMBERED_LATER_RE = re.compile(re.escape(NUMBERED_LATER).replace(re.escape("{new}"), "(.+?)")
                                .replace(re.escape("{old}"), f"({re.escape(GENERATED_PREFIX)}.+?)"))


class _Preview(Protocol):
    filename: str
    rows: tuple[ParsedRow, ...]


def _candidates(parsed: ParsedRow, letters: Mapping[str, Sequence[tuple[str, Mapping[str, str]]]],
                numbers: Mapping[str, tuple[object, str, str]]) -> list[str]:
    """The stored 自编 cases the row may be, best first ([] when a case of its letter has a real number)."""
    day, content = parsed.values.get("received_date"), str(parsed.values.get("content") or "")
    body = letter_body(day if isinstance(day, dt.date) else None, content)
    if not body:
        return []
    marks = writer_marks(body, parsed.petitioner, parsed.petitioner.key())
    twins = [no for no, theirs in letters.get(body, ()) if same_writer(marks, theirs)]
    if any(not no.startswith(GENERATED_PREFIX) for no in twins):
        return []  # the letter is a case under a real number already: same_letter refuses the row
    own = generated_case_no(day, content, parsed.petitioner.name)
    chain = [own, *(f"{own}-{n}" for n in range(2, 100))]
    found = []
    for no in chain:
        if no not in numbers:
            break
        if numbers[no][0] == day and letter_body(day, numbers[no][1]) == body:
            found.append(no)
    return list(dict.fromkeys([*twins, *found]))


def _same_source(r: ParsedRow, source: tuple[str, Mapping[str, object]] | None, filename: str,
                 row_ref: str | None) -> bool:
    """Whether the stored case came from this register: the same 序号 when the register has one, else the same file
    (a letter copied into another register under that register's number stays refused as the letter it is)."""
    if source is None:
        return False
    their_file, columns = source
    if row_ref and r.ref:
        return str(columns.get(row_ref, "")).strip() == r.ref.strip()
    return their_file == filename


def numbered_later(rows: list[ParsedRow], letters: object, filename: str = "",
                   row_ref: str | None = None) -> list[ParsedRow]:
    """The register's rows with those whose letter is a stored 自编 case numbered later said so (see the module).

    Parameters
    ----------
    rows
        The register's rows as read, in order.
    letters
        :func:`planner.intake.same_letter.known_letters` (or None when the database is not read).
    filename, row_ref
        The register's file name and the header of its 序号 (the stored case must come from this register).

    Returns
    -------
    list[ParsedRow]
        The rows; such a row loses the error refusing it as a letter already imported and warns naming both numbers.
    """
    numbers = getattr(letters, "numbers", None)
    if not numbers:
        return rows
    carried = {str(r.values.get("case_no")) for r in rows if r.ok and str(r.values.get("case_no") or "")
               .startswith(GENERATED_PREFIX)}
    taken: set[str] = set()
    out = []
    for r in rows:
        no = str(r.values.get("case_no") or "")
        errors = [i for i in r.issues if i.level == "error"]
        if (not no or no.startswith(GENERATED_PREFIX) or case_number(no) in numbers
                or any(not i.message.startswith(_SAME_LETTER_START) for i in errors)):
            out.append(r)
            continue
        sources = getattr(letters, "sources", {})
        old = next((c for c in _candidates(r, letters, numbers) if c not in carried and c not in taken
                    and _same_source(r, sources.get(c), filename, row_ref)), None)
        if old is None:
            out.append(r)
            continue
        taken.add(old)
        told = RowIssue(r.row, "", NUMBERED_LATER.format(new=no, old=old), "warning", r.ref)
        out.append(dataclasses.replace(r, issues=(*(i for i in r.issues if i.level != "error"), told)))
    return out


def renumbered(rows: Sequence[ParsedRow]) -> dict[int, tuple[str, str]]:
    """Row -> (its case's 自编 number, the number it takes) of the rows :func:`numbered_later` marked."""
    out = {}
    for r in rows:
        for i in r.issues:
            if r.ok and i.level == "warning" and (m := _NUMBERED_LATER_RE.fullmatch(i.message)):
                out[r.row] = (m.group(2), m.group(1))
    return out


def renumber_rows(session: Session, preview: _Preview, who: str, actor: object | None = None) -> dict[str, str]:
    """Give the cases of the marked rows their register numbers before the rows are written (see the module).

    Parameters
    ----------
    session
        The import's session (flushed, not committed).
    preview
        The register as the import read it.
    who
        User name for the cases' history.
    actor
        The acting user: the change is written to the audit log when given.

    Returns
    -------
    dict[str, str]
        Old number -> new number.
    """
    from planner.store.case_numbers import renumber_cases

    marked = renumbered(preview.rows)
    numbers = {old: new for old, new in marked.values()}
    if not numbers:
        return {}
    renumber_cases(session, numbers, who=who, detail={
        old: {"file": preview.filename, "row": row, "why": "登记表补填编号"} for row, (old, _new) in marked.items()})
    if actor is not None:
        from planner.office.audit import record

        record(session, actor, "case_renumber", case_nos=list(numbers.values()), reason=preview.filename,
               detail={"renumbered": [[old, new] for old, new in numbers.items()]})
    return numbers


def numbered_later_note(rows: Sequence[ParsedRow], filename: str) -> str:
    """The preview's words for the rows whose cases take their numbers ("" when none), naming file, rows and numbers."""
    marked = renumbered(rows)
    if not marked:
        return ""
    named = "、".join(f"第 {row} 行 {old} → {new}" for row, (old, new) in list(marked.items())[:5])
    more = f" 等 {len(marked):,} 行" if len(marked) > 5 else ""
    return (f"{filename}：{len(marked):,} 行的编号为新填写，这些信此前因编号为空已按自编编号导入（{named}{more}）："
            "导入时原信访件改用登记表的编号，办理记录、走访结果和行程都保留，不算新信。")
