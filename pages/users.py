"""用户管理 (admins only): accounts, roles, teams, the unmask right, password resets and the audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import (
    PAGE_TEAMS,
    PAGE_USERS,
    USER_ERRORS,
    Key,
    engine,
    error_hint,
    page_actor,
    page_link,
    show_error,
)
from planner.errors import XiafangError
from planner.office import audit, own_account, security
from planner.office.privacy import md_text
from planner.store.database import session_scope
from planner.store.teams import load_teams

st.title("用户管理")
actor = page_actor(PAGE_USERS)

if flash := st.session_state.pop(Key.FLASH, None):
    st.success(flash)

with session_scope(engine()) as s:
    users = security.list_users(s, actor=actor)
    # The office's team list: exactly the teams saved in the database (检查组 page), as 选件 and 路线规划 see them.
    teams = {t.team_id: t.name for t in load_teams(s, active_only=False)}
names = [u["username"] for u in users]

if not teams:
    st.info("还没有检查组：组长和干部要分到组才能看到本组的案件。请先在“检查组”页新建或导入检查组。")
    page_link(PAGE_TEAMS, label="前往检查组")

st.subheader("账户")
st.dataframe(
    pd.DataFrame(
        [
            {"用户名": u["username"], "姓名": u["display_name"], "角色": u["role_label"],
             "组": "、".join(teams.get(t, t) for t in u["team_ids"]),
             "可查看身份": u["can_unmask"], "启用": u["active"], "已锁定": u["locked"],
             "待改密码": u["must_change"]}
            for u in users
        ]
    ),
    hide_index=True,
    key="users_table",
)  # fmt: skip

# Least privilege first: a new account is a 干部 (officer) until the administrator chooses otherwise.
role_options = ["officer", "leader", "coordinator", "admin"]


def _role_label(role: str) -> str:
    return security.ROLE_LABELS[role]


def _team_label(team_id: str) -> str:
    name = teams.get(team_id)
    return f"{name}（{team_id}）" if name and name != team_id else team_id


def _teams_text(team_ids: list[str]) -> str:
    return "、".join(_team_label(t) for t in team_ids) or "无"


def _saved_text(role: str, team_ids: list[str], unmask: bool, active: bool | None = None) -> str:
    parts = [f"角色：{_role_label(role)}", f"组：{_teams_text(team_ids)}", f"可查看身份：{'是' if unmask else '否'}"]
    if active is not None:
        parts.append(f"启用：{'是' if active else '否'}")
    return "，".join(parts)


def _unmask_note(before: dict, after: dict, changes: dict) -> str:
    """What a role change did to the identity right without being asked (walk W4: made 干部, the right went silently;
    made 组长 again, it stays off). The library drops it for 干部; giving it back is the administrator's choice."""
    if "role" not in changes or "can_unmask" in changes:
        return ""
    who = after["username"]
    if before["can_unmask"] and not after["can_unmask"]:
        return f"。已取消 {who} 的可查看身份权限（干部不能查看信访人身份）"
    if before["role"] == "officer" and not after["can_unmask"]:
        return (f"。{who} 未授予可查看身份权限：确需查看信访人身份时，勾选“可查看信访人身份”后再保存")
    return ""


#: Roles that belong to teams: a coordinator or administrator sees every team's cases, and a team stored for one
#: meant nothing (walk W27: coordinator coord1 was saved with «组：南靖平和组», taken over from a refused 干部).
TEAM_ROLES = ("officer", "leader")
TEAM_HELP = "只有组长和干部分到组；协调员、管理员看全部检查组的案件，不分组（为他们选的组不会保存）。"


def _no_team_note(role: str, chosen: list[str]) -> str:
    """Said when teams chosen for a role without teams were not saved ("" otherwise)."""
    if role in TEAM_ROLES or not chosen:
        return ""
    return f"。{_role_label(role)}不分组：所选的组（{_teams_text(list(chosen))}）未保存"


# The next account starts from an empty form: it must never inherit the last one's password, role, teams or
# identity right (a refused submit keeps the typed values, hence no clear_on_submit). The values are set before the
# widgets exist, so the browser shows them too (removing the keys would leave the browser's old values in place).
NEW_FORM_RESET = "users_new_form_reset"
if st.session_state.pop(NEW_FORM_RESET, False):
    st.session_state.update(new_username="", new_display="", new_role=role_options[0], new_teams=[],
                            new_unmask=False, new_password="")

