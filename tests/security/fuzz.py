"""Hypothesis strategies and property checks over the importer, the address resolver and the plan reader.

Each ``check_*`` function raises AssertionError on a violated property and returns a short outcome label; the
only exception a hostile input may cause is the project's ``InputError``. Shared by ``test_fuzz.py`` (a few
hundred examples) and ``benchmarks/security_report.py`` (10,000 each).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import math
import zipfile
from pathlib import Path

from hypothesis import strategies as st

from planner.errors import InputError

from .seed import FORMULA_PAYLOADS, XSS_PAYLOADS

PLAN_JSON = Path(__file__).resolve().parents[1] / "data" / "plan_zhangzhou.json"
REGISTER_HEADERS = ("编号", "收件日期", "办理期限", "来源", "问题类别", "信访人", "联系电话", "身份证号",
                    "反映内容", "被反映人", "被反映单位", "地址", "经度", "纬度", "坐标系")  # fmt: skip
PLACE_WORDS = ("福建省", "漳州市", "漳州", "平和县", "平和", "山格镇", "隆庆村", "龙海市", "龙海区", "芗城区", "长泰县",
               "漳浦县", "旧镇镇", "云霄县", "东山县", "铜陵镇", "诏安县", "南靖县", "书洋镇", "华安县", "古雷",
               "台商投资区", "角美镇", "村委会", "社区", "街道", "3组", "12号", "附近", "路", "大队", "乡")  # fmt: skip
HOSTILE = XSS_PAYLOADS + FORMULA_PAYLOADS + ("\x00", "\u202e", "'; DROP TABLE cases; --", "Ａ" * 300, "𠀀𪚥", "\r\n")

# --- register rows ----------------------------------------------------------------------------------------------------

_dates = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
_date_texts = st.one_of(
    _dates.map(lambda d: d.isoformat()),
    _dates.map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    _dates.map(lambda d: f"{d.year}/{d.month}/{d.day}"),
    _dates.map(lambda d: d.strftime("%Y%m%d")),
    st.sampled_from(["", "昨天", "2026-02-30", "0", "-1", "9999-99-99", "45000", "nan"]),
)
_cell_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(HOSTILE),
    st.sampled_from(PLACE_WORDS),
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.just(""),
)


@st.composite
def register_rows(draw) -> tuple[list[str], list[list[str]]]:
    """A register table: the standard headers (sometimes shuffled) and up to 12 rows of hostile cells."""
    headers = list(REGISTER_HEADERS)
    if draw(st.booleans()):
        headers = draw(st.permutations(headers))
    n = draw(st.integers(0, 12))
    rows = []
    for i in range(n):
        row = []
        for h in headers:
            if h == "编号":
                row.append(draw(st.one_of(st.just(f"ZZ-{i:04d}"), _cell_text)))
            elif h in ("收件日期", "办理期限"):
                row.append(draw(_date_texts))
            elif h == "反映内容":
                row.append(draw(st.one_of(_cell_text, st.just("村集体收取桉树砍伐保证金未退还"))))
            elif h == "地址":
                row.append(draw(st.one_of(addresses(), _cell_text)))
            else:
                row.append(draw(_cell_text))
        rows.append(row)
    return headers, rows


def csv_bytes(headers: list[str], rows: list[list[str]], *, encoding: str = "utf-8-sig") -> bytes:
    """The table as CSV bytes (properly quoted)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    w.writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


def _expected_rows(rows: list[list[str]]) -> int:
    # The CSV reader strips cells (also U+3000); a row whose cells are all blank is skipped, as Excel users expect.
    return sum(1 for r in rows if any(c.replace("\u3000", " ").strip() for c in r))


