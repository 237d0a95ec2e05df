"""What a register imported again must not undo: the fields of a letter a person corrected in the app.

Walk W10: a coordinator imported a register, corrected letters in the app (问题类别 on the letter, the point of an
address on 案件地图), and an older copy of the register imported again put the old values back while the preview said
only 更新 3 件. A correction is live while the case still holds it: ``category_source == "corrected"`` and
``point_source == "case_corrected"`` (or a place chosen among the candidates an address fits, which keeps the
resolver's point source and says so in its note: :func:`planner.store.place_choice.held_by_hand`), which an import
never writes. A row that would change such a field keeps the
app's value unless the coordinator takes the file's for that letter and field; the preview lists each one
(:mod:`planner.intake.correction_checks`), and the import's history, audit and summary say what was kept.

The status needs no entry here (an import only ever closes a letter) and nor does an extended deadline (the extension
is kept apart from the register's 办理期限).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.intake.categorize import category_label
from planner.office.clock import show_time
from planner.store.models import CaseHistory
from planner.store.place_choice import held_by_hand

#: The case fields an address places (:func:`planner.places.letters.locate_letters`): a point set by hand keeps them
#: all, so the letter stays where the person put it, with the place it then had.
PLACE_KEYS = ("county", "county_code", "town", "town_code", "village", "village_code", "lon", "lat", "precision",
              "geocode_message", "point_source", "precision_km")
CATEGORY_KEYS = ("category", "category_source", "category_reason", "category_confidence")

#: Field a person corrects in the app -> (what a user calls it, the case fields it holds, those that tell a change).
GROUPS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "category": ("问题类别", CATEGORY_KEYS, ("category",)),
    "place": ("位置（人工校准）", PLACE_KEYS, ("lon", "lat")),
}
#: Which history actions made each correction (for who and when).
_ACTIONS = {"category": "category", "place": "relocate"}

#: ``take_file=ALL``: the file's value for every corrected field.
ALL = True


@dataclass(frozen=True, slots=True)
class Correction:
    """A field of one letter corrected in the app that a register row would change."""

    case_no: str
    field: str  # a key of GROUPS
    app_value: str  # as a user reads it
    file_value: str
    who: str = ""  # who corrected it in the app ("" when the history does not say)
    at: dt.datetime | None = None
    row: int = 0  # the register's row
    taken: bool = False  # the file's value is applied (the coordinator chose it); else the app's is kept

    @property
    def label(self) -> str:
        """What a user calls the field (问题类别)."""
        return GROUPS[self.field][0]

    def line(self) -> str:
        """``ZZ-1 问题类别：系统中为 征地拆迁（林协调，2026-12-03 09:30 更正），登记表为 林业，保留系统中的值``."""
        by = "，".join(p for p in (self.who, show_time(self.at)) if p)
        return (f"{self.case_no} {self.label}：系统中为 {self.app_value}{f'（{by} 更正）' if by else ''}，"
                f"登记表为 {self.file_value}，{'改用登记表的值' if self.taken else '保留系统中的值'}")

    def as_row(self) -> dict[str, object]:
        """One line of the preview's and the result's table."""
        return {"行": self.row, "编号": self.case_no, "字段": self.label,
                "导入时": "改用登记表的值" if self.taken else "保留系统中的值",
                "系统中的值（人工更正）": self.app_value, "登记表的值": self.file_value, "更正人": self.who,
                "更正时间": show_time(self.at)}


def live_corrections(case: object) -> tuple[str, ...]:
    """The fields of a stored case (a ``CaseRow``) that hold a person's correction, in :data:`GROUPS` order."""
    live = []
    if getattr(case, "category_source", "") == "corrected":
        live.append("category")
    if held_by_hand(getattr(case, "point_source", ""), getattr(case, "geocode_message", "")):
        live.append("place")
    return tuple(live)


def _differs(old: object, new: object) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        return old is None or new is None or abs(float(old) - float(new)) > 1e-7
    return (old or "") != (new or "")


def _shown(field: str, values: Mapping[str, object]) -> str:
    if field == "category":
        return category_label(str(values.get("category") or ""), str(values.get("category_source") or ""),
                              str(values.get("category_reason") or ""), values.get("category_confidence"))  # type: ignore[arg-type]
    place = "".join(str(values.get(k) or "") for k in ("county", "town", "village"))
    lon, lat = values.get("lon"), values.get("lat")
    point = f"{float(lon):.5f}, {float(lat):.5f}" if lon is not None and lat is not None else "未定位"
    return f"{place}（{point}）" if place else point