with st.expander("新建账户", expanded=not users):
    with st.form("create_user", clear_on_submit=False):
        username = st.text_input("用户名", key="new_username")
        display = st.text_input("姓名（显示用）", key="new_display")
        role = st.selectbox("角色", role_options, index=0, format_func=_role_label, key="new_role",
                            help="新账户默认是权限最小的干部；需要更多权限时再改。")
        new_teams = st.multiselect("所属/负责的组", list(teams), format_func=_team_label, key="new_teams",
                                   help=TEAM_HELP)
        unmask = st.checkbox("可查看信访人身份（仅组长、协调员、管理员）", key="new_unmask")
        password = st.text_input("初始密码", type="password", key="new_password")
        if st.form_submit_button("创建", type="primary"):
            try:
                with session_scope(engine()) as s:
                    created = security.create_user(
                        s, username, password, role=role, can_unmask=unmask, display_name=display, actor=actor,
                        team_ids=new_teams if role in TEAM_ROLES else [],
                    )  # fmt: skip
            except XiafangError as exc:
                show_error(exc)
                # The typed values stay, to be put right; said, so that they are not taken over unseen by the next
                # account typed into the form (walk W27: a coordinator was saved with the refused 干部's team).
                st.info(md_text("表单保留了刚才填写的内容（" + _saved_text(role, list(new_teams), unmask)
                                + "）：改正后再点“创建”；改填另一个账户时请先核对这些选项。"), icon=":material/info:")
            else:
                msg = f"已创建账户 {created.username}：" + _saved_text(created.role, list(created.team_ids),
                                                                      created.can_unmask)
                msg += _no_team_note(role, new_teams)
                msg += "。首次登录时须先把初始密码改为自己的密码"
                if created.role in ("officer", "leader") and not created.team_ids:
                    msg += "。注意：该账户没有分到任何组，登录后看不到本组案件。"
                st.session_state[Key.FLASH] = md_text(msg)
                st.session_state[NEW_FORM_RESET] = True
                st.rerun()

