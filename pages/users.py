"""用户管理 (admins only): accounts, roles, teams, the unmask right, password resets and the audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import current_actor, engine, show_error
from planner.errors import USER_ERRORS
from planner.office import audit, security
from planner.store.database import session_scope

st.title("用户管理")
actor = current_actor()
try:
    security.require(actor, "manage_users")
except USER_ERRORS as exc:
    show_error(exc)
    st.stop()

with session_scope(engine()) as s:
    users = security.list_users(s, actor=actor)
names = [u["username"] for u in users]

st.subheader("账户")
st.dataframe(
    pd.DataFrame(
        [
            {"用户名": u["username"], "姓名": u["display_name"], "角色": u["role_label"],
             "组": "、".join(u["team_ids"]),
             "可查看身份": u["can_unmask"], "启用": u["active"], "已锁定": u["locked"]}
            for u in users
        ]
    ),
    hide_index=True,
    key="users_table",
)  # fmt: skip

role_options = list(security.ROLES)


def _role_label(role: str) -> str:
    return security.ROLE_LABELS[role]


with st.expander("新建账户", expanded=not users):
    with st.form("create_user"):
        username = st.text_input("用户名", key="new_username")
        display = st.text_input("姓名（显示用）", key="new_display")
        role = st.selectbox("角色", role_options, format_func=_role_label, key="new_role")
        teams = st.text_input("所属/负责的组（逗号分隔）", key="new_teams")
        unmask = st.checkbox("可查看信访人身份（仅组长、协调员、管理员）", key="new_unmask")
        password = st.text_input("初始密码", type="password", key="new_password")
        if st.form_submit_button("创建", type="primary"):
            try:
                with session_scope(engine()) as s:
                    security.create_user(
                        s, username, password, role=role, can_unmask=unmask, display_name=display, actor=actor,
                        team_ids=[t.strip() for t in teams.replace("，", ",").split(",") if t.strip()],
                    )  # fmt: skip
            except USER_ERRORS as exc:
                show_error(exc)
            else:
                st.success(f"已创建账户 {username}")
                st.rerun()

if names:
    with st.expander("修改账户"):
        target = st.selectbox("账户", names, key="edit_username")
        current = next(u for u in users if u["username"] == target)
        with st.form("edit_user"):
            role = st.selectbox(
                "角色",
                role_options,
                index=role_options.index(current["role"]),
                format_func=_role_label,
                key="edit_role",
            )
            teams = st.text_input("组（逗号分隔）", value=",".join(current["team_ids"]), key="edit_teams")
            unmask = st.checkbox("可查看信访人身份", value=current["can_unmask"], key="edit_unmask")
            active = st.checkbox("启用", value=current["active"], key="edit_active")
            if st.form_submit_button("保存"):
                try:
                    with session_scope(engine()) as s:
                        security.update_user(
                            s, target, role=role, can_unmask=unmask, active=active, actor=actor,
                            team_ids=[t.strip() for t in teams.replace("，", ",").split(",") if t.strip()],
                        )  # fmt: skip
                except USER_ERRORS as exc:
                    show_error(exc)
                else:
                    st.success(f"已保存 {target}")
                    st.rerun()
        with st.form("reset_password"):
            new_pw = st.text_input("新密码", type="password", key="reset_password_value")
            if st.form_submit_button("重置密码（同时解除锁定）"):
                try:
                    with session_scope(engine()) as s:
                        security.set_password(s, target, new_pw, actor=actor)
                except USER_ERRORS as exc:
                    show_error(exc)
                else:
                    st.success(f"已重置 {target} 的密码")

st.subheader("审计日志")
with session_scope(engine()) as s:
    rows = audit.recent(s, limit=200)
st.dataframe(
    pd.DataFrame(
        [
            {"时间": r["at"].strftime("%Y-%m-%d %H:%M:%S"), "用户": r["username"], "操作": r["action"],
             "案件": "、".join(r["case_nos"]), "理由": r["reason"], "详情": str(r["detail"])}
            for r in rows
        ],
        columns=["时间", "用户", "操作", "案件", "理由", "详情"],
    ),
    hide_index=True,
    key="audit_table",
)  # fmt: skip
