"""``python -m planner cluster``: issue clusters, hotspots and repeat letters of a register file, no database.

Every file is read by the import's reader (:func:`planner.intake.register.read_register`), whatever the options:
:func:`letters_from_register` maps them onto it (``--sheet`` chooses the sheet, the column options become the
column mapping, ``--date-col ''`` reads without dates), so the command analyses the rows 导入登记表 would take.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from planner.errors import InputError

log = logging.getLogger(__name__)

# Headers of tables that are no register (public message boards, English-headed datasets) which the import's own
# detection does not know; a field takes one only when the file's headers name no column for it. 序号 is never a
# number (the import's rule: it restarts at 1 in every register).
_NAMES: Mapping[str, tuple[str, ...]] = {
    "case_no": ("id", "case_no", "留言编号"),
    "title": ("title", "留言主题", "主题"),
    "content": ("text", "content", "留言详情", "问题描述"),
    "received_date": ("received_date", "date", "留言时间"),
    "address": ("address", "address_text"),
    "reported_units": ("reported_units",),
    "reported_persons": ("reported_persons",),
}
_PETITIONER_NAMES = ("petitioner_key",)
_CODE_NAMES = {
    "county_code": ("county_code", "县区代码"),
    "town_code": ("town_code", "乡镇代码"),
    "village_code": ("village_code", "村代码"),
}

OUTPUT_COLUMNS = ("id", "issue_cluster", "hotspot", "repeat_of", "label")


def register(subparsers) -> None:
    """Add the ``cluster`` subcommand."""
    p = subparsers.add_parser(
        "cluster",
        help="关联分析：找出跨县区的同类问题、热点和重复举报（读登记表文件，不用数据库）",
        description="关联分析：同类问题（跨县区）、热点（同一问题同一地点）、重复举报。输出 CSV："
        "id, issue_cluster, hotspot, repeat_of, label。",
    )
    p.add_argument("--input", type=Path, required=True, help="登记表文件（.xlsx、.xls 或 .csv）")
    p.add_argument("--output", type=Path, required=True, help="要写入的 CSV 文件（UTF-8 带 BOM）")
    p.add_argument("--sheet", default=None, help="Excel 工作表名称（默认：与导入登记表相同，读表头最像登记表的一张）")
    p.add_argument("--id-col", default=None,
                   help="信访件编号所在列（默认自动识别 编号/留言编号/id 等；写 '' 表示没有编号列，"
                        "按导入登记表的规则自编号）")
    p.add_argument(
        "--text-col",
        default=None,
        help="内容所在列，多列用逗号分隔、按顺序拼接（默认：标题列 + 内容列）",
    )
    p.add_argument("--address-col", default=None, help="地址所在列（可选；写 '' 表示不用地址）")
    p.add_argument("--date-col", default=None,
                   help="收件日期所在列（默认自动识别；写 '' 表示不用日期：不读日期列，不因日期拒收，"
                        "重复举报按表中行的先后判断）")
    p.add_argument(
        "--petitioner-cols",
        default=None,
        help="用来识别同一信访人的列（如 姓名,电话），只在内存中做不可逆散列，不写入任何文件",
    )
    p.add_argument(
        "--threshold", type=float, default=None,
        help="两件信访件判为同一问题的最低相似度（默认 0.25）",
    )
    p.add_argument("--systemic-counties", type=int, default=3, help="涉及多少个县区算跨县区系统性问题（默认 3）")
    p.add_argument("--summary", type=Path, default=None, help="另写一个 CSV，每个同类问题一行")
    p.add_argument("--no-geocode", action="store_true", help="不解析地址（不按地址补县区、乡镇、村）")
    p.set_defaults(func=run)


def _cols(value: str | None) -> list[str]:
    """A comma-separated column option as a list (empty for none)."""
    return [c.strip() for c in (value or "").split(",") if c.strip()]


def letters_from_register(
    path: Path,
    *,
    sheet: str | None = None,
    id_col: str | None = None,
    text_cols: Sequence[str] = (),
    address_col: str | None = None,
    date_col: str | None = None,
    petitioner_cols: Sequence[str] = (),
    report: TextIO | None = None,
) -> list:
    """Letters of a register, read by :func:`planner.intake.register.read_register` as 导入登记表 reads it.

    Title rows, two-row headers, merged cells, hidden columns, dates without a year and blank 编号 (numbered
    自编-…) are read as the import reads them; nothing is written to any database. Rows the import would refuse are
    listed on ``report`` (file, row, column, reason; never a personal value) and left out. A table without a received
    date column (a public message board) is read without dates, and said so.

    Parameters
    ----------
    path
        The register (.xlsx, .xls or .csv).
    sheet
        The sheet to read (default: the one the import reads).
    id_col, address_col, date_col
        The column of the case number, the address and the received date (default: as the import detects them);
        "" for none: without 编号 each letter is numbered as the import numbers it, without a date column the
        table is read without dates.
    text_cols
        The columns whose text is analysed, joined in order (default: 标题 and 反映内容).
    petitioner_cols
        Columns that identify a petitioner (only a one-way hash of them is kept); default: the import's petitioner.
    report
        Where refused rows and notes are written (default: stderr).

    Returns
    -------
    list[planner.analysis.Letter]
        One letter per row the import would take, in register order.

    Raises
    ------
    InputError
        The file cannot be read, has no such sheet or no header; an option names a column the file lacks; no
        column holds the letters' words; no row can be analysed.
    """
    report = report if report is not None else sys.stderr
    mapping: dict[str, str | None] = {key: given or None for key, given in (
        ("case_no", id_col), ("address", address_col), ("received_date", date_col)) if given is not None}
    if text_cols:
        mapping |= {"content": text_cols[0], "title": None}
    options = {"id": id_col, "text": list(text_cols), "address": address_col, "date": date_col,
               "petitioner": list(petitioner_cols)}
    preview = _read(path, sheet, mapping, options, dated=date_col != "")
    if date_col is None and "received_date" not in preview.mapping:
        print(f"{preview.filename}：没有收件日期列（收件日期、登记日期、留言时间……），按没有日期的表格读取："
              "重复举报按表中行的先后判断；如有日期列，请用 --date-col 指定", file=report)
        preview = _read(path, sheet, mapping, options, dated=False)
    if "content" not in preview.mapping:
        raise InputError(f"{preview.filename}：找不到内容列（反映内容、来信内容、内容、留言详情……），"
                         f"请用 --text-col 指定；现有列：{list(preview.headers)!r}")
    _check_options(preview.headers, options)
    return _letters(preview, text_cols, petitioner_cols, address=address_col != "", report=report)


def _read(path: Path, sheet: str | None, mapping: Mapping[str, str | None], options: Mapping[str, object], *,
          dated: bool):
    """The import's preview of the file with the options as its mapping; an option naming no column refused as
    the options were always refused (找不到编号列 '…'), with the file's columns."""
    from planner.intake.register import read_register

    # A column the options name also finds the header row (a table whose headers the import knows none of).
    names = {k: (*_NAMES.get(k, ()), *([v] if v else [])) for k, v in {**dict.fromkeys(_NAMES), **mapping}.items()}
    try:
        return read_register(path, mapping=mapping, sheet=sheet, dated=dated, names=names)
    except InputError as exc:
        if not mapping or "列对应" not in str(exc):
            raise
        _check_options(read_register(path, sheet=sheet, dated=dated, names=_NAMES).headers, options)
        raise


