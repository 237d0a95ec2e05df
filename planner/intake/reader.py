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
MAX_XLSX_UNCOMPRESSED = 256 * 1024 * 1024
#: A real register unzips to 5-20 times its size; far more is a zip bomb (checked with a 1 MB allowance).
MAX_EXPANSION = 100
#: Work limits, whatever the file's size: cells read, columns in a row, shared strings and their characters, seconds.
MAX_CELLS = 5_000_000
MAX_COLUMNS = 1_000
MAX_SHARED_STRINGS = 2_000_000
MAX_SHARED_CHARS = 100_000_000
MAX_PARSE_SECONDS = 60.0


class _Budget:
    """Counts the work a parse does and stops it with a clear error before it can starve the server.

    One parse of a crafted file (a 16 KB sheet of cells without coordinates, a sheet expanding to 1 GB) must not
    take minutes or exhaust memory while other people use the app: every reader ticks this budget as it goes.
    """

    __slots__ = ("cells", "deadline", "filename")

    def __init__(self, filename: str) -> None:
        import time

        self.filename = filename
        self.cells = 0
        self.deadline = time.monotonic() + MAX_PARSE_SECONDS

    def tick(self, cells: int = 1) -> None:
        """Count ``cells`` more cells; check the clock every few thousand."""
        before = self.cells
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise InputError(
                f"{self.filename}：单元格超过 {MAX_CELLS:,} 个，超过单次导入上限；请删去无关的工作表或列，或拆分后导入"
            )
        if self.cells // 4096 != before // 4096:
            self.check_time()

    def check_time(self) -> None:
        import time

        if time.monotonic() > self.deadline:
            raise InputError(
                f"{self.filename}：解析超过 {MAX_PARSE_SECONDS:.0f} 秒仍未完成，已停止；文件结构异常，"
                "请在 Excel 中“另存为”新的 xlsx 或 CSV 后重试"
            )

    def column(self, col: int) -> None:
        if col >= MAX_COLUMNS:
            raise InputError(
                f"{self.filename}：第 {col + 1:,} 列超出上限 {MAX_COLUMNS:,} 列；登记表不会有这么多列，"
                "请删去多余的列后重试"
            )


@dataclass(frozen=True, slots=True)
class _Table:
    sheet: str
    rows: list[tuple[object, ...]]  # every row from the top of the sheet (header search needs the top)
    # Merged ranges as (first row, first column, last row, last column), 0-based and inclusive; the header reading
    # needs them (a group label over 姓名 | 联系电话). Vertical ones are already filled into the rows.
    merged: tuple[tuple[int, int, int, int], ...] = ()
    hidden: frozenset[int] = frozenset()  # 0-based columns the sheet hides (a system's 流水号 beside the 编号)


def _fill_merged(rows: list[tuple[object, ...]], merged: Sequence[tuple[int, int, int, int]],
                 budget: _Budget) -> None:
    """Give every row of a vertically merged range its value (a county merged over three letters belongs to all
    three; the file keeps it only in the top cell). A row blank but for the range stays blank: a spacer row."""
    for r1, c1, r2, c2 in merged:
        if r2 <= r1 or r1 >= len(rows):
            continue
        top = rows[r1]
        values = [top[c] if c < len(top) else None for c in range(c1, min(c2, MAX_COLUMNS - 1) + 1)]
        if all(v is None for v in values):
            continue
        for r in range(r1 + 1, min(r2, len(rows) - 1) + 1):
            if _blank(rows[r]):
                continue
            budget.tick(len(values))
            row = list(rows[r]) + [None] * max(0, c1 + len(values) - len(rows[r]))
            row[c1:c1 + len(values)] = values
            rows[r] = tuple(row)


def _range(ref: str) -> tuple[int, int, int, int] | None:
    """``D2:D4`` -> (1, 3, 3, 3); None for a ref that is no range."""
    m = re.fullmatch(r"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)", ref.strip().upper())
    if not m:
        return None
    return int(m.group(2)) - 1, _col_index(m.group(1)), int(m.group(4)) - 1, _col_index(m.group(3))



class _Uncomputed:
    """A formula cell whose file holds no computed value (saved by a program that does not calculate, such as a
    script): read as empty, but the import says why the cell is empty."""

    __slots__ = ()

    def __str__(self) -> str:
        return ""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNCOMPUTED_FORMULA"


