"""The app's own exported register (统计 → 下载登记表) read back: what the export withheld is no value.

The export (:mod:`planner.intake.register_export`) writes 已隐去 for the petitioner's name, phone and ID number and
for a column about him (信访人住址, 备用电话), and withholds names and phones inside the letter's text, the title, the
address and the office's own columns ([姓名已隐去], [电话已隐去]). An office may fill in a column of that export and
import it back (walk W18: 更新 169 件 replaced every petitioner by 已隐去 and the words by their masked form). So, for
a row whose case is stored:

- a placeholder cell keeps the stored value (name, phone, ID number, a personal column);
- a text holding a placeholder whose withheld form (:func:`planner.intake.register_export.withheld_text`) is the
  stored text's keeps the stored text; one edited on top of the withheld words keeps the stored text too (the hidden
  parts cannot be put back), and the preview says so;
- a row of a letter not stored takes no placeholder as a value: its withheld identity is unknown (none is stored).

Placeholders never make two letters the same (:func:`planner.intake.rows.withheld_cell` gives no writer marks).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.domain import Petitioner
from planner.intake.own_export import OwnExport, reconcile
from planner.intake.register_export import withheld_text, writer_names
from planner.intake.rows import ParsedRow, withheld_cell
from planner.office.privacy import ID_PLACEHOLDER, NAME_IN_TEXT_WITHHELD, PHONE_IN_TEXT_WITHHELD

#: What the export leaves inside a text where it withheld a name, a phone or an ID number.
TEXT_MARKS = (NAME_IN_TEXT_WITHHELD, PHONE_IN_TEXT_WITHHELD, ID_PLACEHOLDER)
#: The text fields of a case the export withholds in.
_TEXTS = ("content", "title", "address_text")
_PERSON = {"petitioner_name": "name", "petitioner_phone": "phone", "petitioner_id": "id_number"}


def _marked(value: object) -> bool:
    return isinstance(value, str) and any(m in value for m in TEXT_MARKS)


def carries_placeholders(row: ParsedRow) -> bool:
    """Whether a row holds anything the export withheld (a 已隐去 cell or a masked text)."""
    v = row.values
    return bool(row.withheld) or any(_marked(v.get(k)) for k in _TEXTS) or any(
        withheld_cell(x) or _marked(x) for x in (v.get("extra_fields") or {}).values())


def _kept_text(written: str, stored: str, names: Sequence[str]) -> tuple[str, bool]:
    """(the text to store, whether the row's edit was set aside) for a row text holding a placeholder."""
    if not _marked(written) or written == stored:
        return written, False
    mine, theirs = withheld_text(written, names), withheld_text(stored, names)
    if mine == theirs:
        return stored, False
    if mine.endswith(theirs) and not _marked(head := mine[: len(mine) - len(theirs)]):
        return head + stored, False  # 县区 written before the address (南靖县 + 和溪镇…[姓名已隐去]家)
    return stored, True


@dataclass(frozen=True, slots=True)
class Kept:
    """What reading back withheld cells did, for the preview and the result."""

    kept: int = 0  # rows of stored cases whose withheld identity or words kept the stored ones
    unknown: int = 0  # rows of letters not stored whose identity was withheld: imported without it
    set_aside: tuple[str, ...] = ()  # case numbers whose text was edited on top of withheld words: stored text kept
    # the app's own export read back: its unchanged rows (未变) and what it did
    export: OwnExport = dataclasses.field(default_factory=OwnExport)

    @property
    def same(self) -> frozenset[int]:
        """Rows of the app's own export that say what is stored: the import writes nothing for them."""
        return self.export.same

    def note(self) -> str:
        """The preview's words ("" when the register withheld nothing)."""
        parts = []
        if self.kept:
            parts.append(f"信访人身份信息已隐去的 {self.kept:,} 件保留原登记信息（“已隐去”和文字中的"
                         "[姓名已隐去]、[电话已隐去]不当作新值，不覆盖系统中的信访人、电话、身份证号和反映内容）")
        if self.set_aside:
            more = f" 等 {len(self.set_aside):,} 件" if len(self.set_aside) > 5 else ""
            shown = "、".join(self.set_aside[:5]) + more
            parts.append(f"{shown}的反映内容等是在已隐去身份的文字上改的，隐去的部分无法还原，保留系统中的原文；"
                         "如需修改，请在系统中直接修改")
        if self.unknown:
            parts.append(f"{self.unknown:,} 行的信访人身份已隐去且系统中没有这封信，按未登记信访人导入")
        own = self.export.note()  # 这张表是本系统导出的登记表：… said once
        head = "信访人身份已隐去：" if self.export.rows else "这张表是导出的登记表（信访人身份已隐去）："
        return own + (head + "；".join(parts) + "。" if parts else "")


def keep_stored(session: Session, rows: Iterable[ParsedRow]) -> tuple[list[ParsedRow], Kept]:
    """``rows`` with what the export withheld taken from the stored cases (see the module), and what was done.

    Parameters
    ----------
    session
        Open session (read only).
    rows
        Valid rows, numbered as the import writes them (:func:`planner.intake.register.rows_to_write`).

    Returns
    -------
    tuple[list[ParsedRow], Kept]
        The rows (unchanged when they hold no placeholder) and the counts.
    """
    from planner.store.models import CaseRow

    # The export's own columns first (类别依据, the placing's 县区 and coordinates): what it wrote is no edit.
    rows, export = reconcile(session, rows)
    marked = [r for r in rows if carries_placeholders(r)]
    if not marked:
        return rows, Kept(export=export)
    numbers = sorted({str(r.values["case_no"]) for r in marked})
    stored = {}
    for start in range(0, len(numbers), 500):
        query = select(CaseRow).where(CaseRow.case_no.in_(numbers[start:start + 500])) \
            .options(selectinload(CaseRow.petitioner))
        stored.update({c.case_no: c for c in session.scalars(query)})
    out, kept, unknown, set_aside = [], 0, 0, []
    for r in rows:
        if not carries_placeholders(r):
            out.append(r)
            continue
        case = stored.get(str(r.values["case_no"]))
        if case is None:
            unknown += bool(r.withheld)
            extra = {h: v for h, v in (r.values.get("extra_fields") or {}).items() if not withheld_cell(v)}
            out.append(dataclasses.replace(r, values={**r.values, "extra_fields": extra}))
            continue
        who = case.petitioner
        names = writer_names(who)
        values = dict(r.values)
        edited = False
        for key in _TEXTS:
            values[key], aside = _kept_text(str(values.get(key) or ""), str(getattr(case, key) or ""), names)
            edited |= aside
        own = dict(case.extra_fields or {})
        extra = {}
        for h, v in (values.get("extra_fields") or {}).items():
            if withheld_cell(v):
                if own.get(h):
                    extra[h] = own[h]
            elif _marked(v) and h in own:
                extra[h], aside = _kept_text(str(v), str(own[h]), names)
                edited |= aside
            else:
                extra[h] = v
        values["extra_fields"] = extra
        person = r.petitioner
        if r.withheld:
            held = {attr: str(getattr(who, attr, "") or "") for k, attr in _PERSON.items() if k in r.withheld}
            person = Petitioner(**{"name": person.name, "phone": person.phone, "id_number": person.id_number, **held})
        kept += 1
        if edited:
            set_aside.append(str(r.values["case_no"]))
        out.append(dataclasses.replace(r, values=values, petitioner=person))
    return out, Kept(kept=kept, unknown=unknown, set_aside=tuple(set_aside), export=export)


def withheld_note(session: Session, rows: Iterable[ParsedRow]) -> str:
    """The preview's words on the placeholders of the valid ``rows`` (:meth:`Kept.note`; "" for none)."""
    return keep_stored(session, [r for r in rows if r.ok])[1].note()
