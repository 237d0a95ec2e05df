"""An administrator changing their own account on 用户管理: what it costs them, said and confirmed before it is saved.

Walk W6: an administrator made themselves 协调员 with one click (another administrator was active, so the library let
it pass) and lost 用户管理 at once, with no way back of their own. Taking away one's own administrator role, or
stopping one's own account, now needs a confirmation that names the consequence.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InputError
from planner.office.authorisation import ROLE_LABELS
from planner.store.models import UserRow

#: The confirmation 用户管理 shows on an administrator's own account, and its name in the messages.
CONFIRM_LABEL = "确认修改本人账户（取消本人的管理员角色或停用本人账户时须勾选）"
CONFIRM_NAME = CONFIRM_LABEL.split("（")[0]


def _other_admins(session: Session, username: str) -> list[str]:
    rows = session.execute(select(UserRow.username, UserRow.display_name).where(
        UserRow.role == "admin", UserRow.active.is_(True), UserRow.username != username).order_by(UserRow.username))
    return [f"{name}（{login}）" if name and name != login else login for login, name in rows]


def own_loss(session: Session, actor: object, username: str, *, role: str, active: bool) -> str:
    """What saving ``role`` and ``active`` for ``username`` costs ``actor``, when it is their own administrator
    account and the change takes away the role or stops the account; "" otherwise (another account, or nothing lost).

    Parameters
    ----------
    session
        Open session (to name the administrators who could undo it).
    actor
        Who saves.
    username
        The account being changed.
    role, active
        The account's role and 启用 as the form would save them.
    """
    if username != getattr(actor, "username", None) or getattr(actor, "role", None) != "admin":
        return ""
    if role == "admin" and active:
        return ""
    others = "、".join(_other_admins(session, username))
    undo = f"只有其他启用的管理员能恢复：{others}" if others else "只有其他启用的管理员能恢复"
    if not active:
        return (f"你正在停用本人账户 {username}：保存后你立即退出登录、不能再登录，"
                f"也不能再进入“用户管理”；{undo}。")
    return (f"你正在把本人账户 {username} 的角色从管理员改为{ROLE_LABELS.get(role, role)}：保存后你立即失去管理员权限，"
            f"“用户管理”等管理员页面随即不再显示，也不能自己改回；{undo}。")


def check_own_change(session: Session, actor: object, username: str, *, role: str, active: bool,
                     confirmed: bool) -> None:
    """Refuse, naming the consequence, a change of ``actor``'s own administrator account that takes away the role
    or stops the account, unless ``confirmed``.

    Raises
    ------
    InputError
        With :func:`own_loss`'s text and how to confirm.
    """
    if not confirmed and (loss := own_loss(session, actor, username, role=role, active=active)):
        raise InputError(f"{loss}确需如此，请勾选“{CONFIRM_NAME}”后再点保存。")
