"""The app's own exported register (统计 → 导出登记表) read back: what the export wrote is no edit by the office.

The export (:mod:`planner.intake.register_export`) writes, beside the register's own fields, what the app derived:
how each category was set (类别依据), where the letter was placed (县区/乡镇/村 and 经度/纬度 of the placing, often
an estimated town or county seat) and 市外（转外地办理：…） for a letter outside the city. Read back as a register,
every case showed 更新: 类别依据 became a register column, 县区 was put in front of the address, and the placing's
coordinates became register coordinates — a county-seat estimate would then claim a surveyed point's precision.

A register is the export when it holds every fixed column of it (:data:`register_export.COLUMNS`). Each row of a
stored case is compared cell by cell with what the export writes for that case now (:func:`export_cells`):

- a row that says what the export writes is 未变 (nothing is written);
- a cell the office changed updates its field only; every other field keeps the stored value;
- 类别依据 is never a register column; coordinates are register coordinates only where the office changed them
  (the preview names those letters); the placing's own come back as they were stored;
- 县区/乡镇/村 as exported are no part of the address; one the office changed is put before it, 市外 never is.

A row of a letter not stored keeps no exported coordinates (they were another database's placing) and no 类别依据.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.intake.outside_city import OUTSIDE_SHORT, outside_among
from planner.intake.register_export import COLUMNS, export_cells, extra_header
from planner.intake.rows import ParsedRow
from planner.office.privacy import plain_cell

#: The export's fixed headers, in order; a register holding all of them is the export read back.
FIXED = tuple(h for h, _w in COLUMNS)
#: Columns the app derives and no office keeps: never read as a register column.
DERIVED = ("类别依据",)
#: Columns the office may edit -> the row's fields they set (restored from the stored case when unchanged).
_FIELDS: Mapping[str, tuple[str, ...]] = {
    "收件日期": ("received_date",), "办理期限": ("deadline",), "来源": ("source",),
    "问题类别": ("category", "category_source", "category_reason", "category_confidence"),
    "反映内容": ("content",), "标题": ("title",), "被反映人": ("reported_persons",),
    "被反映单位": ("reported_units",), "涉及人数": ("people_affected",), "办理状态": ("status",),
}
_PLACE = ("县区", "乡镇", "村")
_COORDS = ("经度", "纬度")
_IDENTITY = ("信访人", "联系电话", "身份证号")


def is_own_export(headers: Iterable[object]) -> bool:
    """Whether a register's headers are the export's (every fixed column of :data:`COLUMNS`)."""
    return set(FIXED) <= {str(h).strip() for h in headers if h is not None}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return str(int(value)) if value.is_integer() else repr(round(value, 6))
    text = plain_cell(str(value)) if isinstance(value, str) else str(value)
    return re.sub(r"\s+", " ", text.replace("\r\n", "\n")).strip()


def _number(value: object) -> float | None:
    try:
        x = float(str(value).strip()) if not isinstance(value, int | float) else float(value)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def same_cell(header: str, cell: object, written: object) -> bool:
    """Whether a cell says what the export wrote (coordinates to the 6 decimals written; whitespace ignored)."""
    if header in _COORDS:
        a, b = _number(cell), _number(written)
        if a is not None and b is not None:
            return abs(a - b) <= 2e-6
    return _text(cell) == _text(written)


@dataclass(frozen=True, slots=True)
class OwnExport:
    """What reading the app's own export back did, for the preview and the result."""

    rows: int = 0  # rows of the export (stored cases and others)
    same: frozenset[int] = frozenset()  # rows that say what the export writes for their case: 未变
    edited: tuple[tuple[str, int], ...] = ()  # (column, how many cases) the office changed
    coords_taken: tuple[str, ...] = ()  # case numbers whose coordinates the office changed: register coordinates
    coords_dropped: int = 0  # rows of letters not stored whose exported coordinates were not taken

    def note(self) -> str:
        """The preview's words ("" when the register is no export of this app)."""
        if not self.rows:
            return ""
        parts = [f"{len(self.same):,} 件与系统中相同，不更新"]
        if self.edited:
            cols = "、".join(f"{c} {n:,} 件" for c, n in self.edited)
            parts.append(f"改过的单元格只更新该项（{cols}）")
        parts.append("“类别依据”和未改的县区、乡镇、村、经纬度是系统写的，不当作登记表的内容")
        if self.coords_taken:
            more = f" 等 {len(self.coords_taken):,} 件" if len(self.coords_taken) > 5 else ""
            parts.append(f"{'、'.join(self.coords_taken[:5])}{more}的经纬度在表中改过，按登记表坐标（实测点）导入，"
                         "请确认是实地测得的坐标")
        if self.coords_dropped:
            parts.append(f"{self.coords_dropped:,} 行是系统中没有的信访件，导出表上的经纬度是另一处的定位结果，"
                         "不当作登记表坐标，按地址定位")
        return "这张表是本系统导出的登记表：" + "；".join(parts) + "。"


