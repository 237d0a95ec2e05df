"""One 编号 in two counties' registers (walk W33): each county office numbers its letters from 001, so 南靖's
2026-010 and 平和's 2026-010 are two letters. A row whose number a stored letter of another county has is that
county's own letter, kept beside it under the number scoped by its county: ``2026-010(平和县)``.

The county of a letter is the office that numbered it, never a guess: the county its register names (sheet, title or
file name: :func:`planner.places.county_hint.county_hint`), else the county its address names (exactly one); for a
stored letter its register's file name and sheet, else its address, else the hint its place note carries. Read so,
the same register imported again finds every letter of it under the number it was stored with (the scoped one too),
so nothing is doubled; a letter whose county is not known either way is compared by what it says
(:func:`planner.intake.same_letter`).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping

import geodata
from planner.intake.columns import RowIssue
from planner.intake.edited_letters import likeness
from planner.intake.rows import ParsedRow
from planner.places.county_hint import CountyHint, counties_named, county_hint, hint_from_note

#: A number another county's stored letter has, with the county of this row: the number this row's letter is kept under.
SCOPED = "{no}({county})"
#: The warning of a row kept under its scoped number.
OTHER_COUNTY = (
    "编号 {no} 已是{theirs}的信访件（{day} 收件）：本行是{mine}的另一封信，按编号 {scoped} 导入，"
    "两封信都保留、互不覆盖（两县区各自从 001 编号）"
)
#: The note of a row that is the stored letter with its address moved to another county: same day, same words.
MOVED_COUNTY = (
    "编号 {no} 的信访件（{day} 收件）原在{theirs}，本行地址在{mine}：收件日期、反映内容相同，按同一封信更正地址"
    "（如确是{mine}的另一封信，请改用新编号）"
)
#: Words at least this alike (:func:`planner.intake.edited_letters.likeness`), received the same day: one letter.
SAME_WORDS = 0.8


@functools.lru_cache(maxsize=256)
def register_county(filename: str, sheet: str = "", title: str = "") -> CountyHint | None:
    """The county a register names (:func:`county_hint`); a sheet's batch is named ``file.xlsx「云霄县」``."""
    if not sheet and (m := re.search(r"「([^」]*)」$", filename or "")):
        sheet = m.group(1)
    return county_hint(filename or "", sheet, title)


def written_county(address: str, register: CountyHint | None, note: str = "") -> str:
    """The county whose office numbered a letter (see the module): the county its register names first — a 南靖
    register's letter about a place in 平和 is still 南靖's 2026-019 (walk W37: it took 平和's 2026-019, whose own
    register then could not be imported) — else the one county its address names, else (a stored letter) the county
    hint of its place note; "" when none names exactly one."""
    if register:
        return register.county
    named = counties_named(address or "")
    if len(named) == 1:
        return geodata.county_by_code(next(iter(named))).name
    if hint := hint_from_note(note):
        return hint.county
    return ""


def county_of(stored: tuple) -> str:
    """The county of a stored letter, from :attr:`planner.intake.same_letter._Known.numbers`: its 4th item is the
    county, or (address, place note, file name of its batch) to read it from, read only when a row has its number."""
    where = stored[3]
    return where if isinstance(where, str) else _stored_county(*where)


@functools.lru_cache(maxsize=4096)
def _stored_county(address: str, note: str, filename: str) -> str:
    return written_county(address, register_county(filename), note)


def in_county(parsed: ParsedRow, numbers: Mapping[str, tuple], register: tuple[str, str, str]) -> ParsedRow:
    """The row, under its number scoped by its county when a stored letter of another county has its number.

    ``numbers`` is :attr:`planner.intake.same_letter._Known.numbers` (number -> day, words, petitioner key, county);
    ``register`` the register's (file name, sheet, title). The warning names the other letter and the number this
    one is kept under, on every import of the register, so the clerk can tell the two apart.
    """
    no = str(parsed.values["case_no"] or "")
    got = numbers.get(no)
    if got is None or not (theirs := county_of(got)):
        return parsed
    mine = written_county(str(parsed.values.get("address_text") or ""), register_county(*register))
    if not mine or mine == theirs:
        return parsed
    if got[0] == parsed.values.get("received_date") and likeness(got[1], str(parsed.values.get("content") or "")) \
            >= SAME_WORDS:
        # The stored letter, its address corrected to another county (a clerk's correction): an update, said so.
        moved = RowIssue(parsed.row, "", MOVED_COUNTY.format(no=no, day=got[0], theirs=theirs, mine=mine), "warning",
                         parsed.ref)
        return dataclasses.replace(parsed, issues=(*parsed.issues, moved))
    scoped = SCOPED.format(no=no, county=mine)
    note = RowIssue(
        parsed.row,
        "",
        OTHER_COUNTY.format(no=no, theirs=theirs, day=got[0], mine=mine, scoped=scoped),
        "warning",
        parsed.ref,
    )
    return dataclasses.replace(parsed, values={**parsed.values, "case_no": scoped}, issues=(*parsed.issues, note))
