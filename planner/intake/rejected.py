"""The rows an import refused: read back by batch, and written as an xlsx for the coordinator (personal columns masked).

Split from :mod:`planner.intake.register`, which re-exports both functions.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.intake.rows import _text
from planner.intake.workbooks import deterministic_xlsx
from planner.office.privacy import safe_cell, safe_row


def rejected_rows(session: Session, batch_id: int) -> list[dict[str, object]]:
    """Rejected rows of an import batch: the file they came from, row number, column, reason and the masked row
    values (an office importing several counties' registers tells the reports apart by the file; walk D)."""
    from planner.store.models import ImportBatch, RejectedRow

    filename = session.scalar(select(ImportBatch.filename).where(ImportBatch.id == batch_id)) or ""
    rows = session.scalars(
        select(RejectedRow).where(RejectedRow.batch_id == batch_id).order_by(RejectedRow.row_number)
    )
    return [{"来源文件": filename, "行号": r.row_number, "列": r.column, "原因": r.reason, **dict(r.raw or {})}
            for r in rows]


def rejected_rows_xlsx(rows: Iterable[Mapping[str, object]]) -> bytes:
    """The xlsx of rejected ``rows`` (as :func:`rejected_rows` gives them), cells neutralised so nothing can run as a
    formula."""
    from openpyxl import Workbook

    rows = list(rows)
    headers: list[str] = []
    for r in rows:
        for k in r:
            if k not in headers:
                headers.append(str(k))
    wb = Workbook()
    ws = wb.active
    ws.title = "未导入的行"
    ws.append(safe_row(headers or ["行号", "列", "原因"]))  # headers come from the office's own file
    for r in rows:
        ws.append([safe_cell(_text(r.get(h)) if not isinstance(r.get(h), int | float) else r.get(h))
                   for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_xlsx(buf.getvalue())
