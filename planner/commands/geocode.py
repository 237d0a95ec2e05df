"""``python -m planner geocode``: resolve one address to JSON, or a CSV column of addresses to a CSV."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from planner.errors import InputError

#: Columns appended to every output row, in this order.
FIELDS = (
    "county", "county_code", "town", "town_code", "village", "village_code", "lon", "lat",
    "precision", "coord_source", "ambiguous", "candidates", "message", "precision_km",
)
#: Refuse files above this size: a register larger than this is a mistake, not a workload.
MAX_BYTES = 200 * 1024 * 1024


def register(subparsers) -> None:
    """Add the ``geocode`` subcommand."""
    p = subparsers.add_parser(
        "geocode",
        help="地址解析：把地址解析为县区、乡镇、村和 WGS-84 坐标（离线）",
        description="解析地址：输出县区、乡镇、村及代码，WGS-84 坐标，精度（village/town/county/none）。",
    )
    p.add_argument("address", nargs="?", help="一个地址，如 平和县山格镇土田村（输出一个 JSON 对象）")
    p.add_argument("--input", type=Path, help="CSV 文件（UTF-8、UTF-8 带 BOM 或 GBK）")
    p.add_argument("--column", default="address", help="地址所在列（默认：address）")
    p.add_argument("--output", type=Path, help="要写入的 CSV 文件（UTF-8 带 BOM）；默认输出到屏幕")
    p.set_defaults(func=run)


def run(args) -> int:
    """Run the subcommand; return the exit code."""
    from planner.places.resolver import resolve, resolve_many

    gazetteer = office_gazetteer()
    if args.input is None:
        if not args.address:
            raise InputError("请给出地址，如 geocode '平和县山格镇土田村'，或用 --input 文件 --column 列名")
        print(json.dumps(resolve(args.address, gazetteer).to_dict(), ensure_ascii=False))
        return 0
    if args.address:
        raise InputError(f"请只给出地址（{args.address!r}）或 --input 其中之一")
    header, rows = read_csv(args.input)
    if args.column not in header:
        raise InputError(f"文件 {args.input.name!r} 中没有 {args.column!r} 列；现有列：{header!r}")
    col = header.index(args.column)
    results = resolve_many((row[col] if col < len(row) else "" for row in rows), gazetteer)
    # Never overwrite an input column: a clashing name gets a suffix.
    out_header = header + [f if f not in header else f"{f}_resolved" for f in FIELDS]
    buf = io.StringIO()
    write_rows(buf, out_header, header, rows, results)
    text = "\ufeff" + buf.getvalue()
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8", newline="")
        n = len(results)
        by = {p: sum(1 for r in results if r.precision == p) for p in ("village", "town", "county", "none")}
        amb = sum(1 for r in results if r.ambiguous)
        print(f"{n} 条地址：村 {by['village']}，乡镇 {by['town']}，县区 {by['county']}，未识别 {by['none']}，"
              f"有歧义 {amb} -> {args.output}", file=sys.stderr)
    return 0


def office_gazetteer():
    """The office gazetteer of ``DATABASE_URL``'s database (or the app's SQLite file when it exists).

    Without either, the built-in tables answer alone: resolving an address never creates a database.
    """
    import os

    from planner.store.database import data_dir, get_engine, session_scope
    from planner.store.places import load_gazetteer

    if not os.environ.get("DATABASE_URL", "").strip() and not (data_dir() / "xiafang.db").exists():
        return None
    with session_scope(get_engine()) as session:
        return load_gazetteer(session)


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Read a CSV in UTF-8 (with or without BOM) or GBK.

    Raises
    ------
    InputError
        When the file is empty, too large, not text, or has no header.
    """
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"文件 {path.name!r} 有 {size // 1_000_000} MB，超过上限 {MAX_BYTES // 1_000_000} MB")
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise InputError(f"文件 {path.name!r} 不是 CSV 文本文件（内容为二进制，请另存为 CSV UTF-8）")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise InputError(f"文件 {path.name!r} 不是 UTF-8 或 GBK 编码的文本")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"文件 {path.name!r} 是空的") from None
    header = [h.strip() for h in header]
    return header, [row for row in reader]


def write_rows(buf, out_header, header, rows, results) -> None:
    """Write input rows with the resolution fields appended, formulas neutralised."""
    from planner.office.privacy import safe_cell

    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([safe_cell(h) for h in out_header])
    for row, r in zip(rows, results, strict=True):
        d = r.to_dict()
        d["candidates"] = "；".join(r.candidates)
        d["ambiguous"] = "是" if r.ambiguous else ""
        d["lon"] = "" if r.lon is None else f"{r.lon:.6f}"
        d["lat"] = "" if r.lat is None else f"{r.lat:.6f}"
        padded = list(row) + [""] * (len(header) - len(row))
        w.writerow([safe_cell(v) for v in padded] + [safe_cell(d[f]) for f in FIELDS])
