"""The same letter twice: a row that is an earlier row's letter, or a letter the database already holds, under
another number (and a register without numbers whose two rows are the same day, text and writer).

Split from :mod:`planner.intake.register`, which re-exports what its callers import from it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import Petitioner
from planner.intake.columns import RowIssue
from planner.intake.county_numbers import county_of, in_county, register_county, written_county
from planner.intake.edited_letters import PERHAPS, likeness
from planner.intake.rows import (
    GENERATED_PREFIX,
    ParsedRow,
    _letter_text,
    case_number,
    letter_body,
    same_writer,
    writer_marks,
)

#: How a row that is a letter already in the database (under another number) is rejected.
SAME_LETTER = "与已导入的信访件 {twin} 为同一封信（收信日期、信访人、反映内容相同），未重复导入"
_SAME_LETTER_START = SAME_LETTER.split("{")[0]
#: How a row that is an earlier row's letter entered again under another number (one register) is rejected.
SAME_LETTER_IN_REGISTER = "与第 {row} 行（{where}）为同一封信（收信日期、信访人、反映内容相同），未重复导入"
_SAME_LETTER_IN_REGISTER = re.compile(
    re.escape(SAME_LETTER_IN_REGISTER).replace(re.escape("{row}"), r"\d+").replace(re.escape("{where}"), ".*"))
#: How a row whose number another letter already has is rejected (day, writer and words all differ: not an edit).
NUMBER_TAKEN = ("编号 {no} 已是{whose}信访件（{day} 收件）：本行的收件日期、信访人和反映内容都与它不同，"
                "未导入，以免覆盖该信；如是新来的信，请改用新编号；如确是更正该信，请分次更正（先改内容，再改日期或信访人）")
#: How a row is rejected whose number a letter of another matter has, when the county of one of them is not known
#: (walk W33: an anonymous letter of 平和 replaced 南靖's 2026-010): not an edit either.
OTHER_MATTER = ("编号 {no} 已是{whose}信访件（{day} 收件）：本行反映的是另一件事（{what}），未导入，以免覆盖该信；"
                "如是另一县区或新来的信，请改用新编号，或在地址或文件名中写明县区后再导入；如确是更正该信，请先改内容")
#: The letters in the database: :func:`planner.intake.rows.letter_body` -> (case number, writer marks) of each
#: case with that body, oldest first (see :func:`known_letters`).
KnownLetters = Mapping[str, Sequence[tuple[str, Mapping[str, str]]]]


def _another_identical_letter(parsed: ParsedRow, seen_case: dict[str, int]) -> ParsedRow:
    """A row whose generated number an earlier row of the file already has: the same day, text and writer.

    The rows differ in some other cell (a row equal in every cell was rejected as entered twice), so it is
    imported as another letter numbered ``…-2`` (then ``-3``): the numbers stay the same on every re-import of
    the file, and the warning lets the clerk delete the row if it is the same letter after all.
    """
    base = str(parsed.values["case_no"])
    n = 2
    while f"{base}-{n}" in seen_case:
        n += 1
    number = f"{base}-{n}"
    seen_case[number] = parsed.row
    issue = RowIssue(parsed.row, "", f"与第 {seen_case[base]} 行的收件日期、反映内容和信访人完全相同，按另一封信导入"
                                     f"（编号 {number}）；如是同一封信登记了两次，请删去一行", "warning")
    return dataclasses.replace(parsed, values={**parsed.values, "case_no": number}, issues=(*parsed.issues, issue))


def _same_letter_again(parsed: ParsedRow, ref: str,
                       seen: dict[str, list[tuple[int, str, str, Mapping[str, str]]]]) -> ParsedRow:
    """Reject a row that is an earlier row's letter under another number (the rule across registers, in one).

    Received day, content without spaces and punctuation and a petitioner that agrees (as
    :func:`_already_imported` compares them): the clerk entered one letter twice and gave it two numbers; as
    two cases it would be counted as a repeat of itself (重复举报) and visited twice. The message names the
    earlier row, its 序号 and its number, so the clerk can tell which row to keep. Rows whose numbers are
    equal are handled before (编号重复, or ``-2`` for a register without numbers); anonymous letters never match.
    """
    body = letter_body(parsed.values["received_date"], str(parsed.values["content"]))
    if not body:
        return parsed
    marks = writer_marks(body, parsed.petitioner, parsed.petitioner.key())
    for row, their_ref, number, theirs in seen.get(body, ()):
        if same_writer(marks, theirs):
            where = f"序号 {their_ref}，编号 {number}" if their_ref else f"编号 {number}"
            issue = RowIssue(parsed.row, "", SAME_LETTER_IN_REGISTER.format(row=row, where=where))
            return dataclasses.replace(parsed, issues=(*parsed.issues, issue))
    if marks:
        seen.setdefault(body, []).append((parsed.row, ref, str(parsed.values["case_no"]), marks))
    return parsed


def _already_imported(parsed: ParsedRow, letters: KnownLetters) -> ParsedRow:
    """Reject a row that is a letter the database holds under another number (the rule above, across registers).

    :func:`_same_letter_again` catches a letter entered twice in one register; a letter copied into a second register
    gets that register's number (S-001) or a generated one, so it is matched by what the letter is: received
    day and content without spaces and punctuation, and a petitioner that agrees in what both registers say
    of him (:func:`planner.intake.rows.same_writer`: a register without 身份证号 still matches the one with
    it). A row whose own number is among the twins is that case being re-imported (or a ``-2`` letter of the
    same register).
    """
    body = letter_body(parsed.values["received_date"], str(parsed.values["content"]))
    if not body or body not in letters:
        return parsed
    marks = writer_marks(body, parsed.petitioner, parsed.petitioner.key())
    twins = [no for no, theirs in letters[body] if same_writer(marks, theirs)]
    if str(parsed.values["case_no"]).startswith(GENERATED_PREFIX) and all(
            t.startswith(GENERATED_PREFIX) for t in twins):
        # Both numbered from their words: the case is this row's letter whose words were edited before and which
        # kept its first number (planner.intake.edited_letters finds it and the import updates it).
        return parsed
    # A number stored full-width before numbers were read half-width (ZA２０２６－０２) is this very case.
    if not twins or str(parsed.values["case_no"]) in {case_number(t) for t in twins}:
        return parsed
    issue = RowIssue(parsed.row, "", SAME_LETTER.format(twin=twins[0]))
    return dataclasses.replace(parsed, issues=(*parsed.issues, issue))


def _number_taken(parsed: ParsedRow, numbers: Mapping[str, tuple[object, str, str, object]],
                  register: tuple[str, str, str] = ("", "", "")) -> ParsedRow:
    """Reject a row whose number a stored case has when it is plainly another letter: another received day,
    other words and another petitioner (walk P: a second register numbered ZZ2026-001… from 001 again replaced
    five letters, two of them on an issued plan, and said 更新 5). A change of one or two of these is an edit,
    unless the words are clearly of another matter (less alike than :data:`PERHAPS`), the day differs too and the
    county of one of them is not known (walk W33: an anonymous letter, whose petitioner says nothing). A letter of
    another county was given its own number before (:func:`planner.intake.county_numbers.in_county`)."""
    got = numbers.get(str(parsed.values["case_no"]))
    if got is None:
        return parsed
    day, words, key, county = (*got[:3], county_of(got))
    mine = parsed.petitioner.key() if parsed.petitioner else ""
    same_day, text = day == parsed.values["received_date"], str(parsed.values["content"] or "")
    whose = f"{county}的" if county else "另一封"
    if not same_day and words != _letter_text(text) and key and mine and key != mine:
        message = NUMBER_TAKEN.format(no=parsed.values["case_no"], day=day, whose=whose)
    elif not same_day and likeness(words, text) < PERHAPS and not (
            county and written_county(str(parsed.values.get("address_text") or ""), register_county(*register))):
        # Only when the county of one of them is not known and the day differs too: a letter received the same day,
        # or of a known same county, whose words were rewritten is an edit, as before (a placeholder 早先版本的内容
        # replaced by the letter's own words: tests/security/test_killed_import.py).
        what = "收件日期、反映内容都不同"
        message = OTHER_MATTER.format(no=parsed.values["case_no"], day=day, whose=whose, what=what)
    else:
        return parsed
    return dataclasses.replace(parsed, issues=(*parsed.issues, RowIssue(parsed.row, "", message)))


def against_stored(parsed: ParsedRow, letters: KnownLetters | None, register: tuple[str, str, str]) -> ParsedRow:
    """The row checked against the letters in the database (:func:`known_letters`, None when it is not read): under
    its county's own number when its number is another county's letter's (W33), refused when it is a stored letter
    under another number, or another letter under a stored letter's number (walk P)."""
    numbers = getattr(letters, "numbers", None)
    if parsed.ok and numbers:
        parsed = in_county(parsed, numbers, register)
    if letters and parsed.ok:
        parsed = _already_imported(parsed, letters)
    return _number_taken(parsed, numbers, register) if parsed.ok and numbers else parsed