def _check_options(headers: Sequence[str], options: Mapping[str, object]) -> None:
    """Refuse an option naming a column the register does not have, showing the columns it has."""
    headers = list(headers)
    for what, key in (("编号", "id"), ("内容", "text"), ("地址", "address"), ("日期", "date"),
                      ("信访人", "petitioner")):
        given = options[key]
        for c in given if isinstance(given, list) else [given or ""]:
            if c and c not in headers:
                raise InputError(f"找不到{what}列 {c!r}；现有列：{headers!r}")


def _letters(preview, text_cols: Sequence[str], ident_cols: Sequence[str], *, address: bool,
             report: TextIO) -> list:
    """The letters of the rows the import would take; the refused rows listed on ``report``."""
    from planner.analysis import Letter
    from planner.intake.rows import _text

    rejected = [r for r in preview.rows if not r.ok]
    for r in rejected:
        for issue in r.issues:
            if issue.level == "error":  # the import's own words: never a personal value
                print(issue.text(preview.filename), file=report)
    valid = [r for r in preview.rows if r.ok]
    if rejected:
        print(f"{preview.filename}：{len(rejected)} 行未分析（导入登记表也会拒收这些行，原因见上），"
              f"分析其余 {len(valid)} 行", file=report)
    if not valid:
        raise InputError(f"{preview.filename}：没有可分析的行（读取 {preview.rows_read} 行，每行都有错误）")
    lower = {h.lower(): h for h in preview.headers}
    key_col = next((lower[n] for n in _PETITIONER_NAMES if n in lower), None)
    code_cols = {k: h for k, names in _CODE_NAMES.items() if (h := next((lower[n.lower()] for n in names
                                                                         if n.lower() in lower), None))}
    # The import's petitioners keyed as 关联分析 keys the stored ones (one rule: a letter without the ID number joins
    # the same named writer with the same phone); only the keys leave writer_keys.
    from planner.analysis.writers import writer_keys

    writers = writer_keys({str(r.values["case_no"]): r.petitioner for r in valid})
    out = []
    for r in valid:
        v, raw = r.values, r.raw
        if text_cols:
            text = "。".join(t for c in text_cols if (t := _text(raw.get(c))))
        else:
            text = "。".join(t for t in (str(v["title"] or "").strip(), str(v["content"]).strip()) if t)
        if key_col and _text(raw.get(key_col)):
            pkey = _text(raw.get(key_col))
        elif ident_cols:
            pkey = _petitioner_key([_text(raw.get(c)) for c in ident_cols])
        else:
            pkey = writers[str(v["case_no"])]
        out.append(Letter(
            letter_id=str(v["case_no"]),
            text=text,
            received_date=v["received_date"],
            address=str(v["address_text"] or "") if address else "",
            reported_units=tuple(v["reported_units"]),
            reported_persons=tuple(v["reported_persons"]),
            petitioner_key=pkey,
            private_names=(r.petitioner.name,) if r.petitioner.name else (),
            **{k: _code(_text(raw.get(h))) for k, h in code_cols.items()},
        ))
    return out


