"""``python -m planner backup --out FILE``: a consistent snapshot of the whole database in one zip file."""

from __future__ import annotations

from pathlib import Path

from planner.commands.restore import operator, os_user
from planner.office import audit
from planner.office.backup import backup, key_path
from planner.store.database import get_engine, session_scope


def register(subparsers) -> None:
    """Add the ``backup`` subcommand."""
    p = subparsers.add_parser(
        "backup",
        help="把整个数据库的一致快照备份到一个 zip 文件",
        description="备份：在一个事务快照中导出全部数据表（含架构版本）到一个 zip 文件。"
        "备份含信访人身份信息，文件仅所有者可读，请妥善保管。",
    )
    p.add_argument("--out", type=Path, required=True, help="要写入的 zip 文件，如 backups/xiafang-2026-12-07.zip")
    p.add_argument(
        "--who", default=None,
        help="记录在审计日志中的备份操作人（账户名或姓名）；默认为运行本命令的操作系统用户",
    )
    p.set_defaults(func=_run)


def _run(args) -> int:
    who = operator(args.who)
    engine = get_engine()
    info = backup(engine, args.out)
    with session_scope(engine) as s:
        audit.record(s, who, "backup",
                     detail={"file": info.path.name, "rows": info.total_rows, "os_user": os_user(), "via": "cli"})
    print(f"已备份 {len(info.rows)} 张表、{info.total_rows} 行 → {info.path}（架构版本 {', '.join(info.revisions)}）")
    print("注意：备份含信访人身份信息，请加密保存。")
    print(f"恢复时需要签名密钥 {key_path()}：请与备份分开、妥善保存一份（换服务器时用 restore --key 指定）。")
    return 0
