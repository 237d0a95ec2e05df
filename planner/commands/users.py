"""``python -m planner users``: first admin, create accounts, change roles, reset passwords, list accounts."""

from __future__ import annotations

import getpass
import os
import sys

from planner.errors import InputError
from planner.office import security
from planner.store.database import get_engine, session_scope

PASSWORD_ENV = "XIAFANG_USER_PASSWORD"


def register(subparsers) -> None:
    """Add the ``users`` subcommand with its actions."""
    p = subparsers.add_parser(
        "users",
        help="manage local accounts (bootstrap, create, set, password, list)",
        description="用户管理：首个管理员、创建账户、修改角色与组、重置密码、列出账户。"
        f"密码从环境变量 {PASSWORD_ENV} 读取，否则在终端提示输入（不回显，不写入命令行历史）。",
    )
    sub = p.add_subparsers(dest="users_action", metavar="ACTION", required=True)

    b = sub.add_parser("bootstrap", help="create the first admin 'admin' on a fresh install; prints its password once")
    b.set_defaults(func=_bootstrap)

    c = sub.add_parser("create", help="create an account")
    c.add_argument("username")
    c.add_argument("--role", required=True, choices=security.ROLES)
    c.add_argument("--teams", default="", help="team ids, comma-separated (officers: their team; leaders: led teams)")
    c.add_argument("--can-unmask", action="store_true", help="may reveal petitioner identity (not for officers)")
    c.add_argument("--display-name", default="")
    c.set_defaults(func=_create)

    s = sub.add_parser("set", help="change role, teams, unmask right or active flag")
    s.add_argument("username")
    s.add_argument("--role", choices=security.ROLES)
    s.add_argument("--teams", default=None, help="team ids, comma-separated ('' for none)")
    s.add_argument("--can-unmask", choices=("yes", "no"))
    s.add_argument("--active", choices=("yes", "no"))
    s.add_argument("--display-name", default=None)
    s.set_defaults(func=_set)

    pw = sub.add_parser("password", help="reset a password (also clears a lockout)")
    pw.add_argument("username")
    pw.set_defaults(func=_password)

    ls = sub.add_parser("list", help="list accounts")
    ls.set_defaults(func=_list)


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
    with session_scope(get_engine()) as s:
        password = security.bootstrap_admin(s)
        if password is None and not security.list_users(s):
            raise InputError("没有创建任何账户")
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


def _create(args) -> int:
    password = _read_password()
    with session_scope(get_engine()) as s:
        actor = security.create_user(
            s, args.username, password, role=args.role, team_ids=_teams(args.teams) or [],
            can_unmask=args.can_unmask, display_name=args.display_name,
        )  # fmt: skip
    print(f"已创建 {actor.username}（{actor.role_label}）")
    return 0


def _set(args) -> int:
    yes_no = {"yes": True, "no": False, None: None}
    with session_scope(get_engine()) as s:
        actor = security.update_user(
            s, args.username, role=args.role, team_ids=_teams(args.teams), can_unmask=yes_no[args.can_unmask],
            active=yes_no[args.active], display_name=args.display_name,
        )  # fmt: skip
    print(
        f"已更新 {actor.username}: {actor.role_label}, 组 {','.join(actor.team_ids) or '-'}, "
        f"可查看身份 {actor.can_unmask}"
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
    print("username\trole\tteams\tcan_unmask\tactive\tlocked")
    for u in users:
        print(
            f"{u['username']}\t{u['role']}\t{','.join(u['team_ids'])}\t{u['can_unmask']}\t{u['active']}\t{u['locked']}"
        )
    return 0
