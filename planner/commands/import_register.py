"""``python -m planner import register.xlsx``: import a letter register into the database and print the summary."""

from __future__ import annotations

import argparse
import json
import sys


def register(subparsers) -> None:
    """Add the ``import`` subcommand."""
    p = subparsers.add_parser(
        "import",
        help="把信访件登记表（.xlsx/.xls/.csv）导入数据库",
        description="导入信访件登记表（xlsx、xls、csv；CSV 可为 UTF-8、UTF-8 BOM 或 GBK）。"
        "同一登记表重复导入不会产生重复记录；修改过的行会更新并保留历史。",
    )
    p.add_argument("register", help="登记表文件")
    p.add_argument(
        "--map", action="append", default=[], metavar="字段=列名",
        help="指定列映射，如 --map case_no=信访件编号 --map address=发生地（字段名见 planner.intake.register.FIELDS）",
    )
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
    p.add_argument("--json", action="store_true", help="以 JSON 格式输出汇总")
    p.add_argument("--who", default="cli", help="记录在导入记录中的操作人")
    p.set_defaults(func=run)


def _mapping(items: list[str]) -> dict[str, str | None]:
    from planner.errors import InputError

    out: dict[str, str | None] = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"--map：应写作 字段=列名，收到 {item!r}")
        key, header = item.split("=", 1)
        out[key.strip()] = header.strip() or None
    return out


def run(args: argparse.Namespace) -> int:
    """Import (or validate) the register; print the summary and up to 20 issues."""
    from planner.intake import register as ingest

    mapping = _mapping(args.map)
    if args.dry_run:
        preview = ingest.read_register(args.register, mapping=mapping)
        print(f"{preview.filename}：读取 {preview.rows_read} 行，可导入 {preview.valid_rows}，"
              f"拒收 {preview.rejected_rows}"
              "（未写入数据库）")
        for line in preview.error_lines(20):
            print("  " + line, file=sys.stderr)
        return 0
    from planner.store.database import get_engine

    try:
        from planner.office.security import SYSTEM  # batch jobs act as SYSTEM; the import is audited
    except ImportError:
        SYSTEM = None  # noqa: N806 - stands in for the constant when the security module is absent
    actor = SYSTEM
    summary = ingest.import_register(get_engine(), args.register, mapping=mapping, who=args.who, actor=actor)
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False))
    else:
        print(summary.text())
    for issue in summary.issues[:20]:
        print("  " + issue.text(summary.filename), file=sys.stderr)
    if len(summary.issues) > 20:
        print(f"  ……另有 {len(summary.issues) - 20} 条提示", file=sys.stderr)
    return 0
