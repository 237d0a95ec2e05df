"""AppTest of 用户管理: admin only; create, change and reset accounts; audit log shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from planner.office import audit, security
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import UserRow

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Xiafang-2026-pass"
ADMIN = Actor("root", "admin")


@pytest.fixture()
def page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    from planner.store.teams import ensure_team_shells

    with session_scope(engine) as s:
        security.create_user(s, "root", PASSWORD, role="admin")
        ensure_team_shells(s)  # what the first administrator leaves (the page offers only the saved teams)
    at = AppTest.from_file(str(ROOT / "pages" / "users.py"), default_timeout=20)
    at.session_state["actor"] = ADMIN
    return at


@pytest.mark.parametrize("role", ["leader", "coordinator", "officer"])
def test_refused_for_non_admins(page: AppTest, role: str) -> None:
    page.session_state["actor"] = Actor("x", role)
    page.run()
    assert page.error and "无权管理用户" in page.error[0].value
    assert not page.dataframe


def test_create_edit_reset(page: AppTest, engine) -> None:
    page.run()
    assert list(page.dataframe[0].value["用户名"]) == ["root"]
    page.text_input(key="new_username").input("zhou")
    page.selectbox(key="new_role").select("officer")
    page.multiselect(key="new_teams").select("T1").select("T2")
    page.text_input(key="new_password").input("weak")
    page.button[0].click().run()
    assert page.error and "密码至少" in page.error[0].value  # weak password refused, with the rule
    page.text_input(key="new_password").input(PASSWORD)
    page.button[0].click().run()
    assert "zhou" in list(page.dataframe[0].value["用户名"])
    with session_scope(engine) as s:
        assert security.get_actor(s, "zhou") == Actor("zhou", "officer", ("T1", "T2"), False, "")

    page.selectbox(key="edit_username").select("zhou").run()
    page.selectbox(key="edit_zhou_role").select("leader")
    page.checkbox(key="edit_zhou_unmask").check()
    page.button[1].click().run()
    with session_scope(engine) as s:
        assert security.get_actor(s, "zhou").can_unmask
    with session_scope(engine) as s:  # zhou has since set a password of their own
        s.execute(update(UserRow).where(UserRow.username == "zhou").values(must_change_password=False))
    page.run()
    assert not page.dataframe[0].value.set_index("用户名").loc["zhou", "待改密码"]
    page.text_input(key="edit_zhou_password").input("Another-pass-2027")
    page.button[2].click().run()
    with session_scope(engine) as s:
        assert security.authenticate(s, "zhou", "Another-pass-2027").role == "leader"
    # Walk L: the accounts table above still showed the row as it was before the reset.
    accounts = page.dataframe[0].value.set_index("用户名")
    assert bool(accounts.loc["zhou", "待改密码"]) and "已重置 zhou 的密码" in page.success[0].value
    page.run()
    log = page.dataframe[1].value
    assert {"创建账户", "修改账户", "重置密码", "登录"} <= set(log["操作"])
    # Each entry is a sentence: who, what, whose account; no action codes or Python dicts.
    said = "\n".join(log["说明"])
    assert "创建账户「zhou」：角色干部，负责的组第一检查组、第二检查组" in said
    assert "修改账户「zhou」：角色改为组长" in said and "重置账户「zhou」的密码" in said
    assert not any(code in said for code in ("user_create", "user_update", "{", "team_ids", "T1"))
    assert not any(PASSWORD in str(v) for v in page.dataframe[1].value.to_numpy().ravel())


def test_edit_form_loads_the_chosen_account_and_changes_only_what_changed(page: AppTest, engine) -> None:
    """Issue 14.1: editing an officer's 组 must leave the officer an officer (was: became 管理员)."""
    with session_scope(engine) as s:
        security.create_user(s, "aaa_admin", PASSWORD, role="admin", team_ids=[])
        security.create_user(s, "wu", PASSWORD, role="officer", team_ids=["T1"])
    page.run()
    # The form first shows the first account (an admin), then the chosen officer's own values.
    page.selectbox(key="edit_username").select("wu").run()
    assert page.selectbox(key="edit_wu_role").value == "officer"
    assert page.multiselect(key="edit_wu_teams").value == ["T1"]
    page.multiselect(key="edit_wu_teams").unselect("T1").select("T2")
    page.button[1].click().run()
    with session_scope(engine) as s:
        wu = security.get_actor(s, "wu")
        assert (wu.role, wu.team_ids) == ("officer", ("T2",))
        detail = [r["detail"] for r in audit.recent(s, limit=20) if r["action"] == "user_update"]
    # only the team changed, never the role (the row keeps the team's name as it was called then)
    assert detail == [{"user": "wu", "team_ids": ["T2"], "team_names_then": {"T2": "第二检查组"}}]
    assert page.success and "wu" in page.success[0].value and "干部" in page.success[0].value
    assert "第二检查组" in page.success[0].value


