"""The app's own exported register (统计 → 导出登记表) read back: what the export wrote is no edit by the office.

The export (:mod:`planner.intake.register_export`) writes, beside the register's own fields, what the app derived:
how each category was set (类别依据), where the letter was placed (县区/乡镇/村 and 经度/纬度 of the placing, often
an estimated town or county seat) and 市外（转外地办理：…） for a letter outside the city. Read back as a register,
every case showed 更新: 类别依据 became a register column, 县区 was put in front of the address, and the placing's
coordinates became register coordinates — a county-seat estimate would then claim a surveyed point's precision.

A register is the export when it holds 编号 and all but a few of its fixed columns (:data:`register_export.COLUMNS`),
or 编号, half of them and a column only the export writes (类别依据, 定位方式): walk W35 deleted 类别依据 and all 166
letters became 更新, 155 estimated seats register coordinates. A fixed column the office deleted keeps every stored
value. Each row of a stored case is compared cell by cell with what the export writes for that case now
(:func:`export_cells`):

- a row that says what the export writes is 未变 (nothing is written);
- a cell the office changed updates its field only; every other field keeps the stored value;
- 类别依据 is never a register column; coordinates are register coordinates only where the office changed them
  (the preview names those letters); the placing's own come back as they were stored;
- 县区/乡镇/村 as exported are no part of the address; one the office changed is put before it, 市外 never is.

A row of a letter not stored keeps no exported coordinates (they were another database's placing) and no 类别依据.

Whatever the file (an export trimmed past recognition, another tool's copy of it), a row's coordinates are no
register coordinates where its 定位方式 says they are an estimate or a gazetteer point
(:func:`planner.intake.export_marks.measured`) or where they are the stored letter's own estimated point; a 县区 cell
in the export's words (市外（转外地办理：…）) is never put before the address; 定位方式 and 可能偏差 are never register
columns.
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

from planner.intake.export_marks import POINT_BOUND, POINT_METHOD, measured
from planner.intake.outside_city import OUTSIDE_SHORT, outside_among
from planner.intake.register_export import COLUMNS, export_cells, extra_header
from planner.intake.rows import ParsedRow
from planner.office.privacy import plain_cell

#: The export's fixed headers, in order; a register holding 编号 and nearly all of them is the export read back.
FIXED = tuple(h for h, _w in COLUMNS)
#: Columns the app derives and no office keeps: never read as a register column; with 编号 and half of the fixed
#: columns, one of them marks the export.
DERIVED = ("类别依据", POINT_METHOD, POINT_BOUND)
#: How many fixed columns an office may delete and still have the register read as the export by its headers alone.
MAY_DELETE = 4
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
    """Whether a register's headers are the export's: 编号 and all fixed columns of :data:`COLUMNS` but
    :data:`MAY_DELETE`, or 编号, half of them and one the export alone writes (:data:`DERIVED`). An export written
    before 定位方式 was added (two columns fewer) is the export too."""
    have = {str(h).strip() for h in headers if h is not None}
    if "编号" not in have:
        return False
    fixed = len(have & set(FIXED))
    return fixed >= len(FIXED) - MAY_DELETE or (bool(have & set(DERIVED)) and 2 * fixed >= len(FIXED))


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
    # rows of any other register whose coordinates its 定位方式 or the stored letter says are an estimate: not taken
    estimates_dropped: int = 0
    missing: tuple[str, ...] = ()  # fixed columns of the export the register lacks (deleted): stored values kept

    def note(self) -> str:
        """The preview's words ("" when the register is no export of this app and no estimate was set aside)."""
        tail = (f"{self.estimates_dropped:,} 行的经纬度是估计点（“{POINT_METHOD}”写明是估计或地名点位，或与系统中该件的"
                "估计点相同），不当作登记表坐标（实测点），按地址定位。") if self.estimates_dropped else ""
        if not self.rows:
            return tail
        parts = [f"{len(self.same):,} 件与系统中相同，不更新"]
        if self.edited:
            cols = "、".join(f"{c} {n:,} 件" for c, n in self.edited)
            parts.append(f"改过的单元格只更新该项（{cols}）")
        if self.missing:
            parts.append(f"表中没有的{'、'.join(self.missing)}列保留系统中的值")
        parts.append("“类别依据”“定位方式”和未改的县区、乡镇、村、经纬度是系统写的，不当作登记表的内容")
        if self.coords_taken:
            more = f" 等 {len(self.coords_taken):,} 件" if len(self.coords_taken) > 5 else ""
            parts.append(f"{'、'.join(self.coords_taken[:5])}{more}的经纬度在表中改过，按登记表坐标（实测点）导入，"
                         "请确认是实地测得的坐标")
        if self.coords_dropped:
            parts.append(f"{self.coords_dropped:,} 行是系统中没有的信访件，导出表上的经纬度是另一处的定位结果，"
                         "不当作登记表坐标，按地址定位")
        return "这张表是本系统导出的登记表：" + "；".join(parts) + "。" + tail


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
    # Any other row may still carry the export's marks (定位方式, 市外（…）) or a stored letter's estimated point.
    marked = [r for r in rows if r not in mine and _marks(r)]
    if not mine and not marked:
        return rows, OwnExport()
    numbers = sorted({str(r.values["case_no"]) for r in (*mine, *marked)})
    stored: dict[str, CaseRow] = {}
    for start in range(0, len(numbers), 500):
        query = select(CaseRow).where(CaseRow.case_no.in_(numbers[start:start + 500])) \
            .options(selectinload(CaseRow.petitioner))
        stored.update({c.case_no: c for c in session.scalars(query)})
    outside = outside_among(session, set(stored))
    out, same, taken, dropped, edited, estimates = [], set(), [], 0, {}, 0
    for r in rows:
        if not is_own_export(r.raw):
            values = _guarded(r, stored.get(str(r.values["case_no"]))) if _marks(r) else r.values
            estimates += values.get("lon") is None and r.values.get("lon") is not None
            out.append(r if values is r.values else dataclasses.replace(r, values=values))
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
                          coords_taken=tuple(taken), coords_dropped=dropped, estimates_dropped=estimates,
                          missing=_missing(mine))