#: The value read from a formula cell without a stored result.
UNCOMPUTED_FORMULA = _Uncomputed()


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


def _read_xlsx(data: bytes, filename: str, budget: _Budget | None = None) -> list[_Table]:
    from openpyxl import load_workbook

    budget = budget or _Budget(filename)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = zf.namelist()
        total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise InputError(f"{filename}：不是有效的 Excel（xlsx）文件，可能已损坏或只下载了一部分（{exc}）") from None
    if "xl/workbook.xml" not in names:
        raise InputError(f"{filename}：压缩包里没有 Excel 工作簿（缺少 xl/workbook.xml），不是 xlsx 文件")
    if total > MAX_XLSX_UNCOMPRESSED or total > max(len(data) * MAX_EXPANSION, 2**20):
        raise InputError(
            f"{filename}：解压后约 {total / 2**20:,.1f} MB（原文件 {len(data) / 2**20:,.2f} MB），"
            "超过上限或压缩比异常（疑似压缩炸弹），已拒收；请拆分后导入"
        )
    try:
        return _read_xlsx_fast(zf, filename, budget)
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
                budget.tick(len(row))
                if row:
                    budget.column(len(row) - 1)
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


def _shared_strings(zf: zipfile.ZipFile, budget: _Budget | None = None) -> list[str]:
    from xml.etree.ElementTree import iterparse

    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    budget = budget or _Budget("xlsx")
    out: list[str] = []
    chars = 0
    with zf.open("xl/sharedStrings.xml") as fh:
        for _event, elem in iterparse(fh):
            if elem.tag == _NS_MAIN + "si":
                if len(out) >= MAX_SHARED_STRINGS or chars > MAX_SHARED_CHARS:
                    raise InputError(
                        f"{budget.filename}：共享字符串超过上限"
                        f"（{MAX_SHARED_STRINGS:,} 条或 {MAX_SHARED_CHARS:,} 字），"
                        "文件结构异常；请“另存为”新的 xlsx 或 CSV 后重试"
                    )
                if len(out) % 4096 == 0:
                    budget.check_time()
                # Rich text keeps its runs in <r><t>; phonetic guides (<rPh>) are not part of the value.
                parts = [t.text or "" for t in elem.iter(_NS_MAIN + "t")]
                phonetic = {id(t) for rph in elem.iter(_NS_MAIN + "rPh") for t in rph.iter(_NS_MAIN + "t")}
                if phonetic:
                    parts = [t.text or "" for t in elem.iter(_NS_MAIN + "t") if id(t) not in phonetic]
                out.append("".join(parts))
                chars += len(out[-1])
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


