"""``python -m planner restore FILE``: load a backup into the database, all or nothing."""

from __future__ import annotations

from pathlib import Path

from planner.office.backup import backup_key, restore
from planner.office.clock import show_time
from planner.store.database import get_engine


def register(subparsers) -> None:
    """Add the ``restore`` subcommand."""
    p = subparsers.add_parser(
        "restore",
        help="从备份 zip 恢复数据库（一个事务完成；数据库已有数据时须加 --replace）",
        description="恢复：在一个事务中载入备份文件，失败则数据库保持原样。数据库已有数据时须加 --replace。",
    )
    p.add_argument("file", type=Path, help="由 python -m planner backup 写出的 zip 文件")
    p.add_argument("--replace", action="store_true", help="删除当前数据，用备份替换")
    p.add_argument(
        "--key", type=Path, default=None,
        help="备份签名所用的密钥文件（默认：本服务器数据文件夹中的 backup.key）",
    )
    p.set_defaults(func=_run)


def _run(args) -> int:
    if not args.file.is_file():
        raise FileNotFoundError(2, "No such file", str(args.file))
    key = backup_key(args.key, create=False) if args.key is not None else None
    info = restore(get_engine(), args.file, replace=args.replace, who="system", key=key)
    print(f"已恢复 {len(info.rows)} 张表、{info.total_rows} 行（备份时间 {show_time(info.created_at)}）")
    return 0
