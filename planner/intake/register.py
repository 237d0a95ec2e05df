"""Register import (the 'import' stage): read xlsx/xls/csv registers, validate every row, upsert cases.

Flow: :func:`read_register` reads the file, finds the header row, maps columns to fields (user-overridable)
and validates every row -> :class:`RegisterPreview` (for the 导入 page). :func:`import_register` then writes the
good rows in one transaction: new cases are inserted, changed rows update their case and leave a
``case_history`` entry, unchanged rows are counted, bad rows go to ``rejected_rows`` with reasons (personal
columns masked). Petitioner identity is stored only in ``petitioners``; the case carries ``Petitioner.key()``.

Personal fields (信访人, 联系电话, 身份证号) are never logged and never shown in messages.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import math
import re
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from planner.domain import HANDLING_DAYS, ZHANGZHOU_BBOX, Petitioner
from planner.errors import InputError
from planner.office.privacy import mask_id_number, mask_name, mask_phone, safe_cell

log = logging.getLogger(__name__)

#: Registers larger than this are refused before they are loaded (split the file or import by year).
MAX_ROWS = 100_000
#: Files larger than this are refused outright (a 100,000-row register is far below it).
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Uncompressed size above which an xlsx is refused (zip bombs).
MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024
#: Header search depth: registers often have a title and a date line above the header.
HEADER_SEARCH_ROWS = 15
#: Issues kept in a preview/summary (the counts stay exact).
MAX_ISSUES = 2000


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A field of a case that a register column can fill."""

    key: str
    label: str  # Chinese name shown to people
    synonyms: tuple[str, ...]  # headers that name this field, most common first
    required: bool = False
    personal: bool = False


#: The fields a register column can map to, with the headers offices use for them.
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("case_no", "编号", ("编号", "信访件编号", "信访编号", "件号", "登记号", "案件编号", "来信编号",
                                 "登记编号", "流水号", "信访件号"), required=True),
    FieldSpec("received_date", "收件日期", ("收件日期", "登记日期", "收信日期", "来信日期", "受理日期", "收到日期",
                                       "来访日期", "举报日期", "收件时间", "登记时间", "日期"), required=True),
    FieldSpec("deadline", "办理期限", ("办理期限", "办结期限", "办理时限", "期限", "截止日期", "应办结日期")),
    FieldSpec("source", "来源", ("来源", "信访来源", "来信方式", "信访形式", "信访方式", "渠道", "举报方式")),
    FieldSpec("category", "问题类别", ("问题类别", "问题类型", "问题分类", "类别", "分类", "反映问题类别",
                                     "业务类别")),
    FieldSpec("petitioner_name", "信访人", ("信访人", "举报人", "来信人", "信访人姓名", "举报人姓名", "来访人",
                                        "姓名"), personal=True),
    FieldSpec("petitioner_phone", "联系电话", ("联系电话", "电话", "手机", "手机号", "联系方式", "电话号码"),
              personal=True),
    FieldSpec("petitioner_id", "身份证号", ("身份证号", "身份证号码", "证件号码", "身份证", "公民身份号码"),
              personal=True),
    FieldSpec("content", "反映内容", ("反映内容", "来信内容", "主要问题", "问题摘要", "反映问题", "主要内容",
                                    "举报内容", "内容摘要", "信访内容", "内容"), required=True),
    FieldSpec("title", "标题", ("标题", "事由", "信件标题")),
    FieldSpec("reported_persons", "被反映人", ("被反映人", "被举报人", "被反映人姓名", "被反映对象")),
    FieldSpec("reported_units", "被反映单位", ("被反映单位", "被举报单位", "被反映人单位", "涉及单位")),
    FieldSpec("address", "地址", ("地址", "住址", "发生地", "问题发生地", "详细地址", "事发地点", "发生地点",
                                 "信访人地址", "来信地址")),
    FieldSpec("county", "县区", ("县区", "县(市、区)", "县市区", "所属县区", "区县", "县(区)", "县")),
    FieldSpec("town", "乡镇", ("乡镇", "乡镇街道", "乡镇(街道)", "镇街", "所属乡镇", "镇")),
    FieldSpec("village", "村", ("村", "村居", "村(社区)", "村社区", "所属村", "村(居)")),
    FieldSpec("lon", "经度", ("经度", "lon", "lng", "longitude")),
    FieldSpec("lat", "纬度", ("纬度", "lat", "latitude")),
    FieldSpec("datum", "坐标系", ("坐标系", "坐标类型", "坐标来源", "datum")),
    FieldSpec("people_affected", "涉及人数", ("涉及人数", "涉及群众", "涉及户数", "人数")),
    FieldSpec("status", "办理状态", ("办理状态", "状态", "办理情况", "办结情况", "处理状态", "办理结果")),
)
# How registers write a case's state; closed states of the register close an open case on re-import.
_STATUS_WORDS: dict[str, str] = {
    "已登记": "registered", "登记": "registered", "待办": "registered", "在办": "registered", "办理中": "registered",
    "未办结": "registered", "正在办理": "registered", "已选件": "selected", "已排程": "planned",
    "已下访": "visited", "已核查": "visited", "已化解": "resolved", "已解决": "resolved", "已澄清": "clarified",
    "澄清": "clarified", "已办结": "closed", "办结": "closed", "已结": "closed", "已了结": "closed",
    "息诉息访": "closed", "已息访": "closed",
}
_CLOSED_STATUSES = ("resolved", "clarified", "closed")
FIELD_BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELDS}
PERSONAL_FIELDS = ("petitioner_name", "petitioner_phone", "petitioner_id")
_ANONYMOUS = {"匿名", "无", "不详", "无名", "匿名信", "未署名", "-", "—", "/", "无名氏"}


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A problem found in one row (``level`` 'error' rejects the row; 'warning' keeps it)."""

    row: int  # row number as the spreadsheet shows it (1-based, header rows included)
    column: str  # header text of the column, or "" for the whole row
    message: str  # plain Chinese, never containing personal values
    level: str = "error"

    def text(self, filename: str = "") -> str:
        """One line for people: ``register.xlsx 第12行「收件日期」：……``."""
        where = f"{filename} " if filename else ""
        col = f"「{self.column}」" if self.column else ""
        return f"{where}第{self.row}行{col}：{self.message}"


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """One data row after validation: clean values, the petitioner (personal) and issues."""

    row: int
    values: Mapping[str, object]  # field key -> clean value (no personal fields)
    petitioner: Petitioner
    raw: Mapping[str, object]  # header -> cell value as read (personal columns included; never log)
    issues: tuple[RowIssue, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the row has no error (warnings allowed)."""
        return not any(i.level == "error" for i in self.issues)


