"""A letter whose 编号 cell is empty in a register that has a number column: numbered from the letter itself.

Walk W8 (a hand-written county register): five real letters with an empty 编号 cell were rejected with 编号为空 and
never reached the office's cases. Such a letter gets the number a register without a number column gives each
letter (:func:`planner.intake.rows.generated_case_no`: ``自编-收件日期-摘要``, from its received day, words and
writer): the same number on every import of the file, so importing the register again finds the case and adds no
second one. The row says so (编号为空，已自动编号 自编-…), and the preview counts such rows, so the coordinator sees
them before confirming. A row without its received day or its words cannot be numbered and stays refused (those are
errors of their own).

Split from :mod:`planner.intake.register`, which calls :func:`number_blank_cell` on every row it reads.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping

from planner.intake.rows import GENERATED_PREFIX, ParsedRow, _text, generated_case_no

#: The error :func:`planner.intake.rows._validate_row` gives a row with an empty 编号 cell.
BLANK = "编号为空"
#: The warning that replaces it when the letter is numbered from its words (its start finds the rows again).
NUMBERED = "编号为空，已自动编号 {number}（按收件日期、反映内容和信访人生成，再次导入同一张表编号不变，不会重复）"
_NUMBERED_START = NUMBERED.split("{")[0]
#: The error kept when the letter cannot be numbered.
NOT_NUMBERED = "编号为空，且缺少收件日期或反映内容，无法自动编号"


def number_blank_cell(parsed: ParsedRow, mapping: Mapping[str, str]) -> ParsedRow:
    """The row with a number made from its letter when its 编号 cell is empty (see the module); others as they are.

    Parameters
    ----------
    parsed
        A row as :func:`planner.intake.rows._validate_row` read it from a register with a number column.
    mapping
        Field key -> header of the register (the 编号 and 信访人 columns are read from it).

    Returns
    -------
    ParsedRow
        The row numbered ``自编-…`` with a warning in place of the error, or with the error saying why it
        cannot be numbered; the row itself when its cell holds a number.
    """
    header = mapping.get("case_no")
    blank = [i for i in parsed.issues if i.level == "error" and i.message == BLANK and i.column == header]
    if header is None or not blank:
        return parsed
    received, content = parsed.values.get("received_date"), str(parsed.values.get("content") or "")
    if not content or (not isinstance(received, dt.date) and "received_date" in mapping):  # undated: words alone
        told = dataclasses.replace(blank[0], message=NOT_NUMBERED)
        return dataclasses.replace(parsed, issues=tuple(told if i is blank[0] else i for i in parsed.issues))
    # As a register without a number column numbers it: the name as written (匿名 and "" alike).
    petitioner = mapping.get("petitioner_name")
    number = generated_case_no(received, content, _text(parsed.raw.get(petitioner)) if petitioner else "")
    told = dataclasses.replace(blank[0], message=NUMBERED.format(number=number), level="warning")
    return dataclasses.replace(parsed, values={**parsed.values, "case_no": number},
                               issues=tuple(told if i is blank[0] else i for i in parsed.issues))


def numbered_here(parsed: ParsedRow) -> bool:
    """Whether the row's number was made here from its letter (its 编号 cell is empty)."""
    return str(parsed.values.get("case_no") or "").startswith(GENERATED_PREFIX) and any(
        i.level == "warning" and i.message.startswith(_NUMBERED_START) for i in parsed.issues)


def blank_numbers_note(rows: Iterable[ParsedRow], header: str | None) -> str:
    """The preview's note on the rows numbered here and the rows that could not be ("" when there are none)."""
    rows = list(rows)
    numbered = [r for r in rows if numbered_here(r) and r.ok]
    refused = [r for r in rows if any(i.level == "error" and i.message == NOT_NUMBERED for i in r.issues)]
    if not numbered and not refused:
        return ""
    column = f"「{header}」" if header else "编号列"
    parts = []
    if numbered:
        shown = "、".join(f"第 {r.row} 行 {r.values['case_no']}" for r in numbered[:5])
        more = f" 等 {len(numbered)} 行" if len(numbered) > 5 else ""
        parts.append(
            f"{len(numbered)} 行{column}为空，已按收件日期、反映内容和信访人自动编号（{shown}{more}）并将导入；"
            "再次导入同一张表编号不变，不会重复")
    if refused:
        parts.append(f"{len(refused)} 行{column}为空，又缺少收件日期或反映内容，无法自动编号，将拒收")
    return "。".join(parts) + "。"
