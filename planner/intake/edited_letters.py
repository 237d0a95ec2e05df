"""A letter edited in a register without numbers: the row is the letter imported before, not a new one.

Without a number column each letter's number is made from its received day, words and writer
(:func:`planner.intake.rows.generated_case_no`), so a note added to a letter's 反映内容 gives the row another number:
imported as it is, the letter would be counted twice (walk 1: 214 letters became 216). Before the rows are written,
each row of such a register whose number the database lacks is compared with the letters imported from registers
without numbers on the facts an edit of the words leaves alone:

- the same received day and the same petitioner (:func:`planner.intake.rows.same_writer`, compared on the marks
  both carry; an unsigned letter only with an unsigned one of the same source, and never certain), and no row of
  this register still carrying that letter as it was (that row is the letter; the edited row is then another one);
- words alike (:func:`likeness`), and the same source: the same 序号 when the register has one (kept on the letter
  among its own columns), else a file of the same name.

A row that meets all of these, alone for its letter, is that letter: the import updates it under its own number,
with history, as a register with numbers updates a case. A row that meets the first and only part of the second
(words half alike, or the same 序号 with other words, or two rows for one letter) is *uncertain*: the preview lists
it with the letter it may be and the coordinator chooses; unless he chooses to update, it is imported as a new letter
(two letters by one petitioner on one day about different matters stay two; nothing is overwritten unasked).

A register with a number column numbers a letter the same way when its 编号 cell is empty
(:mod:`planner.intake.blank_numbers`), so those rows are compared too (walk H1: a typo corrected in such a letter made
it a second case).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import Petitioner
from planner.errors import InputError
from planner.intake.blank_numbers import numbered_here
from planner.intake.rows import GENERATED_PREFIX, ParsedRow, _letter_text, same_writer, writer_marks
from planner.office.privacy import mask_free_text

#: Words at least this alike (difflib ratio of the letters' words without spaces and punctuation): an edit.
ALIKE = 0.75
#: Words at least this alike: perhaps an edit, perhaps another letter; the coordinator decides.
PERHAPS = 0.4
#: Shown words of each letter in the preview (masked), so the coordinator can tell them apart.
SHOWN_CHARS = 60


class RegisterPreview(Protocol):
    """What is read here of :class:`planner.intake.register.RegisterPreview` (which imports this module)."""

    filename: str
    rows: tuple[ParsedRow, ...]
    generated_case_no: bool
    row_ref: str | None


@dataclass(frozen=True, slots=True)
class EditedLetter:
    """A row of the register that may be a letter already imported, with its words changed."""

    row: int  # the register's row number
    ref: str  # its 序号, when the register has one
    case_no: str  # the letter imported before
    received: dt.date
    likeness: float  # how alike the words are, 0..1
    certain: bool  # True: updated without asking; False: listed, imported as new unless chosen
    why: str  # in plain words: what agrees and what does not
    old_text: str  # the letter's words as stored (identities masked, shortened)
    new_text: str  # the row's words (identities masked, shortened)
    change: str = ""  # what the row adds to or cuts from the words: 加「…」；删「…」 (identities masked)


def likeness(a: str, b: str) -> float:
    """How alike two letters' words are (0..1), ignoring spaces, punctuation and full width; a note added to the
    words or cut from them counts as alike when the shorter words are a third of the longer or more."""
    a, b = _letter_text(a or ""), _letter_text(b or "")
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    short, long = sorted((a, b), key=len)
    if len(short) >= 8 and 3 * len(short) >= len(long) and short in long:
        return max(ratio, ALIKE)
    return ratio


def edited_letters(session: Session, preview: RegisterPreview) -> tuple[EditedLetter, ...]:
    """The rows numbered from their words (a register without numbers, or an empty 编号 cell) that are, or may be,
    letters imported before with other words.

    Parameters
    ----------
    session
        Open session (read only).
    preview
        The register as :func:`planner.intake.register.read_register` read it.

    Returns
    -------
    tuple[EditedLetter, ...]
        In register order; () for a register with a number column.
    """
    from planner.store.models import CaseRow, ImportBatch, PetitionerRow

    if not may_hold_edits(preview):
        return ()
    rows = [r for r in preview.rows if r.ok and str(r.values["case_no"]).startswith(GENERATED_PREFIX)
            and (preview.generated_case_no or numbered_here(r)) and r.values.get("received_date")]
    if not rows:
        return ()
    numbers = sorted({str(r.values["case_no"]) for r in rows})
    stored: set[str] = set()
    for start in range(0, len(numbers), 500):
        stored.update(session.scalars(select(CaseRow.case_no).where(CaseRow.case_no.in_(numbers[start:start + 500]))))
    rows = [r for r in rows if str(r.values["case_no"]) not in stored]
    if not rows:
        return ()
    # A letter some row of this register still carries as it was is that row's letter.
    carried = {str(r.values["case_no"]) for r in preview.rows if r.values.get("case_no")}
    days = sorted({r.values["received_date"] for r in rows})
    query = (select(CaseRow.case_no, CaseRow.received_date, CaseRow.content, CaseRow.extra_fields,
                    CaseRow.petitioner_key, PetitionerRow.id, PetitionerRow.name, PetitionerRow.phone,
                    PetitionerRow.id_number, ImportBatch.filename)
             .outerjoin(PetitionerRow, PetitionerRow.case_id == CaseRow.id)
             .outerjoin(ImportBatch, ImportBatch.id == CaseRow.batch_id)
             .where(CaseRow.case_no.startswith(GENERATED_PREFIX, autoescape=True))
             .order_by(CaseRow.id))
    letters: dict[dt.date, list[tuple[str, str, str, str, Mapping[str, str], tuple[str, ...]]]] = {}
    for start in range(0, len(days), 500):
        for no, day, content, extra, key, pid, name, phone, id_number, filename in session.execute(
                query.where(CaseRow.received_date.in_(days[start:start + 500]))):
            if no in carried:
                continue
            writer = None if pid is None else Petitioner(name=name or "", phone=phone or "", id_number=id_number or "")
            # An unsigned letter (no marks) is compared with unsigned rows only, and never certain (walk H1).
            marks = writer_marks(_day_basis(day), writer, "" if writer is not None else key or "")
            ref = str((extra or {}).get(preview.row_ref, "")).strip() if preview.row_ref else ""
            names = (name,) if name else ()
            letters.setdefault(day, []).append((no, content or "", ref, filename or "", marks, names))
    found: list[tuple[ParsedRow, tuple[str, str, str, str, Mapping[str, str], tuple[str, ...]], float, bool]] = []
    for r in rows:
        day = r.values["received_date"]
        mine = writer_marks(_day_basis(day), r.petitioner, r.petitioner.key())
        for letter in letters.get(day, ()):
            no, content, ref, filename, theirs, _names = letter
            unsigned = not mine and not theirs
            if not unsigned and not same_writer(mine, theirs):
                continue
            alike = likeness(content, str(r.values["content"]))
            same_source = bool(r.ref and ref == r.ref.strip()) if preview.row_ref else filename == preview.filename
            if unsigned and not (same_source and alike >= PERHAPS):
                continue  # unsigned letters alike from another source are other villagers' letters, as always
            if alike >= PERHAPS or (preview.row_ref and same_source):
                # The same day, words and writer are one letter whatever the source (as across registers).
                found.append((r, letter, alike, not unsigned and (alike == 1.0 or (alike >= ALIKE and same_source))))
    per_row: dict[int, int] = {}
    per_letter: dict[str, int] = {}
    for r, letter, alike, _sure in found:
        # Rivals are letters with alike words; one named only by the same 序号 (another register's 1) is none.
        per_row[r.row] = per_row.get(r.row, 0) + (alike >= PERHAPS)
        per_letter[letter[0]] = per_letter.get(letter[0], 0) + (alike >= PERHAPS)
    out: list[EditedLetter] = []
    listed: set[int] = set()
    # The best letter of each row (most alike first); a row alone for its one letter, alike and of the same source
    # is certain, any other is listed for the coordinator.
    for r, letter, alike, sure in sorted(found, key=lambda f: (f[0].row, -f[2])):
        if r.row in listed:
            continue
        listed.add(r.row)
        no, content, ref, filename, _theirs, names = letter
        alone = per_row[r.row] <= 1 and per_letter[no] <= 1
        out.append(EditedLetter(
            row=r.row, ref=r.ref, case_no=no, received=r.values["received_date"], likeness=round(alike, 2),
            certain=sure and alone,
            why=_why(preview, r, ref, filename, alike, alone, per_row[r.row], per_letter[no]),
            old_text=_shown(content, names), new_text=_shown(str(r.values["content"]), (r.petitioner.name,)),
            change=_shown(changed_words(content, str(r.values["content"])), (*names, r.petitioner.name)),
        ))
    return tuple(out)


def may_hold_edits(preview: RegisterPreview) -> bool:
    """Whether some row of the register is numbered from its words (no number column, or an empty 编号 cell: walk H1,
    a typo corrected in such a letter made it a new case) and so may be a letter imported before with other words."""
    rows = preview.rows
    return any(r.ok for r in rows) and (preview.generated_case_no or any(numbered_here(r) for r in rows))


def chosen_updates(found: Sequence[EditedLetter], chosen: Mapping[int, str] | None = None) -> dict[int, str]:
    """Row -> letter to update: every certain row, and the uncertain rows the coordinator chose to update.

    A choice must name a row the preview listed with that very letter (the import works the list out again in its
    own transaction: a choice the database no longer supports is not followed, and that row comes in as new).

    Raises
    ------
    InputError
        Two rows chosen to update one letter (one of them is another letter).
    """
    listed = {(e.row, e.case_no) for e in found}
    updates = {e.row: e.case_no for e in found if e.certain}
    updates.update({row: no for row, no in (chosen or {}).items() if (row, no) in listed})
    rows_of: dict[str, list[int]] = {}
    for row, no in updates.items():
        rows_of.setdefault(no, []).append(row)
    if twice := next((rows for rows in rows_of.values() if len(rows) > 1), None):
        no = next(n for n, rows in rows_of.items() if rows is twice)
        raise InputError(f"第 {'、'.join(str(r) for r in sorted(twice))} 行都选了更新已导入的信访件 {no}："
                         "一封信只能由一行更新，请只保留一行，其余按新信导入")
    return updates


def with_numbers(rows: Iterable[ParsedRow], updates: Mapping[int, str]) -> list[ParsedRow]:
    """The rows with the number of the letter each one updates (the letter keeps its number)."""
    import dataclasses

    return [dataclasses.replace(r, values={**r.values, "case_no": updates[r.row]}) if r.row in updates else r
            for r in rows]


def choice_key(found: Sequence[EditedLetter]) -> str:
    """A short digest of the uncertain rows and their letters: the preview's choices belong to this very list (another
    column mapping or another letter in the database lists other rows, and starts again with none chosen)."""
    import hashlib

    listed = "|".join(f"{e.row}:{e.case_no}" for e in found if not e.certain)
    return hashlib.sha256(listed.encode()).hexdigest()[:12]


def worth_showing(found: Sequence[EditedLetter]) -> tuple[EditedLetter, ...]:
    """The rows the preview lists: all but those whose letter already has their very words (an edited register
    imported again: those rows are that letter, unchanged or changed in other columns, as any row)."""
    return tuple(e for e in found if not (e.certain and e.likeness == 1.0))


def updates_note(found: Sequence[EditedLetter], updates: Mapping[int, str]) -> str:
    """The preview's words for the rows that update letters imported before ("" when none)."""
    sure = sum(1 for e in found if e.certain)
    unsure = [e for e in found if not e.certain]
    chosen = sum(1 for e in unsure if updates.get(e.row) == e.case_no)
    parts = []
    if sure:
        parts.append(f"{sure:,} 行是已导入的信改过反映内容（序号、收件日期、信访人相同，内容相近），"
                     "导入时更新原信访件（编号不变，保留修改历史），不算新信")
    if unsure:
        parts.append(f"{len(unsure):,} 行可能是已导入的信改过内容，但不能确定，请在下表逐行选择；"
                     f"未选“更新原信”的行按新信导入（已选更新 {chosen:,} 行）")
    return "；".join(parts) + ("。" if parts else "")