def with_rows(letters: KnownLetters | None, rows: Sequence[ParsedRow], register: tuple[str, str, str]) -> _Known:
    """``letters`` with the numbers and letters of ``rows`` (a sheet read before) as if stored: the next sheet of a
    workbook is read against them, as its import will be (one county's sheet after another's: 2026-050 twice is two
    letters; the same letter under another number on a later sheet is refused in the preview as in the import)."""
    out = _Known()
    out.update(letters or {})
    out.numbers = dict(getattr(letters, "numbers", {}))
    out.sources = dict(getattr(letters, "sources", {}))
    hint = register_county(*register)
    for r in rows:
        if r.ok and (no := str(r.values.get("case_no") or "")) and no not in out.numbers:
            out.numbers[no] = (r.values["received_date"], _letter_text(str(r.values["content"] or "")),
                               r.petitioner.key() if r.petitioner else "",
                               written_county(str(r.values.get("address_text") or ""), hint))
        if r.ok and no and (body := letter_body(r.values["received_date"], str(r.values["content"] or ""))) and (
                marks := writer_marks(body, r.petitioner, r.petitioner.key() if r.petitioner else "")):
            out[body] = (*out.get(body, ()), (no, marks))  # as :func:`known_letters` keeps a stored letter
    return out


def _is_known_letter(parsed: ParsedRow) -> bool:
    return any(i.level == "error" and i.message.startswith(_SAME_LETTER_START) for i in parsed.issues)


