"""``python -m planner restore FILE``: load a backup into the database, all or nothing."""

from __future__ import annotations

import getpass
from pathlib import Path

from planner.errors import InputError
from planner.office.backup import backup_key, restore
from planner.office.clock import show_time
from planner.store.database import get_engine

_WHO_MAX = 100  # the audit log's user-name column


def register(subparsers) -> None:
    """Add the ``restore`` subcommand."""
    p = subparsers.add_parser(
        "restore",
        help="从备份 zip 恢复数据库（一个事务完成；数据库已有数据时须加 --replace）",
        description="恢复：在一个事务中载入备份文件，失败则数据库保持原样。数据库已有数据时须加 --replace。"
        "备份之后写下的审计记录会保留在恢复后的数据库中；审计日志记下由谁恢复。",
    )
    p.add_argument("file", type=Path, help="由 python -m planner backup 写出的 zip 文件")
    p.add_argument("--replace", action="store_true", help="删除当前数据，用备份替换")
    p.add_argument(
        "--key", type=Path, default=None,
        help="备份签名所用的密钥文件（默认：本服务器数据文件夹中的 backup.key）",
    )
    p.add_argument(
        "--who", default=None,
        help="记录在审计日志中的恢复操作人（账户名或姓名）；默认为运行本命令的操作系统用户",
    )
    p.set_defaults(func=_run)


def os_user() -> str:
    """The operating-system account running this command (``""`` when the system cannot name it)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name and no passwd entry (some containers)
        return ""


def operator(who: str | None) -> str:
    """Who the audit row names: ``--who`` when given, else the operating-system account, else ``system``.

    Raises
    ------
    InputError
        ``--who`` is blank or longer than the audit log holds.
    """
    if who is None:
        return os_user()[:_WHO_MAX] or "system"
    name = who.strip()
    if not name:
        raise InputError("--who：请写明操作人（账户名或姓名），不能为空")
    if len(name) > _WHO_MAX:
        raise InputError(f"--who：操作人最多 {_WHO_MAX} 个字符，收到 {len(name)} 个")
    return name


def _run(args) -> int:
    if not args.file.is_file():
        raise FileNotFoundError(2, "No such file", str(args.file))
    who = operator(args.who)
    key = backup_key(args.key, create=False) if args.key is not None else None
    info = restore(get_engine(), args.file, replace=args.replace, who=who, key=key,
                   audit_detail={"os_user": os_user(), "via": "cli"})
    print(f"已恢复 {len(info.rows)} 张表、{info.total_rows} 行（备份时间 {show_time(info.created_at)}）")
    print(f"审计日志：备份之后写下的 {info.carried_over} 条记录已保留，本次恢复记在 {who!r} 名下")
    return 0
