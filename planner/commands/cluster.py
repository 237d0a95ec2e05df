"""``python -m planner cluster``: issue clusters, hotspots and repeat letters of a register file, no database.

A register is read as 导入登记表 reads it (:func:`letters_from_register`); other tables (message-board exports
without received dates) by the plain table reader (:func:`read_table`, :func:`letters_from_rows`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import logging
import sys
from pathlib import Path

from planner.errors import InputError

log = logging.getLogger(__name__)

# Header names tried in order when an option is not given (registers, the demo generator, public datasets).
_ID_NAMES = ("id", "编号", "信访编号", "案件编号", "件号", "case_no", "留言编号", "序号")
_TITLE_NAMES = ("title", "标题", "留言主题", "主题", "事由")
_TEXT_NAMES = ("text", "content", "内容", "反映内容", "主要内容", "来信内容", "留言详情", "举报内容", "问题描述")
_ADDRESS_NAMES = ("address", "地址", "问题发生地", "发生地", "反映地点", "address_text", "所在地")
_DATE_NAMES = ("received_date", "date", "收件日期", "收信日期", "受理日期", "登记日期", "日期", "留言时间", "来信日期")
_PETITIONER_NAMES = ("petitioner_key",)
_IDENTITY_NAMES = (("name", "姓名", "信访人", "举报人", "留言用户"), ("phone", "电话", "联系电话", "手机"),
                   ("id_number", "身份证号", "身份证号码"))
_UNIT_NAMES = ("reported_units", "被反映单位", "被举报单位")
_PERSON_NAMES = ("reported_persons", "被反映人", "被举报人")
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
    p.add_argument("--sheet", default=None, help="Excel 工作表名称（默认：第一个工作表）")
    p.add_argument("--id-col", default=None, help="信访件编号所在列（默认自动识别 id/编号/留言编号 等）")
    p.add_argument(
        "--text-col",
        default=None,
        help="内容所在列，多列用逗号分隔、按顺序拼接（默认：标题列 + 内容列）",
    )
    p.add_argument("--address-col", default=None, help="地址所在列（可选；写 '' 表示不用地址）")
    p.add_argument("--date-col", default=None,
                   help="收件日期所在列（默认自动识别；写 '' 表示不用日期，按普通表格读取，不按登记表校验）")
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


def letters_from_register(args) -> list | None:
    """Letters from the rows 导入登记表 would take, read by :func:`planner.intake.register.read_register`.

    The register is read as the import reads it (title rows, two-row headers, merged cells, hidden columns, dates
    without a year, blank 编号 numbered 自编-…); nothing is written to any database. Rows the import would reject
    are listed on stderr (file, row, column, reason) and left out. The column options become the import's column
    mapping. Returns None when the file is no register the import takes — no header naming 编号/收件日期/反映内容,
    no 收件日期 or 反映内容 column (public message boards), ``--date-col ''`` or a ``--sheet`` other than the sheet
    the import reads —: the caller then reads it as a plain table (:func:`read_table`, :func:`letters_from_rows`).

    Raises
    ------
    InputError
        An option names a column the register lacks; the file cannot be read; no row can be analysed.
    """
    from planner.intake.register import read_register

    if args.date_col == "":
        return None  # a register without received dates: the import refuses it, the plain table reader does not
    text_cols = [c.strip() for c in (args.text_col or "").split(",") if c.strip()]
    mapping: dict[str, str | None] = {}
    for key, given in (("case_no", args.id_col), ("address", args.address_col), ("received_date", args.date_col)):
        if given is not None:
            mapping[key] = given or None
    if text_cols:
        mapping |= {"content": text_cols[0], "title": None}
    try:
        preview = read_register(args.input, mapping=mapping)
    except InputError as exc:
        if "没有找到表头" in str(exc):
            return None
        if not mapping:
            raise
        _check_options(read_register(args.input).headers, args, text_cols)
        raise
    if preview.missing_required or (args.sheet and args.sheet != preview.sheet):
        return None
    headers = list(preview.headers)
    _check_options(headers, args, text_cols)
    return _register_letters(preview, args, text_cols)


def _check_options(headers, args, text_cols: list[str]) -> None:
    """Refuse, as the plain table reader does, an option naming a column the register does not have."""
    headers = list(headers)
    for what, cols in (("编号", [args.id_col or ""]), ("内容", text_cols), ("地址", [args.address_col or ""]),
                       ("日期", [args.date_col or ""]), ("信访人", _petitioner_cols(args))):
        for c in cols:
            if c and c not in headers:
                raise InputError(f"找不到{what}列 {c!r}；现有列：{headers!r}")


def _petitioner_cols(args) -> list[str]:
    return [c.strip() for c in (args.petitioner_cols or "").split(",") if c.strip()]


def _register_letters(preview, args, text_cols: list[str]) -> list:
    from planner.analysis import Letter
    from planner.intake.rows import _text

    rejected = [r for r in preview.rows if not r.ok]
    for r in rejected:
        for issue in r.issues:
            if issue.level == "error":  # the import's own words: never a personal value
                print(issue.text(preview.filename), file=sys.stderr)
    valid = [r for r in preview.rows if r.ok]
    if rejected:
        print(f"{preview.filename}：{len(rejected)} 行未分析（导入登记表也会拒收这些行，原因见上），"
              f"分析其余 {len(valid)} 行", file=sys.stderr)
    if not valid:
        raise InputError(f"{preview.filename}：没有可分析的行（读取 {preview.rows_read} 行，每行都有错误）")
    lower = {h.lower(): h for h in preview.headers}
    key_col = next((lower[n] for n in _PETITIONER_NAMES if n in lower), None)
    code_cols = {k: h for k, names in _CODE_NAMES.items() if (h := next((lower[n.lower()] for n in names
                                                                         if n.lower() in lower), None))}
    ident_cols = _petitioner_cols(args)
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
            pkey = _petitioner_key({c: _text(raw.get(c)) for c in ident_cols}, ident_cols, custom=True)
        else:  # the import's petitioner (anonymous words dropped, digits normalised); a name alone links nothing
            p = r.petitioner
            pkey = p.key() if (p.id_number or p.phone) else ""
        out.append(Letter(
            letter_id=str(v["case_no"]),
            text=text,
            received_date=v["received_date"],
            address="" if args.address_col == "" else str(v["address_text"] or ""),
            reported_units=tuple(v["reported_units"]),
            reported_persons=tuple(v["reported_persons"]),
            petitioner_key=pkey,
            **{k: _code(_text(raw.get(h))) for k, h in code_cols.items()},
        ))
    return out


def read_table(path: Path, sheet: str | None = None) -> tuple[list[str], list[dict[str, str]]]:
    """Read a register as header + rows of strings (xlsx/xls via pandas, csv in UTF-8, UTF-8-BOM or GBK).

    Raises
    ------
    InputError
        If the file type is unsupported or the file has no header.
    """
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        try:
            df = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, header=None)
        except ValueError as exc:
            raise InputError(f"--sheet {sheet!r}：找不到该工作表（{exc}）") from exc
        df = _with_header(df)
    elif suffix in (".csv", ".txt", ".tsv"):
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(f"文件 {path.name!r} 不是 UTF-8 或 GBK 编码的文本")
        import io

        df = _with_header(pd.read_csv(io.StringIO(text), dtype=str, sep="\t" if suffix == ".tsv" else ",", header=None))
    else:
        raise InputError(f"--input {str(path)!r}：文件应为 .xlsx、.xls 或 .csv，收到 {suffix!r}")
    df = df.fillna("")
    header = [str(c).strip() for c in df.columns]
    if not header:
        raise InputError(f"文件 {path.name!r} 没有表头行")
    df.columns = header
    return header, df.to_dict(orient="records")


def _with_header(df):
    """Use the first of the top rows that names an id column as the header (registers often start with a title)."""
    known = {n.lower() for n in _ID_NAMES}
    for r in range(min(10, len(df))):
        cells = [str(v).strip().lower() for v in df.iloc[r].tolist()]
        if known & set(cells):
            out = df.iloc[r + 1 :].reset_index(drop=True)
            cells = df.iloc[r].tolist()
            out.columns = [str(v).strip() if str(v) != "nan" else f"列{k + 1}" for k, v in enumerate(cells)]
            return out
    out = df.iloc[1:].reset_index(drop=True)
    out.columns = [str(v).strip() for v in df.iloc[0].tolist()]
    return out


def _pick(header: list[str], given: str | None, names: tuple[str, ...], what: str, required: bool) -> str:
    if given is not None:
        if given == "":
            return ""
        if given not in header:
            raise InputError(f"找不到{what}列 {given!r}；现有列：{header!r}")
        return given
    lower = {h.lower(): h for h in header}
    for n in names:
        if n.lower() in lower:
            return lower[n.lower()]
    if required:
        raise InputError(
            f"找不到{what}列（试过 {list(names)!r}），请用选项指定；现有列：{header!r}"
        )
    return ""


def _parse_date(value: str, row: int, column: str) -> dt.date | None:
    import pandas as pd

    value = str(value).strip()
    if not value:
        return None
    try:
        ts = pd.to_datetime(value.replace("年", "-").replace("月", "-").replace("日", ""))
    except (ValueError, TypeError) as exc:
        raise InputError(f"第 {row} 行 {column!r} 列：不是日期：{value!r}") from exc
    return ts.date()


def letters_from_rows(header: list[str], rows: list[dict[str, str]], args) -> list:
    """Turn register rows into :class:`planner.analysis.Letter` objects using the column options."""
    from planner.analysis import Letter

    id_col = _pick(header, args.id_col, _ID_NAMES, "编号", True)
    if args.text_col:
        text_cols = [c.strip() for c in args.text_col.split(",") if c.strip()]
        for c in text_cols:
            if c not in header:
                raise InputError(f"找不到内容列 {c!r}；现有列：{header!r}")
    else:
        title = _pick(header, None, _TITLE_NAMES, "标题", False)
        text = _pick(header, None, _TEXT_NAMES, "内容", True)
        text_cols = [c for c in (title, text) if c]
    addr_col = _pick(header, args.address_col, _ADDRESS_NAMES, "地址", False)
    date_col = _pick(header, args.date_col, _DATE_NAMES, "日期", False)
    key_col = _pick(header, None, _PETITIONER_NAMES, "信访人", False)
    if args.petitioner_cols:
        ident_cols = [c.strip() for c in args.petitioner_cols.split(",") if c.strip()]
        for c in ident_cols:
            if c not in header:
                raise InputError(f"找不到信访人列 {c!r}；现有列：{header!r}")
    elif key_col:
        ident_cols = []
    else:
        ident_cols = [c for names in _IDENTITY_NAMES if (c := _pick(header, None, names, "身份信息", False))]
    unit_col = _pick(header, None, _UNIT_NAMES, "被反映单位", False)
    person_col = _pick(header, None, _PERSON_NAMES, "被反映人", False)
    code_cols = {k: _pick(header, None, names, k, False) for k, names in _CODE_NAMES.items()}
    out = []
    for n, row in enumerate(rows, start=2):
        lid = str(row.get(id_col, "")).strip()
        if not lid:
            raise InputError(f"第 {n} 行 {id_col!r} 列：编号为空")
        text = "。".join(str(row[c]).strip() for c in text_cols if str(row[c]).strip())
        if key_col and str(row.get(key_col, "")).strip():
            pkey = str(row[key_col]).strip()
        else:
            pkey = _petitioner_key(row, ident_cols, custom=bool(args.petitioner_cols))
        out.append(
            Letter(
                letter_id=lid,
                text=text,
                received_date=_parse_date(row[date_col], n, date_col) if date_col else None,
                address=str(row.get(addr_col, "")).strip() if addr_col else "",
                reported_units=_split(row.get(unit_col, "")) if unit_col else (),
                reported_persons=_split(row.get(person_col, "")) if person_col else (),
                petitioner_key=pkey,
                **{k: _code(row.get(c, "")) for k, c in code_cols.items() if c},
            )
        )
    return out


_ANONYMOUS = frozenset(("匿名", "无", "不详", "未知", "-", "—", "/", "nan", "none", "null"))


def _petitioner_key(row: dict, cols: list[str], *, custom: bool) -> str:
    """Opaque key of the petitioner; only this hash leaves the function, never the identity.

    Default columns follow :meth:`planner.domain.Petitioner.key` (ID number, else name + phone), so keys
    match those of imported cases; a name alone is too weak to link letters. Anonymous letters get no key.
    """
    values = [str(row.get(c, "")).strip() for c in cols]
    values = ["" if v.lower() in _ANONYMOUS else v for v in values]
    if not any(values):
        return ""
    if custom:
        return hashlib.sha256(("xiafang-petitioner|" + "|".join(values)).encode()).hexdigest()[:20]
    from planner.domain import Petitioner

    ident = dict(zip(("name", "phone", "id_number"), [""] * 3, strict=False))
    for col, value in zip(cols, values, strict=False):
        for role, names in zip(("name", "phone", "id_number"), _IDENTITY_NAMES, strict=False):
            if col in names or col.lower() in names:
                ident[role] = value
    if not ident["id_number"] and not ident["phone"]:
        return ""
    return Petitioner(**ident).key()


def _split(value: str) -> tuple[str, ...]:
    import re

    return tuple(p for p in re.split(r"[;；,，、/|\s]+", str(value or "")) if p)


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
    for i, res in zip(todo, resolve_many(letters[i].address for i in todo), strict=False):
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

    letters = letters_from_register(args)
    if letters is None:  # no register the import takes (a message board export, no dates): a plain table
        header, rows = read_table(args.input, args.sheet)
        letters = letters_from_rows(header, rows, args)
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