if names:
    with st.expander("修改账户", expanded=True):
        target = st.selectbox("账户", names, key="edit_username")
        current = next(u for u in users if u["username"] == target)
        # Every widget key carries the account, so the form always shows and saves the chosen account's values. A
        # refused change starts the form afresh (new keys) from the saved values: a refused tick must not stay ticked
        # as if it had been saved.
        refusals = st.session_state.setdefault("edit_refusals", {})
        k = f"edit_{current['username']}" + (f"_{refusals[target][0]}" if target in refusals else "")
        if target in refusals and refusals[target][1]:
            st.error(refusals[target][1] + "\n\n未保存：表单已恢复为该账户已保存的设置。", icon="⚠️")
            refusals[target] = (refusals[target][0], "")
        team_options = list(teams) + [t for t in current["team_ids"] if t not in teams]
        with session_scope(engine()) as s:
            stored_version = security.user_version(s, current["username"])
        if st.session_state.get(f"{k}_version", stored_version) != stored_version and not st.session_state.get(
                f"{k}_save"):
            # Changed by another session since the form was loaded: the form starts afresh (new keys) from the
            # account as stored — a browser keeps a form's old values under the same keys (walk W32, 检查组). A
            # 保存 pressed on the old form is refused below (the version check) and says so.
            refusals[target] = ((refusals[target][0] + 1) if target in refusals else 1, "")
            k = f"edit_{current['username']}_{refusals[target][0]}"
        if f"{k}_version" not in st.session_state:  # the version this form was loaded at (two editors, one account)
            st.session_state[f"{k}_version"] = stored_version
        with st.form(f"edit_user_{current['username']}"):
            role = st.selectbox("角色", role_options, index=role_options.index(current["role"]),
                                format_func=_role_label, key=f"{k}_role")
            edit_teams = st.multiselect("组", team_options, default=current["team_ids"], format_func=_team_label,
                                        key=f"{k}_teams", help=TEAM_HELP)
            name = st.text_input("姓名", value=current["display_name"] or "", key=f"{k}_name")
            unmask = st.checkbox("可查看信访人身份", value=current["can_unmask"], key=f"{k}_unmask")
            active = st.checkbox("启用", value=current["active"], key=f"{k}_active")
            # One's own administrator role or account is not given up with one click (walk W6): the save asks for
            # this tick and names what is lost.
            own_ok = st.checkbox(own_account.CONFIRM_LABEL, key=f"{k}_own_ok") \
                if target == actor.username and current["role"] == "admin" else False
            if st.form_submit_button("保存", key=f"{k}_save"):
                # Pass only what the user changed: an untouched field is never written.
                changes = {}
                if role != current["role"]:
                    changes["role"] = role
                kept_teams = list(edit_teams) if role in TEAM_ROLES else []  # a coordinator or admin has none
                if kept_teams != list(current["team_ids"]):
                    changes["team_ids"] = kept_teams
                if bool(unmask) != bool(current["can_unmask"]):
                    changes["can_unmask"] = bool(unmask)
                if bool(active) != bool(current["active"]):
                    changes["active"] = bool(active)
                if name.strip() != (current["display_name"] or ""):
                    changes["display_name"] = name.strip()
                with session_scope(engine()) as s:
                    loss = own_account.own_loss(s, actor, target, role=role, active=bool(active))
                if not changes:
                    st.info(f"{md_text(target)}：没有改动，未保存。")
                elif loss and not own_ok:
                    st.warning(md_text(f"未保存。{loss}确需如此，请勾选“{own_account.CONFIRM_NAME}”后再点保存。"),
                               icon=":material/warning:")
                else:
                    try:
                        with session_scope(engine()) as s:
                            own_account.check_own_change(s, actor, target, role=role, active=bool(active),
                                                         confirmed=bool(own_ok))
                            saved = security.update_user(s, target, actor=actor,
                                                         expected_version=st.session_state[f"{k}_version"], **changes)
                            row = next(u for u in security.list_users(s, actor=actor) if u["username"] == target)
                    except XiafangError as exc:
                        if not isinstance(exc, USER_ERRORS):
                            raise
                        refusals[target] = ((refusals[target][0] + 1) if target in refusals else 1,
                                            f"{md_text(exc)}\n\n{error_hint(exc)}")
                        st.rerun()
                    else:
                        st.session_state[Key.FLASH] = md_text(
                            f"已保存 {saved.username}：" + _saved_text(row["role"], row["team_ids"],
                                                                      row["can_unmask"], row["active"])
                            + _unmask_note(current, row, changes)
                            + _no_team_note(role, list(edit_teams))
                        )
                        st.session_state.pop(f"{k}_version", None)
                        # Saved otherwise than the form shows (a right the role change took away): the form starts
                        # afresh (new keys) from the account as saved (walk W4: 可查看身份 stayed ticked, and the
                        # next save gave the right back unasked).
                        if bool(row["can_unmask"]) != bool(unmask) or list(row["team_ids"]) != list(edit_teams):
                            refusals[target] = ((refusals[target][0] + 1) if target in refusals else 1, "")
                        st.rerun()
        with st.form(f"reset_password_{current['username']}", clear_on_submit=True):
            new_pw = st.text_input("新密码", type="password", key=f"{k}_password")
            if st.form_submit_button("重置密码（同时解除锁定）"):
                try:
                    with session_scope(engine()) as s:
                        security.set_password(s, target, new_pw, actor=actor)
                except XiafangError as exc:
                    show_error(exc)
                else:  # the table above shows 待改密码 and 已锁定 as they are now (walk L: it kept the old row)
                    st.session_state[Key.FLASH] = (f"已重置 {md_text(target)} 的密码并解除锁定；"
                                                   "对方下次登录时须先改为自己的密码")
                    st.rerun()

st.subheader("审计日志")
st.caption("最近 200 条：谁在什么时间做了什么、涉及哪些信访件、理由。")
with session_scope(engine()) as s:
    rows = audit.recent(s, limit=200)
display = {u["username"]: u["display_name"] or u["username"] for u in users}
log = audit.log_table(rows, names=display, team_names=teams)
st.download_button("下载审计日志（Excel，最近 200 条）", data=audit.log_xlsx(log), file_name="审计日志.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="audit_download",
                   icon=":material/download:")
st.dataframe(
    pd.DataFrame(log, columns=["时间", "用户", "操作", "说明"]),
    hide_index=True,
    key="audit_table",
    column_config={"说明": st.column_config.TextColumn(width="large")},
)