def wanted(case_no: str, field: str, take_file: Collection[tuple[str, str]] | bool) -> bool:
    """True when the coordinator chose the file's value for this letter's field (``take_file``: pairs of case number
    and field, or ``True`` for every one)."""
    return take_file is True or (not isinstance(take_file, bool) and (case_no, field) in take_file)


def split(case: object, fields: dict[str, object], take_file: Collection[tuple[str, str]] | bool = (), *,
          row: int = 0) -> list[Correction]:
    """Take out of ``fields`` (a register row's values for ``case``) the corrected fields the import keeps.

    A corrected field the row would change is a :class:`Correction`: kept (its fields removed from ``fields``) unless
    ``take_file`` names it. A corrected field the row leaves as it is stays out of ``fields`` too, so that the
    person's correction stays one (人工更正, 在地图上校准).

    Returns
    -------
    list[Correction]
        The corrected fields the row would change, each saying whether the file's value is taken.
    """
    out = []
    case_no = str(getattr(case, "case_no", ""))
    for name in live_corrections(case):
        _label, keys, compared = GROUPS[name]
        if not any(_differs(getattr(case, k), fields.get(k)) for k in compared):
            for k in keys:
                fields.pop(k, None)
            continue
        taken = wanted(case_no, name, take_file)
        out.append(Correction(case_no=case_no, field=name, row=row, taken=taken,
                              app_value=_shown(name, {k: getattr(case, k) for k in keys}),
                              file_value=_shown(name, fields)))
        if not taken:
            for k in keys:
                fields.pop(k, None)
    return out


def with_authors(session: Session, corrections: list[Correction], case_ids: Mapping[str, int]) -> list[Correction]:
    """``corrections`` with who made each and when, from the letters' history (the latest of its kind).

    Who is named as every page names an account (林协调（lin）, :func:`planner.store.lifecycle.account_labels`); the
    login name alone only for an account without a display name, or one deleted since.
    """
    from dataclasses import replace

    from planner.store.lifecycle import account_labels

    ids = sorted({case_ids[c.case_no] for c in corrections if c.case_no in case_ids})
    if not ids:
        return corrections
    latest: dict[tuple[int, str], tuple[str, dt.datetime]] = {}
    rows = session.execute(select(CaseHistory.case_id, CaseHistory.action, CaseHistory.who, CaseHistory.at,
                                  CaseHistory.detail)
                           .where(CaseHistory.case_id.in_(ids), CaseHistory.action.in_(set(_ACTIONS.values())))
                           .order_by(CaseHistory.at, CaseHistory.id))
    for case_id, action, who, at, detail in rows:
        if action == "relocate" and (list((detail or {}).get("to") or [])[2:3] != ["case_corrected"]
                                     and not (detail or {}).get("chosen")):
            continue  # a letter moved with its village, not set or chosen by hand
        for name, act in _ACTIONS.items():
            if act == action:
                latest[(case_id, name)] = (who or "", at)
    people = account_labels(session) if latest else {}
    out = []
    for c in corrections:
        who, at = latest.get((case_ids.get(c.case_no, -1), c.field), ("", None))
        out.append(replace(c, who=people.get(who, who) if who else "", at=at))
    return out


def history_detail(corrections: list[Correction]) -> dict[str, object]:
    """What an ``import_update`` history entry records of the corrected fields: kept ones and those replaced."""
    kept = {c.label: {"old": c.app_value, "new": c.file_value} for c in corrections if not c.taken}
    taken = {c.label: {"old": c.app_value, "new": c.file_value} for c in corrections if c.taken}
    return {**({"kept": kept} if kept else {}), **({"replaced_correction": taken} if taken else {})}


def summary_note(corrections: tuple[Correction, ...] | list[Correction]) -> str:
    """The import's words on the corrected fields ("" when none): how many were kept, how many replaced."""
    if not corrections:
        return ""
    kept = [c for c in corrections if not c.taken]
    taken = [c for c in corrections if c.taken]
    parts = []
    if kept:
        parts.append(f"保留了 {len({c.case_no for c in kept})} 件信访件在系统中的人工更正 {len(kept)} 处"
                     f"（{_fields(kept)}），未用登记表的值覆盖")
    if taken:
        parts.append(f"{len({c.case_no for c in taken})} 件按选择改用了登记表的值 {len(taken)} 处（{_fields(taken)}）")
    return "；".join(parts)


def _fields(corrections: list[Correction]) -> str:
    counts: dict[str, int] = {}
    for c in corrections:
        counts[c.label] = counts.get(c.label, 0) + 1
    return "、".join(f"{label} {n}" for label, n in counts.items())