def _read_xlsx_fast(zf: zipfile.ZipFile, filename: str, budget: _Budget | None = None) -> list[_Table]:
    """Stream the sheets with iterparse: several times faster than openpyxl for plain registers.

    Cells are handled one by one as they end and then dropped, so a crafted sheet (one row of a million cells,
    cells without coordinates, a column index of XFD) costs bounded memory and linear time: every cell ticks the
    budget, and a column beyond :data:`MAX_COLUMNS` stops the read.
    """
    from xml.etree.ElementTree import fromstring, iterparse

    budget = budget or _Budget(filename)
    workbook = fromstring(zf.read("xl/workbook.xml"))
    rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    date1904 = any(p.get("date1904") in ("1", "true") for p in workbook.iter(_NS_MAIN + "workbookPr"))
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    shared = _shared_strings(zf, budget)
    date_xf = _date_styles(zf)
    limit = MAX_ROWS + HEADER_SEARCH_ROWS
    row_tag, cell_tag, dim_tag = _NS_MAIN + "row", _NS_MAIN + "c", _NS_MAIN + "dimension"
    merge_tag, col_tag = _NS_MAIN + "mergeCell", _NS_MAIN + "col"
    tables = []
    for sheet in workbook.iter(_NS_MAIN + "sheet"):
        target = targets.get(sheet.get(_NS_REL + "id"))
        if not target:
            raise _NotFastError("sheet without relationship")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        rows: list[tuple[object, ...]] = []
        row_elem = None
        merged: list[tuple[int, int, int, int]] = []
        hidden: set[int] = set()
        cells: dict[int, object] = {}
        next_col = 0
        with zf.open(path) as fh:
            for event, elem in iterparse(fh, events=("start", "end")):
                tag = elem.tag
                if event == "start":
                    if tag == row_tag:
                        row_elem, cells, next_col = elem, {}, 0
                    continue
                if tag == cell_tag:
                    budget.tick()
                    ref = elem.get("r")
                    col = _col_index(ref) if ref else next_col
                    budget.column(col)
                    next_col = col + 1
                    t = elem.get("t", "n")
                    v = elem.find(_NS_MAIN + "v")
                    raw = v.text if v is not None else None
                    if t == "s":
                        value: object = shared[int(raw)] if raw is not None else None
                    elif t == "inlineStr":
                        value = "".join(x.text or "" for x in elem.iter(_NS_MAIN + "t"))
                    elif t in ("str", "d"):
                        value = raw
                    elif t == "b":
                        value = raw == "1"
                    elif raw is None and elem.find(_NS_MAIN + "f") is not None:
                        value = UNCOMPUTED_FORMULA
                    elif t == "e" or raw is None:
                        value = None
                    else:
                        num = float(raw)
                        if int(elem.get("s", "0")) in date_xf:
                            value = epoch + dt.timedelta(days=num)
                        else:
                            value = int(num) if num.is_integer() and abs(num) < 2**53 else num
                    cells[col] = _cell(value)
                    if row_elem is not None:
                        try:
                            row_elem.remove(elem)  # done with it: a huge row never sits in memory as elements
                        except ValueError:
                            elem.clear()
                elif tag == row_tag:
                    r = int(elem.get("r") or len(rows) + 1)
                    if r > limit:
                        raise _too_many(filename, r)
                    if r - 1 > len(rows):
                        budget.tick(r - 1 - len(rows))
                    while len(rows) < r - 1:
                        rows.append(())
                    width = max(cells) + 1 if cells else 0
                    rows.append(tuple(cells.get(i) for i in range(width)))
                    elem.clear()
                    row_elem, cells = None, {}
                elif tag == dim_tag:
                    m = re.search(r"(\d+)$", elem.get("ref", ""))
                    if m and int(m.group(1)) > limit:
                        raise _too_many(filename, int(m.group(1)))
                elif tag == col_tag and elem.get("hidden") in ("1", "true"):
                    first = max(int(elem.get("min") or 1), 1)
                    hidden.update(range(first - 1, min(int(elem.get("max") or first), MAX_COLUMNS)))
                elif tag == merge_tag and (span := _range(elem.get("ref", ""))) is not None:
                    budget.tick()
                    merged.append(span)
        _fill_merged(rows, merged, budget)
        tables.append(_Table(sheet.get("name", ""), rows, tuple(merged), frozenset(hidden)))
    return tables


def _read_xls(data: bytes, filename: str, budget: _Budget | None = None) -> list[_Table]:
    import xlrd

    budget = budget or _Budget(filename)
    try:
        try:  # formatting_info gives the merged ranges (a county merged over several letters)
            book = xlrd.open_workbook(file_contents=data, on_demand=True, formatting_info=True)
        except Exception:
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
            if sh.ncols:
                budget.column(sh.ncols - 1)
            budget.tick(sh.nrows * sh.ncols)
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
            # xlrd gives (first row, row after the last, first column, column after the last).
            merged = tuple((r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in getattr(sh, "merged_cells", ()) or ()
                           if r2 > r1 and c2 > c1)
            _fill_merged(rows, merged, budget)
            tables.append(_Table(sh.name, rows, merged))
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


def _read_csv(data: bytes, filename: str, budget: _Budget | None = None) -> list[_Table]:
    budget = budget or _Budget(filename)
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
    rows = []
    try:
        for row in reader:
            budget.tick(len(row))
            if row:
                budget.column(len(row) - 1)
            rows.append(tuple(_cell(v) for v in row))
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
    budget = _Budget(filename)  # cells, columns, shared strings and seconds, whatever the reader
    # Trust the bytes over the name: offices often rename files.
    if is_zip or (suffix in (".xlsx", ".xlsm") and not is_ole):
        return _read_xlsx(data, filename, budget)
    if is_ole or suffix == ".xls":
        return _read_xls(data, filename, budget)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return _read_csv(data, filename, budget)
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