def _is_repeated_letter(parsed: ParsedRow) -> bool:
    return any(i.level == "error" and _SAME_LETTER_IN_REGISTER.fullmatch(i.message) for i in parsed.issues)


class _Known(dict):
    """:data:`KnownLetters`, and ``numbers``: case number -> (received day, words, petitioner key, county) of each
    case; the county as :func:`planner.intake.county_numbers.county_of` reads it."""

    def __init__(self) -> None:
        super().__init__()
        self.numbers: dict[str, tuple[object, str, str, object]] = {}
        #: 自编 number -> (file it was last imported from, the case's own register columns), for
        #: :mod:`planner.intake.numbered_later` (a 编号 filled in later comes from the same register).
        self.sources: dict[str, tuple[str, dict]] = {}


def known_letters(session: Session) -> dict[str, tuple[tuple[str, dict[str, str]], ...]]:
    """Every signed letter in the database by :func:`planner.intake.rows.letter_body` (see :data:`KnownLetters`).

    For :func:`read_register`'s ``known_letters``: the 导入 page passes it so the preview already shows which
    rows are letters imported before; :func:`import_register` reads it in its own transaction. Nothing about a
    letter's identity is stored: it is worked out here from each case's day, content and ``petitioners`` row
    (the stored petitioner key only for a case without one), so cases imported by any earlier version compare
    the same way. Anonymous letters are left out (never the same letter as another).
    """
    from planner.store.models import CaseRow, ImportBatch, PetitionerRow

    out = _Known()
    query = select(CaseRow.case_no, CaseRow.received_date, CaseRow.content, CaseRow.petitioner_key,
                   PetitionerRow.name, PetitionerRow.phone, PetitionerRow.id_number, PetitionerRow.id,
                   CaseRow.address_text, CaseRow.geocode_message, ImportBatch.filename) \
        .outerjoin(PetitionerRow, PetitionerRow.case_id == CaseRow.id) \
        .outerjoin(ImportBatch, ImportBatch.id == CaseRow.batch_id).order_by(CaseRow.id)
    for no, received, content, key, name, phone, id_number, pid, address, note, file in session.execute(query):
        where = (address or "", note or "", file or "")  # its county, read only for a number a row has (W33)
        out.numbers[case_number(no)] = (received, _letter_text(content or ""), key or "", where)
        if not (body := letter_body(received, content or "")):
            continue
        if pid is None:
            marks = writer_marks(body, None, key or "")
        else:
            marks = writer_marks(body, Petitioner(name=name or "", phone=phone or "", id_number=id_number or ""))
        if marks:
            out[body] = (*out.get(body, ()), (no, marks))
    out.sources = {no: (filename or "", dict(extra or {})) for no, filename, extra in session.execute(
        select(CaseRow.case_no, ImportBatch.filename, CaseRow.extra_fields)
        .outerjoin(ImportBatch, ImportBatch.id == CaseRow.batch_id)
        .where(CaseRow.case_no.startswith(GENERATED_PREFIX, autoescape=True)))}
    return out
