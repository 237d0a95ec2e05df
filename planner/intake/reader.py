"""Reading register files: xlsx (a fast streaming reader, openpyxl as fallback), xls and csv, with size limits."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from planner.errors import InputError
from planner.intake.columns import HEADER_SEARCH_ROWS

log = logging.getLogger(__name__)

#: Registers larger than this are refused before they are loaded (split the file or import by year).
MAX_ROWS = 100_000
#: Files larger than this are refused outright (a 100,000-row register is far below it).
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Uncompressed size above which an xlsx is refused (zip bombs).
MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class _Table:
    sheet: str
    rows: list[tuple[object, ...]]  # every row from the top of the sheet (header search needs the top)



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