@dataclass(frozen=True, slots=True)
class RegisterPreview:
    """What a register contains and how it would be imported (nothing written yet)."""

    filename: str
    sha256: str
    sheet: str
    header_row: int  # 1-based row number of the header
    headers: tuple[str, ...]  # column headers as shown (duplicates suffixed "(2)")
    detected: Mapping[str, str]  # field key -> header, as detected
    mapping: Mapping[str, str]  # field key -> header, after the user's overrides
    rows: tuple[ParsedRow, ...]
    issues: tuple[RowIssue, ...]  # file-level issues (row 0) and row issues, capped at MAX_ISSUES
    datum_hint: str | None = None  # datum named by a coordinate header (高德/百度), if any

    @property
    def rows_read(self) -> int:
        """Data rows read (blank rows are skipped)."""
        return len(self.rows)

    @property
    def valid_rows(self) -> int:
        """Rows that would be imported."""
        return sum(1 for r in self.rows if r.ok)

    @property
    def rejected_rows(self) -> int:
        """Rows that would be rejected."""
        return self.rows_read - self.valid_rows

    @property
    def missing_required(self) -> tuple[str, ...]:
        """Labels of required fields that no column maps to."""
        return tuple(f.label for f in FIELDS if f.required and f.key not in self.mapping)

    def unmapped_headers(self) -> tuple[str, ...]:
        """Headers no field uses (the user may map them)."""
        used = set(self.mapping.values())
        return tuple(h for h in self.headers if h not in used)

    def sample(self, n: int = 20) -> list[dict[str, object]]:
        """The first ``n`` rows as header -> value, personal columns masked (for display)."""
        personal = {self.mapping.get(k) for k in PERSONAL_FIELDS} - {None}
        return [
            {"行号": r.row} | {k: "" if v is None else v for k, v in _masked_raw(r.raw, personal).items()}
            for r in self.rows[:n]
        ]

    def error_lines(self, limit: int = 200) -> list[str]:
        """Issues as lines naming file, row and column."""
        return [i.text(self.filename) for i in self.issues[:limit]]


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did: counts, the batch id (for downloading rejected rows) and the issues."""

    batch_id: int | None
    filename: str
    rows_read: int
    imported: int
    updated: int
    unchanged: int
    rejected: int
    seconds: float
    issues: tuple[RowIssue, ...] = ()
    geocoded: Mapping[str, int] = field(default_factory=dict)  # precision -> count (new and changed rows)

    def text(self) -> str:
        """One line for people (and the CLI)."""
        return (
            f"{self.filename}：读取 {self.rows_read} 行，新增 {self.imported}，更新 {self.updated}，"
            f"未变 {self.unchanged}，拒收 {self.rejected}（用时 {self.seconds:.1f} 秒）"
        )

    def as_dict(self) -> dict[str, object]:
        """Counts as a plain dict (for JSON and session state)."""
        return {
            "batch_id": self.batch_id, "filename": self.filename, "rows_read": self.rows_read,
            "imported": self.imported, "updated": self.updated, "unchanged": self.unchanged,
            "rejected": self.rejected, "seconds": round(self.seconds, 2), "geocoded": dict(self.geocoded),
        }


# ---------------------------------------------------------------------------------------------------------
# Reading tables


@dataclass(frozen=True, slots=True)
class _Table:
    sheet: str
    rows: list[tuple[object, ...]]  # every row from the top of the sheet (header search needs the top)


def _norm_header(value: object) -> str:
    text_ = unicodedata.normalize("NFKC", "" if value is None else str(value))
    text_ = re.sub(r"[\s*＊:：]+", "", text_)
    return text_.lower()


def _cell(value: object) -> object:
    if isinstance(value, str):
        value = value.replace("\u3000", " ").strip()
        return value or None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _blank(row: Sequence[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _too_many(filename: str, rows: int) -> InputError:
    return InputError(
        f"{filename}：约 {rows:,} 行，超过单次导入上限 {MAX_ROWS:,} 行；请按年度或县区拆分后分批导入"
    )


def _read_xlsx(data: bytes, filename: str) -> list[_Table]:
    from openpyxl import load_workbook

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = zf.namelist()
        total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise InputError(f"{filename}：不是有效的 Excel（xlsx）文件，可能已损坏或只下载了一部分（{exc}）") from None
    if "xl/workbook.xml" not in names:
        raise InputError(f"{filename}：压缩包里没有 Excel 工作簿（缺少 xl/workbook.xml），不是 xlsx 文件")
    if total > MAX_XLSX_UNCOMPRESSED:
        raise InputError(f"{filename}：解压后约 {total / 2**20:,.0f} MB，超过上限，请拆分后导入")
    try:
        return _read_xlsx_fast(zf, filename)
    except InputError:
        raise
    except Exception:
        log.debug("fast xlsx reader gave up; using openpyxl")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(f"{filename}：无法读取 Excel 文件，文件可能已损坏（{type(exc).__name__}）") from None
    tables = []
    try:
        for ws in wb.worksheets:
            # The <dimension> tag lets us refuse a huge sheet before reading it; when absent we count while streaming.
            declared = ws.max_row if getattr(ws, "max_row", None) else None
            if declared and declared > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _too_many(filename, declared)
            rows: list[tuple[object, ...]] = []
            for row in ws.iter_rows(values_only=True):
                rows.append(tuple(_cell(v) for v in row))
                if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                    raise _too_many(filename, len(rows))
            tables.append(_Table(ws.title, rows))
    except (zipfile.BadZipFile, EOFError, KeyError, OSError) as exc:
        raise InputError(f"{filename}：Excel 文件不完整或已损坏，读到一半失败（{type(exc).__name__}）") from None
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{filename}：Excel 工作表内容无法解析，文件可能已损坏（{type(exc).__name__}）") from None
    finally:
        wb.close()
    return tables


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# Built-in number formats that show dates (ECMA-376 18.8.30, plus the CJK date formats 27-36 and 50-58).
_DATE_FMT_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47, *range(27, 37), *range(50, 59)})


class _NotFastError(Exception):
    """The fast xlsx reader met something it does not handle; openpyxl reads the file instead."""


def _col_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n - 1


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    from xml.etree.ElementTree import iterparse

    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    out: list[str] = []
    with zf.open("xl/sharedStrings.xml") as fh:
        for _event, elem in iterparse(fh):
            if elem.tag == _NS_MAIN + "si":
                # Rich text keeps its runs in <r><t>; phonetic guides (<rPh>) are not part of the value.
                parts = [t.text or "" for t in elem.iter(_NS_MAIN + "t")]
                phonetic = {id(t) for rph in elem.iter(_NS_MAIN + "rPh") for t in rph.iter(_NS_MAIN + "t")}
                if phonetic:
                    parts = [t.text or "" for t in elem.iter(_NS_MAIN + "t") if id(t) not in phonetic]
                out.append("".join(parts))
                elem.clear()
    return out


def _date_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    from xml.etree.ElementTree import fromstring

    if "xl/styles.xml" not in zf.namelist():
        return frozenset()
    root = fromstring(zf.read("xl/styles.xml"))
    custom = {}
    for fmt in root.iter(_NS_MAIN + "numFmt"):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt.get("formatCode", "")).lower()
        custom[int(fmt.get("numFmtId", "0"))] = bool(re.search(r"[ymd]", code))
    xfs = root.find(_NS_MAIN + "cellXfs")
    out = set()
    for i, xf in enumerate(xfs if xfs is not None else []):
        fid = int(xf.get("numFmtId", "0"))
        if fid in _DATE_FMT_IDS or custom.get(fid, False):
            out.add(i)
    return frozenset(out)


def _read_xlsx_fast(zf: zipfile.ZipFile, filename: str) -> list[_Table]:
    """Stream the sheets with iterparse: several times faster than openpyxl for plain registers."""
    from xml.etree.ElementTree import fromstring, iterparse

    workbook = fromstring(zf.read("xl/workbook.xml"))
    rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    date1904 = any(p.get("date1904") in ("1", "true") for p in workbook.iter(_NS_MAIN + "workbookPr"))
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    shared = _shared_strings(zf)
    date_xf = _date_styles(zf)
    limit = MAX_ROWS + HEADER_SEARCH_ROWS
    tables = []
    for sheet in workbook.iter(_NS_MAIN + "sheet"):
        target = targets.get(sheet.get(_NS_REL + "id"))
        if not target:
            raise _NotFastError("sheet without relationship")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        rows: list[tuple[object, ...]] = []
        with zf.open(path) as fh:
            for _event, elem in iterparse(fh):
                tag = elem.tag
                if tag == _NS_MAIN + "dimension":
                    m = re.search(r"(\d+)$", elem.get("ref", ""))
                    if m and int(m.group(1)) > limit:
                        raise _too_many(filename, int(m.group(1)))
                elif tag == _NS_MAIN + "row":
                    r = int(elem.get("r") or len(rows) + 1)
                    if r > limit:
                        raise _too_many(filename, r)
                    while len(rows) < r - 1:
                        rows.append(())
                    cells: dict[int, object] = {}
                    for c in elem.iter(_NS_MAIN + "c"):
                        ref = c.get("r")
                        col = _col_index(ref) if ref else (max(cells) + 1 if cells else 0)
                        t = c.get("t", "n")
                        v = c.find(_NS_MAIN + "v")
                        raw = v.text if v is not None else None
                        if t == "s":
                            value: object = shared[int(raw)] if raw is not None else None
                        elif t == "inlineStr":
                            value = "".join(x.text or "" for x in c.iter(_NS_MAIN + "t"))
                        elif t in ("str", "d"):
                            value = raw
                        elif t == "b":
                            value = raw == "1"
                        elif t == "e" or raw is None:
                            value = None
                        else:
                            num = float(raw)
                            if int(c.get("s", "0")) in date_xf:
                                value = epoch + dt.timedelta(days=num)
                            else:
                                value = int(num) if num.is_integer() and abs(num) < 2**53 else num
                        cells[col] = _cell(value)
                    width = max(cells) + 1 if cells else 0
                    rows.append(tuple(cells.get(i) for i in range(width)))
                    elem.clear()
        tables.append(_Table(sheet.get("name", ""), rows))
    return tables


def _read_xls(data: bytes, filename: str) -> list[_Table]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:
        raise InputError(
            f"{filename}：不是有效的 Excel 97-2003（xls）文件，可能已损坏（{type(exc).__name__}）"
        ) from None
    tables = []
    try:
        for idx in range(book.nsheets):
            sh = book.sheet_by_index(idx)
            if sh.nrows > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _too_many(filename, sh.nrows)
            rows = []
            for r in range(sh.nrows):
                out = []
                for c in range(sh.ncols):
                    cell = sh.cell(r, c)
                    value: object = cell.value
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            value = xlrd.xldate_as_datetime(cell.value, book.datemode)
                        except Exception:
                            value = cell.value
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        value = None
                    out.append(_cell(value))
                rows.append(tuple(out))
            tables.append(_Table(sh.name, rows))
    finally:
        book.release_resources()
    return tables


def _decode_csv(data: bytes, filename: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise InputError(f"{filename}：文件含有二进制内容，不是文本 CSV（若是 Excel 文件请使用 .xlsx/.xls 扩展名）")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{filename}：无法识别文件编码；请在 Excel 中“另存为 CSV UTF-8”或 GBK 编码后重试")


def _read_csv(data: bytes, filename: str) -> list[_Table]:
    text_ = _decode_csv(data, filename)
    # A million-line CSV is refused before parsing it; counting newlines is cheap.
    lines = text_.count("\n")
    if lines > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise _too_many(filename, lines)
    head = text_[:8192]
    try:
        dialect = csv.Sniffer().sniff(head, delimiters=",\t;|，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if head.count("\t") > head.count(",") else ","
    reader = csv.reader(io.StringIO(text_, newline=""), delimiter=delimiter)
    try:
        rows = [tuple(_cell(v) for v in row) for row in reader]
    except csv.Error as exc:
        raise InputError(f"{filename}：CSV 格式错误（{exc}）") from None
    return [_Table("CSV", rows)]


def _load_tables(data: bytes, filename: str) -> list[_Table]:
    if not data or not data.strip():
        raise InputError(f"{filename}：文件是空的")
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{filename}：文件 {len(data) / 2**20:,.0f} MB，超过 {MAX_FILE_BYTES // 2**20} MB 上限")
    suffix = Path(filename).suffix.lower()
    is_zip = data[:4] == b"PK\x03\x04"
    is_ole = data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    # Trust the bytes over the name: offices often rename files.
    if is_zip or (suffix in (".xlsx", ".xlsm") and not is_ole):
        return _read_xlsx(data, filename)
    if is_ole or suffix == ".xls":
        return _read_xls(data, filename)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return _read_csv(data, filename)
    raise InputError(f"{filename}：不支持的文件类型 {suffix!r}；请使用 .xlsx、.xls 或 .csv")


# ---------------------------------------------------------------------------------------------------------
# Header detection and mapping


def _synonym_index() -> list[tuple[str, str]]:
    pairs = [(_norm_header(s), f.key) for f in FIELDS for s in (f.label, *f.synonyms)]
    return sorted(set(pairs), key=lambda p: (-len(p[0]), p[0]))


_SYNONYMS = _synonym_index()
_EXACT = {syn: key for syn, key in reversed(_SYNONYMS)}


def _field_for(header: str) -> tuple[str | None, int]:
    """The field a header names and how sure (2 exact, 1 contained), or (None, 0)."""
    h = _norm_header(header)
    if not h:
        return None, 0
    if h in _EXACT:
        return _EXACT[h], 2
    for syn, key in _SYNONYMS:
        # Short ASCII synonyms ("lat") only match whole headers; Chinese ones may sit inside a longer header.
        if len(syn) >= 2 and not syn.isascii() and syn in h:
            return key, 1
    return None, 0


def detect_mapping(headers: Sequence[str]) -> dict[str, str]:
    """Map fields to headers: exact synonyms first, then the longest synonym a header contains.

    Parameters
    ----------
    headers
        Column headers (already made unique).

    Returns
    -------
    dict[str, str]
        Field key -> header; each header and each field used at most once (first column wins).
    """
    mapping: dict[str, str] = {}
    for wanted in (2, 1):
        for h in headers:
            if h in mapping.values():
                continue
            key, score = _field_for(h)
            if key and score == wanted and key not in mapping:
                mapping[key] = h
    return mapping


def _unique_headers(raw: Sequence[object], row_no: int) -> tuple[list[str], list[RowIssue]]:
    headers: list[str] = []
    issues: list[RowIssue] = []
    seen: dict[str, int] = {}
    for i, v in enumerate(raw):
        name = str(v).strip() if v is not None and str(v).strip() else f"第{i + 1}列"
        name = name.replace("\n", "")
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            issues.append(RowIssue(row_no, name, f"表头「{name}」重复出现，"
                                                 f"第 {seen[name]} 次出现的列记为「{name}({seen[name]})」，"
                                            "默认只用第一列", "warning"))
            name = f"{name}({seen[name]})"
        headers.append(name)
    return headers, issues


def _find_header(table: _Table) -> tuple[int, int]:
    """Index of the header row in the first rows and its score (number of recognised fields)."""
    best, best_score = -1, 0
    for i, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        keys = {k for k, _ in (_field_for(str(v)) for v in row if v is not None) if k}
        score = len(keys) + 2 * len(keys & {"case_no", "content", "received_date"})
        if score > best_score:
            best, best_score = i, score
    return best, best_score


# ---------------------------------------------------------------------------------------------------------
# Value parsing

_DATE_RE = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}[:：]\d{2}(?::\d{2})?)?\s*$"
)
_COMPACT_DATE_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: object) -> dt.date | None:
    """Read a date as registers write it (date cells, 2026-03-05, 2026/3/5, 2026年3月5日, 20260305, Excel serials).

    Returns
    -------
    datetime.date | None
        The date, or None for an empty value.

    Raises
    ------
    ValueError
        When the value is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 <= value <= 80_000:  # Excel serial day numbers (1954..2119)
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        if 19_000_101 <= value <= 21_001_231 and float(value).is_integer():
            value = str(int(value))
        else:
            raise ValueError(value)
    text_ = unicodedata.normalize("NFKC", str(value))
    m = _DATE_RE.match(text_) or _COMPACT_DATE_RE.match(text_)
    if not m:
        raise ValueError(value)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip() if not isinstance(value, str) else value.strip()