def reconcile(session: Session, rows: Iterable[ParsedRow]) -> tuple[list[ParsedRow], OwnExport]:
    """``rows`` of the app's own export with what the export wrote taken from the stored cases (see the module).

    Parameters
    ----------
    session
        Open session (read only).
    rows
        Valid rows, numbered as the import writes them; rows of any other register are returned unchanged.

    Returns
    -------
    tuple[list[ParsedRow], OwnExport]
        The rows and what was done (:meth:`OwnExport.note`).
    """
    from planner.store.models import CaseRow

    rows = list(rows)
    mine = [r for r in rows if is_own_export(r.raw)]
    if not mine:
        return rows, OwnExport()
    numbers = sorted({str(r.values["case_no"]) for r in mine})
    stored: dict[str, CaseRow] = {}
    for start in range(0, len(numbers), 500):
        query = select(CaseRow).where(CaseRow.case_no.in_(numbers[start:start + 500])) \
            .options(selectinload(CaseRow.petitioner))
        stored.update({c.case_no: c for c in session.scalars(query)})
    outside = outside_among(session, set(stored))
    out, same, taken, dropped, edited = [], set(), [], 0, {}
    for r in rows:
        if not is_own_export(r.raw):
            out.append(r)
            continue
        case = stored.get(str(r.values["case_no"]))
        if case is None:
            values = _not_stored(r)
            dropped += values.get("lon") is None and r.values.get("lon") is not None
            out.append(dataclasses.replace(r, values=values))
            continue
        values, changed = _against(r, case, case.case_no in outside)
        if not changed:
            same.add(r.row)
        for c in changed:
            edited[c] = edited.get(c, 0) + 1
        if set(changed) & set(_COORDS):
            taken.append(case.case_no)
        out.append(dataclasses.replace(r, values=values))
    return out, OwnExport(rows=len(mine), same=frozenset(same), edited=tuple(edited.items()),
                          coords_taken=tuple(taken), coords_dropped=dropped)


def _extras(raw: Mapping[str, object]) -> list[str]:
    return [str(h) for h in raw if str(h).strip() not in FIXED]


def _not_stored(r: ParsedRow) -> dict[str, object]:
    values = dict(r.values)
    values["extra_fields"] = {extra_header(h): v for h, v in (values.get("extra_fields") or {}).items()
                              if h not in DERIVED}
    values["lon"] = values["lat"] = None
    values["datum"] = ""
    county = _text(r.raw.get("县区"))
    if county.startswith(OUTSIDE_SHORT):  # 市外（转外地办理：…） is no place to put before the address
        values["address_text"] = str(values.get("address_text") or "").replace(str(r.raw.get("县区") or ""), "", 1)
    return values


def _against(r: ParsedRow, case: object, outside: bool) -> tuple[dict[str, object], list[str]]:
    """The row's values with every unchanged column's field as stored, and the columns the office changed."""
    extras = _extras(r.raw)
    written = dict(zip([*FIXED, *extras], export_cells(case, outside=outside,
                                                       extras=[extra_header(h) for h in extras]), strict=True))
    differs = {h: not same_cell(h, r.raw.get(h), written[h]) for h in written if h not in DERIVED and h != "编号"}
    values = dict(r.values)
    for header, keys in _FIELDS.items():
        if not differs[header]:
            for k in keys:
                values[k] = "" if k == "status" else _stored_value(case, k)
    # The address: the stored one unless 地址 changed; a place column the office changed goes before it.
    base = str(case.address_text or "") if not differs["地址"] else _text(r.raw.get("地址"))
    prefix = "".join(t for h in _PLACE if differs[h] and (t := _text(r.raw.get(h)))
                     and t not in base and not t.startswith(OUTSIDE_SHORT))
    values["address_text"] = prefix + base
    if not (differs["经度"] or differs["纬度"]):
        # The placing written back: a register coordinate only if it was one.
        own = getattr(case, "point_source", "") == "register" and case.lon is not None and case.lat is not None
        values["lon"], values["lat"] = (case.lon, case.lat) if own else (None, None)
        values["datum"] = "wgs84" if own else ""
    own_extra = dict(case.extra_fields or {})
    extra = dict(own_extra)
    parsed = dict(values.get("extra_fields") or {})
    for h in extras:
        if h in DERIVED:
            continue
        name = extra_header(h)
        if differs[h]:
            if h in parsed:
                extra[name] = parsed[h]
            else:
                extra.pop(name, None)
    values["extra_fields"] = extra
    changed = [h for h, d in differs.items() if d and h not in _IDENTITY]
    changed += [h for h in _IDENTITY if differs[h]]
    return values, changed


def _stored_value(case: object, key: str) -> object:
    value = getattr(case, key)
    if key in ("reported_persons", "reported_units"):
        return list(value or ())
    if key == "people_affected":
        return int(value or 0)
    if key in ("category", "category_source", "category_reason", "source", "title", "content"):
        return value or ""
    return value

