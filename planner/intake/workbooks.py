"""Workbooks that are byte-identical for the same content (for the demo register and downloads)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

# Zip entries and document properties carry this instead of "now" so that files are byte-identical.
FIXED_STAMP = dt.datetime(2026, 1, 1, 0, 0, 0)


def deterministic_xlsx(data: bytes) -> bytes:
    """Rewrite an openpyxl xlsx so that the same content gives the same bytes.

    openpyxl stamps the save time into ``docProps/core.xml`` and into every zip entry; both are replaced by a
    fixed time.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    stamp = FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    lambda m: m.group(1) + stamp.encode() + m.group(2),
                    payload,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_STAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, payload)
    return buf.getvalue()


def table_xlsx(title: str, headers: list[str], rows: list[list[object]], widths: dict[str, float], *,
               freeze: str = "A2", default_width: float = 16) -> bytes:
    """One sheet ``title``: a bold header row, ``rows`` below, every cell neutralised so nothing runs as a formula
    (:func:`planner.office.privacy.safe_row`), wrapped and top-aligned; byte-identical for the same content."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from planner.office.privacy import safe_row

    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(safe_row(headers))  # an office's own headers reach here too
    for i, h in enumerate(headers, 1):
        ws.cell(row=1, column=i).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(i)].width = widths.get(h, default_width)
    for r in rows:
        ws.append(safe_row(r))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = freeze
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_xlsx(buf.getvalue())
