"""Issue 13.8: upload limits bound the work of a parse, not only the bytes — crafted files built by a generator."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings

from planner.errors import InputError
from planner.intake import reader
from planner.intake.register import read_register
from planner.intake.uploads import check_upload

from . import fuzz

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="xml" ContentType="application/xml"/></Types>')
_WB = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="登记表" sheetId="1" r:id="rId1"/></sheets></workbook>')
_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
         'Target="worksheets/sheet1.xml"/></Relationships>')
_SHEET_HEAD = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
_SHEET_TAIL = "</sheetData></worksheet>"
HEADER = ("编号", "收件日期", "反映内容")


def _header_row() -> str:
    cells = "".join(f'<c r="{col}1" t="inlineStr"><is><t>{h}</t></is></c>'
                    for col, h in zip("ABC", HEADER, strict=True))
    return f'<row r="1">{cells}</row>'


def xlsx(sheet_chunks, *, shared: list[str] | None = None) -> bytes:
    """A minimal workbook whose sheet XML is streamed from ``sheet_chunks`` (so huge sheets cost no memory here)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _RELS)
        if shared is not None:
            sst = "".join(f"<si><t>{s}</t></si>" for s in shared)
            zf.writestr("xl/sharedStrings.xml",
                        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sst}</sst>')
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write((_SHEET_HEAD + _header_row()).encode())
            for chunk in sheet_chunks:
                fh.write(chunk.encode())
            fh.write(_SHEET_TAIL.encode())
    return buf.getvalue()


def cells_without_coordinates(n: int):
    """One row of ``n`` cells with no ``r`` attribute (the 16 KB file that took 138 s: quadratic column search)."""
    yield '<row r="2">'
    for i in range(0, n, 1000):
        yield "<c><v>1</v></c>" * min(1000, n - i)
    yield "</row>"


def far_columns(rows: int):
    """Rows whose only cell sits in column XFD (16,384): each row would become a 16,384-wide tuple."""
    for r in range(2, rows + 2):
        yield f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>'


def bomb(megabytes: int):
    """Highly compressible filler rows: a few hundred KB that unzip to ``megabytes`` MB."""
    row = '<row><c t="inlineStr"><is><t>' + "0" * 900 + "</t></is></c></row>"
    for _ in range(megabytes * 1024 * 1024 // len(row)):
        yield row


def test_cells_without_coordinates_are_refused_at_the_column_limit() -> None:
    data = xlsx(cells_without_coordinates(20_000))
    assert len(data) < 64 * 1024  # a small file
    with pytest.raises(InputError, match="列"):
        read_register(data, filename="crafted.xlsx")


def test_a_far_column_is_refused_before_wide_rows_are_built() -> None:
    with pytest.raises(InputError, match="16,384 列"):
        read_register(xlsx(far_columns(50)), filename="far.xlsx")


def test_a_file_expanding_far_beyond_its_size_is_refused_by_the_upload_check_and_the_reader() -> None:
    data = xlsx(bomb(64))
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(InputError, match="压缩炸弹"):
        check_upload("bomb.xlsx", data)
    with pytest.raises(InputError, match="压缩炸弹"):
        read_register(data, filename="bomb.xlsx")


def test_cell_budget(monkeypatch) -> None:
    monkeypatch.setattr(reader, "MAX_CELLS", 500)
    rows = (f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>1</v></c></row>' for r in range(2, 400))
    with pytest.raises(InputError, match="单元格超过 500"):
        read_register(xlsx(rows), filename="many.xlsx")
    with pytest.raises(InputError, match="单元格超过 500"):
        read_register(("编号,收件日期,反映内容\n" + "a,2026-01-01,x\n" * 300).encode(), filename="many.csv")


def test_shared_string_budget(monkeypatch) -> None:
    monkeypatch.setattr(reader, "MAX_SHARED_STRINGS", 1000)
    with pytest.raises(InputError, match="共享字符串"):
        read_register(xlsx([], shared=[f"s{i}" for i in range(2000)]), filename="sst.xlsx")


def test_parse_time_budget(monkeypatch) -> None:
    """The clock is checked while reading (no timing here: a zero budget must stop any real parse)."""
    monkeypatch.setattr(reader, "MAX_PARSE_SECONDS", -1.0)
    rows = (f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, 10_000))
    with pytest.raises(InputError, match="解析超过"):
        read_register(xlsx(rows), filename="slow.xlsx")


def test_an_ordinary_register_still_reads() -> None:
    rows = (f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>ZZ-{r}</t></is></c><c r="B{r}"><v>46000</v></c>'
            f'<c r="C{r}" t="inlineStr"><is><t>反映问题{r}</t></is></c></row>' for r in range(2, 200))
    preview = read_register(xlsx(rows), filename="ok.xlsx")
    assert preview.rows_read == 198


@settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(fuzz.xlsx_workbooks())
def test_crafted_workbooks_are_read_or_refused_never_crash(workbook) -> None:
    """Structured generator (tests/security/fuzz.py): typed cells, missing coordinates, far columns, bombs."""
    assert fuzz.check_register_xlsx(*workbook) in {"read", "refused"}