_ANONYMOUS = frozenset(("匿名", "无", "不详", "未知", "-", "—", "/", "nan", "none", "null"))


def _petitioner_key(values: Sequence[str]) -> str:
    """Opaque key of the petitioner from the ``--petitioner-cols`` values; only this hash leaves the function.

    Anonymous words count as empty; a letter with nothing in those columns gets no key (links nothing).
    """
    values = ["" if v.lower() in _ANONYMOUS else v for v in values]
    if not any(values):
        return ""
    return hashlib.sha256(("xiafang-petitioner|" + "|".join(values)).encode()).hexdigest()[:20]


def _code(value: str) -> str:
    v = str(value or "").strip()
    return v[:-2] if v.endswith(".0") else v


def geocode_letters(letters: list) -> list:
    """Fill county/town/village codes from the addresses with :func:`planner.places.resolver.resolve_many`."""
    import dataclasses

    try:
        from planner.places.resolver import resolve_many
    except ImportError:  # the geocode stage is optional for clustering
        return letters
    todo = [i for i, lt in enumerate(letters) if lt.address and not (lt.county_code or lt.town_code)]
    if not todo:
        return letters
    out = list(letters)
    from planner.followup.overview import OUTSIDE_NOTE

    for i, res in zip(todo, resolve_many(letters[i].address for i in todo), strict=False):
        if not res.county_code and res.message.startswith(OUTSIDE_NOTE):
            # 市外（转外地办理）: no group with the city's letters, as in the app (planner.store.clusters; walk W14's
            # 厦门市同安区 and 泉州市安溪县 deposit letters joined the city's deposit issue from the command line)
            out[i] = dataclasses.replace(letters[i], outside=True)
            continue
        if res.ambiguous and not res.county_code:
            continue
        out[i] = dataclasses.replace(
            letters[i],
            county_code=res.county_code or "",
            town_code=res.town_code or "",
            village_code=res.village_code or "",
            county=res.county or "",
            town=res.town or "",
            village=res.village or "",
        )
    return out


def run(args) -> int:
    """Run the subcommand; return the exit code."""
    from planner.analysis import ClusterOptions, analyse
    from planner.office.privacy import safe_cell

    letters = letters_from_register(
        args.input, sheet=args.sheet, id_col=args.id_col, text_cols=_cols(args.text_col), address_col=args.address_col,
        date_col=args.date_col, petitioner_cols=_cols(args.petitioner_cols))
    if not args.no_geocode:
        letters = geocode_letters(letters)
    kwargs = {"systemic_counties": args.systemic_counties}
    if args.threshold is not None:
        kwargs["issue_threshold"] = args.threshold
    result = analyse(letters, options=ClusterOptions(**kwargs))
    with args.output.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(OUTPUT_COLUMNS)
        for r in result.rows():
            w.writerow([safe_cell(r[c]) for c in OUTPUT_COLUMNS])
    if args.summary is not None:
        with args.summary.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["issue_cluster", "label", "letters", "counties", "towns", "first_date", "last_date",
                        "systemic", "reported", "hotspots"])
            for c in result.issues:
                w.writerow([safe_cell(x) for x in (
                    c.cluster_id, c.label, c.size, " ".join(c.county_codes), " ".join(c.town_codes),
                    c.first_date.isoformat() if c.first_date else "", c.last_date.isoformat() if c.last_date else "",
                    "是" if c.systemic else "", "、".join(c.reported), len(result.hotspots_of(c.cluster_id)),
                )])
    systemic = len(result.systemic())
    log.info("%d letters, %d issue clusters (%d systemic), %d hotspots, %d repeat chains",
             len(letters), len(result.issues), systemic, len(result.hotspots), len(result.repeats))
    print(f"{len(letters)} 件信访件：{len(result.issues)} 个同类问题（{systemic} 个跨县区系统性问题），"
          f"{len(result.hotspots)} 个热点，{len(result.repeats)} 条重复举报链 -> {args.output}")
    return 0
