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