def check_register(headers: list[str], rows: list[list[str]]) -> str:
    """Reading a register never crashes, and every non-blank data row comes back as imported or rejected."""
    from planner.intake.register import read_register

    data = csv_bytes(headers, rows)
    try:
        preview = read_register(data, filename="fuzz.csv", today=dt.date(2026, 12, 7))
    except InputError:
        return "refused"
    if not preview.rows and not _expected_rows(rows):
        return "empty"
    assert len(preview.rows) == _expected_rows(rows), (
        f"rows lost: wrote {_expected_rows(rows)} non-blank rows, read {len(preview.rows)}"
    )
    for parsed in preview.rows:
        if parsed.ok:
            assert str(parsed.values.get("case_no") or "").strip(), "an accepted row has no case number"
        else:
            assert any(i.level == "error" for i in parsed.issues), "a rejected row has no reason"
    return "read"


def check_register_bytes(data: bytes, suffix: str) -> str:
    """Arbitrary bytes under a register file name: an InputError or a preview, nothing else."""
    from planner.intake.register import read_register

    try:
        read_register(data, filename=f"fuzz{suffix}", today=dt.date(2026, 12, 7))
    except InputError:
        return "refused"
    return "read"


# --- addresses --------------------------------------------------------------------------------------------------------


def addresses() -> st.SearchStrategy[str]:
    """Address-like text: place words with noise, separators, full-width forms and hostile strings."""
    word = st.one_of(st.sampled_from(PLACE_WORDS), st.text(max_size=6), st.sampled_from(HOSTILE))
    return st.lists(word, max_size=8).flatmap(
        lambda parts: st.sampled_from(["", " ", "，", "-", "\u3000"]).map(lambda sep: sep.join(parts))
    )


def check_resolve(text: str) -> str:
    """Resolving any text never crashes, and what it returns is internally consistent and inside Zhangzhou."""
    from planner.places.resolver import resolve

    try:
        r = resolve(text)
    except InputError:
        return "refused"
    if r.county_code:
        assert r.county_code.startswith("3506"), f"county outside Zhangzhou: {r.county_code!r} for {text!r}"
    if r.town_code:
        assert r.county_code and r.town_code.startswith(r.county_code[:6]), f"town {r.town_code!r} vs {r.county_code!r}"
    if r.village_code:
        assert r.town_code and r.village_code.startswith(r.town_code[:9]), (
            f"village {r.village_code!r} vs {r.town_code!r}"
        )
    if r.lon is not None or r.lat is not None:
        assert r.lon is not None and r.lat is not None and math.isfinite(r.lon) and math.isfinite(r.lat)
        assert 116.5 <= r.lon <= 118.5 and 23.3 <= r.lat <= 25.3, f"point outside Zhangzhou for {text!r}"
    if r.ambiguous:
        assert len(r.candidates) >= 2, "ambiguous without candidates"
    return r.precision


# --- plan.json --------------------------------------------------------------------------------------------------------


def base_plan() -> dict:
    """The valid test plan."""
    return json.loads(PLAN_JSON.read_text(encoding="utf-8"))


_json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**18), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.sampled_from(["08:30", "25:99", "2026-12-07", "2026-02-30", "", "-1", "nan", *HOSTILE]),
)  # fmt: skip
json_values = st.recursive(
    _json_leaf,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)  # fmt: skip


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


@st.composite
def mutated_plans(draw) -> dict:
    """The valid plan with 1-3 random values replaced, deleted or duplicated."""
    doc = copy.deepcopy(base_plan())
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "duplicate"]))
        key = path[-1]
        if action == "delete":
            if isinstance(parent, dict):
                del parent[key]
            else:
                parent.pop(key)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        else:
            parent[key] = draw(json_values)
    return doc


def check_plan(doc: object) -> str:
    """Reading any plan.json never crashes; a document that is read keeps every route, stop, visit and team."""
    from planner.routing.planio import plan_from_json

    try:
        pd = plan_from_json(doc)  # type: ignore[arg-type]
    except InputError:
        return "refused"
    assert isinstance(doc, dict)
    assert len(pd.plan.routes) == len(doc["routes"]), "routes lost"
    assert sum(len(r.stops) for r in pd.plan.routes) == sum(len(r["stops"]) for r in doc["routes"]), "stops lost"
    assert len(pd.plan.unassigned) == len(doc["unassigned"]), "unassigned visits lost"
    assert len(pd.visits) == len(doc.get("visits") or ()), "visits lost (duplicate ids kept only once)"
    assert len(pd.teams) == len(doc.get("teams") or ()), "teams lost (duplicate ids kept only once)"
    return "read"


