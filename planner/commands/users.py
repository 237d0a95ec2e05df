"""``python -m planner users``: first admin, create accounts, change roles, reset passwords, list accounts."""

from __future__ import annotations

import getpass
import os
import sys

from planner.errors import InputError
from planner.office import security
from planner.store.database import get_engine, session_scope

PASSWORD_ENV = "XIAFANG_USER_PASSWORD"
_ROLE_HELP = "角色：" + "、".join(f"{r}（{security.ROLE_LABELS[r]}）" for r in security.ROLES)


def register(subparsers) -> None:
    """Add the ``users`` subcommand with its actions."""
    p = subparsers.add_parser(
        "users",
        help="用户管理：首个管理员、创建账户、修改账户、重置密码、列出账户",
        description="用户管理：首个管理员、创建账户、修改角色与组、重置密码、列出账户。"
        f"密码从环境变量 {PASSWORD_ENV} 读取，否则在终端提示输入（不回显，不写入命令行历史）。",
    )
    sub = p.add_subparsers(dest="users_action", metavar="操作", required=True, help="下列操作之一")

    b = sub.add_parser("bootstrap", help="新安装时创建首个管理员 admin，密码只显示这一次",
                       description="新安装时创建首个管理员 admin，密码只显示这一次。")
    b.set_defaults(func=_bootstrap)

    c = sub.add_parser("create", help="创建账户", description="创建账户。")
    c.add_argument("username", help="用户名")
    c.add_argument("--role", required=True, choices=security.ROLES, help=_ROLE_HELP)
    c.add_argument("--teams", default="",
                   help="检查组编号，逗号分隔，如 --teams T1,T2（干部填所在组；组长填所带的组）")
    c.add_argument("--can-unmask", action="store_true", help="可查看信访人身份（干部不可）")
    c.add_argument("--display-name", default="", help="显示名称（如姓名）")
    c.set_defaults(func=_create)

    s = sub.add_parser("set", help="修改角色、检查组、查看身份权限或启用状态",
                       description="修改角色、检查组、查看身份权限或启用状态。")
    s.add_argument("username", help="用户名")
    s.add_argument("--role", choices=security.ROLES, help=_ROLE_HELP)
    s.add_argument("--teams", default=None, help="检查组编号，逗号分隔，如 --teams T1,T2（写 '' 表示不属于任何组）")
    s.add_argument("--can-unmask", choices=("yes", "no"), help="可否查看信访人身份：yes 可以，no 不可")
    s.add_argument("--active", choices=("yes", "no"), help="账户是否启用：yes 启用，no 停用")
    s.add_argument("--display-name", default=None, help="显示名称（如姓名）")
    s.set_defaults(func=_set)

    pw = sub.add_parser("password", help="重置密码（同时解除锁定）", description="重置密码（同时解除锁定）。")
    pw.add_argument("username", help="用户名")
    pw.set_defaults(func=_password)

    ls = sub.add_parser("list", help="列出全部账户", description="列出全部账户。")
    ls.set_defaults(func=_list)


def _yes(flag: object) -> str:
    return "是" if flag else "否"


def _teams(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [t.strip() for t in text.split(",") if t.strip()]


def _read_password() -> str:
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    if not sys.stdin.isatty():
        raise InputError(f"请设置环境变量 {PASSWORD_ENV}，或在终端中运行以输入密码")
    first = getpass.getpass("新密码：")
    if getpass.getpass("再次输入：") != first:
        raise InputError("两次输入的密码不一致")
    return first


def _bootstrap(args) -> int:
    from sqlalchemy import select

    from planner.store.demo_data import demo_data_present, removed_text
    from planner.store.models import AuditRow

    with session_scope(get_engine()) as s:
        # The first account ends the demo and deletes its data: say what went (walk 3: 600 letters went silently).
        had_demo = not security.list_users(s) and demo_data_present(s)
        password = security.bootstrap_admin(s)
        if password is None and not security.list_users(s):
            raise InputError("没有创建任何账户")
        row = s.scalars(select(AuditRow).where(AuditRow.action == "demo_data_removed")
                        .order_by(AuditRow.id.desc())).first() if had_demo else None
        removed = (row.detail or {}).get("removed") if row is not None else None
    if removed:
        print(f"首个账户结束演示，已删除演示数据：{removed_text(removed)}（审计日志有记录）。")
    if password is None:
        if os.environ.get(security.ADMIN_PASSWORD_ENV):
            print(
                f"已创建管理员 {security.BOOTSTRAP_USERNAME!r}（密码取自 {security.ADMIN_PASSWORD_ENV}）或账户已存在。"
            )
        else:
            print("账户已存在，未创建新管理员。")
        return 0
    print(f"已创建首个管理员，用户名：{security.BOOTSTRAP_USERNAME}")
    print(f"密码（只显示这一次）：{password}")
    print("请登录后立即在“用户管理”中修改密码。")
    return 0


def _known_teams(session, team_ids: list[str] | None) -> None:
    """Refuse team ids no team has (a typo would leave the account seeing nothing)."""
    from sqlalchemy import select

    from planner.store.models import TeamRow

    if not team_ids:
        return
    known = set(session.scalars(select(TeamRow.id)))
    unknown = [t for t in team_ids if t not in known]
    if unknown:
        raise InputError(
            f"没有编号为 {', '.join(unknown)} 的检查组（现有：{', '.join(sorted(known)) or '无'}；"
            "python -m planner teams 列出检查组）"
        )


def _create(args) -> int:
    password = _read_password()
    with session_scope(get_engine()) as s:
        if args.role != "admin" and not security.list_users(s):
            # An office whose first accounts came from here had no administrator and no teams (walk O).
            raise InputError(
                "还没有任何账户：请先运行 python -m planner users bootstrap 创建管理员 admin，再创建其他账户"
            )
        _known_teams(s, _teams(args.teams))
        actor = security.create_user(
            s, args.username, password, role=args.role, team_ids=_teams(args.teams) or [],
            can_unmask=args.can_unmask, display_name=args.display_name,
        )  # fmt: skip
    print(f"已创建 {actor.username}（{actor.role_label}）")
    return 0


def _set(args) -> int:
    yes_no = {"yes": True, "no": False, None: None}
    with session_scope(get_engine()) as s:
        _known_teams(s, _teams(args.teams))
        actor = security.update_user(
            s, args.username, role=args.role, team_ids=_teams(args.teams), can_unmask=yes_no[args.can_unmask],
            active=yes_no[args.active], display_name=args.display_name,
        )  # fmt: skip
    print(
        f"已更新 {actor.username}: {actor.role_label}, 组 {','.join(actor.team_ids) or '-'}, "
        f"可查看身份 {_yes(actor.can_unmask)}"
    )
    return 0


def _password(args) -> int:
    password = _read_password()
    with session_scope(get_engine()) as s:
        security.set_password(s, args.username, password)
    print(f"已重置 {args.username} 的密码")
    return 0


def _list(args) -> int:
    with session_scope(get_engine()) as s:
        users = security.list_users(s)
    print("用户名\t角色\t检查组\t可查看身份\t启用\t锁定")
    for u in users:
        print(
            f"{u['username']}\t{u['role']}\t{','.join(u['team_ids'])}\t{_yes(u['can_unmask'])}\t{_yes(u['active'])}\t"
            f"{_yes(u['locked'])}"
        )
    return 0
