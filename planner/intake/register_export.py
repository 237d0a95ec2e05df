"""The register exported back to Excel: every field of every case an actor may see, the office's own extra columns
(备注, 承办人 ...) included, and how each category was set. Petitioner identity is never written: it says 已隐去."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.domain import CaseStatus
from planner.intake.export_marks import POINT_BOUND, POINT_METHOD, point_bound, point_method
from planner.intake.outside_city import outside_among, outside_place
from planner.intake.workbooks import table_xlsx
from planner.office.privacy import field_text, personal_header
from planner.store.cases import NO_NAME
from planner.store.models import CaseRow
from planner.store.register_fields import category_basis

#: Shown instead of a petitioner's name or phone in an export (the identity exists but is not given out here).
WITHHELD = "已隐去"
#: Shown when the letter carries no identity at all.
ANONYMOUS = "匿名"

#: Put after a register column's header that is also a fixed column's (备注（登记表）).
EXTRA_SUFFIX = "（登记表）"
#: (header, width) of the fixed columns, in order; the register's extra columns follow.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("编号", 20), ("收件日期", 12), ("办理期限", 12), ("来源", 10), ("问题类别", 10), ("类别依据", 30),
    ("信访人", 10), ("联系电话", 12), ("身份证号", 12), ("反映内容", 60), ("标题", 20), ("被反映人", 18),
    ("被反映单位", 24), ("地址", 30), ("县区", 10), ("乡镇", 10), ("村", 12), ("经度", 11), ("纬度", 11),
    (POINT_METHOD, 16), (POINT_BOUND, 10), ("办理状态", 10), ("涉及人数", 8),
)


def register_rows(session: Session, *, actor: object = None) -> tuple[list[str], list[list[object]]]:
    """Headers and one row per case ``actor`` may see (all cases without an actor), in order of receipt.

    Parameters
    ----------
    session
        Open session (read only).
    actor
        ``planner.office.security.Actor``; only the cases this actor may see are listed.

    Returns
    -------
    tuple[list[str], list[list[object]]]
        Headers (the fixed columns, then every extra register column in first-seen order) and rows of text.
    """
    query = select(CaseRow).options(selectinload(CaseRow.petitioner)).order_by(CaseRow.received_date, CaseRow.id)
    if actor is not None:
        from planner.office.security import visible_case_filter

        query = query.where(visible_case_filter(actor))
    cases = list(session.scalars(query))
    # A letter about a place outside Zhangzhou: its 县区 says 市外（转外地办理：厦门市思明区）, not a blank a reader
    # takes for a letter the office failed to place.
    outside = outside_among(session, {c.case_no for c in cases})
    extras: dict[str, None] = {}
    for c in cases:
        extras.update(dict.fromkeys(c.extra_fields or {}))
    headers = [h for h, _w in COLUMNS] + [h if h not in dict(COLUMNS) else f"{h}{EXTRA_SUFFIX}" for h in extras]
    rows = [export_cells(c, outside=c.case_no in outside, extras=extras) for c in cases]
    return headers, rows


def export_cells(c: CaseRow, *, outside: bool, extras: Sequence[str]) -> list[object]:
    """One case's row as the export writes it (the fixed columns, then the register columns ``extras``): also what
    an import of the export compares a row with to tell the office's edits from what it wrote
    (:mod:`planner.intake.own_export`)."""
    who = c.petitioner
    has_name = bool(who is not None and (who.name or "").strip())
    has_phone = bool(who is not None and (who.phone or "").strip())
    has_id = bool(who is not None and (getattr(who, "id_number", "") or "").strip())
    # The letter's own words may hold the identity too (…身份证号3506…, 电话138…, the petitioner's name):
    # withheld there as well, or the 身份证号 column's 已隐去 would be a promise the 反映内容 column breaks.
    names = writer_names(who)

    def hide(text: object) -> str:
        return withheld_text(text, names)

    extra = c.extra_fields or {}  # a column about the petitioner (信访人住址, 备用电话) is withheld whole
    return [
        c.case_no, c.received_date.isoformat(), c.deadline.isoformat(), c.source, c.category or "未分类",
        category_basis(c.category_source or "", c.category_reason or "", c.category_confidence),
        WITHHELD if has_name else ANONYMOUS, WITHHELD if has_phone else "", WITHHELD if has_id else "",
        hide(c.content), hide(c.title),
        "、".join(c.reported_persons or ()), "、".join(c.reported_units or ()), hide(c.address_text),
        outside_place(hide(c.address_text), c.geocode_message or "") if outside else c.county, c.town,
        c.village, "" if c.lon is None else round(c.lon, 6), "" if c.lat is None else round(c.lat, 6),
        # How the point was got and how far off it may be: an estimate is never read back as a measured point (W35).
        point_method(c.point_source, c.lon is not None, outside=outside),
        point_bound(c.precision_km, c.lon is not None),
        _status_label(c.status), c.people_affected or "",
        *(WITHHELD if personal_header(h) and extra.get(h) else _number(hide(extra.get(h, ""))) for h in extras),
    ]


def extra_header(header: str) -> str:
    """The register column an export header names: ``备注（登记表）`` (renamed beside the fixed 备注) is 备注."""
    base = header.removesuffix(EXTRA_SUFFIX)
    return base if base != header and base in dict(COLUMNS) else header


def writer_names(who: object) -> list[str]:
    """The petitioner's name as the export withholds it in a letter's text ([] for none or 匿名)."""
    name = str(getattr(who, "name", "") or "").strip()
    return [name] if name and name not in NO_NAME else []


def withheld_text(text: object, names: Sequence[str] = ()) -> str:
    """A letter's text as the export writes it: withheld whole, as on field sheets (walk H: 我是王**，电话139****0007 —
    a surname, a village and a phone's last digits still name a person in a village). The import reads an exported
    register back by it (:mod:`planner.intake.withheld`)."""
    return field_text(str(text or ""), list(names))


def _number(text: str) -> object:
    """A register cell that is a whole number (序号 6) as a number, so Excel sorts 6, 9, 10 (walk U: text sorted
    1, 10, 11); a code with a leading zero (0012), a long digit string and anything else stay text as written."""
    if text.isascii() and text.isdigit() and len(text) <= 9 and (text == "0" or not text.startswith("0")):
        return int(text)
    return text


def _status_label(status: str) -> str:
    try:
        return CaseStatus(status).label
    except ValueError:
        return status


def register_size(session: Session, *, actor: object = None) -> int:
    """How many cases :func:`register_xlsx` would list for ``actor`` (all cases without an actor)."""
    from sqlalchemy import func

    query = select(func.count()).select_from(CaseRow)
    if actor is not None:
        from planner.office.security import visible_case_filter

        query = query.where(visible_case_filter(actor))
    return int(session.scalar(query) or 0)


def register_xlsx(session: Session, *, actor: object = None) -> bytes:
    """The register as an xlsx (sheet 登记表), cells neutralised so nothing runs as a formula.

    Parameters
    ----------
    session
        Open session (read only).
    actor
        Only this actor's visible cases; the ``export`` permission is required when given.

    Returns
    -------
    bytes
        The workbook.

    Raises
    ------
    PermissionDenied
        When ``actor`` may not export.
    """
    if actor is not None:
        from planner.office.authorisation import authorise

        authorise(actor, "export")
    headers, rows = register_rows(session, actor=actor)
    return table_xlsx("登记表", headers, rows, dict(COLUMNS), freeze="B2")


def extra_field_items(extra: dict | None) -> Sequence[tuple[str, str]]:
    """The register's own columns of a case as (header, text) pairs, in column order (for showing on the case)."""
    return [(str(k), str(v)) for k, v in (extra or {}).items()]