def test_new_accounts_start_as_officers_with_teams_from_the_list(page: AppTest, engine) -> None:
    """Issue 14.8: least privilege by default, 组 chosen from the team list, and 创建 says what it saved."""
    page.run()
    assert page.selectbox(key="new_role").value == "officer"
    assert set(page.multiselect(key="new_teams").options) >= {"第一检查组（T1）", "第五检查组（T5）"}
    page.text_input(key="new_username").input("lin")
    page.multiselect(key="new_teams").select("T3")
    page.text_input(key="new_password").input(PASSWORD)
    page.button[0].click().run()
    with session_scope(engine) as s:
        assert security.get_actor(s, "lin") == Actor("lin", "officer", ("T3",), False, "")
    assert page.success and "已创建账户 lin" in page.success[0].value
    assert "干部" in page.success[0].value and "第三检查组" in page.success[0].value


def test_library_refuses_a_team_not_on_the_list(engine) -> None:
    from planner.errors import InputError
    from planner.store.teams import default_teams, save_team

    with session_scope(engine) as s:
        for t in default_teams():
            save_team(s, t)
        s.commit()
        with pytest.raises(InputError, match="不在组列表中"):
            security.create_user(s, "typo", PASSWORD, role="officer", team_ids=["T11"])
        security.create_user(s, "ok", PASSWORD, role="officer", team_ids=["T1"])
        with pytest.raises(InputError, match="T9"):
            security.update_user(s, "ok", team_ids=["T9"])


def test_the_next_new_account_does_not_inherit_the_last_ones_values(page: AppTest, engine) -> None:
    """Found walking 用户管理: after creating a coordinator who may unmask, the form kept 可查看信访人身份 ticked
    (and the role, teams and password), so the leader created next silently got the unmask right."""
    page.run()
    page.text_input(key="new_username").input("lin")
    page.selectbox(key="new_role").select("coordinator")
    page.multiselect(key="new_teams").select("T2")
    page.checkbox(key="new_unmask").check()
    page.text_input(key="new_password").input(PASSWORD)
    page.button[0].click().run()
    assert "已创建账户 lin" in page.success[0].value
    # The form is empty again: user name, role (least privilege), teams, identity right and password.
    assert page.text_input(key="new_username").value == ""
    assert page.selectbox(key="new_role").value == "officer"
    assert page.multiselect(key="new_teams").value == []
    assert page.checkbox(key="new_unmask").value is False
    assert page.text_input(key="new_password").value == ""
    page.text_input(key="new_username").input("zhang")
    page.selectbox(key="new_role").select("leader")
    page.multiselect(key="new_teams").select("T1")
    page.text_input(key="new_password").input(PASSWORD)
    page.button[0].click().run()
    with session_scope(engine) as s:
        assert security.get_actor(s, "lin").can_unmask
        assert security.get_actor(s, "zhang") == Actor("zhang", "leader", ("T1",), False, "")


def test_a_refused_edit_restores_the_saved_values_and_the_name_can_be_changed(page: AppTest, engine) -> None:
    """Walk E: giving an officer the right to see identities was refused, but the box stayed ticked as if saved;
    and 修改账户 had no way to change a person's 姓名."""
    with session_scope(engine) as s:
        security.create_user(s, "lin", PASSWORD, role="officer", team_ids=["T3"], display_name="林干部")
    page.run()
    page.selectbox(key="edit_username").select("lin").run()
    page.checkbox(key="edit_lin_unmask").check()
    page.button[1].click().run()
    assert page.error and "未保存：表单已恢复为该账户已保存的设置" in page.error[0].value
    with session_scope(engine) as s:
        assert not security.get_actor(s, "lin").can_unmask
    (box,) = [c for c in page.checkbox if c.label == "可查看信访人身份"]
    assert box.value is False  # the refused tick is gone
    # The error is shown once; the next run is a plain form again.
    page.run()
    assert not page.error
    (name,) = [t for t in page.text_input if t.label == "姓名" and t.key.startswith("edit_lin")]
    assert name.value == "林干部"
    name.input("林晓东")
    page.button[1].click().run()
    with session_scope(engine) as s:
        saved = security.get_actor(s, "lin")
    assert (saved.display_name, saved.role, saved.can_unmask) == ("林晓东", "officer", False)


def test_the_audit_log_downloads_as_excel_with_hostile_text_inert() -> None:
    """The audit table's own CSV is off (walk H: formulas went out live); 用户管理 offers the log as Excel."""
    import io

    from openpyxl import load_workbook

    from planner.office.audit import log_xlsx

    data = log_xlsx([{"时间": "2026-12-07 09:00:00", "用户": "=HYPERLINK(\"http://evil.example\")", "操作": "登录",
                      "说明": "+cmd|' /C calc'!A0"}])
    ws = load_workbook(io.BytesIO(data))["审计日志"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["时间", "用户", "操作", "说明"]
    assert rows[1][0] == "2026-12-07 09:00:00" and rows[1][2] == "登录"
    assert not str(rows[1][1]).startswith("=") and not str(rows[1][3]).startswith("+")
    assert "HYPERLINK" in str(rows[1][1])  # kept as text, not dropped