def _missing(rows: list[ParsedRow]) -> tuple[str, ...]:
    """The fixed columns (but those the app derives) none of ``rows`` holds."""
    have = {str(h).strip() for r in rows for h in r.raw}
    return tuple(h for h in FIXED if h not in have and h not in DERIVED)


def _outside_cell(value: object) -> bool:
    """Whether a 县区 cell is the export's 市外（转外地办理：…）, no place to put before the address."""
    return _text(value).startswith(OUTSIDE_SHORT)


def _marks(r: ParsedRow) -> bool:
    """Whether a row of another register needs :func:`_guarded`: coordinates, an export column or a 市外 cell."""
    return r.values.get("lon") is not None or any(h in r.raw for h in DERIVED) or _outside_cell(r.raw.get("县区"))


def _guarded(r: ParsedRow, case: object) -> dict[str, object]:
    """A row of any register but the recognised export: no estimate as a register coordinate, no 市外 cell before
    the address, no 定位方式/可能偏差/类别依据 among the register's columns."""
    values = dict(r.values)
    lon, lat = values.get("lon"), values.get("lat")
    if lon is not None and lat is not None:
        estimate = POINT_METHOD in r.raw and not measured(r.raw.get(POINT_METHOD))
        if case is not None and getattr(case, "point_source", "") != "register" and case.lon is not None:
            estimate |= same_cell("经度", lon, case.lon) and same_cell("纬度", lat, case.lat)
        if estimate:
            values["lon"] = values["lat"] = None
            values["datum"] = ""
    if _outside_cell(r.raw.get("县区")):
        values["address_text"] = str(values.get("address_text") or "").replace(str(r.raw.get("县区") or ""), "", 1)
    values["extra_fields"] = {h: v for h, v in (values.get("extra_fields") or {}).items() if h not in DERIVED}
    return values


def _extras(raw: Mapping[str, object]) -> list[str]:
    return [str(h) for h in raw if str(h).strip() not in FIXED]


def _not_stored(r: ParsedRow) -> dict[str, object]:
    values = dict(r.values)
    values["extra_fields"] = {extra_header(h): v for h, v in (values.get("extra_fields") or {}).items()
                              if h not in DERIVED}
    values["lon"] = values["lat"] = None
    values["datum"] = ""
    if _outside_cell(r.raw.get("县区")):  # 市外（转外地办理：…） is no place to put before the address
        values["address_text"] = str(values.get("address_text") or "").replace(str(r.raw.get("县区") or ""), "", 1)
    return values


def _against(r: ParsedRow, case: object, outside: bool) -> tuple[dict[str, object], list[str]]:
    """The row's values with every unchanged column's field as stored, and the columns the office changed."""
    raw = {str(h).strip(): v for h, v in r.raw.items()}
    extras = _extras(r.raw)
    written = dict(zip([*FIXED, *extras], export_cells(case, outside=outside,
                                                       extras=[extra_header(h) for h in extras]), strict=True))
    # A fixed column the office deleted is no edit: its fields keep what is stored (walk W35: 类别依据 deleted).
    differs = {h: (k := str(h).strip()) in raw and not same_cell(h, raw[k], written[h])
               for h in written if h not in DERIVED and h != "编号"}
    values = dict(r.values)
    for header, keys in _FIELDS.items():
        if not differs[header]:
            for k in keys:
                values[k] = "" if k == "status" else _stored_value(case, k)
    # The address: the stored one unless 地址 changed; a place column the office changed goes before it.
    base = str(case.address_text or "") if not differs["地址"] else _text(raw.get("地址"))
    prefix = "".join(t for h in _PLACE if differs[h] and (t := _text(raw.get(h)))
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