def _split_names(value: str) -> list[str]:
    parts = re.split(r"[、,，;；/\n]+", value)
    return [p.strip() for p in parts if p.strip() and p.strip() not in _ANONYMOUS]


def _float(value: object) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text_ = unicodedata.normalize("NFKC", str(value)).strip().rstrip("°").strip()
    return float(text_)


def _masked_raw(raw: Mapping[str, object], personal_headers: set[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for header, value in raw.items():
        if header in personal_headers and value not in (None, "") and _text(value) not in _ANONYMOUS:
            v = _text(value)
            out[header] = mask_phone(v) if re.fullmatch(r"[\d\s\-+()]+", v) and len(re.sub(r"\D", "", v)) < 15 \
                else mask_id_number(v) if re.fullmatch(r"[\dXx]{15,18}", v) else mask_name(v)
        else:
            out[header] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _json_safe(raw: Mapping[str, object]) -> dict[str, object]:
    out = {}
    for k, v in raw.items():
        if isinstance(v, dt.datetime | dt.date):
            v = v.isoformat()
        elif isinstance(v, float) and not math.isfinite(v):
            v = None
        elif not isinstance(v, str | int | float | bool | type(None)):
            v = str(v)
        out[str(k)] = v
    return out


def _datum_from_text(text_: str) -> str | None:
    from geodata.datum import datum_from_text

    return datum_from_text(text_)


_PHONE_RE = re.compile(r"^(?:\+?86[-\s]?)?(?:1[3-9]\d{9}|0\d{2,3}[-\s]?\d{7,8}|\d{7,8})$")


def _validate_row(
    row_no: int, cells: Mapping[str, object], mapping: Mapping[str, str], today: dt.date, datum_hint: str | None
) -> ParsedRow:
    issues: list[RowIssue] = []
    values: dict[str, object] = {}

    def get(key: str) -> object:
        header = mapping.get(key)
        return cells.get(header) if header else None

    def err(key: str, message: str, level: str = "error") -> None:
        issues.append(RowIssue(row_no, mapping.get(key, FIELD_BY_KEY[key].label), message, level))

    for header, value in cells.items():
        if isinstance(value, str) and value.startswith(("=", "＝", "+", "@")) and len(value) > 1 and \
                re.match(r"^[=＝+@]\s*[A-Za-z_]+\s*\(|^[=＝]", value):
            # A formula typed as text: it is stored as plain text, never evaluated, and neutralised on export.
            issues.append(RowIssue(row_no, header, "内容以公式符号开头，已按普通文本保存（不会执行）", "warning"))

    case_no = _text(get("case_no"))
    if not case_no:
        err("case_no", "编号为空")
    elif len(case_no) > 100:
        err("case_no", f"编号过长（{len(case_no)} 个字符，最多 100）")
    values["case_no"] = case_no

    received = None
    raw_received = get("received_date")
    try:
        received = parse_date(raw_received)
        if received is None:
            err("received_date", "收件日期为空")
        elif not dt.date(1990, 1, 1) <= received <= today + dt.timedelta(days=1):
            err("received_date", f"收件日期 {received.isoformat()!r} 不合理（应在 1990-01-01 至今天之间）")
            received = None
    except (ValueError, OverflowError):
        err("received_date", f"无法识别的日期 {_text(raw_received)!r}（请写成 2026-03-05）")
    values["received_date"] = received

    deadline = None
    raw_deadline = get("deadline")
    try:
        deadline = parse_date(raw_deadline)
    except (ValueError, OverflowError):
        err("deadline", f"无法识别的日期 {_text(raw_deadline)!r}，已按收件日期后 {HANDLING_DAYS} 天计", "warning")
    if deadline and received and deadline < received:
        err("deadline", f"办理期限 {deadline.isoformat()} 早于收件日期 {received.isoformat()}，已按收件日期后 "
                        f"{HANDLING_DAYS} 天计", "warning")
        deadline = None
    if received and not deadline:
        deadline = received + dt.timedelta(days=HANDLING_DAYS)
    values["deadline"] = deadline

    content = _text(get("content"))
    if not content:
        err("content", "反映内容为空")
    values["content"] = content
    for key in ("source", "category", "title"):
        v = _text(get(key))
        values[key] = v[:500] if key == "title" else v[:100]
    values["reported_persons"] = _split_names(_text(get("reported_persons")))
    values["reported_units"] = _split_names(_text(get("reported_units")))

    address = _text(get("address"))
    admin = [_text(get(k)) for k in ("county", "town", "village")]
    # Separate 县区/乡镇/村 columns complete the address unless the address already names them.
    prefix = "".join(a for a in admin if a and a not in address)
    values["address_text"] = (prefix + address) if prefix else address

    status_text = _text(get("status"))
    values["status"] = ""
    if status_text:
        values["status"] = _STATUS_WORDS.get(re.sub(r"\s+", "", status_text), "")
        if not values["status"]:
            err("status", f"办理状态 {status_text!r} 无法识别，按“已登记”处理", "warning")

    people = get("people_affected")
    try:
        values["people_affected"] = max(0, int(_float(people) or 0))
    except (ValueError, OverflowError):
        err("people_affected", f"涉及人数 {_text(people)!r} 不是数字，已按 0 计", "warning")
        values["people_affected"] = 0

    lon_raw, lat_raw = get("lon"), get("lat")
    values["lon"] = values["lat"] = None
    values["datum"] = ""
    if lon_raw not in (None, "") or lat_raw not in (None, ""):
        try:
            lon, lat = _float(lon_raw), _float(lat_raw)
            if lon is None or lat is None:
                raise ValueError
            if not (math.isfinite(lon) and math.isfinite(lat)):
                raise ValueError
            datum_text = _text(get("datum"))
            datum = datum_hint or "wgs84"
            if datum_text:
                found = _datum_from_text(datum_text)
                if found is None:
                    err("datum", f"坐标系 {datum_text!r} 无法识别，按 WGS-84 处理（可填 WGS-84、GCJ-02/高德、百度）",
                        "warning")
                else:
                    datum = found
            values["lon"], values["lat"], values["datum"] = lon, lat, datum
        except (ValueError, TypeError, OverflowError):
            err("lon", f"经纬度不完整或不是数字（经度 {_text(lon_raw)!r}，纬度 {_text(lat_raw)!r}），已忽略坐标",
                "warning")

    name = _text(get("petitioner_name"))
    if name in _ANONYMOUS:
        name = ""
    phone = _text(get("petitioner_phone"))
    if phone in _ANONYMOUS:
        phone = ""
    id_number = _text(get("petitioner_id")).upper()
    if id_number in _ANONYMOUS:
        id_number = ""
    if phone and not _PHONE_RE.match(re.sub(r"[\s\-()]", "", phone)):
        err("petitioner_phone", "联系电话格式不对（号码不显示），已照原样保存", "warning")
    if id_number:
        from planner.intake.demo import id_number_valid

        if not (id_number_valid(id_number) or re.fullmatch(r"\d{15}", id_number)):
            err("petitioner_id", "身份证号位数或校验位不对（号码不显示），已照原样保存", "warning")
    petitioner = Petitioner(name=name[:100], phone=phone[:50], id_number=id_number[:30])
    return ParsedRow(row=row_no, values=values, petitioner=petitioner, raw=dict(cells), issues=tuple(issues))


def _as_bytes(source: str | Path | bytes | io.IOBase, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), filename or "登记表"
    if hasattr(source, "read"):
        data = source.read()
        return (data if isinstance(data, bytes) else str(data).encode("utf-8")), filename or getattr(
            source, "name", "登记表")
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{str(path)!r} 是文件夹，请给出登记表文件")
    if not path.exists():
        raise InputError(f"找不到文件 {str(path)!r}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path.name}：文件 {size / 2**20:,.0f} MB，超过 {MAX_FILE_BYTES // 2**20} MB 上限")
    return path.read_bytes(), filename or path.name


def read_register(
    path_or_bytes: str | Path | bytes,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    today: dt.date | None = None,
) -> RegisterPreview:
    """Read a register, detect its header and columns, and validate every row (nothing is written).

    Parameters
    ----------
    path_or_bytes
        A file path, or the file's bytes (from an upload).
    filename
        Name used in messages and to choose the reader when bytes are given (``.xlsx``, ``.xls``, ``.csv``).
    mapping
        Overrides of the detected mapping: field key (see :data:`FIELDS`) -> header, or None to unmap a field.
    today
        Reference day for date checks (default today).

    Returns
    -------
    RegisterPreview
        Headers, detected and effective mapping, parsed rows with their issues.

    Raises
    ------
    InputError
        Empty, broken, unreadable or oversized files; no header row; a mapping naming an unknown field or
        header; a required field (编号, 收件日期, 反映内容) without a column.
    """
    data, name = _as_bytes(path_or_bytes, filename)
    sha = hashlib.sha256(data).hexdigest()
    tables = _load_tables(data, name)
    scored = [(t, *_find_header(t)) for t in tables]
    table, header_idx, score = max(scored, key=lambda s: s[2]) if scored else (None, -1, 0)
    if table is None or score < 3:
        raise InputError(
            f"{name}：在前 {HEADER_SEARCH_ROWS} 行没有找到表头（应含“编号”“收件日期”“反映内容”等列）；"
            "若是 CSV 文件，请确认编码为 UTF-8 或 GBK"
        )
    headers, file_issues = _unique_headers(table.rows[header_idx], header_idx + 1)
    detected = detect_mapping(headers)
    effective = dict(detected)
    for key, header in (mapping or {}).items():
        if key not in FIELD_BY_KEY:
            raise InputError(f"mapping: 未知字段 {key!r}；可用字段：{', '.join(FIELD_BY_KEY)}")
        if header in (None, ""):
            effective.pop(key, None)
            continue
        if header not in headers:
            raise InputError(f"mapping: 字段「{FIELD_BY_KEY[key].label}」指向的列 {header!r} 不在表头中")
        for other, h in list(effective.items()):
            if h == header and other != key:
                effective.pop(other)
        effective[key] = header
    missing = [FIELD_BY_KEY[k].label for k in FIELD_BY_KEY if FIELD_BY_KEY[k].required and k not in effective]
    if missing:
        # The page still needs the headers to let the user map the missing columns; import refuses.
        file_issues.append(
            RowIssue(header_idx + 1, "", f"找不到必需的列 {'、'.join(missing)}；请在列映射中指定对应的列")
        )
        return RegisterPreview(
            filename=name, sha256=sha, sheet=table.sheet, header_row=header_idx + 1, headers=tuple(headers),
            detected=detected, mapping=effective, rows=(), issues=tuple(file_issues), datum_hint=None,
        )
    datum_hint = None
    for key in ("lon", "lat"):
        if key in effective:
            datum_hint = datum_hint or _datum_from_text(effective[key])
    today = today or dt.date.today()
    rows: list[ParsedRow] = []
    seen_case: dict[str, int] = {}
    width = len(headers)
    for offset, raw in enumerate(table.rows[header_idx + 1:]):
        if _blank(raw):
            continue
        row_no = header_idx + 2 + offset
        cells = {headers[i]: (raw[i] if i < len(raw) else None) for i in range(width)}
        parsed = _validate_row(row_no, cells, effective, today, datum_hint)
        case_no = parsed.values["case_no"]
        if case_no and parsed.ok:
            if case_no in seen_case:
                parsed = ParsedRow(parsed.row, parsed.values, parsed.petitioner, parsed.raw, (
                    *parsed.issues,
                    RowIssue(row_no, effective["case_no"], f"编号 {case_no!r} 与第 {seen_case[case_no]} 行重复"),
                ))
            else:
                seen_case[case_no] = row_no
        rows.append(parsed)
    issues = list(file_issues)
    for r in rows:
        issues.extend(r.issues)
        if len(issues) >= MAX_ISSUES:
            break
    return RegisterPreview(
        filename=name, sha256=sha, sheet=table.sheet, header_row=header_idx + 1, headers=tuple(headers),
        detected=detected, mapping=effective, rows=tuple(rows), issues=tuple(issues[:MAX_ISSUES]),
        datum_hint=datum_hint,
    )


# ---------------------------------------------------------------------------------------------------------
# Import

_CASE_FIELDS = (
    "received_date", "deadline", "source", "category", "title", "content", "reported_persons", "reported_units",
    "address_text", "people_affected", "county", "county_code", "town", "town_code", "village", "village_code",
    "lon", "lat", "precision", "geocode_message", "petitioner_key",
)


def _row_hash(parsed: ParsedRow) -> str:
    v = dict(parsed.values)
    payload = {k: (x.isoformat() if isinstance(x, dt.date) else x) for k, x in sorted(v.items())}
    payload["_who"] = [parsed.petitioner.name, parsed.petitioner.phone, parsed.petitioner.id_number]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _locate(rows: Sequence[ParsedRow]) -> list[dict[str, object]]:
    """Resolve addresses and check given coordinates; fields for the cases table, one dict per row."""
    try:
        from planner.places import resolver as geocode
    except ImportError:  # the resolver is optional: without it cases keep precision 'none'
        geocode = None
    addresses = [str(r.values["address_text"]) for r in rows]
    resolved = geocode.resolve_many(addresses) if geocode is not None else [None] * len(rows)
    out: list[dict[str, object]] = []
    for r, res in zip(rows, resolved, strict=True):
        loc: dict[str, object] = {
            "county": "", "county_code": "", "town": "", "town_code": "", "village": "", "village_code": "",
            "lon": None, "lat": None, "precision": "none", "geocode_message": "",
        }
        messages: list[str] = []
        if res is not None:
            for k in ("county", "county_code", "town", "town_code", "village", "village_code", "lon", "lat",
                      "precision"):
                loc[k] = getattr(res, k)
            if res.message:
                messages.append(res.message)
        lon, lat = r.values.get("lon"), r.values.get("lat")
        if lon is not None and lat is not None:
            point = _check_point(geocode, float(lon), float(lat), str(r.values.get("datum") or "wgs84"),
                                 str(loc["town_code"]) or None)
            if point is not None:
                loc["lon"], loc["lat"] = point[0], point[1]
                # A point from the register is at least as precise as a village seat.
                loc["precision"] = "village"
                messages = [m.split("；")[0] for m in messages] + [point[2]]
            else:
                messages.append("登记表坐标无效，已改用地址定位")
        loc["geocode_message"] = "；".join(m for m in messages if m)
        out.append(loc)
    return out


def _check_point(geocode, lon: float, lat: float, datum: str, town_code: str | None):
    if geocode is not None and hasattr(geocode, "validate_point"):
        try:
            check = geocode.validate_point(lon, lat, datum, town_code)
        except InputError:
            return None
        if not check.ok or check.lon is None:
            return None
        return check.lon, check.lat, f"坐标取自登记表；{check.message}"
    from geodata.datum import to_wgs84

    x0, y0, x1, y1 = ZHANGZHOU_BBOX
    if not (x0 <= lon <= x1 and y0 <= lat <= y1) and x0 <= lat <= x1 and y0 <= lon <= y1:
        lon, lat = lat, lon
    if not (x0 <= lon <= x1 and y0 <= lat <= y1):
        return None
    x, y = to_wgs84(lon, lat, datum)
    return x, y, "坐标取自登记表"


def _session_of(target: Session | Engine) -> tuple[Session, bool]:
    if isinstance(target, Session):
        return target, False
    from planner.store.database import session_factory

    return session_factory(target)(), True


def _chunks(items: Sequence[str], n: int = 500) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def import_register(
    session_or_engine: Session | Engine,
    path: str | Path | bytes,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    who: str = "",
    actor: object | None = None,
    today: dt.date | None = None,
) -> ImportSummary:
    """Import a register into the database: insert new cases, update changed ones, keep rejected rows.

    All good rows, the batch record and the rejected rows are written in one transaction. Given an engine,
    the function commits; given a session, it flushes and leaves the commit to the caller.

    Parameters
    ----------
    session_or_engine
        Where to write.
    path
        Register file path or its bytes.
    filename
        Display name (required to pick the reader when bytes are given).
    mapping
        Column mapping overrides, as for :func:`read_register`.
    who
        User name recorded in the batch and the case history.
    actor
        The acting ``planner.office.security.Actor``; when given and the security module is present, the
        ``import`` permission is required and the import is audited.
    today
        Reference day for date checks.

    Returns
    -------
    ImportSummary
        Rows read, imported, updated, unchanged and rejected, with the batch id and issues.

    Raises
    ------
    InputError
        For unreadable files or mappings (see :func:`read_register`); nothing is written.
    """
    from planner.store.models import CaseRow, ImportBatch, RejectedRow

    started = time.perf_counter()
    who = who or str(getattr(actor, "username", "") or "")
    _require(actor, "import")
    preview = read_register(path, filename=filename, mapping=mapping, today=today)
    if preview.missing_required:
        raise InputError(f"{preview.filename}：找不到必需的列 {'、'.join(preview.missing_required)}；"
                         "请用列映射指定对应的列（命令行：--map 字段=列名）")
    session, own = _session_of(session_or_engine)
    try:
        good = [r for r in preview.rows if r.ok]
        bad = [r for r in preview.rows if not r.ok]
        # Two narrow columns of every case are cheaper than thousands of IN lookups; full rows are loaded
        # only for the cases that changed.
        known = {no: h for no, h in session.execute(select(CaseRow.case_no, CaseRow.content_hash))}
        hashes = {r.row: _row_hash(r) for r in good}
        changed = [r for r in good if known.get(str(r.values["case_no"])) != hashes[r.row]]
        existing: dict[str, CaseRow] = {}
        to_load = [str(r.values["case_no"]) for r in changed if str(r.values["case_no"]) in known]
        for chunk in _chunks(to_load):
            query = select(CaseRow).where(CaseRow.case_no.in_(chunk)).options(selectinload(CaseRow.petitioner))
            for row in session.scalars(query):
                existing[row.case_no] = row
        located = dict(zip((r.row for r in changed), _locate(changed), strict=True))

        batch = ImportBatch(
            filename=preview.filename[:500], file_sha256=preview.sha256, imported_by=who[:100],
            rows_read=preview.rows_read, column_mapping=dict(preview.mapping),
        )
        session.add(batch)
        session.flush()
        imported = updated = unchanged = 0
        precision_counts: dict[str, int] = {}
        new_cases: list[tuple[dict[str, object], Petitioner]] = []
        # One UPDATE per changed case (and one version bump): no autoflush between setting its fields.
        with session.no_autoflush:
            for r in good:
                if r.row not in located:
                    unchanged += 1
                    continue
                if _upsert(session, r, existing, located[r.row], hashes[r.row], batch.id, who, preview.filename,
                           precision_counts, new_cases):
                    imported += 1
                else:
                    updated += 1
        _insert_new(session, new_cases, batch.id)
        personal_headers = {preview.mapping.get(k) for k in PERSONAL_FIELDS} - {None}
        for r in bad:
            errors = [i for i in r.issues if i.level == "error"]
            session.add(RejectedRow(
                batch_id=batch.id, row_number=r.row, column="；".join(dict.fromkeys(i.column for i in errors))[:200],
                reason="；".join(i.message for i in errors),
                raw=_json_safe(_masked_raw(r.raw, personal_headers)),
            ))
        batch.rows_imported, batch.rows_updated = imported, updated
        batch.rows_unchanged, batch.rows_rejected = unchanged, len(bad)
        session.flush()
        _audit(session, actor, preview, imported, updated, len(bad))
        if own:
            session.commit()
    except BaseException:
        if own:
            session.rollback()
        raise
    finally:
        if own:
            session.close()
    summary = ImportSummary(
        batch_id=batch.id, filename=preview.filename, rows_read=preview.rows_read, imported=imported,
        updated=updated, unchanged=unchanged, rejected=len(bad), seconds=time.perf_counter() - started,
        issues=preview.issues, geocoded=precision_counts,
    )
    log.info("import %s: read %d, new %d, updated %d, unchanged %d, rejected %d", preview.sha256[:12],
             summary.rows_read, imported, updated, unchanged, len(bad))
    return summary


def _upsert(session: Session, r: ParsedRow, existing: dict, loc: Mapping[str, object], row_hash: str,
            batch_id: int, who: str, filename: str, precision_counts: dict[str, int],
            new_cases: list[tuple[dict[str, object], Petitioner]]) -> bool:
    """Update one known case (with history) or queue a new one for the bulk insert; True when new."""
    from planner.store.models import CaseHistory

    case_no = str(r.values["case_no"])
    current = existing.get(case_no)
    fields = _case_fields(r, loc)
    precision_counts[str(fields["precision"])] = precision_counts.get(str(fields["precision"]), 0) + 1
    if current is None:
        new_cases.append(({"case_no": case_no, "content_hash": row_hash, "batch_id": batch_id,
                           "status": str(r.values.get("status") or "registered"), **fields}, r.petitioner))
        return True
    changes: dict[str, object] = {}
    for k, v in fields.items():
        old = getattr(current, k)
        if _differs(old, v):
            # The petitioner key is derived from personal fields: record that it changed, not its value.
            changes[k] = {"old": "…", "new": "…"} if k == "petitioner_key" else {
                "old": _jsonable(old), "new": _jsonable(v)}
            setattr(current, k, v)
    register_status = str(r.values.get("status") or "")
    if register_status in _CLOSED_STATUSES and current.status not in _CLOSED_STATUSES:
        # The office closed the case in its register; work done in the app is never undone by a re-import.
        changes["status"] = {"old": current.status, "new": register_status}
        current.status = register_status
    if _update_petitioner(current, r.petitioner):
        changes["petitioner"] = "changed"
    current.content_hash = row_hash
    current.batch_id = batch_id
    session.add(CaseHistory(
        case_id=current.id, who=who[:100], action="import_update",
        detail={"batch_id": batch_id, "file": filename, "row": r.row, "changed": changes},
    ))
    return False


def _insert_new(session: Session, new_cases: Sequence[tuple[dict[str, object], Petitioner]], batch_id: int) -> None:
    """Insert new cases and their petitioners with ``executemany`` (10,000 ORM objects would be slow).

    Plain executemany without RETURNING is the fast path on both drivers (psycopg pipelines it); the new ids
    are then read back by batch, since every new case carries this batch's id.
    """
    from planner.store.models import CaseRow, PetitionerRow

    if not new_cases:
        return
    session.flush()
    conn = session.connection()
    rows = [values for values, _p in new_cases]
    for start in range(0, len(rows), 2000):
        conn.execute(CaseRow.__table__.insert(), rows[start:start + 2000])
    ids = {no: case_id for case_id, no in conn.execute(
        select(CaseRow.id, CaseRow.case_no).where(CaseRow.batch_id == batch_id))}
    people = [
        {"case_id": ids[values["case_no"]], "name": p.name, "phone": p.phone, "id_number": p.id_number}
        for values, p in new_cases if p.key()
    ]
    for start in range(0, len(people), 2000):
        conn.execute(PetitionerRow.__table__.insert(), people[start:start + 2000])


def _case_fields(r: ParsedRow, loc: Mapping[str, object]) -> dict[str, object]:
    v = r.values
    return {
        "received_date": v["received_date"], "deadline": v["deadline"], "source": v["source"],
        "category": v["category"], "title": v["title"], "content": v["content"],
        "reported_persons": list(v["reported_persons"]), "reported_units": list(v["reported_units"]),
        "address_text": v["address_text"], "people_affected": v["people_affected"],
        "petitioner_key": r.petitioner.key(), **loc,
    }


def _differs(old: object, new: object) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        if old is None or new is None:
            return old is not new
        return abs(float(old) - float(new)) > 1e-9
    return old != new


def _jsonable(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _petitioner_row(p: Petitioner):
    from planner.store.models import PetitionerRow

    return PetitionerRow(name=p.name, phone=p.phone, id_number=p.id_number)


def _update_petitioner(case, p: Petitioner) -> bool:
    current = case.petitioner
    if not p.key():
        if current is not None:
            case.petitioner = None
            return True
        return False
    if current is None:
        case.petitioner = _petitioner_row(p)
        return True
    if (current.name, current.phone, current.id_number) == (p.name, p.phone, p.id_number):
        return False
    current.name, current.phone, current.id_number = p.name, p.phone, p.id_number
    return True


def _require(actor: object | None, permission: str) -> None:
    if actor is None:
        return
    try:
        from planner.office.security import require
    except ImportError:
        return
    require(actor, permission)


def _audit(session: Session, actor: object | None, preview: RegisterPreview, imported: int, updated: int,
           rejected: int) -> None:
    if actor is None:
        return
    try:
        from planner.office.audit import record
    except ImportError:
        return
    record(session, actor, "import", reason=preview.filename,
           detail={"sha256": preview.sha256, "imported": imported, "updated": updated, "rejected": rejected})


# ---------------------------------------------------------------------------------------------------------
# Rejected rows


def rejected_rows(session: Session, batch_id: int) -> list[dict[str, object]]:
    """Rejected rows of an import batch: row number, column, reason and the masked row values."""
    from planner.store.models import RejectedRow

    rows = session.scalars(
        select(RejectedRow).where(RejectedRow.batch_id == batch_id).order_by(RejectedRow.row_number)
    )
    return [{"行号": r.row_number, "列": r.column, "原因": r.reason, **dict(r.raw or {})} for r in rows]


def rejected_rows_xlsx(rows: Iterable[Mapping[str, object]]) -> bytes:
    """Write rejected rows to an xlsx (cells neutralised so nothing can run as a formula).

    Parameters
    ----------
    rows
        As returned by :func:`rejected_rows`.

    Returns
    -------
    bytes
        The xlsx file.
    """
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
    ws.append(headers or ["行号", "列", "原因"])
    for r in rows:
        ws.append([safe_cell(_text(r.get(h)) if not isinstance(r.get(h), int | float) else r.get(h))
                   for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    from planner.intake.demo import deterministic_xlsx

    return deterministic_xlsx(buf.getvalue())