def check_import(engine, headers: list[str], rows: list[list[str]]) -> str:
    """Importing into an empty database: every non-blank row ends up as a case or a rejected row, none vanish."""
    from sqlalchemy import func, select

    from planner.intake.register import import_register
    from planner.store.models import Base, CaseRow, RejectedRow

    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    try:
        summary = import_register(engine, csv_bytes(headers, rows), filename="fuzz.csv", today=dt.date(2026, 12, 7))
    except InputError:
        return "refused"
    with engine.connect() as conn:
        cases = conn.scalar(select(func.count()).select_from(CaseRow))
        rejected = conn.scalar(select(func.count()).select_from(RejectedRow))
    expected = _expected_rows(rows)
    assert cases + rejected == expected, f"rows lost: {expected} rows, {cases} cases + {rejected} rejected"
    assert summary.imported == cases and summary.rejected == rejected, "summary disagrees with the database"
    return "imported"


# --- crafted xlsx workbooks (structured: the parser sees real sheet XML, not bytes refused at the first check) -------

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                           'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                           '</Types>',
    "xl/workbook.xml": f'<workbook xmlns="{_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                       'relationships"><sheets><sheet name="登记表" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                                  'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def xlsx_bytes(sheet_chunks, *, shared: list[str] | None = None) -> bytes:
    """A minimal workbook whose sheet XML is streamed from ``sheet_chunks`` (huge sheets cost no memory here)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in _XLSX_PARTS.items():
            zf.writestr(name, xml)
        if shared is not None:
            sst = "".join(f"<si><t>{_xml(s)}</t></si>" for s in shared)
            zf.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_NS}">{sst}</sst>')
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(f'<worksheet xmlns="{_NS}"><sheetData>'.encode())
            for chunk in sheet_chunks:
                fh.write(chunk.encode())
            fh.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def _xml(text: str) -> str:
    clean = "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ch not in "\ufffe\uffff"))
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _col(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


@st.composite
def xlsx_workbooks(draw) -> tuple[bytes]:
    """Register workbooks with structure: a header row, typed cells (shared, inline, numbers, booleans, errors),
    cells with and without coordinates, far columns, row gaps, and now and then a large adversarial sheet
    (tens of thousands of coordinate-less cells, a compressible bomb, many shared strings)."""
    headers, rows = draw(register_rows())
    shared: list[str] = []
    kind = draw(st.sampled_from(["plain"] * 8 + ["no_coords", "far_column", "bomb", "many_strings"]))

    def cell(ref: str | None, value: str) -> str:
        r = f' r="{ref}"' if ref else ""
        style = draw(st.sampled_from(["s", "inlineStr", "n", "b", "e", "str"]))
        if style == "s":
            shared.append(value)
            return f'<c{r} t="s"><v>{len(shared) - 1}</v></c>'
        if style == "inlineStr":
            return f'<c{r} t="inlineStr"><is><t>{_xml(value)}</t></is></c>'
        if style == "n":
            return f"<c{r}><v>{draw(st.sampled_from(['1', '46000', '-3.5', '1e308', 'x', '']))}</v></c>"
        return f'<c{r} t="{style}"><v>{_xml(value[:20])}</v></c>'

    chunks = []
    row_no = 0
    for values in [headers, *rows]:
        row_no += draw(st.sampled_from([1, 1, 1, 2, 50]))
        coords = draw(st.booleans())
        cells = "".join(cell(f"{_col(i)}{row_no}" if coords else None, v) for i, v in enumerate(values))
        chunks.append(f'<row r="{row_no}">{cells}</row>')
    if kind == "no_coords":
        chunks.append(f'<row r="{row_no + 1}">' + "<c><v>1</v></c>" * draw(st.integers(1_000, 30_000)) + "</row>")
    elif kind == "far_column":
        chunks.append(f'<row r="{row_no + 1}"><c r="{draw(st.sampled_from(["ALM", "XFD", "ZZZZ"]))}{row_no + 1}">'
                      "<v>1</v></c></row>")
    elif kind == "bomb":
        filler = '<row><c t="inlineStr"><is><t>' + "0" * 900 + "</t></is></c></row>"
        chunks += [filler] * draw(st.integers(5_000, 40_000))
    elif kind == "many_strings":
        shared += [f"s{i}" for i in range(draw(st.integers(10_000, 200_000)))]
    return (xlsx_bytes(chunks, shared=shared),)


def check_register_xlsx(data: bytes) -> str:
    """A crafted workbook: read (every header and data row accounted for) or refused with an InputError."""
    from planner.intake.register import read_register

    try:
        read_register(data, filename="fuzz.xlsx", today=dt.date(2026, 12, 7))
    except InputError:
        return "refused"
    return "read"


# --- backups ----------------------------------------------------------------------------------------------------------

BACKUP_MUTATIONS = ("promote_officer", "edit_row_keep_checksums", "drop_table", "drop_table_resigned",
                    "strip_signature", "truncate", "manifest_junk", "malformed_rows_resigned", "foreign_key")


@st.composite
def backup_mutations(draw) -> tuple[str, int]:
    """One way an attacker or a damaged disk changes a backup, and where in the file."""
    return draw(st.sampled_from(BACKUP_MUTATIONS)), draw(st.integers(0, 10_000))


def mutate_backup(src: Path, dst: Path, how: str, where: int, key: bytes) -> bool:
    """Write ``dst``: the backup ``src`` changed by ``how`` (see :data:`BACKUP_MUTATIONS`); False if it is unchanged
    (e.g. no officer to promote)."""
    import hashlib
    import zipfile as _zip

    from planner.office import backup as bk

    with _zip.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    tables = sorted(manifest["tables"])

    def recompute() -> None:
        for name, meta in manifest["tables"].items():
            data = members.get(f"tables/{name}.jsonl", b"")
            meta["sha256"] = hashlib.sha256(data).hexdigest()
            meta["rows"] = len(data.splitlines())

    if how == "promote_officer":
        if b'"officer"' not in members["tables/users.jsonl"]:
            return False
        members["tables/users.jsonl"] = members["tables/users.jsonl"].replace(b'"officer"', b'"admin"')
        recompute()
    elif how == "edit_row_keep_checksums":
        name = f"tables/{tables[where % len(tables)]}.jsonl"
        data = bytearray(members[name] or b"[]\n")
        i = where % len(data)
        data[i] = (data[i] + 1) % 256
        members[name] = bytes(data)
        recompute()
    elif how in ("drop_table", "drop_table_resigned"):
        name = tables[where % len(tables)]
        members.pop(f"tables/{name}.jsonl", None)
        del manifest["tables"][name]
        if how == "drop_table_resigned":
            manifest["hmac"] = bk._signature(manifest, key)
    elif how == "strip_signature":
        manifest.pop("hmac", None)
    elif how == "truncate":
        raw = Path(src).read_bytes()
        dst.write_bytes(raw[: max(1, where % len(raw))])
        return True
    elif how == "manifest_junk":
        manifest["tables"] = [where]
    elif how == "malformed_rows_resigned":
        name = "petitioners" if "petitioners" in manifest["tables"] else tables[0]
        data = members[f"tables/{name}.jsonl"]
        members[f"tables/{name}.jsonl"] = data + data  # duplicate primary keys, with identities in the rows
        recompute()
        manifest["hmac"] = bk._signature(manifest, key)
    elif how == "foreign_key":
        manifest["hmac"] = bk._signature(manifest, bytes(32))
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    with _zip.ZipFile(dst, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    return True
