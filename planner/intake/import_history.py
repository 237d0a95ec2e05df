"""导入记录: the imports of registers, newest first, and the rows each refused, for 导入登记表 at any later time.

Walk W33: the rows an import refused were stored (``rejected_rows``) but could be downloaded only from the result
shown right after the import; after 导入 → 首页 → 导入 no page listed the imports or offered their refused rows.
Both need the ``import`` right (:data:`planner.office.authorisation.MATRIX`: 导入：历次导入的未导入的行); the
identity columns of a refused row were masked before it was stored, so the file never names a petitioner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import NotFoundError
from planner.intake.rejected import rejected_rows, rejected_rows_xlsx
from planner.office.authorisation import authorise
from planner.office.clock import show_time

#: How many imports the list shows (the newest).
SHOWN = 200
#: A workbook sheet's batch is named ``file.xlsx「云霄县」`` (:func:`planner.intake.register_sheets.sheet_label`).
_SHEET = re.compile(r"^(?P<file>.*)「(?P<sheet>[^「」]*)」$", re.S)


def file_and_sheet(filename: str) -> tuple[str, str]:
    """A batch's file name and its sheet ("" for a file of one register)."""
    got = _SHEET.match(filename or "")
    return (got["file"], got["sheet"]) if got else (filename or "", "")


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One import of a register (one sheet of a workbook of registers), as 导入记录 lists it."""

    batch_id: int
    when: str  # 2026-12-07 09:30 (北京时间)
    who: str  # as every page names an account: 林协调（lin）
    file: str
    sheet: str
    rows_read: int
    imported: int
    updated: int
    unchanged: int
    rejected: int

    def as_row(self) -> dict[str, object]:
        return {
            "导入时间": self.when,
            "导入人": self.who,
            "文件": self.file,
            "工作表": self.sheet,
            "读取": self.rows_read,
            "新增": self.imported,
            "更新": self.updated,
            "未变": self.unchanged,
            "拒收": self.rejected,
        }

    def label(self) -> str:
        """The import as the download's choice names it."""
        where = f"{self.file}「{self.sheet}」" if self.sheet else self.file
        return f"{self.when} {where}（拒收 {self.rejected:,} 行，{self.who}）"


def import_history(session: Session, actor: object, *, limit: int = SHOWN) -> list[ImportRecord]:
    """The account's view of the imports, newest first (the ``import`` right: the office's imports, all of them)."""
    from planner.store.lifecycle import account_labels
    from planner.store.models import ImportBatch

    authorise(actor, "import")
    names = account_labels(session)
    rows = session.scalars(
        select(ImportBatch).order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc()).limit(limit)
    )
    return [
        ImportRecord(
            b.id,
            show_time(b.imported_at),
            names.get(b.imported_by, b.imported_by or "系统"),
            *file_and_sheet(b.filename),
            b.rows_read or 0,
            b.rows_imported or 0,
            b.rows_updated or 0,
            b.rows_unchanged or 0,
            b.rows_rejected or 0,
        )
        for b in rows
    ]


def refused_rows(session: Session, actor: object, batch_id: int) -> list[dict[str, object]]:
    """The rows import ``batch_id`` refused: file, sheet, row, column, reasons and the row's cells (masked)."""
    from planner.store.models import ImportBatch

    authorise(actor, "import")
    if session.get(ImportBatch, batch_id) is None:
        raise NotFoundError(f"找不到第 {batch_id} 次导入的记录（可能已随备份恢复被替换），请刷新页面后重选")
    out = []
    for row in rejected_rows(session, batch_id):
        file, sheet = file_and_sheet(str(row.pop("来源文件", "")))
        out.append({"来源文件": file, **({"工作表": sheet} if sheet else {}), **row})
    return out


def refused_rows_xlsx(session: Session, actor: object, batch_id: int) -> bytes:
    """:func:`refused_rows` as the xlsx 下载未导入的行 gives (cells neutralised, nothing runs as a formula)."""
    return rejected_rows_xlsx(refused_rows(session, actor, batch_id))