def changed_words(old: str, new: str) -> str:
    """What an edit did to a letter's words, as the coordinator checks it: ``加「（补充：12月3日再次来信）」``,
    ``删「…」``, ``改「截留」为「挪用」``; more than three changes are named as many (spaces folded; "" when the words
    are the same)."""
    a, b = " ".join((old or "").split()), " ".join((new or "").split())
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "insert":
            parts.append(f"加「{b[j1:j2]}」")
        elif op == "delete":
            parts.append(f"删「{a[i1:i2]}」")
        elif op == "replace":
            parts.append(f"改「{a[i1:i2]}」为「{b[j1:j2]}」")
    return "；".join(parts) if len(parts) <= 3 else f"多处改写（{len(parts)} 处），请对照原信内容与本行内容"


def _day_basis(day: dt.date) -> str:
    # Writer marks compared across letters of one day whose words differ (rows.writer_marks hashes with this).
    return f"xiafang-edited-letter|{day.isoformat()}"


def _shown(text: str, names: Iterable[str]) -> str:
    one_line = " ".join((text or "").split())
    masked = mask_free_text(one_line, tuple(n for n in names if n))
    return masked if len(masked) <= SHOWN_CHARS else masked[:SHOWN_CHARS] + "…"


def _why(preview: RegisterPreview, r: ParsedRow, ref: str, filename: str, alike: float, alone: bool,
         rows: int, letters: int) -> str:
    said = ["收件日期、信访人相同" if r.petitioner.key()
            else "收件日期相同，信都未署名（无法核对是否同一人，不会自动更新）"]
    if preview.row_ref:
        said.append(f"{preview.row_ref}相同" if r.ref and ref == r.ref.strip()
                    else f"{preview.row_ref}不同（原为 {ref or '空'}）")
    elif filename == preview.filename:
        said.append("文件名相同")
    else:
        said.append("来自另一个文件")
    said.append("反映内容相同" if alike == 1.0 else "内容相近" if alike >= ALIKE
                else f"内容只有部分相同（相近程度 {alike:.0%}）")
    if not alone:
        said.append(f"本行可能是 {rows} 件已导入的信之一" if rows > 1 else f"本表有 {letters} 行都像这封信")
    return "，".join(said)
